//! [`Workspace`]: an unlocked vault and the replica it holds. Every use case
//! is a method on it (in the sibling modules); this module opens, loads and
//! persists.
//!
//! Persistence: each action changes the in-memory replica, then
//! [`Workspace::commit`] writes everything the action changed — new
//! document chunks, their signatures, the case index, the sync state, the
//! team keys and the action's audit entries — in one vault transaction. If
//! that transaction fails the replica is reloaded from the vault, so the
//! app never shows an edit that was not saved.
//!
//! The sync state is rows (`caravan_sync::stored_state`): a record per member
//! and document for peer heads, per held change and per quarantined
//! change; only the rows that changed are written or deleted. A vault
//! that still holds the earlier single JSON record is moved to rows the
//! first time it is opened.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use automerge::ChangeHash;
use caravan_model::{Catalog, Role};
use caravan_sync::stored_state::NOTES_KEY;
use caravan_sync::{DeviceKeys, Replica, ReplicaState, RowKind, StateDiff, StoredRows, TeamKey};
use caravan_vault::{
    CreateParams, DocId, Passphrase, RecordKind, RecoveryCode, UnlockOptions, Vault,
};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::error::{CoreError, Result};
pub use crate::ids::doc_id_for;

/// `AppState` record keys.
const DOC_NAMES: &[u8] = b"doc-names";
/// The sync state as one JSON record, as vaults before format 3 hold it;
/// moved to rows when such a vault is opened.
const LEGACY_REPLICA_STATE: &[u8] = b"replica-state";
const PENDING_JOIN: &[u8] = b"pending-join";
const SETTINGS: &[u8] = b"settings";
const TEAM_DOC: &str = "team";

/// Per-device settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// Lock after this many minutes without input (desktop app).
    pub auto_lock_minutes: u32,
    /// Interface language: en, ru, uz.
    pub language: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auto_lock_minutes: 5,
            language: "en".into(),
        }
    }
}

/// How to open or create a vault.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub clock: Arc<dyn Clock>,
    /// Argon2id cost for new vaults and the floor raised to on unlock.
    pub create: CreateParams,
    pub unlock: UnlockOptions,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            create: CreateParams::default(),
            unlock: UnlockOptions::default(),
        }
    }
}

impl OpenOptions {
    /// What the desktop app and the command line run with: the full key
    /// derivation, unless the insecure fast one is requested (the
    /// `CARAVAN_INSECURE_FAST_KDF=1` of the end-to-end and CLI tests) *and*
    /// this is a build with debug assertions, as test builds are. A release
    /// or dist build never weakens the key derivation, whatever its
    /// environment says.
    pub fn for_front_end(insecure_fast_kdf_requested: bool) -> Self {
        if insecure_fast_kdf_requested && cfg!(debug_assertions) {
            tracing::warn!("insecure fast key derivation requested: honoured in test builds only");
            Self::insecure_fast_kdf(Arc::new(SystemClock))
        } else {
            Self::default()
        }
    }

    /// **Tests and the demo only**: cheap key derivation.
    pub fn insecure_fast_kdf(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            create: CreateParams::insecure_fast_for_tests(),
            unlock: UnlockOptions::insecure_fast_for_tests(),
        }
    }
}

/// An unlocked vault and the device's replica of the team's documents.
pub struct Workspace {
    pub(crate) vault: Vault,
    /// `None` until the device founds or joins a team.
    pub(crate) replica: Option<Replica>,
    /// Heads of each document as stored in the vault.
    stored: BTreeMap<String, Vec<ChangeHash>>,
    /// Document name (case id or "team") → vault document id.
    names: BTreeMap<String, DocId>,
    /// The sync state's rows the vault holds, and the replica's state
    /// generation they match.
    rows: StoredRows,
    rows_generation: Option<u64>,
    /// Team key epochs as stored, each with a digest of its key: a key the
    /// replica replaced (the team document sealed it another one) is
    /// rewritten, and one it dropped is deleted.
    keys_written: BTreeMap<u32, [u8; 32]>,
    /// Documents that could not be read at unlock (named in the case list).
    pub(crate) damaged: Vec<String>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) catalog: &'static Catalog,
    create: CreateParams,
    /// The audit log has entries other than the exchanges' own since its
    /// head was last recorded for the team (see `exchange.rs`). Set at
    /// unlock: the unlock itself is one.
    pub(crate) audit_unshared: bool,
}

