//! Argon2id key derivation for the passphrase key slot, and the cheap
//! derivation for the recovery-code key slot.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::{Result, VaultError};
use crate::secret::Key32;

/// Argon2id cost parameters (stored in the vault beside the salt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Default for KdfParams {
    /// RFC 9106's second recommended option: m = 64 MiB, t = 3, p = 4.
    fn default() -> Self {
        Self {
            m_kib: 64 * 1024,
            t: 3,
            p: 4,
        }
    }
}

impl KdfParams {
    /// Upper bounds accepted when reading a vault (refuse absurd values
    /// before allocating): 4 GiB memory, 64 passes, 64 lanes.
    pub const MAX: KdfParams = KdfParams {
        m_kib: 4 * 1024 * 1024,
        t: 64,
        p: 64,
    };

    /// **Tests only**: tiny parameters (m = 64 KiB, t = 1, p = 1) so test
    /// suites can create and unlock vaults in microseconds. Never use these
    /// for a real vault; `Vault::unlock` raises them to the defaults.
    pub fn insecure_fast_for_tests() -> Self {
        Self {
            m_kib: 64,
            t: 1,
            p: 1,
        }
    }

    /// True when every parameter is at least `other`'s.
    pub fn at_least(&self, other: &KdfParams) -> bool {
        self.m_kib >= other.m_kib && self.t >= other.t && self.p >= other.p
    }

    /// Component-wise maximum.
    pub fn max(&self, other: &KdfParams) -> KdfParams {
        KdfParams {
            m_kib: self.m_kib.max(other.m_kib),
            t: self.t.max(other.t),
            p: self.p.max(other.p),
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if !KdfParams::MAX.at_least(self) {
            return Err(VaultError::InvalidInput(
                "key-derivation parameters exceed the supported limits".into(),
            ));
        }
        self.argon2().map(|_| ())
    }

    fn argon2(&self) -> Result<Argon2<'static>> {
        let params = Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|_| VaultError::InvalidInput("invalid key-derivation parameters".into()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Key-encryption key from a passphrase.
    pub(crate) fn derive(&self, passphrase: &[u8], salt: &[u8]) -> Result<Key32> {
        self.validate()?;
        let mut out = Zeroizing::new([0u8; 32]);
        self.argon2()?
            .hash_password_into(passphrase, salt, out.as_mut())
            .map_err(|_| VaultError::Crypto("key derivation failed"))?;
        Ok(Key32(out))
    }
}

/// Key-encryption key from the 128-bit recovery secret. The secret already
/// has full entropy, so a domain-separated hash suffices (no stretching).
pub(crate) fn derive_recovery(secret: &[u8; 16], salt: &[u8]) -> Key32 {
    let inner = Zeroizing::new(crate::crypto::sha256(&[
        b"caravan-vault/recovery-kek/v1\0",
        salt,
        secret,
    ]));
    Key32(Zeroizing::new(crate::crypto::sha256(&[
        b"caravan-vault/recovery-kek/v1/outer\0",
        inner.as_ref(),
    ])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_is_deterministic_and_salted() {
        let p = KdfParams::insecure_fast_for_tests();
        let a = p.derive(b"pw", b"0123456789abcdef").unwrap();
        let b = p.derive(b"pw", b"0123456789abcdef").unwrap();
        let c = p.derive(b"pw", b"0123456789abcdeX").unwrap();
        assert_eq!(*a.0, *b.0);
        assert_ne!(*a.0, *c.0);
    }

    #[test]
    fn limits_are_enforced() {
        let too_big = KdfParams {
            m_kib: u32::MAX,
            t: 1,
            p: 1,
        };
        assert_eq!(
            too_big.validate().unwrap_err().code(),
            "vault.invalid_input"
        );
        let zero = KdfParams {
            m_kib: 64,
            t: 0,
            p: 1,
        };
        assert_eq!(zero.validate().unwrap_err().code(), "vault.invalid_input");
        assert!(KdfParams::default().at_least(&KdfParams::insecure_fast_for_tests()));
    }
}
