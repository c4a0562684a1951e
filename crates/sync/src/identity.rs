//! Device identities: an Ed25519 signing key and an X25519 key per device.
//!
//! A device writes every Automerge change under an actor id that *is* its
//! Ed25519 public key, so "the actor matches the device" is a byte
//! comparison, not a lookup that could drift.

use automerge::ActorId;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::crypto::random;
use crate::error::SyncError;

/// A device's public identity: its Ed25519 key doubles as its id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DeviceId(pub [u8; 32]);

impl DeviceId {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(s: &str) -> Option<DeviceId> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(s, &mut b).ok()?;
        Some(DeviceId(b))
    }

    /// The Automerge actor id this device writes under.
    pub fn actor(&self) -> ActorId {
        ActorId::from(self.0)
    }

    pub fn from_actor(actor: &ActorId) -> Option<DeviceId> {
        actor.to_bytes().try_into().ok().map(DeviceId)
    }

    /// A short fingerprint people compare aloud when enrolling a device.
    pub fn fingerprint(&self) -> String {
        let h = crate::crypto::sha256(&[b"caravan/fingerprint/v1", &self.0]);
        let digits: Vec<String> = h[..8]
            .chunks(2)
            .map(|c| format!("{:05}", u16::from_be_bytes([c[0], c[1]])))
            .collect();
        digits.join(" ")
    }

    /// Verifies a signature made by this device, strictly: a small-order
    /// key or a small-order `R` is refused, so every device and every path
    /// (bundle, session, join) reaches the same verdict on the same bytes.
    /// Lax verification accepts, under a small-order key, one signature for
    /// every message.
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.verifying_key()
            .is_some_and(|k| verify_with(&k, message, signature))
    }

    /// The decompressed public key, to verify many signatures by this
    /// device without decompressing it for each; `None` if it is no point.
    pub fn verifying_key(&self) -> Option<VerifyingKey> {
        VerifyingKey::from_bytes(&self.0).ok()
    }

    /// Whether this is a usable Ed25519 key: a valid point, not of small
    /// order.
    pub fn is_strong(&self) -> bool {
        VerifyingKey::from_bytes(&self.0).is_ok_and(|k| !k.is_weak())
    }
}

impl std::fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceId({})", &self.to_hex()[..12])
    }
}

/// A device's secret keys. Debug output never shows them.
pub struct DeviceKeys {
    signing: SigningKey,
    agreement: StaticSecret,
}

impl std::fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeys")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

impl DeviceKeys {
    /// New random keys from the operating system's generator.
    pub fn generate() -> Result<DeviceKeys, SyncError> {
        let s = Zeroizing::new(random::<32>()?);
        let a = Zeroizing::new(random::<32>()?);
        Ok(DeviceKeys::from_secret_bytes(&s, &a))
    }

    pub fn from_secret_bytes(signing: &[u8; 32], agreement: &[u8; 32]) -> DeviceKeys {
        DeviceKeys {
            signing: SigningKey::from_bytes(signing),
            agreement: StaticSecret::from(*agreement),
        }
    }

    /// The secret halves, for the vault to store encrypted (64 bytes).
    pub fn to_secret_bytes(&self) -> Zeroizing<[u8; 64]> {
        let mut out = Zeroizing::new([0u8; 64]);
        out[..32].copy_from_slice(&self.signing.to_bytes());
        out[32..].copy_from_slice(self.agreement.as_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8; 64]) -> DeviceKeys {
        let mut s = Zeroizing::new([0u8; 32]);
        let mut a = Zeroizing::new([0u8; 32]);
        s.copy_from_slice(&bytes[..32]);
        a.copy_from_slice(&bytes[32..]);
        DeviceKeys::from_secret_bytes(&s, &a)
    }

    pub fn id(&self) -> DeviceId {
        DeviceId(self.signing.verifying_key().to_bytes())
    }

    pub fn agreement_public(&self) -> [u8; 32] {
        PublicKey::from(&self.agreement).to_bytes()
    }

    pub fn public(&self) -> PublicDevice {
        PublicDevice {
            id: self.id(),
            agreement: self.agreement_public(),
        }
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    pub(crate) fn agreement_secret(&self) -> &StaticSecret {
        &self.agreement
    }
}

/// What others need to know of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDevice {
    pub id: DeviceId,
    pub agreement: [u8; 32],
}

impl PublicDevice {
    /// Refuses keys no honest device has: a small-order Ed25519 key (under
    /// which anyone can forge signatures) or a small-order X25519 key (to
    /// which a sealed team key would be readable by anyone).
    pub fn check_strong(&self, what: &'static str) -> Result<(), SyncError> {
        if !self.id.is_strong() || !crate::crypto::agreement_key_is_strong(&self.agreement)? {
            return Err(SyncError::WeakKey { what });
        }
        Ok(())
    }
}

/// Strict verification with a decompressed key (see [`DeviceId::verify`]).
pub fn verify_with(key: &VerifyingKey, message: &[u8], signature: &[u8; 64]) -> bool {
    key.verify_strict(message, &Signature::from_bytes(signature))
        .is_ok()
}
