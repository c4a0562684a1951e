//! Append-only audit log. Every entry is encrypted; entries are
//! hash-chained (`hash_n = SHA-256("caravan-vault/audit/v1" || plaintext_n)`
//! where plaintext_n contains `seq` and `hash_{n-1}`); the chain head
//! (entry count + last hash) is sealed under the vault key in `meta`, so
//! truncation is detected and the head cannot be forged without the key.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{aad, sha256};
use crate::error::{AuditProblem, RecordRef, Result, VaultError};
use crate::vault::{Ctx, Vault};

pub(crate) const TABLE: &str = "audit";
const HEAD_KEY: &str = "audit_head";

/// One audit entry (decrypted).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    /// Milliseconds since the Unix epoch (device clock).
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
    /// Hash of the previous entry (genesis value for the first).
    pub prev_hash: [u8; 32],
}

impl std::fmt::Debug for AuditEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditEntry")
            .field("seq", &self.seq)
            .field("action", &self.action)
            .field("detail", &"<redacted>")
            .finish()
    }
}

/// Result of a successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerified {
    pub entries: u64,
    pub head_hash: [u8; 32],
}

fn genesis(vault_id: &[u8; 16]) -> [u8; 32] {
    sha256(&[b"caravan-vault/audit/genesis\0", vault_id])
}

fn entry_hash(pt: &[u8]) -> [u8; 32] {
    sha256(&[b"caravan-vault/audit/v1\0", pt])
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn entry_aad(ctx: &Ctx<'_>, seq: u64) -> Vec<u8> {
    aad(ctx.vault_id, TABLE, &seq.to_be_bytes(), 0)
}

fn head_aad(ctx: &Ctx<'_>) -> Vec<u8> {
    aad(ctx.vault_id, "meta", HEAD_KEY.as_bytes(), 0)
}

/// `Ok(None)`: no head yet (empty log). `Err`: head present but invalid.
fn read_head(conn: &Connection, ctx: &Ctx<'_>) -> Result<Option<(u64, [u8; 32])>> {
    let Some(v) = crate::schema::meta_get(conn, HEAD_KEY)? else {
        return Ok(None);
    };
    let pt = ctx
        .cipher
        .open(&head_aad(ctx), &v, || RecordRef::new("meta", HEAD_KEY))?;
    if pt.len() != 40 {
        return Err(VaultError::AuditTampered(AuditProblem::HeadInvalid));
    }
    let mut h = [0u8; 32];
    h.copy_from_slice(&pt[8..]);
    Ok(Some((
        u64::from_be_bytes(pt[..8].try_into().unwrap_or_default()),
        h,
    )))
}

pub(crate) fn append_in_tx(
    conn: &Connection,
    ctx: &Ctx<'_>,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<u64> {
    append_entry(conn, ctx, actor, action, detail, false)
}

/// Appends an entry; `first` only for the entry a new vault starts its log
/// with. Every vault's log starts when the vault is made, so a log with no
/// head afterwards was wiped, and is never silently started again.
fn append_entry(
    conn: &Connection,
    ctx: &Ctx<'_>,
    actor: &str,
    action: &str,
    detail: &str,
    first: bool,
) -> Result<u64> {
    let rows: i64 = conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))?;
    let (count, prev) = match read_head(conn, ctx) {
        Ok(Some(h)) => h,
        Ok(None) if rows == 0 && first => (0, genesis(ctx.vault_id)),
        Ok(None) if rows == 0 => return Err(VaultError::AuditTampered(AuditProblem::Wiped)),
        _ => return Err(VaultError::AuditTampered(AuditProblem::HeadInvalid)),
    };
    let seq = count + 1;
    let e = AuditEntry {
        seq,
        at_ms: now_ms(),
        actor: actor.into(),
        action: action.into(),
        detail: detail.into(),
        prev_hash: prev,
    };
    let pt = Zeroizing::new(
        serde_json::to_vec(&e).map_err(|e| VaultError::InvalidInput(e.to_string()))?,
    );
    let hash = entry_hash(&pt);
    let ct = ctx.cipher.seal(&entry_aad(ctx, seq), &pt)?;
    conn.execute(
        "INSERT INTO audit(seq, ct) VALUES (?1, ?2)",
        params![seq as i64, ct],
    )?;
    let mut head = Vec::with_capacity(40);
    head.extend_from_slice(&seq.to_be_bytes());
    head.extend_from_slice(&hash);
    let hct = ctx.cipher.seal(&head_aad(ctx), &head)?;
    crate::schema::meta_put(conn, HEAD_KEY, &hct)?;
    Ok(seq)
}

impl Vault {
    /// Starts a new vault's log with its first entry.
    pub(crate) fn audit_start(&mut self, actor: &str, action: &str) -> Result<u64> {
        self.with_tx(|tx, ctx| append_entry(tx, ctx, actor, action, "", true))
    }

    /// Appends an entry (one durable transaction); returns its sequence
    /// number. `detail` is encrypted like everything else.
    pub fn audit_append(&mut self, actor: &str, action: &str, detail: &str) -> Result<u64> {
        self.with_tx(|tx, ctx| append_in_tx(tx, ctx, actor, action, detail))
    }

