//! [`Workspace`]: an unlocked vault and the replica it holds. Every use case
//! is a method on it (in the sibling modules); this module creates,
//! unlocks and locks it and keeps the device's settings.
//!
//! Each action changes the in-memory replica, then `Workspace::commit`
//! (`replica_store.rs`) writes everything the action changed in one vault
//! transaction; if it fails the replica is reloaded from the vault, so the
//! app never shows an edit that was not saved.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use automerge::ChangeHash;
use caravan_model::texts::{SHIPPED_LANGUAGES, shipped_language};
use caravan_model::{Catalog, Role};
use caravan_sync::{DeviceKeys, Replica, StoredRows};
use caravan_vault::{
    CreateParams, DocId, Passphrase, RecordKind, RecoveryCode, UnlockOptions, Vault,
};

use crate::clock::{Clock, SystemClock};
use crate::error::{CoreError, Result};
pub use crate::ids::doc_id_for;

/// `AppState` record keys (the replica's own are in `replica_store.rs`).
const PENDING_JOIN: &[u8] = b"pending-join";
/// Present while the person has not confirmed writing the recovery code
/// down: the code is shown again (a new one) until they do.
const RECOVERY_UNCONFIRMED: &[u8] = b"recovery-unconfirmed";
const SETTINGS: &[u8] = b"settings";

/// Per-device settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// Lock after this many minutes without input (desktop app).
    pub auto_lock_minutes: u32,
    /// Interface language, one of `caravan_model::texts::SHIPPED_LANGUAGES`.
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
    /// Stored bytes of the cases kept in memory between actions (see
    /// `residency.rs`); the least recently used saved ones go past it.
    pub resident_bytes: u64,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            create: CreateParams::default(),
            unlock: UnlockOptions::default(),
            resident_bytes: crate::residency::RESIDENT_BYTES,
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
            resident_bytes: crate::residency::RESIDENT_BYTES,
        }
    }
}

/// An unlocked vault and the device's replica of the team's documents.
pub struct Workspace {
    pub(crate) vault: Vault,
    /// `None` until the device founds or joins a team.
    pub(crate) replica: Option<Replica>,
    /// Heads of each document as stored in the vault.
    pub(crate) stored: BTreeMap<String, Vec<ChangeHash>>,
    /// Document name (case id or "team") → vault document id.
    pub(crate) names: BTreeMap<String, DocId>,
    /// The sync state's rows the vault holds, and the replica's state
    /// generation they match.
    pub(crate) rows: StoredRows,
    pub(crate) rows_generation: Option<u64>,
    /// Team key epochs as stored, each with a digest of its key: a key the
    /// replica replaced (the team document sealed it another one) is
    /// rewritten, and one it dropped is deleted.
    pub(crate) keys_written: BTreeMap<u32, [u8; 32]>,
    /// Documents that could not be read (named in the case list).
    pub(crate) damaged: Vec<String>,
    /// Which cases are in memory, least recently used first.
    pub(crate) residency: crate::residency::Residency,
    /// Held by every open live session (one clone each): while any is
    /// open, every case and signature stays in memory between its frames
    /// instead of being read again for each. A session dropped without
    /// being ended lets go of it too.
    pub(crate) live_pins: Arc<()>,
    /// Relay envelopes handed out and not yet confirmed stored.
    pub(crate) relay_unconfirmed: crate::unconfirmed::Unconfirmed,
    /// Each case's number of conflicts as its index entry last counted.
    pub(crate) conflict_counts: std::collections::HashMap<String, u32>,
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

    /// Notes whether the person has yet to confirm writing the recovery
    /// code down. A front end that shows the code sets it when the vault is
    /// made; while it is set, the front end shows a new code (the shown one
    /// is gone with the screen) until the person confirms.
    pub fn set_recovery_unconfirmed(&mut self, unconfirmed: bool) -> Result<()> {
        if unconfirmed {
            self.vault
                .put_record(RecordKind::AppState, RECOVERY_UNCONFIRMED, b"1")?;
        } else {
            self.vault
                .delete_record(RecordKind::AppState, RECOVERY_UNCONFIRMED)?;
        }
        Ok(())
    }

    pub fn recovery_unconfirmed(&self) -> Result<bool> {
        Ok(self
            .vault
            .get_record(RecordKind::AppState, RECOVERY_UNCONFIRMED)?
            .is_some())
    }

    /// How a case is stored: its snapshot and the chunks added since, and
    /// their sizes (for diagnostics; nothing of the case's content).
    pub fn case_storage(&mut self, case: &str) -> Result<caravan_vault::DocStats> {
        let id = self.find_case(case)?;
        Ok(self.vault.doc_stats(&crate::ids::doc_id_for(&id))?)
    }

    /// How many cases are in memory now (for diagnostics: unlock reads
    /// none, and the least recently used ones go again).
    pub fn cases_in_memory(&self) -> usize {
        self.replica.as_ref().map_or(0, |r| r.loaded_count())
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
            residency: crate::residency::Residency::with_cap(opts.resident_bytes),
            live_pins: Arc::new(()),
            relay_unconfirmed: Default::default(),
            conflict_counts: Default::default(),
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
        ws.rebuild_stale_index()?;
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
                Some(v) => {
                    let mut s: Settings = serde_json::from_slice(v.expose()).unwrap_or_default();
                    // Older releases stored Uzbek in the Latin script as `uz`.
                    s.language = shipped_language(&s.language).unwrap_or("en").to_string();
                    s
                }
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
        let Some(language) = shipped_language(&s.language) else {
            return Err(CoreError::invalid(
                "language",
                format!("must be one of {}", SHIPPED_LANGUAGES.join(", ")),
            ));
        };
        let s = Settings {
            language: language.to_string(),
            ..s.clone()
        };
        let bytes =
            serde_json::to_vec(&s).map_err(|e| CoreError::invalid("settings", e.to_string()))?;
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

    /// Refuses when this device belongs to a team: one in memory, or one
    /// the vault holds though it could not be read back (after a failed
    /// save and reload), which a second team must never be written over.
    pub(crate) fn without_team(&self) -> Result<()> {
        if self.replica.is_some() || self.vault.doc_ids()?.contains(&DocId::TEAM) {
            return Err(CoreError::AlreadyInTeam);
        }
        Ok(())
    }

    pub(crate) fn install_replica(
        &mut self,
        replica: Replica,
        audit: &[(&str, String)],
    ) -> Result<()> {
        self.without_team()?;
        self.replica = Some(replica);
        let r = self.commit(audit);
        if r.is_ok() {
            self.vault
                .delete_record(RecordKind::AppState, PENDING_JOIN)?;
        }
        r
    }
}
