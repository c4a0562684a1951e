//! Opening, creating, unlocking and locking a vault; the key hierarchy.
//!
//! The vault's methods for each kind of stored data are in `vault/`. They
//! sit above the modules that store that data (`docs`, `index`,
//! `keyed_records`, `attachments`, `audit`), which take a transaction and a
//! [`Ctx`] rather than the vault, so no module below uses the one above it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use zeroize::Zeroizing;

mod attachments;
mod audit;
mod docs;
mod index;
mod keyed_records;

use crate::crypto::{Cipher, Ctx, aad, random_array, sha256};
use crate::docs::{Coverage, DocId};
use crate::error::{Result, VaultError};
use crate::index::{IndexCache, IndexRows};
use crate::kdf::{KdfParams, derive_recovery};
use crate::passphrase_policy::PassphrasePolicy;
use crate::recovery::RecoveryCode;
use crate::schema::{self, APPLICATION_ID, DB_FILE, FORMAT_VERSION, LOCK_FILE, MAGIC};
use crate::secret::{Key32, Passphrase};

/// Parameters for [`Vault::create`].
#[derive(Debug, Clone, Default)]
pub struct CreateParams {
    /// Argon2id parameters for the passphrase slot.
    pub kdf: KdfParams,
    /// Passphrase rules.
    pub policy: PassphrasePolicy,
}

impl CreateParams {
    /// **Tests only**: cheap Argon2 parameters, default policy.
    pub fn insecure_fast_for_tests() -> Self {
        Self {
            kdf: KdfParams::insecure_fast_for_tests(),
            policy: PassphrasePolicy::default(),
        }
    }
}

/// Options for unlocking.
#[derive(Debug, Clone, Default)]
pub struct UnlockOptions {
    /// A passphrase slot weaker than this (in any parameter) is re-wrapped
    /// with the component-wise maximum on a successful passphrase unlock.
    pub kdf_floor: KdfParams,
}

impl UnlockOptions {
    /// **Tests only**: do not raise cheap test parameters to the defaults.
    pub fn insecure_fast_for_tests() -> Self {
        Self {
            kdf_floor: KdfParams::insecure_fast_for_tests(),
        }
    }
}

/// Runtime settings of an open vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultConfig {
    /// Largest attachment accepted, in bytes. Default 256 MiB.
    pub attachment_max_bytes: u64,
    /// `save_doc` compacts a document once it has this many incremental
    /// chunks. Default 64.
    pub compact_after_chunks: u32,
}

impl Default for VaultConfig {
    fn default() -> Self {
        Self {
            attachment_max_bytes: 256 * 1024 * 1024,
            compact_after_chunks: 64,
        }
    }
}

/// How the vault was unlocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockedWith {
    Passphrase,
    RecoveryCode,
}

pub(crate) struct Keys {
    pub(crate) cipher: Cipher,
    pub(crate) tag_key: Key32,
    vault_key: Key32,
}

impl Keys {
    fn new(vault_key: Key32) -> Self {
        let tag_key = Key32(Zeroizing::new(sha256(&[
            b"caravan-vault/tag-key/v1\0",
            vault_key.0.as_ref(),
        ])));
        Self {
            cipher: Cipher::new(&vault_key),
            tag_key,
            vault_key,
        }
    }
}

/// An unlocked vault. Holds the vault folder's process lock until
/// [`Vault::lock`] (or drop), which zeroizes all key material.
pub struct Vault {
    pub(crate) conn: Connection,
    pub(crate) vault_id: [u8; 16],
    pub(crate) keys: Keys,
    pub(crate) config: VaultConfig,
    pub(crate) index_cache: RefCell<Option<IndexCache>>,
    /// Per-document knowledge of what is stored (see `docs::Coverage`).
    pub(crate) doc_coverage: RefCell<HashMap<DocId, Coverage>>,
    dir: PathBuf,
    unlocked_with: UnlockedWith,
    _lock: File,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("keys", &"<redacted>")
            .finish()
    }
}

/// How long a lock that looks held is tried again before the vault is
/// called in use. On Unix a lock (flock) belongs to the open file, and a
/// process this one starts holds a copy of every open file from its fork
/// until its exec: a vault locked by this process while another of its
/// threads starts a program stays locked for that moment (microseconds to a
/// few milliseconds). Another process that really holds the vault holds it
/// for far longer than this.
const LOCK_RETRY_FOR: std::time::Duration = std::time::Duration::from_millis(500);

fn acquire_lock(dir: &Path) -> Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_FILE))?;
    let started = std::time::Instant::now();
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_RETRY_FOR => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(VaultError::InUse),
            Err(std::fs::TryLockError::Error(e)) => return Err(VaultError::Io(e)),
        }
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // FULL: every commit fsyncs the WAL, so an acknowledged edit survives
    // power loss, not only a process crash.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY; PRAGMA busy_timeout = 0;",
    )?;
    Ok(())
}

