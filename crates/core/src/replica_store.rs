//! The replica as the vault stores it: rebuilt at unlock from document
//! chunks, signatures, team keys and the sync state's rows; written back
//! after each action by [`Workspace::commit`], everything the action
//! changed in one vault transaction.
//!
//! The sync state is rows (`caravan_sync::stored_state`): a record per
//! member and document for peer heads, per held change and per quarantined
//! change; only the rows that changed are written or deleted. A vault that
//! still holds the earlier single JSON record is moved to rows the first
//! time it is opened.

use std::collections::BTreeMap;

use caravan_sync::replica::AuditEvent;
use caravan_sync::stored_state::{DocDelta, NOTES_KEY};
use caravan_sync::{Replica, ReplicaState, RowKind, StateDiff, StoredRows, TeamKey};
use caravan_vault::{CaseIndexEntry, DocId, RecordKind, VaultTx};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CoreError, Result};
use crate::ids::doc_id_for;
use crate::workspace::Workspace;

/// `AppState` record keys.
const DOC_NAMES: &[u8] = b"doc-names";
/// The sync state as one JSON record, as vaults before format 3 hold it;
/// moved to rows when such a vault is opened.
const LEGACY_REPLICA_STATE: &[u8] = b"replica-state";
const TEAM_DOC: &str = "team";

/// What one action changed, gathered before the transaction that writes it.
struct Pending {
    deltas: Vec<DocDelta>,
    events: Vec<AuditEvent>,
    generation: u64,
    rows: StateDiff,
    /// Team keys to (re)write: epoch, key, digest.
    keys: Vec<(u32, Zeroizing<[u8; 32]>, [u8; 32])>,
    /// Team key epochs the replica dropped.
    dropped: Vec<u32>,
    /// The document-name record, when a new document got a name.
    names_record: Option<Vec<u8>>,
    index: Vec<CaseIndexEntry>,
}

impl Workspace {
    /// Rebuilds the replica from the vault (`None` before a team exists):
    /// the team document, keys and sync state; the cases are named, and
    /// read when used (`residency.rs`).
    pub(crate) fn read_replica(&mut self) -> Result<Option<Replica>> {
        self.stored.clear();
        self.names.clear();
        self.damaged.clear();
        self.residency.clear();
        self.conflict_counts.clear();
        self.rows = StoredRows::default();
        self.rows_generation = None;
        self.keys_written.clear();
        let Some(mut team_doc) = self.vault.load_doc_for_edit(&DocId::TEAM)? else {
            return Ok(None);
        };
        self.stored.insert(TEAM_DOC.into(), team_doc.get_heads());
        self.names.insert(TEAM_DOC.into(), DocId::TEAM);
        let cases = self.read_case_names()?;
        let team_keys = self.read_team_keys()?;
        let (state, legacy) = self.read_sync_state()?;
        let keys = self.device_keys()?;
        let replica = Replica::restore_unloaded(keys, team_doc, team_keys, cases, state)?;
        if legacy {
            self.move_legacy_state_to_rows(&replica)?;
        }
        self.rows_generation = Some(replica.state_generation());
        Ok(Some(replica))
    }

    /// The name of every stored case (its id; a case stored under a hashed
    /// name is named by the `doc-names` record).
    fn read_case_names(&mut self) -> Result<Vec<String>> {
        let names: BTreeMap<String, String> =
            match self.vault.get_record(RecordKind::AppState, DOC_NAMES)? {
                Some(v) => serde_json::from_slice(v.expose()).map_err(|_| corrupt("doc-names"))?,
                None => BTreeMap::new(),
            };
        let mut cases = Vec::new();
        for id in self.vault.doc_ids()? {
            if id == DocId::TEAM {
                continue;
            }
            let name = names.get(&id.to_hex()).cloned().unwrap_or(id.to_hex());
            self.names.insert(name.clone(), id);
            cases.push(name);
        }
        Ok(cases)
    }

