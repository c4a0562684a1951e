//! [`Vault`]'s methods for documents. What is stored, and how it is
//! encrypted, is `crate::docs`'s; these open a transaction and keep the
//! session's caches.

use automerge::{AutoCommit, Automerge, ChangeHash, ReadDoc};
use rusqlite::OptionalExtension;

use crate::docs::*;
use crate::error::Result;
use crate::vault::Vault;

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

    /// Rewrites the document as `snapshot`, which the caller saved from a
    /// copy holding every change stored for it (one it loaded from this
    /// vault and wrote every later chunk from): cheaper than
    /// [`Vault::compact_doc`], which reads the document back first. The
    /// snapshot is written and the rows it replaces are deleted in one
    /// transaction.
    pub fn replace_doc_with_snapshot(&mut self, doc: &DocId, snapshot: &[u8]) -> Result<()> {
        self.doc_coverage.get_mut().remove(doc);
        self.with_tx(|tx, ctx| {
            let seq = insert_chunk(tx, ctx, doc, KIND_SNAPSHOT, snapshot)?;
            delete_before(tx, doc, seq)
        })
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
        let ids = self.ids("SELECT DISTINCT doc_id FROM doc_chunks ORDER BY doc_id")?;
        Ok(ids.into_iter().map(DocId).collect())
    }

    /// Chunk counts and stored size of a document.
    pub fn doc_stats(&self, doc: &DocId) -> Result<DocStats> {
        let r = self
            .conn
            .prepare_cached(
                "SELECT SUM(kind = 0), SUM(kind = 1), SUM(LENGTH(ct)),
                        SUM(CASE WHEN kind = 0 THEN LENGTH(ct) ELSE 0 END)
                 FROM doc_chunks WHERE doc_id = ?1",
            )?
            .query_row([&doc.0[..]], |r| {
                let bytes =
                    |i| Ok::<_, rusqlite::Error>(r.get::<_, Option<i64>>(i)?.unwrap_or(0) as u64);
                let (stored_bytes, snapshot_bytes) = (bytes(2)?, bytes(3)?);
                Ok(DocStats {
                    snapshots: r.get::<_, Option<u32>>(0)?.unwrap_or(0),
                    incrementals: r.get::<_, Option<u32>>(1)?.unwrap_or(0),
                    stored_bytes,
                    snapshot_bytes,
                    incremental_bytes: stored_bytes - snapshot_bytes,
                })
            })
            .optional()?;
        Ok(r.unwrap_or_default())
    }
}
