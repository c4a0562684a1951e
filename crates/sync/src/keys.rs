//! Team keys: symmetric keys with an epoch number, sealed to each device.

use zeroize::Zeroizing;

use crate::crypto::{open_from, random};
use crate::error::SyncError;
use crate::identity::{DeviceKeys, PublicDevice};
use crate::team::seal_for_device;

/// One epoch of the team key. Old epochs are kept so old bundles stay readable.
#[derive(Clone)]
pub struct TeamKey {
    pub epoch: u32,
    pub(crate) key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for TeamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TeamKey(epoch {})", self.epoch)
    }
}

fn wrap_aad(epoch: u32, device: &PublicDevice) -> Vec<u8> {
    let mut aad = b"caravan/team-key/v1".to_vec();
    aad.extend_from_slice(&epoch.to_be_bytes());
    aad.extend_from_slice(&device.id.0);
    aad
}

impl TeamKey {
    pub fn generate(epoch: u32) -> Result<TeamKey, SyncError> {
        Ok(TeamKey {
            epoch,
            key: Zeroizing::new(random()?),
        })
    }

    pub fn from_bytes(epoch: u32, bytes: &[u8; 32]) -> TeamKey {
        TeamKey {
            epoch,
            key: Zeroizing::new(*bytes),
        }
    }

    /// The raw key, for the vault to store encrypted.
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// Seals this key to a device (only that device can open it).
    pub fn seal_for(&self, device: &PublicDevice) -> Result<Vec<u8>, SyncError> {
        seal_for_device(device, &wrap_aad(self.epoch, device), self.key.as_ref())
    }

    /// Opens a key sealed to this device.
    pub fn open(epoch: u32, sealed: &[u8], me: &DeviceKeys) -> Option<TeamKey> {
        let plain = open_from(
            me.agreement_secret(),
            &wrap_aad(epoch, &me.public()),
            sealed,
        )?;
        let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
        Some(TeamKey::from_bytes(epoch, &bytes))
    }
}