    fn read_team_keys(&mut self) -> Result<Vec<TeamKey>> {
        let mut team_keys = Vec::new();
        for (k, v) in self.vault.list_records(RecordKind::TeamKey)? {
            let (Ok(epoch), Ok(key)) = (
                <[u8; 8]>::try_from(k.as_slice()),
                <[u8; 32]>::try_from(v.expose()),
            ) else {
                return Err(corrupt("team key"));
            };
            let epoch = u64::from_be_bytes(epoch) as u32;
            let key = TeamKey::from_bytes(epoch, &key);
            self.keys_written.insert(epoch, key_digest(&key));
            team_keys.push(key);
        }
        Ok(team_keys)
    }

    /// The sync state, from its rows or (true) from the earlier record.
    fn read_sync_state(&mut self) -> Result<(ReplicaState, bool)> {
        if let Some(v) = self
            .vault
            .get_record(RecordKind::AppState, LEGACY_REPLICA_STATE)?
        {
            let state = serde_json::from_slice(v.expose()).map_err(|_| corrupt("replica-state"))?;
            return Ok((state, true));
        }
        let mut rows = Vec::new();
        for kind in [
            RowKind::PeerHeads,
            RowKind::Held,
            RowKind::Quarantined,
            RowKind::Proof,
        ] {
            for (key, value) in self.vault.list_records(record_kind(kind))? {
                rows.push((kind, key, value.expose().to_vec()));
            }
        }
        if let Some(v) = self.vault.get_record(RecordKind::AppState, NOTES_KEY)? {
            rows.push((RowKind::Notes, NOTES_KEY.to_vec(), v.expose().to_vec()));
        }
        let (state, stored) = caravan_sync::stored_state::state_from_rows(rows)?;
        self.rows = stored;
        Ok((state, false))
    }

    fn move_legacy_state_to_rows(&mut self, replica: &Replica) -> Result<()> {
        // One transaction: the rows appear as the old record goes.
        let diff = replica.state_diff(&StoredRows::default());
        self.vault.transaction(|tx| {
            write_rows(tx, &diff)?;
            tx.delete_record(RecordKind::AppState, LEGACY_REPLICA_STATE)?;
            Ok(())
        })?;
        self.rows.apply(&diff);
        tracing::info!(
            rows = diff.put.len(),
            "the sync state was moved from one record to rows"
        );
        Ok(())
    }

    /// Writes everything the current action changed, with its audit
    /// entries, in one durable transaction. If it fails, the replica is
    /// reloaded from the vault, so no edit that was not saved is shown.
    pub(crate) fn commit(&mut self, audit: &[(&str, String)]) -> Result<()> {
        self.commit_with(audit, &[])
    }

    /// [`Self::commit`], writing `records` (application state: key, value)
    /// in the same transaction, so they are stored exactly when the
    /// action's changes are (a relay's cursor with what its envelope
    /// brought).
    pub(crate) fn commit_with(
        &mut self,
        audit: &[(&str, String)],
        records: &[(&[u8], &[u8])],
    ) -> Result<()> {
        let result = self.write_changes(audit, records);
        if let Err(e) = &result {
            tracing::error!(code = e.code(), "saving failed; reloading the vault state");
            match self.read_replica() {
                Ok(r) => self.replica = r,
                Err(e2) => {
                    tracing::error!(code = e2.code(), "reloading failed");
                    self.replica = None;
                }
            }
        }
        result
    }

    fn write_changes(
        &mut self,
        audit: &[(&str, String)],
        records: &[(&[u8], &[u8])],
    ) -> Result<()> {
        let actor = self.actor();
        let Some(pending) = self.pending()? else {
            self.vault.transaction(|tx| {
                for (key, value) in records {
                    tx.put_record(RecordKind::AppState, key, value)?;
                }
                for (action, detail) in audit {
                    tx.audit_append(&actor, action, detail)?;
                }
                Ok(())
            })?;
            return Ok(());
        };
        let names = &self.names;
        self.vault.transaction(|tx| {
            for (key, value) in records {
                tx.put_record(RecordKind::AppState, key, value)?;
            }
            write_pending(tx, &pending, names, &actor, audit)
        })?;
        self.saved(pending, audit);
        Ok(())
    }

