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

    /// How a front end presents the error, decided by its variant (the
    /// codes are for people and scripts; this is for the program).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Vault(e) => vault_kind(e),
            Self::Sync(e) => sync_kind(e),
            Self::Model(e) => model_kind(e),
            Self::File { .. } => ErrorKind::Failure,
            Self::NoTeam
            | Self::AlreadyInTeam
            | Self::NotFound { .. }
            | Self::Ambiguous { .. }
            | Self::Invalid { .. }
            | Self::Denied { .. } => ErrorKind::Rejected,
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

fn vault_kind(e: &VaultError) -> ErrorKind {
    use VaultError as V;
    match e {
        V::WrongPassphrase | V::WrongRecoveryCode | V::RecoveryCodeTypo(_) => {
            ErrorKind::WrongSecret
        }
        V::InUse => ErrorKind::InUse,
        V::CorruptRecord(_)
        | V::AuditTampered(_)
        | V::AttachmentHashMismatch
        | V::IntegrityCheckFailed(_)
        | V::DocumentIncomplete { .. } => ErrorKind::Verification,
        V::Io(_) | V::Storage(_) | V::Crypto(_) | V::DiskFull => ErrorKind::Failure,
        V::WeakPassphrase(_)
        | V::NotAVault(_)
        | V::AlreadyExists(_)
        | V::NewerFormat { .. }
        | V::Locked
        | V::AttachmentTooLarge { .. }
        | V::NotFound(_)
        | V::InsecurePlaintextVault
        | V::InvalidInput(_) => ErrorKind::Rejected,
        // A variant a later vault adds is refused input until it is sorted here.
        _ => ErrorKind::Rejected,
    }
}

fn sync_kind(e: &SyncError) -> ErrorKind {
    use SyncError as S;
    match e {
        // What another device sent does not verify, or cannot be read here.
        S::NotABundle
        | S::FutureVersion { .. }
        | S::OldFormat { .. }
        | S::Unreadable { .. }
        | S::Truncated { .. }
        | S::TooLarge { .. }
        | S::BadSignature { .. }
        | S::Malformed { .. }
        | S::WrongTeam { .. }
        | S::NoKey { .. }
        | S::UnknownSender
        | S::SenderRevoked
        | S::NotForThisDevice
        | S::WeakKey { .. }
        | S::ForgedKey { .. }
        | S::UntrustedHistory { .. }
        | S::Replayed { .. } => ErrorKind::Verification,
        S::Random | S::Document(_) => ErrorKind::Failure,
        S::Model(e) => model_kind(e),
        S::DeviceCopied | S::Denied(_) | S::NotFound(_) | S::NotQuarantined { .. } => {
            ErrorKind::Rejected
        }
    }
}

fn model_kind(e: &ModelError) -> ErrorKind {
    match e {
        ModelError::Document(_) => ErrorKind::Failure,
        _ => ErrorKind::Rejected,
    }
}
