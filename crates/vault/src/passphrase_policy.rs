//! Passphrase policy in the spirit of NIST SP 800-63B rev. 4: a minimum
//! length (default 15 characters), no composition rules, rejection of very
//! common passwords, and a strength estimate the UI can show.
//!
//! The strength estimate is deliberately simple and documented: it
//! estimates guesses as `pool ^ effective_length`, where `pool` is the size
//! of the character classes used (lower 26, upper 26, digits 10, symbols 33,
//! other Unicode 100) and `effective_length` counts characters, but a
//! character that repeats the previous one or continues an ascending /
//! descending run (abc, 321) counts only a quarter. A passphrase that is a
//! common password (or one with digits/symbols appended) is estimated at its
//! rank in the list. Score: 0 (< 10^6 guesses), 1 (< 10^8), 2 (< 10^10),
//! 3 (< 10^14), 4 (otherwise).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::error::{Result, VaultError};
use crate::secret::Passphrase;

static COMMON_TXT: &str = include_str!("../data/common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON_TXT
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Number of entries in the shipped common-password list.
pub fn common_password_count() -> usize {
    common().len()
}

/// Passphrase rules for creating a vault or changing its passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassphrasePolicy {
    /// Minimum number of characters (Unicode scalar values). Default 15.
    pub min_chars: usize,
    /// Maximum number of characters (to bound key-derivation input). Default 1024.
    pub max_chars: usize,
}

impl Default for PassphrasePolicy {
    fn default() -> Self {
        Self {
            min_chars: 15,
            max_chars: 1024,
        }
    }
}

/// Strength estimate for display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    /// 0 (very weak) ..= 4 (strong).
    pub score: u8,
    /// log10 of the estimated number of guesses.
    pub guesses_log10: f64,
}

impl PassphrasePolicy {
    /// Checks a new passphrase; on success returns its strength.
    pub fn check(&self, p: &Passphrase) -> Result<Strength> {
        let s = p.expose();
        let n = s.chars().count();
        if n < self.min_chars {
            return Err(VaultError::WeakPassphrase(format!(
                "it has {n} characters; use at least {} (a few unrelated words work well)",
                self.min_chars
            )));
        }
        if n > self.max_chars {
            return Err(VaultError::WeakPassphrase(format!(
                "it is longer than {} characters",
                self.max_chars
            )));
        }
        if is_common(s) {
            return Err(VaultError::WeakPassphrase(
                "it is one of the most commonly used passwords; choose something else".into(),
            ));
        }
        if s.chars().all(|c| s.starts_with(c)) {
            return Err(VaultError::WeakPassphrase(
                "it repeats a single character".into(),
            ));
        }
        Ok(estimate_strength(p))
    }
}

fn is_common(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    let set = common();
    if set.contains(lower.as_str()) {
        return true;
    }
    // "password123!" style: a common password with digits/symbols appended.
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    !stem.is_empty() && stem.len() < lower.len() && set.contains(stem)
}

fn common_rank(s: &str) -> Option<usize> {
    let lower = s.trim().to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    COMMON_TXT
        .lines()
        .filter(|l| !l.starts_with('#'))
        .position(|l| l == lower || (!stem.is_empty() && l == stem))
}

/// Estimates the strength of a passphrase (see the module docs).
pub fn estimate_strength(p: &Passphrase) -> Strength {
    let s = p.expose();
    let log = if let Some(rank) = common_rank(s) {
        ((rank + 1) as f64).log10()
    } else {
        let (mut lo, mut up, mut dg, mut sy, mut ot) = (false, false, false, false, false);
        let mut eff = 0.0f64;
        let mut prev: Option<char> = None;
        for c in s.chars() {
            match c {
                'a'..='z' => lo = true,
                'A'..='Z' => up = true,
                '0'..='9' => dg = true,
                c if c.is_ascii() => sy = true,
                _ => ot = true,
            }
            let weak = prev.is_some_and(|q| {
                let d = c as i64 - q as i64;
                d == 0 || d == 1 || d == -1
            });
            eff += if weak { 0.25 } else { 1.0 };
            prev = Some(c);
        }
        let pool = [(lo, 26.0), (up, 26.0), (dg, 10.0), (sy, 33.0), (ot, 100.0)]
            .iter()
            .filter(|(u, _)| *u)
            .map(|(_, n)| n)
            .sum::<f64>()
            .max(1.0);
        eff * pool.log10()
    };
    let score = match log {
        l if l < 6.0 => 0,
        l if l < 8.0 => 1,
        l if l < 10.0 => 2,
        l if l < 14.0 => 3,
        _ => 4,
    };
    Strength {
        score,
        guesses_log10: log,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table() {
        let pol = PassphrasePolicy::default();
        let cases: &[(&str, Option<&str>)] = &[
            ("short", Some("at least 15")),
            ("aaaaaaaaaaaaaaaaaaaa", Some("single character")),
            ("qwertyuiop123456", Some("commonly used")),
            ("iloveyou12345678", Some("commonly used")),
            ("PASSWORD1234567890!!", Some("commonly used")),
            ("correct horse battery staple", None),
            ("жасырын сөз тіркесі", None),
        ];
        for (pw, want) in cases {
            let r = pol.check(&Passphrase::from(*pw));
            match want {
                Some(msg) => {
                    let e = r.unwrap_err();
                    assert_eq!(e.code(), "vault.weak_passphrase");
                    assert!(e.to_string().contains(msg), "{pw}: {e}");
                    assert!(
                        !e.to_string().contains(pw),
                        "error must not echo the passphrase"
                    );
                }
                None => assert!(r.is_ok(), "{pw}"),
            }
        }
        let team = PassphrasePolicy {
            min_chars: 8,
            ..Default::default()
        };
        assert!(team.check(&Passphrase::from("tundra-kettle")).is_ok());
        assert!(team.check(&Passphrase::from("password")).is_err());
    }

    #[test]
    fn list_is_compact_and_loaded() {
        assert!(common_password_count() >= 4000);
        assert!(common().contains("123456"));
    }

    #[test]
    fn strength_orders_sensibly() {
        let s = |p: &str| estimate_strength(&Passphrase::from(p));
        assert_eq!(s("password").score, 0);
        assert!(
            s("abcdefghijklmnop").guesses_log10 < s("correct horse battery staple").guesses_log10
        );
        assert_eq!(s("correct horse battery staple").score, 4);
    }
}
