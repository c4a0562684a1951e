//! Reading cases into memory when they are used, and letting them go (the
//! policy is in `residency.rs`).

use caravan_vault::{RecordKind, VaultError};

use crate::error::{CoreError, Result};
use crate::workspace::Workspace;

impl Workspace {
    /// Makes sure the case is in memory (a no-op for an id this device
    /// does not hold: the caller then reports it not found).
    pub(crate) fn load_case(&mut self, case: &str) -> Result<()> {
        let replica = self.replica.as_ref().ok_or(CoreError::NoTeam)?;
        if replica.is_loaded(case) {
            self.residency.touch(case, None);
            return Ok(());
        }
        if !replica.holds_case(case) {
            return Ok(());
        }
        self.read_case_from_vault(case)?;
        self.trim_resident();
        Ok(())
    }

    /// The case stored as the document `doc_hex` (a case id is its own
    /// document id; a case stored under an older hashed name is looked up).
    pub(crate) fn case_name(&self, doc_hex: &str) -> String {
        if self.names.contains_key(doc_hex) {
            return doc_hex.to_string();
        }
        self.names
            .iter()
            .find(|(_, id)| id.to_hex() == doc_hex)
            .map_or_else(|| doc_hex.to_string(), |(name, _)| name.clone())
    }

    fn read_case_from_vault(&mut self, case: &str) -> Result<()> {
        let id = self.names[case];
        match self.vault.load_doc_for_edit(&id) {
            Ok(Some(mut doc)) => {
                let bytes = self.vault.doc_stats(&id)?.stored_bytes;
                self.stored.insert(case.to_string(), doc.get_heads());
                self.replica_mut()?.load_case(case, doc);
                self.residency.touch(case, Some(bytes));
                Ok(())
            }
            Ok(None) => {
                self.replica_mut()?.drop_unreadable_case(case);
                Err(CoreError::not_found("case", case))
            }
            // One damaged case must not lock the person out of the others:
            // it is named in the case list and left untouched in the
            // vault, to be restored from a peer; the replica goes on
            // without it, as a case it lacks.
            Err(e @ (VaultError::CorruptRecord(_) | VaultError::DocumentIncomplete { .. })) => {
                tracing::error!(code = e.code(), "a case document could not be read");
                let message = e.to_string();
                if !self.damaged.contains(&message) {
                    self.damaged.push(message);
                }
                self.replica_mut()?.drop_unreadable_case(case);
                Err(e.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Loads every case and signature, for an exchange. A damaged case is
    /// named in the case list and left out, as at unlock before.
    pub(crate) fn load_everything(&mut self) -> Result<()> {
        let unloaded: Vec<String> = self.replica()?.unloaded_cases().cloned().collect();
        for case in unloaded {
            match self.read_case_from_vault(&case) {
                Ok(()) => {}
                Err(CoreError::Vault(
                    VaultError::CorruptRecord(_) | VaultError::DocumentIncomplete { .. },
                )) => {}
                Err(e) => return Err(e),
            }
        }
        self.load_signatures()
    }

    /// Loads every stored change signature.
    pub(crate) fn load_signatures(&mut self) -> Result<()> {
        if self.replica()?.signatures_loaded() {
            return Ok(());
        }
        let mut signatures = Vec::new();
        for (k, v) in self.vault.list_records(RecordKind::ChangeSignature)? {
            if let (Ok(h), Ok(s)) = (
                <[u8; 32]>::try_from(k.as_slice()),
                <[u8; 64]>::try_from(v.expose()),
            ) {
                signatures.push((automerge::ChangeHash(h), s));
            }
        }
        self.replica_mut()?.load_signatures(signatures);
        Ok(())
    }

    /// After a save: drops the least recently used saved cases past the
    /// cap, and the signatures an exchange loaded (all stored now).
    pub(crate) fn trim_resident(&mut self) {
        let pinned = std::sync::Arc::strong_count(&self.live_pins) > 1;
        let Some(replica) = self.replica.as_mut().filter(|_| !pinned) else {
            return;
        };
        if replica.signatures_loaded() && replica.unloaded_cases().next().is_none() {
            // Only an exchange loads them all; every one is stored by now.
            replica.unload_signatures();
        }
        let stored = &mut self.stored;
        self.residency.evict(|case| {
            // A case with changes not saved yet (never between actions)
            // stays.
            let heads = stored.get(case).map(Vec::as_slice).unwrap_or(&[]);
            let unloaded = replica.unload_case(case, heads);
            if unloaded {
                stored.remove(case);
            }
            unloaded
        });
    }
}
