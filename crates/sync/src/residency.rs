//! Which case documents and signatures a replica holds in memory.
//!
//! A device may hold thousands of cases; reading one, editing one or
//! listing them needs none of the others. So a replica knows every case it
//! holds by id, but keeps in memory only those the core loaded (`load_case`)
//! and drops saved ones when it likes (`unload_case`). Change signatures
//! are needed only to pass changes on; the core loads them with everything
//! else before an exchange.
//!
//! What compares this device's documents with another's (export, import,
//! an online session, revocation, key rotation, the quarantine review,
//! approving a join) must see every document: a case not loaded would look
//! like a case this device lacks. Each of those starts with
//! [`Replica::require_resident`], which refuses rather than decide on part
//! of the replica.

use automerge::{AutoCommit, ChangeHash};

use crate::error::SyncError;
use crate::replica::Replica;

impl Replica {
    /// Every case this device holds, loaded or not, in id order.
    pub fn case_ids(&self) -> impl Iterator<Item = &String> {
        let mut ids: Vec<&String> = self.cases.keys().chain(self.unloaded.iter()).collect();
        ids.sort_unstable();
        ids.into_iter()
    }

    /// Whether this device holds the case (loaded or not).
    pub fn holds_case(&self, id: &str) -> bool {
        self.cases.contains_key(id) || self.unloaded.contains(id)
    }

    /// Whether the case is in memory.
    pub fn is_loaded(&self, id: &str) -> bool {
        self.cases.contains_key(id)
    }

    /// Cases this device holds that are not in memory.
    pub fn unloaded_cases(&self) -> impl Iterator<Item = &String> {
        self.unloaded.iter()
    }

    /// How many cases are in memory.
    pub fn loaded_count(&self) -> usize {
        self.cases.len()
    }

    /// Puts a case the store read back into memory (it must be one this
    /// replica was told it holds; the store's copy is the saved one).
    pub fn load_case(&mut self, id: &str, doc: AutoCommit) {
        if self.unloaded.remove(id) {
            let actor = self.keys.id().actor();
            self.cases
                .insert_stored(id.to_string(), doc.with_actor(actor));
        }
    }

    /// Drops a case from memory if everything in it is stored: its heads
    /// are `stored`. A case with changes not yet stored stays (dropping it
    /// would lose them). Returns whether it was dropped.
    pub fn unload_case(&mut self, id: &str, stored: &[ChangeHash]) -> bool {
        let Some(doc) = self.cases.get_mut(id) else {
            return false;
        };
        if doc.get_heads() != stored {
            return false;
        }
        self.cases.remove(id);
        self.unloaded.insert(id.to_string());
        true
    }

    /// Forgets a case the store cannot read (damaged, or gone): the
    /// replica goes on as if it did not hold it.
    pub fn drop_unreadable_case(&mut self, id: &str) {
        self.unloaded.remove(id);
    }

    /// The whole document as one snapshot (`save()`), for a store that
    /// compacts it; `None` if it is not in memory.
    pub fn save_whole(&mut self, id: &str) -> Option<Vec<u8>> {
        if id == crate::team::TEAM_DOC_ID {
            return Some(self.team.automerge_mut().save());
        }
        self.cases.get_mut_unmarked(id).map(|d| d.save())
    }

    /// Whether every stored signature is in memory.
    pub fn signatures_loaded(&self) -> bool {
        !self.signatures_partial
    }

    /// Adds the stored signatures: the replica then holds every one.
    pub fn load_signatures(
        &mut self,
        signatures: impl IntoIterator<Item = (ChangeHash, [u8; 64])>,
    ) {
        self.signatures.extend(signatures);
        self.signatures_partial = false;
    }

    /// Drops the signatures from memory once they are all stored: only the
    /// signatures of changes made or received from now on are kept, until
    /// the next exchange loads them all again.
    pub fn unload_signatures(&mut self) {
        self.signatures.clear();
        self.signatures_partial = true;
    }

    /// Refuses unless every stored signature is in memory.
    pub(crate) fn require_signatures(&self, what: &'static str) -> Result<(), SyncError> {
        if self.signatures_partial {
            Err(SyncError::NotResident { what })
        } else {
            Ok(())
        }
    }

    /// Refuses unless every case and signature this device holds is in
    /// memory (see the module's comment).
    pub(crate) fn require_resident(&self, what: &'static str) -> Result<(), SyncError> {
        if self.unloaded.is_empty() && !self.signatures_partial {
            Ok(())
        } else {
            Err(SyncError::NotResident { what })
        }
    }
}