    /// All entries in order. Fails on the first unreadable entry; use
    /// [`Vault::audit_verify`] to locate tampering.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        let ctx = self.ctx();
        let mut stmt = self
            .conn
            .prepare("SELECT seq, ct FROM audit ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let seq = r.get::<_, i64>(0)? as u64;
            let ct: Vec<u8> = r.get(1)?;
            let pt = ctx.cipher.open(&entry_aad(&ctx, seq), &ct, || {
                RecordRef::new(TABLE, seq.to_string())
            })?;
            out.push(
                serde_json::from_slice(&pt).map_err(|_| {
                    VaultError::CorruptRecord(RecordRef::new(TABLE, seq.to_string()))
                })?,
            );
        }
        Ok(out)
    }

    /// Verifies the whole chain: each entry decrypts under its own position,
    /// positions are contiguous from 1, each entry's `prev_hash` is the
    /// previous entry's hash, and the last entry matches the sealed head.
    /// The error says what was found and where.
    pub fn audit_verify(&self) -> Result<AuditVerified> {
        self.audit_verify_anchored(&[])
    }

    /// This log's head (entry count and last hash), as sealed in the vault.
    pub fn audit_head(&self) -> Result<Option<AuditVerified>> {
        Ok(read_head(&self.conn, &self.ctx())?
            .map(|(entries, head_hash)| AuditVerified { entries, head_hash }))
    }

    /// [`Vault::audit_verify`], and against `anchors`, heads of this log
    /// that other devices hold: the log must hold at least as many entries
    /// as each (else it was rolled back) and the entry at each one's count
    /// must have its hash (else it was rolled back and written again).
    pub fn audit_verify_anchored(&self, anchors: &[(u64, [u8; 32])]) -> Result<AuditVerified> {
        let ctx = self.ctx();
        let tampered = |p| Err(VaultError::AuditTampered(p));
        let rows: Vec<(u64, Vec<u8>)> = self
            .conn
            .prepare("SELECT seq, ct FROM audit ORDER BY seq")?
            .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let head = match read_head(&self.conn, &ctx) {
            Ok(h) => h,
            Err(_) => return tampered(AuditProblem::HeadInvalid),
        };
        let mut prev = genesis(ctx.vault_id);
        let mut expect = 1u64;
        for (seq, ct) in &rows {
            if *seq != expect {
                return tampered(AuditProblem::Deleted { seq: expect });
            }
            let pt = match ctx
                .cipher
                .open_always(&entry_aad(&ctx, *seq), ct)
                .or_else(|| plaintext_build(ct))
            {
                Some(pt) => pt,
                None => {
                    // Does it decrypt at another position? Then it was moved.
                    let found = rows.iter().map(|(s, _)| *s).find(|s| {
                        s != seq && ctx.cipher.open_always(&entry_aad(&ctx, *s), ct).is_some()
                    });
                    return tampered(match found {
                        Some(holds) => AuditProblem::Reordered { seq: *seq, holds },
                        None => AuditProblem::Modified { seq: *seq },
                    });
                }
            };
            let Ok(e) = serde_json::from_slice::<AuditEntry>(&pt) else {
                return tampered(AuditProblem::Modified { seq: *seq });
            };
            if e.seq != *seq {
                return tampered(AuditProblem::Reordered {
                    seq: *seq,
                    holds: e.seq,
                });
            }
            if e.prev_hash != prev {
                return tampered(AuditProblem::Modified { seq: *seq });
            }
            prev = entry_hash(&pt);
            if anchors.iter().any(|(n, h)| n == seq && *h != prev) {
                return tampered(AuditProblem::Diverged { seq: *seq });
            }
            expect += 1;
        }
        let found = expect - 1;
        if let Some(&(peers_hold, _)) = anchors.iter().filter(|(n, _)| *n > found).max() {
            return tampered(AuditProblem::RolledBack { peers_hold, found });
        }
        match head {
            // Every vault's log starts when the vault is made.
            None if found == 0 => tampered(AuditProblem::Wiped),
            None => tampered(AuditProblem::HeadInvalid),
            Some((n, _)) if n > found => tampered(AuditProblem::Truncated { expected: n, found }),
            Some((n, h)) if n == found && h == prev => Ok(AuditVerified {
                entries: n,
                head_hash: h,
            }),
            Some(_) => tampered(AuditProblem::HeadInvalid),
        }
    }

    /// Best-effort audit entry for vault-internal events: a failure is
    /// logged (without detail) but does not fail the operation that already
    /// committed.
    pub(crate) fn audit_note(&mut self, action: &str, detail: &str) {
        if let Err(e) = self.audit_append("vault", action, detail) {
            tracing::warn!(code = e.code(), action, "could not append audit entry");
        }
    }
}

#[cfg(feature = "INSECURE-plaintext-benchmark-only")]
fn plaintext_build(ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    (ct.first() == Some(&crate::crypto::RECORD_PLAINTEXT)).then(|| Zeroizing::new(ct[1..].to_vec()))
}
#[cfg(not(feature = "INSECURE-plaintext-benchmark-only"))]
fn plaintext_build(_ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    None
}
