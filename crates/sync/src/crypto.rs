//! Small cryptographic helpers: randomness, hashing, AEAD, and sealing a key
//! to a device's X25519 public key.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::error::SyncError;

pub(crate) fn random<const N: usize>() -> Result<[u8; N], SyncError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| SyncError::Random)?;
    Ok(b)
}

pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// XChaCha20-Poly1305 encryption with a fresh random nonce: `nonce || ct`.
pub(crate) fn seal(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SyncError> {
    let nonce: [u8; 24] = random()?;
    let ct = XChaCha20Poly1305::new(key.into())
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| SyncError::Random)?;
    let mut out = Vec::with_capacity(24 + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Reverses [`seal`]; `None` when the key, AAD or bytes do not match.
pub(crate) fn open(key: &[u8; 32], aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < 24 + 16 {
        return None;
    }
    let (nonce, ct) = sealed.split_at(24);
    let nonce: [u8; 24] = nonce.try_into().ok()?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
        .ok()
        .map(Zeroizing::new)
}

const SEAL_INFO: &[u8] = b"caravan/seal-to-device/v1";

fn seal_key(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut key = Zeroizing::new([0u8; 32]);
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = hk.expand(SEAL_INFO, key.as_mut());
    key
}

/// Whether an X25519 public key contributes to a shared secret: a
/// small-order point gives the same secret whatever the other side's key.
pub(crate) fn agreement_key_is_strong(public: &[u8; 32]) -> Result<bool, SyncError> {
    let probe = StaticSecret::from(random::<32>()?);
    Ok(probe
        .diffie_hellman(&PublicKey::from(*public))
        .was_contributory())
}

/// Encrypts `secret` so that only the holder of `recipient`'s X25519 secret
/// can read it: ephemeral X25519, HKDF-SHA256, XChaCha20-Poly1305.
/// Layout: `ephemeral_public[32] || nonce[24] || ciphertext`.
pub(crate) fn seal_to(
    recipient: &[u8; 32],
    aad: &[u8],
    secret: &[u8],
) -> Result<Vec<u8>, SyncError> {
    let eph = StaticSecret::from(random::<32>()?);
    let eph_pub = PublicKey::from(&eph).to_bytes();
    let shared = eph.diffie_hellman(&PublicKey::from(*recipient));
    if !shared.was_contributory() {
        return Err(SyncError::WeakKey {
            what: "recipient device",
        });
    }
    let shared = Zeroizing::new(shared.to_bytes());
    let key = seal_key(&shared, &eph_pub, recipient);
    let mut out = eph_pub.to_vec();
    out.extend(seal(&key, aad, secret)?);
    Ok(out)
}

/// Reverses [`seal_to`] with the recipient's X25519 secret.
pub(crate) fn open_from(
    secret: &StaticSecret,
    aad: &[u8],
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < 32 {
        return None;
    }
    let (eph_pub, rest) = sealed.split_at(32);
    let eph_pub: [u8; 32] = eph_pub.try_into().ok()?;
    let me = PublicKey::from(secret).to_bytes();
    let shared = Zeroizing::new(secret.diffie_hellman(&PublicKey::from(eph_pub)).to_bytes());
    let key = seal_key(&shared, &eph_pub, &me);
    open(&key, aad, rest)
}
