//! The cases a replica holds in memory, marked when they change (see
//! `residency` for which are in memory at all).

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;

/// The cases in memory, and which of them may hold changes the store
/// lacks. Every way to change a document goes through `get_mut`,
/// `iter_mut` or `insert`, which mark it, so the store is asked only about
/// marked documents (`Replica::unsaved`), not about every case in memory.
#[derive(Debug, Default, Clone)]
pub(crate) struct CaseDocs {
    docs: BTreeMap<String, AutoCommit>,
    /// Possibly changed since the store last held them; a document is
    /// unmarked once `unsaved` finds it stored.
    dirty: BTreeSet<String>,
}

impl CaseDocs {
    pub(crate) fn get(&self, id: &str) -> Option<&AutoCommit> {
        self.docs.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut AutoCommit> {
        let doc = self.docs.get_mut(id)?;
        self.dirty.insert(id.to_string());
        Some(doc)
    }

    /// For reading what changed (`get_heads` and `save_after` need `&mut`).
    pub(crate) fn get_mut_unmarked(&mut self, id: &str) -> Option<&mut AutoCommit> {
        self.docs.get_mut(id)
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut AutoCommit)> {
        self.dirty.extend(self.docs.keys().cloned());
        self.docs.iter_mut()
    }

    /// A new or changed document.
    pub(crate) fn insert(&mut self, id: String, doc: AutoCommit) {
        self.dirty.insert(id.clone());
        self.docs.insert(id, doc);
    }

    /// A document as the store holds it.
    pub(crate) fn insert_stored(&mut self, id: String, doc: AutoCommit) {
        self.docs.insert(id, doc);
    }

    /// Takes a document out to be lent; `put_back` returns it.
    pub(crate) fn take(&mut self, id: &str) -> Option<(String, AutoCommit)> {
        self.docs.remove_entry(id)
    }

    /// Returns a lent document, marked if it changed meanwhile.
    pub(crate) fn put_back(&mut self, id: String, doc: AutoCommit, changed: bool) {
        if changed {
            self.dirty.insert(id.clone());
        }
        self.docs.insert(id, doc);
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<AutoCommit> {
        self.dirty.remove(id);
        self.docs.remove(id)
    }

    pub(crate) fn contains_key(&self, id: &str) -> bool {
        self.docs.contains_key(id)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.docs.keys()
    }

    pub(crate) fn len(&self) -> usize {
        self.docs.len()
    }

    /// The marked documents.
    pub(crate) fn dirty(&self) -> Vec<String> {
        self.dirty.iter().cloned().collect()
    }

    /// Unmarks a document the store holds as it is.
    pub(crate) fn stored(&mut self, id: &str) {
        self.dirty.remove(id);
    }
}

#[cfg(test)]
impl CaseDocs {
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &AutoCommit)> {
        self.docs.iter()
    }
}

#[cfg(test)]
impl std::ops::Index<&String> for CaseDocs {
    type Output = AutoCommit;

    fn index(&self, id: &String) -> &AutoCommit {
        &self.docs[id]
    }
}

#[cfg(test)]
impl std::ops::Index<&str> for CaseDocs {
    type Output = AutoCommit;

    fn index(&self, id: &str) -> &AutoCommit {
        &self.docs[id]
    }
}

#[cfg(test)]
impl IntoIterator for CaseDocs {
    type Item = (String, AutoCommit);
    type IntoIter = std::collections::btree_map::IntoIter<String, AutoCommit>;

    fn into_iter(self) -> Self::IntoIter {
        self.docs.into_iter()
    }
}

impl<'a> IntoIterator for &'a CaseDocs {
    type Item = (&'a String, &'a AutoCommit);
    type IntoIter = std::collections::btree_map::Iter<'a, String, AutoCommit>;

    fn into_iter(self) -> Self::IntoIter {
        self.docs.iter()
    }
}
