//! A device proving its key to a relay (docs/formats/relay.md, "Auth"):
//! it signs the channel's handshake hash and the relay's nonce, under a
//! context no other signature of the product uses, so the signature
//! admits it to that one channel and is nothing else.

use crate::replica::Replica;

/// What an authentication signature is made over, before the rest.
pub const AUTH_CONTEXT: &[u8] = b"caravan/relay/auth/v1\0";

/// The message a device signs to authenticate on the channel named by
/// `handshake_hash`, answering `nonce`, as a device of team `team_id`.
pub fn auth_message(handshake_hash: &[u8; 32], nonce: &[u8; 32], team_id: &[u8; 16]) -> Vec<u8> {
    [AUTH_CONTEXT, handshake_hash, nonce, team_id].concat()
}

/// A device's answer to a relay's challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayAuth {
    pub team_id: [u8; 16],
    pub device: [u8; 32],
    pub signature: [u8; 64],
}

impl Replica {
    /// Signs a relay's challenge on the channel `handshake_hash`.
    pub fn relay_auth(&self, handshake_hash: &[u8; 32], nonce: &[u8; 32]) -> RelayAuth {
        let team_id = self.team_id().0;
        RelayAuth {
            team_id,
            device: self.device().0,
            signature: self
                .keys
                .sign(&auth_message(handshake_hash, nonce, &team_id)),
        }
    }
}
