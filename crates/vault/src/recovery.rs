//! Recovery codes: 128 random bits in Crockford base32 (26 symbols), plus a
//! 4-symbol checksum group, written as six groups of five:
//! `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`.
//!
//! Parsing is case-insensitive, ignores spaces and dashes, and maps the
//! look-alikes I/L to 1 and O to 0 (Crockford). The checksum (20 bits of
//! SHA-256 over the secret) catches typos before any key derivation runs.

use std::fmt;
use zeroize::Zeroizing;

use crate::error::{Result, VaultError};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const DATA_SYMBOLS: usize = 26;
const CHECK_SYMBOLS: usize = 4;

/// A recovery code. Zeroized on drop; `Debug` is redacted. Show it to the
/// person exactly once (`Display` gives the grouped form).
#[derive(Clone)]
pub struct RecoveryCode {
    secret: Zeroizing<[u8; 16]>,
}

impl RecoveryCode {
    pub(crate) fn generate() -> Result<Self> {
        let mut s = Zeroizing::new([0u8; 16]);
        crate::crypto::fill_random(s.as_mut())?;
        Ok(Self { secret: s })
    }

    pub(crate) fn secret(&self) -> &[u8; 16] {
        &self.secret
    }

    /// Parses a typed code. Errors say what is wrong (length, a character
    /// that cannot appear, checksum) without echoing the code.
    pub fn parse(input: &str) -> Result<Self> {
        let mut syms: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(30));
        for c in input.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let v = match c.to_ascii_uppercase() {
                'O' => 0,
                'I' | 'L' => 1,
                u => match ALPHABET.iter().position(|&a| a as char == u) {
                    Some(p) => p as u8,
                    None => {
                        return Err(VaultError::RecoveryCodeTypo(
                            "it contains a character that cannot appear in a recovery code",
                        ));
                    }
                },
            };
            if syms.len() == DATA_SYMBOLS + CHECK_SYMBOLS {
                return Err(VaultError::RecoveryCodeTypo(
                    "it is too long (a code has 30 characters in 6 groups)",
                ));
            }
            syms.push(v);
        }
        if syms.len() != DATA_SYMBOLS + CHECK_SYMBOLS {
            return Err(VaultError::RecoveryCodeTypo(
                "it is too short (a code has 30 characters in 6 groups)",
            ));
        }
        // 26 symbols = 130 bits; the top 2 bits must be zero.
        let mut acc: u128 = 0;
        if syms[0] >= 8 {
            return Err(VaultError::RecoveryCodeTypo(
                "the first character is not valid in that position",
            ));
        }
        for &s in &syms[..DATA_SYMBOLS] {
            acc = (acc << 5) | u128::from(s);
        }
        let secret = Zeroizing::new(acc.to_be_bytes());
        acc = 0;
        let _ = acc;
        let check = checksum(&secret);
        if syms[DATA_SYMBOLS..] != check[..] {
            return Err(VaultError::RecoveryCodeTypo(
                "the checksum group does not match",
            ));
        }
        Ok(Self { secret })
    }
}

fn checksum(secret: &[u8; 16]) -> [u8; CHECK_SYMBOLS] {
    let h = crate::crypto::sha256(&[b"caravan-vault/recovery-check/v1\0", secret]);
    let bits = (u32::from(h[0]) << 16) | (u32::from(h[1]) << 8) | u32::from(h[2]);
    let mut out = [0u8; CHECK_SYMBOLS];
    for (i, o) in out.iter_mut().enumerate() {
        *o = ((bits >> (15 - 5 * i)) & 31) as u8;
    }
    out
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = u128::from_be_bytes(*self.secret);
        let mut syms = Zeroizing::new([0u8; DATA_SYMBOLS + CHECK_SYMBOLS]);
        for i in 0..DATA_SYMBOLS {
            syms[i] = ALPHABET[((v >> (5 * (DATA_SYMBOLS - 1 - i))) & 31) as usize];
        }
        for (i, c) in checksum(&self.secret).iter().enumerate() {
            syms[DATA_SYMBOLS + i] = ALPHABET[*c as usize];
        }
        for (g, chunk) in syms.chunks(5).enumerate() {
            if g > 0 {
                f.write_str("-")?;
            }
            for &c in chunk {
                write!(f, "{}", c as char)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_lenient_parsing() {
        for _ in 0..200 {
            let c = RecoveryCode::generate().unwrap();
            let s = c.to_string();
            assert_eq!(s.len(), 35);
            assert_eq!(s.split('-').count(), 6);
            let back = RecoveryCode::parse(&s).unwrap();
            assert_eq!(back.secret(), c.secret());
            let sloppy = s
                .to_lowercase()
                .replace('-', " ")
                .replace('0', "o")
                .replace('1', "l");
            assert_eq!(RecoveryCode::parse(&sloppy).unwrap().secret(), c.secret());
        }
    }

    #[test]
    fn every_single_symbol_typo_is_caught_or_harmless() {
        // Over many codes, so the bound below allows the one-in-a-million
        // typo a 20-bit checksum lets through: over one code's ~900 typos,
        // a single such typo failed the test about once in a thousand runs.
        let mut caught = 0;
        let mut total = 0;
        for _ in 0..20 {
            let c = RecoveryCode::generate().unwrap();
            let s: Vec<char> = c.to_string().chars().filter(|c| *c != '-').collect();
            for i in 0..s.len() {
                for &a in ALPHABET {
                    let a = a as char;
                    if a == s[i] {
                        continue;
                    }
                    let mut t = s.clone();
                    t[i] = a;
                    total += 1;
                    let typed: String = t.into_iter().collect();
                    match RecoveryCode::parse(&typed) {
                        Err(e) => {
                            assert_eq!(e.code(), "vault.recovery_code_typo");
                            caught += 1;
                        }
                        Ok(p) => assert_ne!(p.secret(), c.secret()),
                    }
                }
            }
        }
        // A 20-bit checksum lets through about 1 in a million typos.
        assert!(caught * 1000 >= total * 999, "{caught}/{total}");
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        for bad in [
            "",
            "abc",
            "U0000-00000-00000-00000-00000-00000",
            &"0".repeat(31),
            "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ",
            "ÄÖÜ",
        ] {
            assert_eq!(
                RecoveryCode::parse(bad).unwrap_err().code(),
                "vault.recovery_code_typo",
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_is_redacted() {
        let c = RecoveryCode::generate().unwrap();
        let d = format!("{c:?}");
        assert!(!d.contains(&c.to_string()[..5]));
    }
}
