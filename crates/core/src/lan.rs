//! What the LAN transport (crates/net) needs from this device: its
//! credentials, and who a device it met is. The session itself runs
//! through the live-session use cases.

use zeroize::Zeroizing;

use crate::error::Result;
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
        })
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
