//! Errors of the vault. Every variant has a stable [`VaultError::code`] and
//! a message a person can act on. No variant ever carries key material,
//! passphrases, recovery codes or decrypted record content.

use std::fmt;

/// Which record a problem concerns: table and a non-secret row identifier
/// (hex document id, sequence number, ...). Never contains plaintext.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RecordRef {
    /// Table name in the vault database.
    pub table: &'static str,
    /// Row identifier within the table (non-secret).
    pub row: String,
}

impl RecordRef {
    pub fn new(table: &'static str, row: impl Into<String>) -> Self {
        Self {
            table,
            row: row.into(),
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.table, self.row)
    }
}

impl fmt::Debug for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordRef({self})")
    }
}

/// What `audit_verify` found wrong with the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// The entry stored at this sequence number was altered (it no longer
    /// decrypts, or its content does not match the chain).
    Modified { seq: u64 },
    /// The entry with this sequence number is missing.
    Deleted { seq: u64 },
    /// The row at `seq` holds the entry that belongs at `holds`.
    Reordered { seq: u64, holds: u64 },
    /// The log ends before the sealed chain head: entries were cut off.
    Truncated { expected: u64, found: u64 },
    /// The sealed chain head is missing or was altered.
    HeadInvalid,
    /// Every entry and the head are gone: the log was wiped (every vault's
    /// log starts with the vault).
    Wiped,
    /// Peers hold a head of this log with more entries than it has: the
    /// vault was rolled back to an older copy.
    RolledBack { peers_hold: u64, found: u64 },
    /// The entry at `seq` is not the one the head peers hold describes:
    /// the log was rolled back and written again.
    Diverged { seq: u64 },
}

impl fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Modified { seq } => write!(f, "entry {seq} was modified"),
            Self::Deleted { seq } => write!(f, "entry {seq} was deleted"),
            Self::Reordered { seq, holds } => {
                write!(
                    f,
                    "entries were reordered: position {seq} holds entry {holds}"
                )
            }
            Self::Truncated { expected, found } => {
                write!(
                    f,
                    "the log was truncated: {found} of {expected} entries remain"
                )
            }
            Self::HeadInvalid => write!(f, "the sealed chain head is missing or altered"),
            Self::Wiped => write!(f, "every entry and the chain head were deleted"),
            Self::RolledBack { peers_hold, found } => write!(
                f,
                "the vault was rolled back to an older copy: other devices hold this log's head at {peers_hold} entries, this log has {found}"
            ),
            Self::Diverged { seq } => write!(
                f,
                "the log was rolled back and written again: entry {seq} is not the one other devices hold"
            ),
        }
    }
}

/// Every error the vault returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    #[error(
        "The passphrase is not correct for this vault. Check the keyboard layout and Caps Lock, or use the recovery code."
    )]
    WrongPassphrase,
    #[error(
        "The recovery code does not open this vault. Check that it is the code shown when this vault was created."
    )]
    WrongRecoveryCode,
    #[error("The recovery code is mistyped: {0}. Check each group against the printed code.")]
    RecoveryCodeTypo(&'static str),
    #[error("This passphrase cannot be used: {0}")]
    WeakPassphrase(String),
    #[error(
        "{0} is not a Caravan vault (no vault database found, or the file is not one). Choose the vault folder."
    )]
    NotAVault(String),
    #[error("A vault already exists in {0}; choose an empty folder.")]
    AlreadyExists(String),
    #[error(
        "This vault was written by a newer version of Caravan (format {found}, this version reads up to {supported}). Update Caravan to open it."
    )]
    NewerFormat { found: u32, supported: u32 },
    #[error("The vault is in use by another Caravan window or process. Close it and try again.")]
    InUse,
    #[error("The vault is locked; unlock it first.")]
    Locked,
    #[error(
        "Record {0} is damaged or was tampered with and cannot be read. Other records are unaffected; restore this one from a backup or a peer."
    )]
    CorruptRecord(RecordRef),
    #[error(
        "Document {doc} is incomplete: a stored chunk is missing (history references changes that are not in the vault). Sync it again from a peer."
    )]
    DocumentIncomplete { doc: String },
    #[error(
        "The attachment is larger than the limit of {limit} bytes. Reduce it (e.g. scan at a lower resolution) or raise the limit."
    )]
    AttachmentTooLarge { limit: u64 },
    #[error(
        "The exported attachment does not match the fingerprint recorded when it was added; the export was discarded."
    )]
    AttachmentHashMismatch,
    #[error("Nothing is stored under {0}.")]
    NotFound(String),
    #[error(
        "The disk is full; the last change was not saved (nothing else was lost). Free some space and try again."
    )]
    DiskFull,
    #[error("The audit log was tampered with: {0}.")]
    AuditTampered(AuditProblem),
    #[error("The vault database failed its integrity check: {0}. Restore from a backup.")]
    IntegrityCheckFailed(String),
    #[error(
        "This vault was written by a benchmark-only build without encryption and must not be used."
    )]
    InsecurePlaintextVault,
    #[error("Invalid input: {0}")]
    InvalidInput(String),
    #[error("File error ({0}).")]
    Io(#[from] std::io::Error),
    #[error("Storage error: {0}")]
    Storage(String),
    #[error("Internal cryptography error ({0}).")]
    Crypto(&'static str),
}

// Decided by the variant: the codes are for people and scripts, the kind is
// for the program (exit codes, how a front end presents the error).
caravan_errors::coded! {
    VaultError {
        Self::WrongPassphrase => ("vault.wrong_passphrase", WrongSecret),
        Self::WrongRecoveryCode => ("vault.wrong_recovery_code", WrongSecret),
        Self::RecoveryCodeTypo(_) => ("vault.recovery_code_typo", WrongSecret),
        Self::WeakPassphrase(_) => ("vault.weak_passphrase", Rejected),
        Self::NotAVault(_) => ("vault.not_a_vault", Rejected),
        Self::AlreadyExists(_) => ("vault.already_exists", Rejected),
        Self::NewerFormat { .. } => ("vault.newer_format", Rejected),
        Self::InUse => ("vault.in_use", InUse),
        Self::Locked => ("vault.locked", Rejected),
        Self::CorruptRecord(_) => ("vault.corrupt_record", Verification),
        Self::DocumentIncomplete { .. } => ("vault.document_incomplete", Verification),
        Self::AttachmentTooLarge { .. } => ("vault.attachment_too_large", Rejected),
        Self::AttachmentHashMismatch => ("vault.attachment_hash_mismatch", Verification),
        Self::NotFound(_) => ("vault.not_found", Rejected),
        Self::DiskFull => ("vault.disk_full", Failure),
        Self::AuditTampered(_) => ("vault.audit_tampered", Verification),
        Self::IntegrityCheckFailed(_) => ("vault.integrity_check_failed", Verification),
        Self::InsecurePlaintextVault => ("vault.insecure_plaintext", Rejected),
        Self::InvalidInput(_) => ("vault.invalid_input", Rejected),
        Self::Io(_) => ("vault.io", Failure),
        Self::Storage(_) => ("vault.storage", Failure),
        Self::Crypto(_) => ("vault.crypto", Failure),
    }
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                C::DiskFull => return Self::DiskFull,
                C::DatabaseBusy | C::DatabaseLocked => return Self::InUse,
                C::NotADatabase => return Self::NotAVault("the file".into()),
                _ => {}
            }
        }
        // SQLite messages only ever concern ciphertext rows and SQL, never
        // plaintext: the vault stores nothing else.
        Self::Storage(e.to_string())
    }
}

/// Result alias.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;
