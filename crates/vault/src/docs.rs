//! Automerge documents: an encrypted snapshot plus encrypted incremental
//! chunks per document.
//!
//! Each chunk row `(doc_id, seq)` has a strictly increasing `seq` per
//! document. Compaction writes a new snapshot at `max(seq) + 1` and deletes
//! every older row for that document in the same transaction, so the old
//! rows disappear only when the new snapshot commits (durably, since the
//! vault runs `synchronous = FULL`).

use automerge::{AutoCommit, Automerge, ChangeHash, ReadDoc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::crypto::{aad, hex};
use crate::error::{RecordRef, Result, VaultError};
use crate::vault::{Ctx, Vault};

pub(crate) const TABLE: &str = "doc_chunks";
const KIND_SNAPSHOT: i64 = 0;
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
    seq: i64,
    heads: Vec<ChangeHash>,
}

/// Beyond this many heads the coverage is dropped (falls back to loading).
const MAX_COVERAGE_HEADS: usize = 64;

fn max_seq(tx: &Transaction<'_>, doc: &DocId) -> Result<i64> {
    let max: Option<i64> = tx
        .prepare_cached("SELECT MAX(seq) FROM doc_chunks WHERE doc_id = ?1")?
        .query_row([&doc.0[..]], |r| r.get(0))?;
    Ok(max.unwrap_or(0))
}

fn incremental_count(conn: &rusqlite::Connection, doc: &DocId) -> Result<u64> {
    // Reads no ciphertext: `kind` precedes `ct` in the row, so no overflow
    // page is touched.
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM doc_chunks WHERE doc_id = ?1 AND kind = 1")?
        .query_row([&doc.0[..]], |r| r.get(0))?;
    Ok(n as u64)
}

