//! Encrypted key/value records: device identity keys, team keys (by
//! epoch), per-peer sync state, change signatures, quarantined changes,
//! and the changes the application core holds back or has quarantined,
//! one record each.
//!
//! Row key = `(kind, tag)` with `tag = SHA-256(tag_key || SHA-256(kind ||
//! key))`, so even lookup keys (peer ids, change hashes) are not stored in
//! clear. The plaintext holds the key as well, checked on read.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::Ctx;
use crate::crypto::{aad, hex, sha256};
use crate::error::{RecordRef, Result, VaultError};
use crate::secret::SecretBytes;

pub(crate) const TABLE: &str = "records";
/// Largest accepted record value (bytes).
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Kinds of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RecordKind {
    DeviceIdentity = 1,
    TeamKey = 2,
    PeerSyncState = 3,
    ChangeSignature = 4,
    Quarantine = 5,
    /// State the application core keeps for itself (document names,
    /// settings), keyed by a name it chooses.
    AppState = 6,
    /// A change held back until the changes it builds on arrive, one per
    /// record (format 3). The value is opaque to the vault.
    HeldChange = 7,
    /// A change refused and kept for the supervisor, one per record
    /// (format 3). The value is opaque to the vault.
    QuarantinedChange = 8,
    /// A change kept as proof for the changes its author's signature of it
    /// vouched for, one per record (format 3). The value is opaque to the
    /// vault.
    ChangeProof = 9,
}

impl RecordKind {
    pub(crate) const ALL: [RecordKind; 9] = [
        Self::DeviceIdentity,
        Self::TeamKey,
        Self::PeerSyncState,
        Self::ChangeSignature,
        Self::Quarantine,
        Self::AppState,
        Self::HeldChange,
        Self::QuarantinedChange,
        Self::ChangeProof,
    ];
}

/// A quarantined change: kept with its reason for the supervisor.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedChange {
    pub change_hash: [u8; 32],
    pub doc: crate::docs::DocId,
    pub change: Vec<u8>,
    pub reason: String,
    pub at_ms: i64,
}

impl std::fmt::Debug for QuarantinedChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuarantinedChange")
            .field("change_hash", &hex(&self.change_hash))
            .field("reason", &self.reason)
            .finish()
    }
}

pub(crate) fn tag(ctx: &Ctx<'_>, kind: RecordKind, key: &[u8]) -> [u8; 32] {
    let inner = sha256(&[&[kind as u8], key]);
    sha256(&[ctx.tag_key.0.as_ref(), &inner])
}

pub(crate) fn rec(kind: RecordKind, tag: &[u8]) -> RecordRef {
    RecordRef::new(TABLE, format!("{kind:?}/{}", hex(&tag[..tag.len().min(8)])))
}

pub(crate) fn open_record(
    ctx: &Ctx<'_>,
    kind: RecordKind,
    tag: &[u8],
    ct: &[u8],
) -> Result<(Vec<u8>, SecretBytes)> {
    let pt = ctx.cipher.open(
        &aad(ctx.vault_id, TABLE, &[&[kind as u8][..], tag].concat(), 0),
        ct,
        || rec(kind, tag),
    )?;
    let bad = || VaultError::CorruptRecord(rec(kind, tag));
    let klen =
        u32::from_be_bytes(pt.get(..4).ok_or_else(bad)?.try_into().map_err(|_| bad())?) as usize;
    let key = pt.get(4..4 + klen).ok_or_else(bad)?.to_vec();
    Ok((key, SecretBytes::from_slice(&pt[4 + klen..])))
}

pub(crate) fn delete_in_tx(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx<'_>,
    kind: RecordKind,
    key: &[u8],
) -> Result<bool> {
    let t = tag(ctx, kind, key);
    Ok(tx.execute(
        "DELETE FROM records WHERE kind = ?1 AND tag = ?2",
        params![kind as u8, &t[..]],
    )? > 0)
}

pub(crate) fn put_in_tx(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx<'_>,
    kind: RecordKind,
    key: &[u8],
    value: &[u8],
) -> Result<()> {
    if value.len() > MAX_RECORD_BYTES || key.len() > 4096 {
        return Err(VaultError::InvalidInput("record too large".into()));
    }
    let t = tag(ctx, kind, key);
    let mut pt = Zeroizing::new(Vec::with_capacity(4 + key.len() + value.len()));
    pt.extend_from_slice(&(key.len() as u32).to_be_bytes());
    pt.extend_from_slice(key);
    pt.extend_from_slice(value);
    let ct = ctx.cipher.seal(
        &aad(ctx.vault_id, TABLE, &[&[kind as u8][..], &t].concat(), 0),
        &pt,
    )?;
    tx.prepare_cached("INSERT OR REPLACE INTO records(kind, tag, ct) VALUES (?1, ?2, ?3)")?
        .execute(params![kind as u8, &t[..], ct])?;
    Ok(())
}
