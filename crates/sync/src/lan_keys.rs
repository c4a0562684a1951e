//! What a device needs on the LAN (crates/net): the key its adverts are
//! tagged under, its Noise static key, and the team device behind a
//! static key it met.

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::SyncError;
use crate::identity::DeviceId;
use crate::replica::Replica;

const DISCOVERY_INFO: &[u8] = b"caravan/lan/discovery/v1";

impl Replica {
    /// The key LAN adverts are tagged under, derived from the team key of
    /// the current epoch: a device removed from the team learns no later
    /// one, so it cannot recognise the team's adverts after the rotation
    /// that follows its revocation.
    pub fn lan_discovery_key(&self) -> Result<Zeroizing<[u8; 32]>, SyncError> {
        let epoch = self.team.view()?.current_epoch();
        let key = self
            .team_keys
            .get(&epoch)
            .ok_or(SyncError::NoKey { epoch })?;
        let hk = Hkdf::<Sha256>::new(Some(&self.team_id().0), &key.key[..]);
        let mut out = Zeroizing::new([0u8; 32]);
        // 32 bytes is always a valid HKDF-SHA256 output length.
        let _ = hk.expand(DISCOVERY_INFO, out.as_mut());
        Ok(out)
    }

    /// This device's X25519 agreement secret: its Noise static key on the
    /// LAN, the key the team document lists for it.
    pub fn lan_static_secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.keys.agreement_secret().to_bytes())
    }

    /// The active team device whose agreement key is `agreement`.
    pub fn device_by_agreement(&self, agreement: &[u8; 32]) -> Result<Option<DeviceId>, SyncError> {
        let want = hex::encode(agreement);
        Ok(self
            .team
            .view()?
            .active_devices()
            .find(|(_, d)| d.agreement == want)
            .and_then(|(id, _)| DeviceId::from_hex(id)))
    }
}

impl Replica {
    /// The team's other active devices and their X25519 agreement keys:
    /// whose adverts this device recognises, and whose keys a `KK`
    /// handshake on the LAN may come from. A device whose key in the team
    /// document does not parse, or is of small order, is left out.
    pub fn lan_peers(&self) -> Result<Vec<(DeviceId, [u8; 32])>, SyncError> {
        let me = self.device();
        Ok(self
            .team
            .view()?
            .active_devices()
            .filter_map(|(id, d)| {
                let id = DeviceId::from_hex(id)?;
                let key: [u8; 32] = hex::decode(&d.agreement).ok()?.try_into().ok()?;
                // A small-order key gives a known shared secret: anyone
                // could pass a `KK` handshake as that device.
                let strong = crate::crypto::agreement_key_is_strong(&key).unwrap_or(false);
                (id != me && strong).then_some((id, key))
            })
            .collect())
    }
}