fn slot_aad(vault_id: &[u8; 16], kind: &str, p: &KdfParams, salt: &[u8]) -> Vec<u8> {
    let mut row = Vec::with_capacity(kind.len() + 12 + salt.len());
    row.extend_from_slice(kind.as_bytes());
    for x in [p.m_kib, p.t, p.p] {
        row.extend_from_slice(&x.to_be_bytes());
    }
    row.extend_from_slice(salt);
    aad(vault_id, "keyslots", &row, 0)
}

fn write_slot(
    tx: &Transaction<'_>,
    vault_id: &[u8; 16],
    kind: &str,
    p: &KdfParams,
    salt: &[u8],
    kek: &Key32,
    vault_key: &Key32,
) -> Result<()> {
    let wrapped =
        Cipher::new(kek).seal_always(&slot_aad(vault_id, kind, p, salt), vault_key.0.as_ref())?;
    tx.execute(
        "INSERT OR REPLACE INTO keyslots(kind, m_kib, t, p, salt, wrapped) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind, p.m_kib, p.t, p.p, salt, wrapped],
    )?;
    Ok(())
}

/// Wraps the vault key under a recovery code, with a fresh salt. The code
/// carries 128 bits of entropy, so its slot records no Argon2 cost (zeros).
fn write_recovery_slot(
    tx: &Transaction<'_>,
    vault_id: &[u8; 16],
    code: &RecoveryCode,
    vault_key: &Key32,
) -> Result<()> {
    let salt: [u8; 16] = random_array()?;
    let kek = derive_recovery(code.secret(), &salt);
    let no_cost = KdfParams {
        m_kib: 0,
        t: 0,
        p: 0,
    };
    write_slot(tx, vault_id, "recovery", &no_cost, &salt, &kek, vault_key)
}

struct Slot {
    params: KdfParams,
    salt: Vec<u8>,
    wrapped: Vec<u8>,
}