/// Audit actions an exchange itself writes: they alone do not make the
/// head worth recording again, or two devices would answer each other's
/// bundles with a new head for ever.
const EXCHANGE_ACTIONS: &[&str] = &["sync.export", "sync.import", "sync.session"];

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("vault", &self.vault)
            .finish_non_exhaustive()
    }
}

impl Workspace {
    /// Creates a vault in `dir` with new device keys. Returns the recovery
    /// code, to be shown exactly once. The device joins a team next
    /// ([`Workspace::found_team`] or a join request).
    pub fn create(
        dir: &Path,
        passphrase: &Passphrase,
        opts: &OpenOptions,
    ) -> Result<(Workspace, RecoveryCode)> {
        let (mut vault, code) = Vault::create(dir, passphrase, &opts.create)?;
        let keys = DeviceKeys::generate()?;
        let secret = keys.to_secret_bytes();
        vault.transaction(|tx| {
            tx.put_record(RecordKind::DeviceIdentity, b"", secret.as_ref())?;
            tx.audit_append(
                &keys.id().to_hex(),
                "vault.create",
                &format!("device {}", keys.id().to_hex()),
            )?;
            Ok(())
        })?;
        Ok((Self::empty(vault, opts), code))
    }

    /// Unlocks the vault in `dir` with its passphrase.
    pub fn unlock(dir: &Path, passphrase: &Passphrase, opts: &OpenOptions) -> Result<Workspace> {
        let vault = Vault::unlock_with_options(dir, passphrase, &opts.unlock)?;
        Self::load(vault, opts)
    }

    /// Unlocks the vault in `dir` with its recovery code. The caller should
    /// then set a new passphrase ([`Workspace::change_passphrase`]).
    pub fn unlock_with_recovery(dir: &Path, code: &str, opts: &OpenOptions) -> Result<Workspace> {
        let vault = Vault::unlock_with_recovery(dir, code)?;
        Self::load(vault, opts)
    }

    /// Locks: key material is zeroized and the folder lock released.
    pub fn lock(mut self) {
        let actor = self.actor();
        if let Err(e) = self.vault.audit_append(&actor, "vault.lock", "") {
            tracing::warn!(
                code = e.code(),
                "could not record the lock in the audit log"
            );
        }
        self.replica = None;
        self.vault.lock();
    }