    /// What the action changed (`None` before a team exists).
    fn pending(&mut self) -> Result<Option<Pending>> {
        let Some(replica) = self.replica.as_mut() else {
            return Ok(None);
        };
        replica.date_quarantine(self.clock.now_ms());
        let deltas = replica.unsaved(&self.stored);
        let events = replica.take_audit_events();
        let generation = replica.state_generation();
        let rows = if self.rows_generation == Some(generation) {
            StateDiff::default()
        } else {
            replica.state_diff(&self.rows)
        };
        let keys = replica
            .team_keys()
            .map(|k| (k, key_digest(k)))
            .filter(|(k, d)| self.keys_written.get(&k.epoch) != Some(d))
            .map(|(k, d)| (k.epoch, Zeroizing::new(*k.secret_bytes()), d))
            .collect();
        let dropped = self
            .keys_written
            .keys()
            .copied()
            .filter(|e| replica.team_key(*e).is_none())
            .collect();
        // A case id is its own document id: only another name (of a case
        // made before ids were) needs the record, which is then rewritten.
        let mut new_names = false;
        for d in &deltas {
            if !self.names.contains_key(&d.doc_id) {
                let id = doc_id_for(&d.doc_id);
                new_names |= id.to_hex() != d.doc_id;
                self.names.insert(d.doc_id.clone(), id);
            }
        }
        let names_record = new_names.then(|| self.names_record()).transpose()?;
        let mut index = Vec::new();
        for d in deltas.iter().filter(|d| d.doc_id != TEAM_DOC) {
            // A case without conflicts gets none from its own device's
            // changes: only a merge can bring one.
            let known =
                (d.only_mine && self.conflict_counts.get(&d.doc_id) == Some(&0)).then_some(0);
            let replica = self.replica.as_mut().ok_or(CoreError::NoTeam)?;
            if let Some(e) = crate::index::index_entry(replica, self.catalog, &d.doc_id, known) {
                self.conflict_counts.insert(d.doc_id.clone(), e.conflicts);
                index.push(e);
            }
        }
        Ok(Some(Pending {
            deltas,
            events,
            generation,
            rows,
            keys,
            dropped,
            names_record,
            index,
        }))
    }

    fn names_record(&self) -> Result<Vec<u8>> {
        let by_id: BTreeMap<String, String> = self
            .names
            .iter()
            .map(|(n, id)| (id.to_hex(), n.clone()))
            .filter(|(id, n)| id != n)
            .collect();
        serde_json::to_vec(&by_id).map_err(|e| CoreError::invalid("document names", e.to_string()))
    }

    /// Notes what the transaction stored, so the next action writes only
    /// what it changes.
    fn saved(&mut self, p: Pending, audit: &[(&str, String)]) {
        for action in audit
            .iter()
            .map(|(a, _)| *a)
            .chain(p.events.iter().map(|e| e.action))
        {
            self.note_audited(action);
        }
        for d in p.deltas {
            let id = self.names[&d.doc_id];
            let stored_bytes = self.compact_if_due(&d.doc_id, &id);
            if d.doc_id != TEAM_DOC {
                self.residency.touch(&d.doc_id, stored_bytes);
            }
            self.stored.insert(d.doc_id, d.heads);
        }
        self.keys_written
            .extend(p.keys.iter().map(|(e, _, digest)| (*e, *digest)));
        for epoch in p.dropped {
            self.keys_written.remove(&epoch);
        }
        self.rows.apply(&p.rows);
        self.rows_generation = Some(p.generation);
        self.trim_resident();
    }

