//! Attachments (photos, scans, PDFs), streamed in fixed-size encrypted
//! chunks. The SHA-256 of the plaintext is recorded for the chain of
//! custody and verified on export.

use std::io::Read;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::crypto::Ctx;
use crate::crypto::{aad, hex};
use crate::error::{RecordRef, Result, VaultError};

pub(crate) const TABLE: &str = "attachments";
pub(crate) const CHUNK_TABLE: &str = "attachment_chunks";
/// Plaintext bytes per stored chunk.
pub const ATTACHMENT_CHUNK_SIZE: usize = 64 * 1024;

/// Identifier of an attachment (random; stored in clear as the row key).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AttachmentId(pub [u8; 16]);

impl std::fmt::Debug for AttachmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AttachmentId({})", hex(&self.0))
    }
}

impl std::fmt::Display for AttachmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

/// Metadata of a stored attachment (encrypted at rest).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: AttachmentId,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    /// SHA-256 of the plaintext, for the chain of custody.
    pub sha256: [u8; 32],
    pub chunk_count: u64,
}

impl std::fmt::Debug for AttachmentInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentInfo")
            .field("id", &self.id)
            .field("file_name", &"<redacted>")
            .field("size", &self.size)
            .field("sha256", &hex(&self.sha256))
            .finish()
    }
}

fn rec(id: &AttachmentId) -> RecordRef {
    RecordRef::new(TABLE, hex(&id.0))
}

pub(crate) fn chunk_rec(id: &AttachmentId, idx: u64) -> RecordRef {
    RecordRef::new(CHUNK_TABLE, format!("{}#{idx}", hex(&id.0)))
}

/// Reads until `buf` is full or EOF; returns the bytes read.
pub(crate) fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(n)
}

pub(crate) fn read_info(
    conn: &rusqlite::Connection,
    ctx: &Ctx<'_>,
    id: &AttachmentId,
) -> Result<AttachmentInfo> {
    let ct: Vec<u8> = conn
        .prepare_cached("SELECT ct FROM attachments WHERE att_id = ?1")?
        .query_row([&id.0[..]], |r| r.get(0))
        .optional()?
        .ok_or_else(|| VaultError::NotFound(format!("attachment {id}")))?;
    let pt = ctx
        .cipher
        .open(&aad(ctx.vault_id, TABLE, &id.0, 0), &ct, || rec(id))?;
    let info: AttachmentInfo =
        serde_json::from_slice(&pt).map_err(|_| VaultError::CorruptRecord(rec(id)))?;
    if info.id != *id {
        return Err(VaultError::CorruptRecord(rec(id)));
    }
    Ok(info)
}
