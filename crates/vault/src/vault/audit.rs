//! [`Vault`]'s methods for its audit log. What is stored, and how it is
//! encrypted, is `crate::audit`'s; these open a transaction and keep the
//! session's caches.

use crate::audit::*;
use crate::error::{AuditProblem, RecordRef, Result, VaultError};
use crate::vault::Vault;

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
