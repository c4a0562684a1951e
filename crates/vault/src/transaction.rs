//! Several writes in one durable transaction.
//!
//! The application core persists the outcome of one user action — the
//! changed documents, their signatures, sync state, index entries and the
//! audit entry that records the action — all at once or not at all: a crash
//! between two of them would leave, say, an edit without its audit entry,
//! or an imported change without its signature.

use rusqlite::Transaction;

use crate::crypto::Ctx;
use crate::docs::{DocId, KIND_INCREMENTAL, insert_chunk};
use crate::error::Result;
use crate::index::CaseIndexEntry;
use crate::keyed_records::RecordKind;
use crate::vault::Vault;

/// The writes of one [`Vault::transaction`]. Nothing is visible to other
/// readers, nor durable, until the closure returns `Ok` and the transaction
/// commits; on `Err` every write is rolled back.
pub struct VaultTx<'a> {
    tx: &'a Transaction<'a>,
    ctx: &'a Ctx<'a>,
    docs: Vec<DocId>,
    index: Vec<CaseIndexEntry>,
}

impl std::fmt::Debug for VaultTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultTx").finish_non_exhaustive()
    }
}

impl VaultTx<'_> {
    /// Appends raw Automerge bytes to a document as one encrypted chunk.
    /// Empty input is a no-op.
    pub fn append_doc_chunk(&mut self, doc: &DocId, bytes: &[u8]) -> Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        insert_chunk(self.tx, self.ctx, doc, KIND_INCREMENTAL, bytes)?;
        self.docs.push(*doc);
        Ok(())
    }

    /// Stores (or replaces) a record.
    pub fn put_record(&mut self, kind: RecordKind, key: &[u8], value: &[u8]) -> Result<()> {
        crate::keyed_records::put_in_tx(self.tx, self.ctx, kind, key, value)
    }

    /// Deletes a record; true if it existed.
    pub fn delete_record(&mut self, kind: RecordKind, key: &[u8]) -> Result<bool> {
        crate::keyed_records::delete_in_tx(self.tx, self.ctx, kind, key)
    }

    /// Inserts or replaces a case's index entry.
    pub fn put_case_index(&mut self, entry: &CaseIndexEntry) -> Result<()> {
        crate::index::put_in_tx(self.tx, self.ctx, entry)?;
        self.index.push(entry.clone());
        Ok(())
    }

    /// Appends an audit entry; returns its sequence number.
    pub fn audit_append(&mut self, actor: &str, action: &str, detail: &str) -> Result<u64> {
        crate::audit::append_in_tx(self.tx, self.ctx, actor, action, detail)
    }
}

impl Vault {
    /// Runs `f` in one immediate transaction and commits it durably
    /// (`synchronous = FULL`) only if `f` returns `Ok`.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&mut VaultTx<'_>) -> Result<T>) -> Result<T> {
        let (out, docs, index) = self.with_tx(|tx, ctx| {
            let mut batch = VaultTx {
                tx,
                ctx,
                docs: Vec::new(),
                index: Vec::new(),
            };
            let out = f(&mut batch)?;
            Ok((out, batch.docs, batch.index))
        })?;
        // Chunks appended here are not known to the document coverage that
        // `save_doc` keeps; forget it so the next save re-establishes it.
        let coverage = self.doc_coverage.get_mut();
        for d in &docs {
            coverage.remove(d);
        }
        for e in &index {
            self.cache_index_entry(e);
        }
        Ok(out)
    }
}