    /// Compacts a document into one snapshot once its chunks since the
    /// last snapshot weigh as much as the snapshot (automerge-repo's rule:
    /// a new or imported case becomes a snapshot at once, and loading a
    /// case never replays more than about its own size), or once they are
    /// many, in its own durable transaction; a failure leaves the chunks as
    /// they were.
    ///
    /// Returns the document's stored size, when known.
    ///
    /// The document in memory holds every stored change (it was read
    /// whole, or made here, and every chunk since was written from it), so
    /// the snapshot is saved from it rather than read back.
    fn compact_if_due(&mut self, name: &str, id: &DocId) -> Option<u64> {
        let many = self.vault.config().compact_after_chunks;
        let stats = self.vault.doc_stats(id).ok()?;
        let due = stats.incrementals >= many
            || (stats.incrementals > 0 && stats.incremental_bytes >= stats.snapshot_bytes);
        if !due {
            return Some(stats.stored_bytes);
        }
        let snapshot = self.replica.as_mut().and_then(|r| r.save_whole(name));
        let compacted = match snapshot.map(zeroize::Zeroizing::new) {
            Some(s) => self.vault.replace_doc_with_snapshot(id, &s),
            None => self.vault.compact_doc(id),
        };
        if let Err(e) = compacted {
            tracing::warn!(code = e.code(), "compaction failed; will retry later");
        }
        self.vault.doc_stats(id).ok().map(|s| s.stored_bytes)
    }
}

fn write_pending(
    tx: &mut VaultTx<'_>,
    p: &Pending,
    names: &BTreeMap<String, DocId>,
    actor: &str,
    audit: &[(&str, String)],
) -> caravan_vault::Result<()> {
    for d in &p.deltas {
        tx.append_doc_chunk(&names[&d.doc_id], &d.bytes)?;
        for (h, s) in &d.signatures {
            tx.put_record(RecordKind::ChangeSignature, &h.0, s)?;
        }
    }
    if let Some(record) = &p.names_record {
        tx.put_record(RecordKind::AppState, DOC_NAMES, record)?;
    }
    for (epoch, key, _) in &p.keys {
        tx.put_record(
            RecordKind::TeamKey,
            &u64::from(*epoch).to_be_bytes(),
            key.as_ref(),
        )?;
    }
    for epoch in &p.dropped {
        tx.delete_record(RecordKind::TeamKey, &u64::from(*epoch).to_be_bytes())?;
    }
    write_rows(tx, &p.rows)?;
    for e in &p.index {
        tx.put_case_index(e)?;
    }
    for e in &p.events {
        tx.audit_append(actor, e.action, &e.detail)?;
    }
    for (action, detail) in audit {
        tx.audit_append(actor, action, detail)?;
    }
    Ok(())
}

/// Where each of the sync state's rows is stored.
fn record_kind(kind: RowKind) -> RecordKind {
    match kind {
        RowKind::PeerHeads => RecordKind::PeerSyncState,
        RowKind::Held => RecordKind::HeldChange,
        RowKind::Quarantined => RecordKind::QuarantinedChange,
        RowKind::Proof => RecordKind::ChangeProof,
        // One row, under its own key beside the other application state.
        RowKind::Notes => RecordKind::AppState,
    }
}

fn write_rows(tx: &mut caravan_vault::VaultTx<'_>, diff: &StateDiff) -> caravan_vault::Result<()> {
    for (kind, key) in &diff.delete {
        tx.delete_record(record_kind(*kind), key)?;
    }
    for (kind, key, value) in &diff.put {
        tx.put_record(record_kind(*kind), key, value)?;
    }
    Ok(())
}

/// A digest of a team key, to notice a replaced key without keeping a
/// second copy of it.
fn key_digest(key: &TeamKey) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"caravan-core/stored-team-key\0");
    h.update(key.epoch.to_be_bytes());
    h.update(key.secret_bytes());
    h.finalize().into()
}

fn corrupt(what: &str) -> CoreError {
    CoreError::Vault(caravan_vault::VaultError::CorruptRecord(
        caravan_vault::RecordRef::new("records", format!("AppState/{what}")),
    ))
}
