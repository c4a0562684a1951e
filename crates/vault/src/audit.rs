//! Append-only audit log. Every entry is encrypted; entries are
//! hash-chained (`hash_n = SHA-256("caravan-vault/audit/v1" || plaintext_n)`
//! where plaintext_n contains `seq` and `hash_{n-1}`); the chain head
//! (entry count + last hash) is sealed under the vault key in `meta`, so
//! truncation is detected and the head cannot be forged without the key.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::Ctx;
use crate::crypto::{aad, sha256};
use crate::error::{AuditProblem, RecordRef, Result, VaultError};

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

pub(crate) fn genesis(vault_id: &[u8; 16]) -> [u8; 32] {
    sha256(&[b"caravan-vault/audit/genesis\0", vault_id])
}

pub(crate) fn entry_hash(pt: &[u8]) -> [u8; 32] {
    sha256(&[b"caravan-vault/audit/v1\0", pt])
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub(crate) fn entry_aad(ctx: &Ctx<'_>, seq: u64) -> Vec<u8> {
    aad(ctx.vault_id, TABLE, &seq.to_be_bytes(), 0)
}

fn head_aad(ctx: &Ctx<'_>) -> Vec<u8> {
    aad(ctx.vault_id, "meta", HEAD_KEY.as_bytes(), 0)
}

/// `Ok(None)`: no head yet (empty log). `Err`: head present but invalid.
pub(crate) fn read_head(conn: &Connection, ctx: &Ctx<'_>) -> Result<Option<(u64, [u8; 32])>> {
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
pub(crate) fn append_entry(
    conn: &Connection,
    ctx: &Ctx<'_>,
    actor: &str,
    action: &str,
    detail: &str,
    first: bool,
) -> Result<u64> {
    // Whether the log holds any entry: one page read, where counting the
    // rows read the whole log at every append (and grew with it).
    let empty: bool = conn.query_row("SELECT NOT EXISTS(SELECT 1 FROM audit)", [], |r| r.get(0))?;
    let (count, prev) = match read_head(conn, ctx) {
        Ok(Some(h)) => h,
        Ok(None) if empty && first => (0, genesis(ctx.vault_id)),
        Ok(None) if empty => return Err(VaultError::AuditTampered(AuditProblem::Wiped)),
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

#[cfg(feature = "INSECURE-plaintext-benchmark-only")]
pub(crate) fn plaintext_build(ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    (ct.first() == Some(&crate::crypto::RECORD_PLAINTEXT)).then(|| Zeroizing::new(ct[1..].to_vec()))
}
#[cfg(not(feature = "INSECURE-plaintext-benchmark-only"))]
pub(crate) fn plaintext_build(_ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    None
}
