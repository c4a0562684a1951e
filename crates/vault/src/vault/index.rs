//! [`Vault`]'s methods for the case index. What is stored, and how it is
//! encrypted, is `crate::index`'s; these open a transaction and keep the
//! session's caches.

use crate::docs::DocId;
use crate::error::{RecordRef, Result, VaultError};
use crate::index::*;
use crate::vault::Vault;

impl Vault {
    /// Inserts or replaces a case's index entry (one durable transaction).
    pub fn put_case_index(&mut self, entry: &CaseIndexEntry) -> Result<()> {
        self.with_tx(|tx, ctx| put_in_tx(tx, ctx, entry))?;
        self.cache_index_entry(entry);
        Ok(())
    }

    pub(crate) fn cache_index_entry(&mut self, entry: &CaseIndexEntry) {
        let id = entry.case_id;
        if let Some(c) = self.index_cache.get_mut().as_mut() {
            c.corrupt.retain(|r| r.row != id.to_hex());
            c.entries.insert(id, entry.clone());
        }
    }

    /// Removes a case's index entry.
    pub fn delete_case_index(&mut self, id: &DocId) -> Result<()> {
        self.with_tx(|tx, _| {
            tx.execute("DELETE FROM case_index WHERE doc_id = ?1", [&id.0[..]])?;
            Ok(())
        })?;
        if let Some(c) = self.index_cache.get_mut().as_mut() {
            c.entries.remove(id);
        }
        Ok(())
    }

    /// One case's index entry.
    pub fn case_index(&self, id: &DocId) -> Result<Option<CaseIndexEntry>> {
        let ct: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(
            self.conn
                .prepare_cached("SELECT ct FROM case_index WHERE doc_id = ?1")?
                .query_row([&id.0[..]], |r| r.get(0)),
        )?;
        ct.map(|ct| decode(&self.ctx(), id, &ct)).transpose()
    }

    fn ensure_index_cache(&self) -> Result<()> {
        if self.index_cache.borrow().is_some() {
            return Ok(());
        }
        let cache = IndexRows::read(&self.conn)?.decrypt(&self.ctx())?;
        *self.index_cache.borrow_mut() = Some(cache);
        Ok(())
    }

    /// Fills the index cache right after unlock (the application shows the
    /// case list next), from `rows` if they were prefetched. Best effort: on
    /// failure the cache stays empty and the first list or search reports
    /// the error.
    pub(crate) fn warm_index_cache(&mut self, rows: Option<IndexRows>) {
        let rows = match rows {
            Some(r) => Ok(r),
            None => IndexRows::read(&self.conn),
        };
        match rows.and_then(|r| r.decrypt(&self.ctx())) {
            Ok(c) => *self.index_cache.get_mut() = Some(c),
            Err(e) => tracing::warn!(code = e.code(), "could not pre-load the case index"),
        }
    }

    /// All cases, most recently updated first. Decrypted entries are cached
    /// in memory (zeroized on lock) so repeated listing and search are fast.
    pub fn list_cases(&self) -> Result<CaseListing> {
        self.with_case_index(|entries, corrupt| CaseListing {
            entries: entries.iter().map(|e| (*e).clone()).collect(),
            corrupt: corrupt.to_vec(),
        })
    }

    /// Runs `f` on every readable entry, most recently updated first, and
    /// on the records that could not be read, without copying them: an
    /// entry holds its case's names and tasks, and a copy is wiped when it
    /// is dropped, which cost more than what the list reads of it.
    pub fn with_case_index<R>(
        &self,
        f: impl FnOnce(&[&CaseIndexEntry], &[RecordRef]) -> R,
    ) -> Result<R> {
        self.ensure_index_cache()?;
        let cache = self.index_cache.borrow();
        let c = cache.as_ref().ok_or(VaultError::Locked)?;
        let mut entries: Vec<&CaseIndexEntry> = c.entries.values().collect();
        entries.sort_by(|a, b| {
            b.updated_at_ms
                .cmp(&a.updated_at_ms)
                .then(a.case_id.cmp(&b.case_id))
        });
        Ok(f(&entries, &c.corrupt))
    }

    /// Cases whose normalised search terms, title or reference contain the
    /// already-normalised `query` as a substring. An empty query matches
    /// nothing.
    pub fn search_cases(&self, query: &str) -> Result<Vec<CaseIndexEntry>> {
        if query.is_empty() {
            return Ok(Vec::new());
        }
        self.ensure_index_cache()?;
        let cache = self.index_cache.borrow();
        let c = cache.as_ref().ok_or(VaultError::Locked)?;
        let mut hits: Vec<CaseIndexEntry> = c
            .entries
            .values()
            .filter(|e| {
                e.search_terms.iter().any(|t| t.contains(query))
                    || e.title.contains(query)
                    || e.reference.contains(query)
            })
            .cloned()
            .collect();
        hits.sort_by(|a, b| {
            b.updated_at_ms
                .cmp(&a.updated_at_ms)
                .then(a.case_id.cmp(&b.case_id))
        });
        Ok(hits)
    }
}
