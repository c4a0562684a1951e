//! The core's error: every failure a front end can meet, each with a
//! stable code. Front ends match codes, never message text.

use caravan_model::ModelError;
use caravan_model::checklist::TemplateError;
use caravan_sync::SyncError;
use caravan_sync::refusal::Refusal;
use caravan_vault::VaultError;

pub use caravan_errors::{Coded, ErrorKind};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Dossier(#[from] caravan_dossier::DossierError),
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
    #[error(
        "The hand-over is dated in the future: record it once it has taken place, with the date and time it took place. Check this device's clock if the time is right."
    )]
    HandOverInFuture,
    #[error(
        "The hand-over is dated before the item was seized: an item is handed over only once it is seized. Check the date and time."
    )]
    HandOverBeforeSeizure,
    #[error("You do not have access to this case: a supervisor or an admin grants it.")]
    NoCaseAccess,
    #[error(
        "The file of this evidence item is not on this device: a file stays in the vault of the device it was attached on."
    )]
    AttachmentElsewhere,
    #[error(
        "The live session stopped because this device could not save what it received. Check the disk, then connect again: nothing saved before is lost."
    )]
    SessionBroken,
}

// A wrapped error keeps its own code and kind; the core's own are refused
// input, except a file the system could not read or write.
caravan_errors::coded! {
    CoreError {
        Self::NoTeam => ("core.no_team", Rejected),
        Self::AlreadyInTeam => ("core.already_in_team", Rejected),
        Self::NotFound { .. } => ("core.not_found", Rejected),
        Self::Ambiguous { .. } => ("core.ambiguous", Rejected),
        Self::Invalid { .. } => ("core.invalid", Rejected),
        Self::Denied { .. } => ("core.denied", Rejected),
        Self::File { .. } => ("core.file", Failure),
        Self::HandOverInFuture => ("custody.in_future", Rejected),
        Self::HandOverBeforeSeizure => ("custody.before_seizure", Rejected),
        Self::NoCaseAccess => ("core.no_case_access", Rejected),
        Self::AttachmentElsewhere => ("core.attachment_elsewhere", Rejected),
        Self::SessionBroken => ("core.session_broken", Failure),
    }
    wraps { Vault, Sync, Model, Dossier }
}

impl CoreError {
    /// Input that was refused, naming the field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Nothing of kind `what` (case, person, evidence item…) matches `id`.
    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            id: id.into(),
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

/// The one candidate that matched what a person typed (`given`, an id
/// prefix or a name); none or several are refused, naming `what`.
pub(crate) fn only_match(what: &'static str, given: &str, hits: &[&String]) -> Result<String> {
    match hits {
        [one] => Ok((*one).clone()),
        [] => Err(CoreError::not_found(what, given)),
        _ => Err(CoreError::Ambiguous {
            what,
            id: given.into(),
        }),
    }
}

/// Every code an error of the core, or of the crates under it, can carry:
/// the errors' own, and the reasons a change from another device is
/// quarantined for. Each once, in a stable order.
pub fn all_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for list in [
        CoreError::CODES,
        VaultError::CODES,
        SyncError::CODES,
        ModelError::CODES,
        TemplateError::CODES,
        Refusal::CODES,
        caravan_dossier::DossierError::CODES,
    ] {
        for code in list {
            if !codes.contains(code) {
                codes.push(code);
            }
        }
    }
    codes
}
