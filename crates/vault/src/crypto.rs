//! Record encryption: XChaCha20-Poly1305 with a fresh random 24-byte nonce
//! per record and an AAD binding vault id, table, row key and chunk index.
//!
//! Stored record layout (see docs/formats/vault.md):
//! `0x01 || nonce[24] || ciphertext || tag[16]`.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{RecordRef, Result, VaultError};
use crate::secret::Key32;

/// Record format byte of an encrypted record.
pub(crate) const RECORD_V1: u8 = 0x01;
/// Record format byte used only by the benchmark-only plaintext build.
#[cfg(feature = "INSECURE-plaintext-benchmark-only")]
pub(crate) const RECORD_PLAINTEXT: u8 = 0xFF;
pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;
/// Domain separation prefix of every AAD.
const AAD_PREFIX: &[u8] = b"caravan-vault/aad/v1\0";

/// True in the benchmark-only build that stores plaintext.
pub const ENCRYPTION_DISABLED: bool = cfg!(feature = "INSECURE-plaintext-benchmark-only");

pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf)
        .map_err(|_| VaultError::Crypto("the operating system's random generator failed"))
}

pub(crate) fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    fill_random(&mut b)?;
    Ok(b)
}

impl Key32 {
    /// A fresh key from the operating system's generator (here rather than
    /// in `secret.rs`, which holds secrets but draws none).
    pub(crate) fn random() -> Result<Self> {
        Ok(Self(Zeroizing::new(random_array()?)))
    }
}

pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// AAD = prefix || vault_id[16] || len(table) u8 || table || len(row) u32be ||
/// row || chunk u64be.
pub(crate) fn aad(vault_id: &[u8; 16], table: &str, row: &[u8], chunk: u64) -> Vec<u8> {
    let mut a = Vec::with_capacity(AAD_PREFIX.len() + 16 + 1 + table.len() + 4 + row.len() + 8);
    a.extend_from_slice(AAD_PREFIX);
    a.extend_from_slice(vault_id);
    a.push(u8::try_from(table.len()).unwrap_or(u8::MAX));
    a.extend_from_slice(table.as_bytes());
    a.extend_from_slice(&u32::try_from(row.len()).unwrap_or(u32::MAX).to_be_bytes());
    a.extend_from_slice(row);
    a.extend_from_slice(&chunk.to_be_bytes());
    a
}

/// Raw AEAD with a 256-bit key (used for records and for key wrapping).
pub(crate) struct Cipher {
    aead: XChaCha20Poly1305,
}

impl Cipher {
    pub(crate) fn new(key: &Key32) -> Self {
        let k: &[u8; 32] = &key.0;
        Self {
            aead: XChaCha20Poly1305::new(k.into()),
        }
    }

    /// Always encrypts (also in the benchmark build): used for key slots.
    pub(crate) fn seal_always(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
        let nonce: [u8; NONCE_LEN] = random_array()?;
        let ct = self
            .aead
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| VaultError::Crypto("encryption failed"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
        out.push(RECORD_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// `None` when the record is not authentic (wrong key, altered bytes,
    /// moved to another row).
    pub(crate) fn open_always(&self, aad: &[u8], stored: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if stored.len() < 1 + NONCE_LEN + TAG_LEN || stored[0] != RECORD_V1 {
            return None;
        }
        let (nonce, ct) = stored[1..].split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        self.aead
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
            .ok()
            .map(Zeroizing::new)
    }

    /// Encrypts a data record (plaintext copy in the benchmark-only build).
    pub(crate) fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
        #[cfg(feature = "INSECURE-plaintext-benchmark-only")]
        {
            let _ = aad;
            let mut v = Vec::with_capacity(plaintext.len() + 1);
            v.push(RECORD_PLAINTEXT);
            v.extend_from_slice(plaintext);
            return Ok(v);
        }
        #[cfg(not(feature = "INSECURE-plaintext-benchmark-only"))]
        self.seal_always(aad, plaintext)
    }

    /// Decrypts a data record; the error names the record.
    pub(crate) fn open(
        &self,
        aad: &[u8],
        stored: &[u8],
        what: impl FnOnce() -> RecordRef,
    ) -> Result<Zeroizing<Vec<u8>>> {
        #[cfg(feature = "INSECURE-plaintext-benchmark-only")]
        if stored.first() == Some(&RECORD_PLAINTEXT) {
            return Ok(Zeroizing::new(stored[1..].to_vec()));
        }
        self.open_always(aad, stored).ok_or_else(|| {
            let r = what();
            tracing::warn!(record = %r, "record failed authentication");
            VaultError::CorruptRecord(r)
        })
    }
}

/// Lowercase hex of non-secret identifiers.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}

/// Borrowed crypto context for record operations.
pub(crate) struct Ctx<'a> {
    pub(crate) vault_id: &'a [u8; 16],
    pub(crate) cipher: &'a Cipher,
    pub(crate) tag_key: &'a Key32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_roundtrip_and_aad_binding() {
        let k = Key32::random().unwrap();
        let c = Cipher::new(&k);
        let vid = [7u8; 16];
        let a = aad(&vid, "t", b"row1", 0);
        let s = c.seal_always(&a, b"hello").unwrap();
        assert_eq!(&c.open_always(&a, &s).unwrap()[..], b"hello");
        for other in [
            aad(&vid, "t", b"row2", 0),
            aad(&vid, "u", b"row1", 0),
            aad(&vid, "t", b"row1", 1),
            aad(&[8; 16], "t", b"row1", 0),
        ] {
            assert!(c.open_always(&other, &s).is_none());
        }
        let s2 = c.seal_always(&a, b"hello").unwrap();
        assert_ne!(s, s2, "fresh nonce per record");
        assert!(c.open_always(&a, &s[..10]).is_none());
    }

    #[test]
    fn hex_encodes() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
    }
}
