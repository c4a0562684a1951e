//! Automerge documents: an encrypted snapshot plus encrypted incremental
//! chunks per document.
//!
//! Each chunk row `(doc_id, seq)` has a strictly increasing `seq` per
//! document. Compaction writes a new snapshot at `max(seq) + 1` and deletes
//! every older row for that document in the same transaction, so the old
//! rows disappear only when the new snapshot commits (durably, since the
//! vault runs `synchronous = FULL`).

use automerge::{AutoCommit, Automerge, ChangeHash, ReadDoc};
use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};

use crate::crypto::Ctx;
use crate::crypto::{aad, hex};
use crate::error::{RecordRef, Result, VaultError};

pub(crate) const TABLE: &str = "doc_chunks";
pub(crate) const KIND_SNAPSHOT: i64 = 0;
pub(crate) const KIND_INCREMENTAL: i64 = 1;

/// Identifier of a document (a case, or the team document): 16 opaque
/// bytes, stored in clear as the row key — never put meaning in it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocId(pub [u8; 16]);

impl DocId {
    /// The team document.
    pub const TEAM: DocId = DocId([0; 16]);

    /// A new random id.
    pub fn random() -> Result<Self> {
        Ok(Self(crate::crypto::random_array()?))
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl std::fmt::Debug for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DocId({})", self.to_hex())
    }
}

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Storage statistics of one document (non-secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocStats {
    pub snapshots: u32,
    pub incrementals: u32,
    pub stored_bytes: u64,
    /// Of `stored_bytes`, those of the snapshot and of the incremental
    /// chunks after it (encrypted sizes).
    pub snapshot_bytes: u64,
    pub incremental_bytes: u64,
}

pub(crate) fn chunk_aad(ctx: &Ctx<'_>, doc: &DocId, seq: i64) -> Vec<u8> {
    aad(ctx.vault_id, TABLE, &doc.0, seq as u64)
}

fn rec(doc: &DocId, seq: i64) -> RecordRef {
    RecordRef::new(TABLE, format!("{}#{seq}", doc.to_hex()))
}

/// What this session knows about a document's stored rows: every change
/// stored in the rows with `seq <= seq` is one of `heads` or one of their
/// ancestors. Established by a full load (or compaction) and carried
/// forward by `save_doc`; only ever trusted when `seq` is still the
/// document's largest stored `seq`, checked inside the writing
/// transaction (any other writer moves it).
#[derive(Debug, Clone)]
pub(crate) struct Coverage {
    pub(crate) seq: i64,
    pub(crate) heads: Vec<ChangeHash>,
}

/// Beyond this many heads the coverage is dropped (falls back to loading).
pub(crate) const MAX_COVERAGE_HEADS: usize = 64;

pub(crate) fn max_seq(tx: &Transaction<'_>, doc: &DocId) -> Result<i64> {
    let max: Option<i64> = tx
        .prepare_cached("SELECT MAX(seq) FROM doc_chunks WHERE doc_id = ?1")?
        .query_row([&doc.0[..]], |r| r.get(0))?;
    Ok(max.unwrap_or(0))
}

pub(crate) fn incremental_count(conn: &rusqlite::Connection, doc: &DocId) -> Result<u64> {
    // Reads no ciphertext: `kind` precedes `ct` in the row, so no overflow
    // page is touched.
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM doc_chunks WHERE doc_id = ?1 AND kind = 1")?
        .query_row([&doc.0[..]], |r| r.get(0))?;
    Ok(n as u64)
}

pub(crate) fn insert_at(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    doc: &DocId,
    seq: i64,
    kind: i64,
    bytes: &[u8],
) -> Result<()> {
    let ct = ctx.cipher.seal(&chunk_aad(ctx, doc, seq), bytes)?;
    tx.prepare_cached("INSERT INTO doc_chunks(doc_id, seq, kind, ct) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![&doc.0[..], seq, kind, ct])?;
    Ok(())
}

pub(crate) fn insert_chunk(
    tx: &Transaction<'_>,
    ctx: &Ctx<'_>,
    doc: &DocId,
    kind: i64,
    bytes: &[u8],
) -> Result<i64> {
    let seq = max_seq(tx, doc)? + 1;
    insert_at(tx, ctx, doc, seq, kind, bytes)?;
    Ok(seq)
}

pub(crate) fn delete_before(tx: &Transaction<'_>, doc: &DocId, seq: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM doc_chunks WHERE doc_id = ?1 AND seq < ?2")?
        .execute(params![&doc.0[..], seq])?;
    Ok(())
}

/// Authenticates every stored row of a document (AEAD only, no Automerge
/// parsing). `Ok(false)` if one fails: the caller then takes the loading
/// path, which reports the damaged record exactly as before.
pub(crate) fn rows_authentic(tx: &Transaction<'_>, ctx: &Ctx<'_>, doc: &DocId) -> Result<bool> {
    let mut stmt = tx.prepare_cached("SELECT seq, ct FROM doc_chunks WHERE doc_id = ?1")?;
    let mut rows = stmt.query([&doc.0[..]])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let ct = r.get_ref(1)?.as_blob().unwrap_or_default();
        match ctx
            .cipher
            .open(&chunk_aad(ctx, doc, seq), ct, || rec(doc, seq))
        {
            Ok(_) => {}
            Err(VaultError::CorruptRecord(_)) => return Ok(false),
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// The two Automerge document types a vault document loads into.
pub(crate) trait Loadable: ReadDoc + Sized {
    fn load(bytes: &[u8]) -> std::result::Result<Self, automerge::AutomergeError>;
    fn load_incremental(
        &mut self,
        bytes: &[u8],
    ) -> std::result::Result<usize, automerge::AutomergeError>;
    fn heads(&mut self) -> Vec<ChangeHash>;
}

impl Loadable for Automerge {
    fn load(bytes: &[u8]) -> std::result::Result<Self, automerge::AutomergeError> {
        Automerge::load(bytes)
    }
    fn load_incremental(
        &mut self,
        bytes: &[u8],
    ) -> std::result::Result<usize, automerge::AutomergeError> {
        Automerge::load_incremental(self, bytes)
    }
    fn heads(&mut self) -> Vec<ChangeHash> {
        self.get_heads()
    }
}

impl Loadable for AutoCommit {
    fn load(bytes: &[u8]) -> std::result::Result<Self, automerge::AutomergeError> {
        AutoCommit::load(bytes)
    }
    fn load_incremental(
        &mut self,
        bytes: &[u8],
    ) -> std::result::Result<usize, automerge::AutomergeError> {
        let loaded = AutoCommit::load_incremental(self, bytes);
        // Automerge 0.12 records patch events in the document's own log
        // while it applies the changes, though no patches were asked for,
        // and keeps them until the log is reset.
        self.reset_diff_cursor();
        loaded
    }
    fn heads(&mut self) -> Vec<ChangeHash> {
        self.get_heads()
    }
}

/// Loads all rows of a document; returns it with the largest `seq` read.
///
/// The first row is loaded with `Automerge::load`; all later rows are
/// applied with a single `load_incremental` of their concatenation
/// (applying them one by one costs a pass over the document per chunk).
/// If that fails, the rows are re-applied one at a time to name the
/// damaged record.
pub(crate) fn load_from<D: Loadable>(
    conn: &rusqlite::Connection,
    ctx: &Ctx<'_>,
    doc: &DocId,
) -> Result<Option<(D, i64)>> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, ct FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([&doc.0[..]])?;
    let mut pts: Vec<(i64, zeroize::Zeroizing<Vec<u8>>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let ct = r.get_ref(1)?.as_blob().unwrap_or_default();
        let pt = ctx
            .cipher
            .open(&chunk_aad(ctx, doc, seq), ct, || rec(doc, seq))?;
        pts.push((seq, pt));
    }
    let Some(((first_seq, first), rest)) = pts.split_first() else {
        return Ok(None);
    };
    let invalid = |seq: i64| move |_| VaultError::CorruptRecord(rec(doc, seq));
    let mut am = D::load(first).map_err(invalid(*first_seq))?;
    if !rest.is_empty() {
        // Sized up front so the buffer never reallocates (a reallocation
        // would free an un-zeroized copy of the plaintext).
        let total = rest.iter().map(|(_, p)| p.len()).sum();
        let mut joined = zeroize::Zeroizing::new(Vec::with_capacity(total));
        for (_, p) in rest {
            joined.extend_from_slice(p);
        }
        if am.load_incremental(&joined).is_err() {
            am = D::load(first).map_err(invalid(*first_seq))?;
            for (seq, p) in rest {
                am.load_incremental(p).map_err(invalid(*seq))?;
            }
        }
    }
    if !am.get_missing_deps(&[]).is_empty() {
        return Err(VaultError::DocumentIncomplete { doc: doc.to_hex() });
    }
    let last = pts.last().map_or(*first_seq, |(s, _)| *s);
    Ok(Some((am, last)))
}