fn insert_at(
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

fn delete_before(tx: &Transaction<'_>, doc: &DocId, seq: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM doc_chunks WHERE doc_id = ?1 AND seq < ?2")?
        .execute(params![&doc.0[..], seq])?;
    Ok(())
}

/// Authenticates every stored row of a document (AEAD only, no Automerge
/// parsing). `Ok(false)` if one fails: the caller then takes the loading
/// path, which reports the damaged record exactly as before.
fn rows_authentic(tx: &Transaction<'_>, ctx: &Ctx<'_>, doc: &DocId) -> Result<bool> {
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
        AutoCommit::load_incremental(self, bytes)
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
fn load_from<D: Loadable>(
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

impl Vault {
    /// Appends raw Automerge bytes (from `save_incremental`, `save` or a
    /// sync message's changes) to a document as one encrypted chunk, in
    /// one durable transaction. Empty input is a no-op.
    pub fn append_doc_chunk(&mut self, doc: &DocId, bytes: &[u8]) -> Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.doc_coverage.get_mut().remove(doc);
        self.with_tx(|tx, ctx| insert_chunk(tx, ctx, doc, KIND_INCREMENTAL, bytes).map(|_| ()))
    }

    /// Saves the changes of `am` that are not dependencies of `since`
    /// (the heads returned by the previous save, or `am.get_heads()` right
    /// after loading) as one chunk, and returns the new heads to pass next
    /// time. When the document has accumulated `compact_after_chunks`
    /// chunks it is also compacted. When this returns `Ok` the changes are
    /// durable.
    ///
    /// One transaction (one `fsync`) per call. When compaction is due and
    /// this session knows that `am` already contains every change stored
    /// for the document (see `Coverage` in this module), the snapshot is
    /// written from `am` in that same transaction — after authenticating
    /// the rows it replaces — instead of decrypting and re-loading the
    /// whole document; otherwise the edit commits first and `compact_doc`
    /// follows in a second transaction.
    pub fn save_doc(
        &mut self,
        doc: &DocId,
        am: &Automerge,
        since: &[ChangeHash],
    ) -> Result<Vec<ChangeHash>> {
        let bytes = zeroize::Zeroizing::new(am.save_after(since));
        let heads = am.get_heads();
        if bytes.is_empty() {
            return Ok(heads);
        }
        let threshold = u64::from(self.config.compact_after_chunks);
        // Taken out now, put back only after a successful commit.
        let known = self.doc_coverage.get_mut().remove(doc);
        let (coverage, compact_later) = self.with_tx(|tx, ctx| {
            let prev = max_seq(tx, doc)?;
            let base: Option<Vec<ChangeHash>> = if prev == 0 {
                Some(Vec::new())
            } else {
                known.filter(|c| c.seq == prev).map(|c| c.heads)
            };
            // `am` contains every stored change iff it contains all `base`
            // heads (a document holds the ancestors of its changes).
            let am_covers = base
                .as_ref()
                .is_some_and(|b| am.get_missing_deps(b).is_empty());
            let seq = prev + 1;
            let due = incremental_count(tx, doc)? + 1 >= threshold;
            if due && am_covers && rows_authentic(tx, ctx, doc)? {
                let snapshot = zeroize::Zeroizing::new(am.save());
                insert_at(tx, ctx, doc, seq, KIND_SNAPSHOT, &snapshot)?;
                delete_before(tx, doc, seq)?;
                return Ok((
                    Some(Coverage {
                        seq,
                        heads: heads.clone(),
                    }),
                    false,
                ));
            }
            insert_at(tx, ctx, doc, seq, KIND_INCREMENTAL, &bytes)?;
            let coverage = match base {
                _ if am_covers => Some(heads.clone()),
                Some(mut b) => {
                    b.extend_from_slice(&heads);
                    b.sort_unstable();
                    b.dedup();
                    (b.len() <= MAX_COVERAGE_HEADS).then_some(b)
                }
                None => None,
            };
            Ok((coverage.map(|heads| Coverage { seq, heads }), due))
        })?;
        if let Some(c) = coverage {
            self.doc_coverage.get_mut().insert(*doc, c);
        }
        if compact_later {
            self.compact_doc(doc)?;
        }
        Ok(heads)
    }

    /// Loads a document (decrypt snapshot + chunks, `load_incremental`).
    /// `Ok(None)` if the vault holds nothing for it.
    pub fn load_doc(&self, doc: &DocId) -> Result<Option<Automerge>> {
        self.load_tracked(doc)
    }

    /// Loads a document for editing (an `AutoCommit`); otherwise as
    /// [`Vault::load_doc`].
    pub fn load_doc_for_edit(&self, doc: &DocId) -> Result<Option<AutoCommit>> {
        self.load_tracked(doc)
    }

    fn load_tracked<D: Loadable>(&self, doc: &DocId) -> Result<Option<D>> {
        let Some((mut am, seq)) = load_from::<D>(&self.conn, &self.ctx(), doc)? else {
            return Ok(None);
        };
        self.doc_coverage.borrow_mut().insert(
            *doc,
            Coverage {
                seq,
                heads: am.heads(),
            },
        );
        Ok(Some(am))
    }

    /// Rewrites the document as one snapshot. The snapshot is written and
    /// the rows it replaces are deleted in one transaction.
    pub fn compact_doc(&mut self, doc: &DocId) -> Result<()> {
        self.doc_coverage.get_mut().remove(doc);
        let coverage = self.with_tx(|tx, ctx| {
            let Some((am, _)) = load_from::<Automerge>(tx, ctx, doc)? else {
                return Ok(None);
            };
            let snapshot = zeroize::Zeroizing::new(am.save());
            let seq = insert_chunk(tx, ctx, doc, KIND_SNAPSHOT, &snapshot)?;
            delete_before(tx, doc, seq)?;
            Ok(Some(Coverage {
                seq,
                heads: am.get_heads(),
            }))
        })?;
        if let Some(c) = coverage {
            self.doc_coverage.get_mut().insert(*doc, c);
        }
        Ok(())
    }

    /// Deletes a document and all its chunks.
    pub fn delete_doc(&mut self, doc: &DocId) -> Result<()> {
        self.doc_coverage.get_mut().remove(doc);
        self.with_tx(|tx, _| {
            tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [&doc.0[..]])?;
            Ok(())
        })
    }

    /// Ids of all stored documents.
    pub fn doc_ids(&self) -> Result<Vec<DocId>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT doc_id FROM doc_chunks ORDER BY doc_id")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids
            .into_iter()
            .filter_map(|v| <[u8; 16]>::try_from(v.as_slice()).ok().map(DocId))
            .collect())
    }

    /// Chunk counts and stored size of a document.
    pub fn doc_stats(&self, doc: &DocId) -> Result<DocStats> {
        let r = self
            .conn
            .prepare_cached(
                "SELECT SUM(kind = 0), SUM(kind = 1), SUM(LENGTH(ct)) FROM doc_chunks WHERE doc_id = ?1",
            )?
            .query_row([&doc.0[..]], |r| {
                Ok(DocStats {
                    snapshots: r.get::<_, Option<u32>>(0)?.unwrap_or(0),
                    incrementals: r.get::<_, Option<u32>>(1)?.unwrap_or(0),
                    stored_bytes: r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
                })
            })
            .optional()?;
        Ok(r.unwrap_or_default())
    }
}
