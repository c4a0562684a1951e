//! The core's error: every failure a front end can meet, each with a
//! stable code. Front ends match codes, never message text.

use caravan_model::ModelError;
use caravan_sync::SyncError;
use caravan_vault::VaultError;

/// What kind of failure an error is, for exit codes and for how a front
/// end presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Wrong passphrase or recovery code.
    WrongSecret,
    /// The vault is open in another window or process.
    InUse,
    /// The input was refused (invalid value, not permitted, unknown id).
    Rejected,
    /// A signature, checksum or chain did not verify: data was damaged or
    /// tampered with.
    Verification,
    /// Anything else (disk, storage, internal).
    Failure,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(
        "This device has not joined a team yet. Found a team, or accept the join package an admin wrote for this device."
    )]
    NoTeam,
    #[error("This device already belongs to a team.")]
    AlreadyInTeam,
    #[error("No {what} matches '{id}'.")]
    NotFound { what: &'static str, id: String },
    #[error("'{id}' matches more than one {what}; type more of it.")]
    Ambiguous { what: &'static str, id: String },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("As {role} you may not {action}.")]
    Denied { role: String, action: String },
    #[error("Could not read or write {path}: {reason}. Check the path and that there is space.")]
    File { path: String, reason: String },
}

impl CoreError {
    /// Stable machine-readable code, e.g. `vault.wrong_passphrase`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Vault(e) => e.code(),
            Self::Sync(e) => e.code(),
            Self::Model(e) => e.code(),
            Self::NoTeam => "core.no_team",
            Self::AlreadyInTeam => "core.already_in_team",
            Self::NotFound { .. } => "core.not_found",
            Self::Ambiguous { .. } => "core.ambiguous",
            Self::Invalid { .. } => "core.invalid",
            Self::Denied { .. } => "core.denied",
            Self::File { .. } => "core.file",
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self.code() {
            "vault.wrong_passphrase" | "vault.wrong_recovery_code" | "vault.recovery_code_typo" => {
                ErrorKind::WrongSecret
            }
            "vault.in_use" => ErrorKind::InUse,
            "vault.corrupt_record"
            | "vault.audit_tampered"
            | "vault.attachment_hash_mismatch"
            | "vault.integrity_check_failed"
            | "vault.document_incomplete"
            | "sync.bad_signature"
            | "sync.truncated"
            | "sync.malformed"
            | "sync.not_a_bundle"
            | "sync.too_large"
            | "sync.future_version"
            | "sync.wrong_team"
            | "sync.unknown_sender"
            | "sync.sender_revoked"
            | "sync.no_key"
            | "sync.unreadable"
            | "sync.old_format"
            | "sync.not_for_this_device"
            | "sync.weak_key"
            | "sync.forged_key"
            | "sync.untrusted_history"
            | "sync.replayed_frame"
            | "sync.compressed_change"
            | "sync.change_too_large" => ErrorKind::Verification,
            "sync.quota_exceeded" => ErrorKind::Rejected,
            "vault.io" | "vault.storage" | "vault.crypto" | "vault.disk_full" | "core.file"
            | "sync.random" | "sync.document" | "case.document" => ErrorKind::Failure,
            // Input refused: a change no longer (or never) in quarantine.
            "sync.not_quarantined" => ErrorKind::Rejected,
            _ => ErrorKind::Rejected,
        }
    }

    /// Input that was refused, naming the field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A file the caller named could not be read or written.
    pub fn file(path: &std::path::Path, e: &std::io::Error) -> Self {
        Self::File {
            path: path.display().to_string(),
            reason: e.kind().to_string(),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