fn read_slot(conn: &Connection, kind: &str) -> Result<Slot> {
    conn.query_row(
        "SELECT m_kib, t, p, salt, wrapped FROM keyslots WHERE kind = ?1",
        [kind],
        |r| {
            Ok(Slot {
                params: KdfParams {
                    m_kib: r.get(0)?,
                    t: r.get(1)?,
                    p: r.get(2)?,
                },
                salt: r.get(3)?,
                wrapped: r.get(4)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| VaultError::NotAVault("the vault database (key slot missing)".into()))
}

fn unwrap_slot(vault_id: &[u8; 16], kind: &str, slot: &Slot, kek: &Key32) -> Option<Key32> {
    let pt = Cipher::new(kek).open_always(
        &slot_aad(vault_id, kind, &slot.params, &slot.salt),
        &slot.wrapped,
    )?;
    let arr: [u8; 32] = pt.as_slice().try_into().ok()?;
    Some(Key32(Zeroizing::new(arr)))
}

struct Opened {
    conn: Connection,
    lock: File,
    vault_id: [u8; 16],
    version: u32,
}

fn open_existing(dir: &Path) -> Result<Opened> {
    let db = dir.join(DB_FILE);
    let shown = dir.display().to_string();
    if !db.is_file() {
        return Err(VaultError::NotAVault(shown));
    }
    let lock = acquire_lock(dir)?;
    let conn = Connection::open_with_flags(
        &db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let not_vault = |_| VaultError::NotAVault(shown.clone());
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_vault)?;
    if app_id != APPLICATION_ID {
        return Err(VaultError::NotAVault(shown));
    }
    configure(&conn)?;
    if schema::meta_get(&conn, "magic")
        .map_err(|_| VaultError::NotAVault(shown.clone()))?
        .as_deref()
        != Some(MAGIC)
    {
        return Err(VaultError::NotAVault(shown));
    }
    let version = schema::format_version(&conn)?;
    if version > FORMAT_VERSION {
        return Err(VaultError::NewerFormat {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let vid =
        schema::meta_get(&conn, "vault_id")?.ok_or_else(|| VaultError::NotAVault(shown.clone()))?;
    let vault_id: [u8; 16] = vid
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::NotAVault(shown.clone()))?;
    let plaintext = schema::meta_get(&conn, "insecure_plaintext")?.is_some();
    if plaintext && !crate::crypto::ENCRYPTION_DISABLED {
        return Err(VaultError::InsecurePlaintextVault);
    }
    Ok(Opened {
        conn,
        lock,
        vault_id,
        version,
    })
}

fn warn_if_insecure() {
    if crate::crypto::ENCRYPTION_DISABLED {
        tracing::error!(
            "caravan-vault built with INSECURE-plaintext-benchmark-only: records are NOT encrypted"
        );
    }
}

impl Vault {
    /// Creates a new vault in `dir` (created if missing; must not already
    /// hold a vault). Returns the open vault and the one-time recovery code,
    /// which must be shown to the person exactly once.
    pub fn create(
        dir: &Path,
        passphrase: &Passphrase,
        params: &CreateParams,
    ) -> Result<(Vault, RecoveryCode)> {
        Self::create_at_version(dir, passphrase, params, FORMAT_VERSION)
    }

    pub(crate) fn create_at_version(
        dir: &Path,
        passphrase: &Passphrase,
        params: &CreateParams,
        version: u32,
    ) -> Result<(Vault, RecoveryCode)> {
        warn_if_insecure();
        params.policy.check(passphrase)?;
        params.kdf.validate()?;
        std::fs::create_dir_all(dir)?;
        let db = dir.join(DB_FILE);
        if db.exists() {
            return Err(VaultError::AlreadyExists(dir.display().to_string()));
        }
        let lock = acquire_lock(dir)?;
        let mut conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(VaultError::Storage(format!(
                "could not enable WAL mode (got {mode})"
            )));
        }
        conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"))?;
        configure(&conn)?;

        let vault_id: [u8; 16] = random_array()?;
        let vault_key = Key32::random()?;
        let code = RecoveryCode::generate()?;
        {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            schema::migrate(&tx, 0, version)?;
            schema::meta_put(&tx, "magic", MAGIC)?;
            schema::meta_put(&tx, "format_version", &version.to_be_bytes())?;
            schema::meta_put(&tx, "vault_id", &vault_id)?;
            if crate::crypto::ENCRYPTION_DISABLED {
                schema::meta_put(&tx, "insecure_plaintext", b"1")?;
            }
            let salt: [u8; 16] = random_array()?;
            let kek = params.kdf.derive(passphrase.expose().as_bytes(), &salt)?;
            write_slot(
                &tx,
                &vault_id,
                "passphrase",
                &params.kdf,
                &salt,
                &kek,
                &vault_key,
            )?;
            write_recovery_slot(&tx, &vault_id, &code, &vault_key)?;
            tx.commit()?;
        }
        let mut v = Vault::assemble(
            conn,
            vault_id,
            vault_key,
            dir,
            UnlockedWith::Passphrase,
            lock,
        );
        v.audit_start("vault", "vault.created")?;
        tracing::info!("vault created");
        Ok((v, code))
    }

    /// Unlocks with the passphrase, raising weak KDF parameters to the
    /// defaults ([`KdfParams::default`]).
    pub fn unlock(dir: &Path, passphrase: &Passphrase) -> Result<Vault> {
        Self::unlock_with_options(dir, passphrase, &UnlockOptions::default())
    }

    /// Unlocks with the passphrase. A wrong passphrase writes nothing.
    pub fn unlock_with_options(
        dir: &Path,
        passphrase: &Passphrase,
        opts: &UnlockOptions,
    ) -> Result<Vault> {
        warn_if_insecure();
        let o = open_existing(dir)?;
        let slot = read_slot(&o.conn, "passphrase")?;
        slot.params
            .validate()
            .map_err(|_| VaultError::NotAVault("the vault database (invalid key slot)".into()))?;
        // Argon2 runs on one core; meanwhile this thread reads the index
        // ciphertexts (not secret: they are on disk) so the case list can
        // be decrypted as soon as the key is known.
        let (kek, index_rows) = std::thread::scope(|s| {
            let derive = s.spawn(|| {
                slot.params
                    .derive(passphrase.expose().as_bytes(), &slot.salt)
            });
            let rows = IndexRows::read(&o.conn);
            let kek = derive
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (kek, rows)
        });
        let kek = kek?;
        let vault_key = unwrap_slot(&o.vault_id, "passphrase", &slot, &kek)
            .ok_or(VaultError::WrongPassphrase)?;
        let mut v = Self::finish_open(o, vault_key, dir, UnlockedWith::Passphrase)?;
        v.warm_index_cache(index_rows.ok());
        if !slot.params.at_least(&opts.kdf_floor) {
            let raised = slot.params.max(&opts.kdf_floor);
            tracing::info!(
                m_kib = raised.m_kib,
                t = raised.t,
                p = raised.p,
                "raising key-derivation parameters"
            );
            v.rewrap_passphrase(passphrase, &raised)?;
        }
        v.audit_note("vault.unlocked", "passphrase");
        Ok(v)
    }

    /// Unlocks with the recovery code. The code's checksum is checked
    /// before anything else (typos give `vault.recovery_code_typo`).
    pub fn unlock_with_recovery(dir: &Path, code: &str) -> Result<Vault> {
        warn_if_insecure();
        let code = RecoveryCode::parse(code)?;
        let o = open_existing(dir)?;
        let slot = read_slot(&o.conn, "recovery")?;
        let kek = derive_recovery(code.secret(), &slot.salt);
        let vault_key = unwrap_slot(&o.vault_id, "recovery", &slot, &kek)
            .ok_or(VaultError::WrongRecoveryCode)?;
        let mut v = Self::finish_open(o, vault_key, dir, UnlockedWith::RecoveryCode)?;
        v.warm_index_cache(None);
        v.audit_note("vault.unlocked", "recovery code");
        Ok(v)
    }

    fn finish_open(o: Opened, vault_key: Key32, dir: &Path, how: UnlockedWith) -> Result<Vault> {
        let Opened {
            mut conn,
            lock,
            vault_id,
            version,
        } = o;
        if version < FORMAT_VERSION {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            schema::migrate(&tx, version, FORMAT_VERSION)?;
            tx.commit()?;
        }
        Ok(Vault::assemble(conn, vault_id, vault_key, dir, how, lock))
    }

    /// The 16-byte ids `sql` selects, in its order; one of another length
    /// is no id and is skipped.
    pub(crate) fn ids(&self, sql: &str) -> Result<Vec<[u8; 16]>> {
        let mut stmt = self.conn.prepare(sql)?;
        let ids = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids
            .into_iter()
            .filter_map(|v| <[u8; 16]>::try_from(v.as_slice()).ok())
            .collect())
    }

    /// An open vault with the default configuration and empty caches.
    fn assemble(
        conn: Connection,
        vault_id: [u8; 16],
        vault_key: Key32,
        dir: &Path,
        unlocked_with: UnlockedWith,
        lock: File,
    ) -> Vault {
        Vault {
            conn,
            vault_id,
            keys: Keys::new(vault_key),
            config: VaultConfig::default(),
            index_cache: RefCell::new(None),
            doc_coverage: RefCell::new(HashMap::new()),
            dir: dir.to_path_buf(),
            unlocked_with,
            _lock: lock,
        }
    }

    fn rewrap_passphrase(&mut self, passphrase: &Passphrase, p: &KdfParams) -> Result<()> {
        let salt: [u8; 16] = random_array()?;
        let kek = p.derive(passphrase.expose().as_bytes(), &salt)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_slot(
            &tx,
            &self.vault_id,
            "passphrase",
            p,
            &salt,
            &kek,
            &self.keys.vault_key,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a new passphrase: re-wraps the vault key (no data is
    /// re-encrypted). The UI must have re-authenticated the person (or they
    /// just unlocked with the recovery code).
    pub fn change_passphrase(
        &mut self,
        new: &Passphrase,
        policy: &PassphrasePolicy,
        kdf: &KdfParams,
    ) -> Result<()> {
        policy.check(new)?;
        self.rewrap_passphrase(new, kdf)?;
        self.audit_note("vault.passphrase_changed", "");
        Ok(())
    }

    /// Replaces the recovery code (the old one stops working) and returns
    /// the new one, to be shown once.
    pub fn regenerate_recovery_code(&mut self) -> Result<RecoveryCode> {
        let code = RecoveryCode::generate()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_recovery_slot(&tx, &self.vault_id, &code, &self.keys.vault_key)?;
        tx.commit()?;
        self.audit_note("vault.recovery_code_replaced", "");
        Ok(code)
    }

    /// Locks the vault: zeroizes all key material and cached plaintext,
    /// closes the database and releases the folder lock.
    pub fn lock(self) {
        drop(self);
        tracing::info!("vault locked");
    }

    /// The vault folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How this session was unlocked.
    pub fn unlocked_with(&self) -> UnlockedWith {
        self.unlocked_with
    }

    /// The passphrase slot's current Argon2id parameters.
    pub fn kdf_params(&self) -> Result<KdfParams> {
        Ok(read_slot(&self.conn, "passphrase")?.params)
    }

    /// Current runtime settings.
    pub fn config(&self) -> &VaultConfig {
        &self.config
    }

    /// Changes runtime settings.
    pub fn set_config(&mut self, config: VaultConfig) {
        self.config = config;
    }

    /// Runs `PRAGMA integrity_check`.
    pub fn integrity_check(&self) -> Result<()> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(())
        } else {
            Err(VaultError::IntegrityCheckFailed(rows.join("; ")))
        }
    }

    pub(crate) fn ctx(&self) -> Ctx<'_> {
        Ctx {
            vault_id: &self.vault_id,
            cipher: &self.keys.cipher,
            tag_key: &self.keys.tag_key,
        }
    }

    /// Runs `f` in an immediate transaction; commits only if `f` succeeds.
    pub(crate) fn with_tx<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let ctx = Ctx {
            vault_id: &self.vault_id,
            cipher: &self.keys.cipher,
            tag_key: &self.keys.tag_key,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, &ctx)?;
        tx.commit()?;
        Ok(out)
    }
}