    /// Replaces the passphrase (after checking the new one against the policy).
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        // The vault records the change in the audit log itself.
        self.vault
            .change_passphrase(new, &self.create.policy, &self.create.kdf)?;
        Ok(())
    }

    /// Issues a new recovery code; the old one stops working.
    pub fn regenerate_recovery_code(&mut self) -> Result<RecoveryCode> {
        Ok(self.vault.regenerate_recovery_code()?)
    }

    pub fn vault_dir(&self) -> &Path {
        self.vault.dir()
    }

    fn empty(vault: Vault, opts: &OpenOptions) -> Workspace {
        Workspace {
            vault,
            replica: None,
            stored: BTreeMap::new(),
            names: BTreeMap::new(),
            rows: StoredRows::default(),
            rows_generation: None,
            keys_written: BTreeMap::new(),
            damaged: Vec::new(),
            clock: opts.clock.clone(),
            catalog: Catalog::builtin(),
            create: opts.create.clone(),
            audit_unshared: true,
        }
    }

    /// The vault records the unlock in the audit log itself.
    fn load(vault: Vault, opts: &OpenOptions) -> Result<Workspace> {
        let mut ws = Self::empty(vault, opts);
        ws.replica = ws.read_replica()?;
        Ok(ws)
    }

    pub(crate) fn device_keys(&self) -> Result<DeviceKeys> {
        let secret = self.vault.device_identity()?.ok_or_else(|| {
            CoreError::Vault(caravan_vault::VaultError::NotFound(
                "this device's keys".into(),
            ))
        })?;
        let bytes: &[u8; 64] = secret.expose().try_into().map_err(|_| {
            CoreError::Vault(caravan_vault::VaultError::NotFound(
                "this device's keys".into(),
            ))
        })?;
        Ok(DeviceKeys::from_bytes(bytes))
    }

    /// Rebuilds the replica from the vault (`None` before a team exists).
    fn read_replica(&mut self) -> Result<Option<Replica>> {
        self.stored.clear();
        self.names.clear();
        self.damaged.clear();
        self.rows = StoredRows::default();
        self.rows_generation = None;
        self.keys_written.clear();
        let names: BTreeMap<String, String> =
            match self.vault.get_record(RecordKind::AppState, DOC_NAMES)? {
                Some(v) => serde_json::from_slice(v.expose()).map_err(|_| corrupt("doc-names"))?,
                None => BTreeMap::new(),
            };
        let Some(mut team_doc) = self.vault.load_doc_for_edit(&DocId::TEAM)? else {
            return Ok(None);
        };
        self.stored.insert(TEAM_DOC.into(), team_doc.get_heads());
        self.names.insert(TEAM_DOC.into(), DocId::TEAM);
        let mut cases = Vec::new();
        for id in self.vault.doc_ids()? {
            if id == DocId::TEAM {
                continue;
            }
            let name = names.get(&id.to_hex()).cloned().unwrap_or(id.to_hex());
            match self.vault.load_doc_for_edit(&id) {
                Ok(Some(mut doc)) => {
                    self.stored.insert(name.clone(), doc.get_heads());
                    self.names.insert(name.clone(), id);
                    cases.push((name, doc));
                }
                Ok(None) => {}
                // One damaged case must not lock the person out of the
                // others: it is named in the case list and left untouched
                // in the vault, to be restored from a peer.
                Err(
                    e @ (caravan_vault::VaultError::CorruptRecord(_)
                    | caravan_vault::VaultError::DocumentIncomplete { .. }),
                ) => {
                    tracing::error!(code = e.code(), "a case document could not be read");
                    self.damaged.push(e.to_string());
                }
                Err(e) => return Err(e.into()),
            }
        }
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
        let mut signatures = Vec::new();
        for (k, v) in self.vault.list_records(RecordKind::ChangeSignature)? {
            if let (Ok(h), Ok(s)) = (
                <[u8; 32]>::try_from(k.as_slice()),
                <[u8; 64]>::try_from(v.expose()),
            ) {
                signatures.push((ChangeHash(h), s));
            }
        }
        let legacy = self
            .vault
            .get_record(RecordKind::AppState, LEGACY_REPLICA_STATE)?;
        let state: ReplicaState = match &legacy {
            Some(v) => serde_json::from_slice(v.expose()).map_err(|_| corrupt("replica-state"))?,
            None => {
                let mut rows = Vec::new();
                for kind in [RowKind::PeerHeads, RowKind::Held, RowKind::Quarantined] {
                    for (key, value) in self.vault.list_records(record_kind(kind))? {
                        rows.push((kind, key, value.expose().to_vec()));
                    }
                }
                if let Some(v) = self.vault.get_record(RecordKind::AppState, NOTES_KEY)? {
                    rows.push((RowKind::Notes, NOTES_KEY.to_vec(), v.expose().to_vec()));
                }
                let (state, stored) = caravan_sync::stored_state::state_from_rows(rows)?;
                self.rows = stored;
                state
            }
        };
        let keys = self.device_keys()?;
        let replica = Replica::restore(keys, team_doc, team_keys, cases, signatures, state)?;
        if legacy.is_some() {
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
        }
        self.rows_generation = Some(replica.state_generation());
        Ok(Some(replica))
    }

    /// Writes everything the current action changed, with its audit
    /// entries, in one durable transaction. `case_index` names the cases
    /// whose index entry must be rewritten (every case with new changes is
    /// rewritten anyway).
    pub(crate) fn commit(&mut self, audit: &[(&str, String)]) -> Result<()> {
        let result = self.write_changes(audit);
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

    fn write_changes(&mut self, audit: &[(&str, String)]) -> Result<()> {
        let actor = self.actor();
        let Some(replica) = self.replica.as_mut() else {
            self.vault.transaction(|tx| {
                for (action, detail) in audit {
                    tx.audit_append(&actor, action, detail)?;
                }
                Ok(())
            })?;
            return Ok(());
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
        let keys: Vec<(u32, Zeroizing<[u8; 32]>, [u8; 32])> = replica
            .team_keys()
            .map(|k| (k, key_digest(k)))
            .filter(|(k, d)| self.keys_written.get(&k.epoch) != Some(d))
            .map(|(k, d)| (k.epoch, Zeroizing::new(*k.secret_bytes()), d))
            .collect();
        let dropped: Vec<u32> = self
            .keys_written
            .keys()
            .copied()
            .filter(|e| replica.team_key(*e).is_none())
            .collect();
        let mut new_names = false;
        for d in &deltas {
            if !self.names.contains_key(&d.doc_id) {
                self.names.insert(d.doc_id.clone(), doc_id_for(&d.doc_id));
                new_names = true;
            }
        }
        let names_record = serde_json::to_vec(
            &self
                .names
                .iter()
                .map(|(n, id)| (id.to_hex(), n.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
        .map_err(|e| CoreError::invalid("document names", e.to_string()))?;
        let mut index = Vec::new();
        for d in &deltas {
            if d.doc_id != TEAM_DOC
                && let Some(r) = self.replica.as_ref()
                && let Some(entry) = crate::index::index_entry(r, self.catalog, &d.doc_id)
            {
                index.push(entry);
            }
        }
        let names = &self.names;
        self.vault.transaction(|tx| {
            for d in &deltas {
                let id = names[&d.doc_id];
                tx.append_doc_chunk(&id, &d.bytes)?;
                for (h, s) in &d.signatures {
                    tx.put_record(RecordKind::ChangeSignature, &h.0, s)?;
                }
            }
            if new_names {
                tx.put_record(RecordKind::AppState, DOC_NAMES, &names_record)?;
            }
            for (epoch, key, _) in &keys {
                tx.put_record(
                    RecordKind::TeamKey,
                    &u64::from(*epoch).to_be_bytes(),
                    key.as_ref(),
                )?;
            }
            for epoch in &dropped {
                tx.delete_record(RecordKind::TeamKey, &u64::from(*epoch).to_be_bytes())?;
            }
            write_rows(tx, &rows)?;
            for e in &index {
                tx.put_case_index(e)?;
            }
            for e in &events {
                tx.audit_append(&actor, e.action, &e.detail)?;
            }
            for (action, detail) in audit {
                tx.audit_append(&actor, action, detail)?;
            }
            Ok(())
        })?;
        for action in audit
            .iter()
            .map(|(a, _)| *a)
            .chain(events.iter().map(|e| e.action))
        {
            self.note_audited(action);
        }
        for d in deltas {
            let id = self.names[&d.doc_id];
            self.stored.insert(d.doc_id, d.heads);
            self.compact_if_due(&id);
        }
        self.keys_written
            .extend(keys.iter().map(|(e, _, digest)| (*e, *digest)));
        for epoch in dropped {
            self.keys_written.remove(&epoch);
        }
        self.rows.apply(&rows);
        self.rows_generation = Some(generation);
        Ok(())
    }

    /// Compaction rewrites a document as one snapshot in its own durable
    /// transaction; a failure leaves the chunks as they were.
    fn compact_if_due(&mut self, id: &DocId) {
        let due = self
            .vault
            .doc_stats(id)
            .map(|s| s.incrementals >= self.vault.config().compact_after_chunks)
            .unwrap_or(false);
        if due && let Err(e) = self.vault.compact_doc(id) {
            tracing::warn!(code = e.code(), "compaction failed; will retry later");
        }
    }

    /// Writes only audit entries (actions that read case data).
    pub(crate) fn audit(&mut self, action: &str, detail: &str) -> Result<()> {
        let actor = self.actor();
        self.vault.audit_append(&actor, action, detail)?;
        self.note_audited(action);
        Ok(())
    }

    pub(crate) fn note_audited(&mut self, action: &str) {
        if !EXCHANGE_ACTIONS.contains(&action) {
            self.audit_unshared = true;
        }
    }

    /// Who appears in the audit log: the member id, or the device id
    /// before the device belongs to a team.
    pub(crate) fn actor(&self) -> String {
        if let Some(r) = &self.replica
            && let Ok((member, _)) = r.me()
        {
            return member;
        }
        match self.device_keys() {
            Ok(k) => k.id().to_hex(),
            Err(_) => "unknown-device".into(),
        }
    }

    pub(crate) fn replica(&self) -> Result<&Replica> {
        self.replica.as_ref().ok_or(CoreError::NoTeam)
    }

    pub(crate) fn replica_mut(&mut self) -> Result<&mut Replica> {
        self.replica.as_mut().ok_or(CoreError::NoTeam)
    }

    /// This device's member id and role.
    pub fn me(&self) -> Result<(String, Role)> {
        Ok(self.replica()?.me()?)
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Device settings (language, auto-lock), stored encrypted in the vault.
    pub fn settings(&self) -> Result<Settings> {
        Ok(
            match self.vault.get_record(RecordKind::AppState, SETTINGS)? {
                Some(v) => serde_json::from_slice(v.expose()).unwrap_or_default(),
                None => Settings::default(),
            },
        )
    }

    pub fn set_settings(&mut self, s: &Settings) -> Result<()> {
        if !(1..=240).contains(&s.auto_lock_minutes) {
            return Err(CoreError::invalid(
                "auto-lock",
                "must be between 1 and 240 minutes",
            ));
        }
        if !["en", "ru", "uz"].contains(&s.language.as_str()) {
            return Err(CoreError::invalid("language", "must be en, ru or uz"));
        }
        let bytes =
            serde_json::to_vec(s).map_err(|e| CoreError::invalid("settings", e.to_string()))?;
        self.vault
            .put_record(RecordKind::AppState, SETTINGS, &bytes)?;
        Ok(())
    }

    pub(crate) fn set_pending_join(&mut self, request: &str) -> Result<()> {
        self.vault
            .put_record(RecordKind::AppState, PENDING_JOIN, request.as_bytes())?;
        Ok(())
    }

    pub(crate) fn pending_join(&self) -> Result<Option<String>> {
        Ok(self
            .vault
            .get_record(RecordKind::AppState, PENDING_JOIN)?
            .map(|v| String::from_utf8_lossy(v.expose()).into_owned()))
    }

    pub(crate) fn install_replica(
        &mut self,
        replica: Replica,
        audit: &[(&str, String)],
    ) -> Result<()> {
        if self.replica.is_some() {
            return Err(CoreError::AlreadyInTeam);
        }
        self.replica = Some(replica);
        let r = self.commit(audit);
        if r.is_ok() {
            self.vault
                .delete_record(RecordKind::AppState, PENDING_JOIN)?;
        }
        r
    }
}

/// Where each of the sync state's rows is stored.
fn record_kind(kind: RowKind) -> RecordKind {
    match kind {
        RowKind::PeerHeads => RecordKind::PeerSyncState,
        RowKind::Held => RecordKind::HeldChange,
        RowKind::Quarantined => RecordKind::QuarantinedChange,
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
