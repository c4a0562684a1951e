//! What the network transports (crates/net) need from this device: its
//! LAN credentials, who a device it met is, and its answer to a relay's
//! challenge. Sessions and relay rounds run through their own use cases
//! (`live`, `relay`).

use zeroize::Zeroizing;

use crate::error::{CoreError, Result};
use crate::workspace::Workspace;

/// This device's LAN credentials. Secret: neither cloned nor printed.
pub struct LanCredentials {
    pub team_id: [u8; 16],
    /// This device's id (hex).
    pub device: String,
    /// The key the team's adverts are tagged under.
    pub discovery_key: Zeroizing<[u8; 32]>,
    /// This device's X25519 agreement secret (its Noise static key).
    pub static_secret: Zeroizing<[u8; 32]>,
    /// The team's other active devices: id (hex) and X25519 agreement
    /// key, both public within the team.
    pub peers: Vec<(String, [u8; 32])>,
}

impl std::fmt::Debug for LanCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanCredentials")
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl Workspace {
    /// This device's LAN credentials (a device that has joined a team).
    pub fn lan_credentials(&self) -> Result<LanCredentials> {
        let replica = self.replica()?;
        Ok(LanCredentials {
            team_id: replica.team_id().0,
            device: replica.device().to_hex(),
            discovery_key: replica.lan_discovery_key()?,
            static_secret: replica.lan_static_secret(),
            peers: self.lan_peers()?,
        })
    }

    /// The team's other active devices: id (hex) and X25519 agreement key
    /// (what a LAN answer tries a `KK` dialler against, with no secret
    /// read).
    pub fn lan_peers(&self) -> Result<Vec<(String, [u8; 32])>> {
        Ok(self
            .replica()?
            .lan_peers()?
            .into_iter()
            .map(|(id, key)| (id.to_hex(), key))
            .collect())
    }

    /// This device's answer to a relay's challenge on the channel named
    /// by `handshake_hash` (the device key never leaves the workspace).
    pub fn relay_auth(
        &self,
        handshake_hash: &[u8; 32],
        nonce: &[u8; 32],
    ) -> Result<caravan_sync::relay_auth::RelayAuth> {
        Ok(self.replica()?.relay_auth(handshake_hash, nonce))
    }

    /// The team's roster for the relay whose key is `relay_key` (hex),
    /// signed by this device: what an admin's device registers at the
    /// relay, and sends again after the team changes (docs/formats/relay.md).
    pub fn relay_roster(&self, relay_key: &str) -> Result<caravan_sync::roster::SignedRoster> {
        let (_, role) = self.me()?;
        crate::team::role_may(role, crate::permissions::TEAM_ADMINS, "register relays")?;
        let key = crate::relays::parse_relay_key(relay_key)?;
        let bytes = caravan_sync::relays::relay_key_from_hex(&key)
            .ok_or_else(|| CoreError::invalid("relay key", "64 hexadecimal digits"))?;
        Ok(self.replica()?.signed_roster(bytes, self.now())?)
    }

    /// The active device of this team (hex id) whose agreement key the
    /// LAN handshake showed, if there is one.
    pub fn lan_device(&self, agreement: &[u8; 32]) -> Result<Option<String>> {
        Ok(self
            .replica()?
            .device_by_agreement(agreement)?
            .map(|d| d.to_hex()))
    }
}
