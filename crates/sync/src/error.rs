//! Sync errors. Every variant has a stable code; messages say what to do.

use caravan_model::ModelError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this file is not a Caravan bundle")]
    NotABundle,
    #[error(
        "this {what} was written by a newer version of Caravan (format {found}); update Caravan to read it"
    )]
    FutureVersion { what: &'static str, found: u16 },
    #[error(
        "this {what} was written by an older version of Caravan (format {found}) that sealed every case under the team key; it is no longer read. Update Caravan on the sending device and send again"
    )]
    OldFormat { what: &'static str, found: u16 },
    #[error(
        "this device holds no key that opens this {what}: it was sealed for other devices, or this device missed a team key rotation. Ask the sender for a bundle addressed to your member, or your admin for the team's latest changes"
    )]
    Unreadable { what: &'static str },
    #[error("this {what} is incomplete ({detail}); copy it again from the sender")]
    Truncated {
        what: &'static str,
        detail: &'static str,
    },
    #[error("this {what} is larger than allowed ({detail})")]
    TooLarge { what: &'static str, detail: String },
    #[error("this {what} is damaged or was altered after it was signed; nothing was imported")]
    BadSignature { what: &'static str },
    #[error("this {what} is malformed: {detail}")]
    Malformed { what: &'static str, detail: String },
    #[error("this {what} belongs to another team than the one this device expects")]
    WrongTeam { what: &'static str },
    #[error("this device holds no key for team key epoch {epoch}; it may have been revoked")]
    NoKey { epoch: u32 },
    #[error("the sender of this bundle is not an active member device of the team")]
    UnknownSender,
    #[error("the sender of this bundle has been revoked; nothing was imported")]
    SenderRevoked,
    #[error("this join package is for another device")]
    NotForThisDevice,
    #[error(
        "this {what} names a key that is not safe to use (a small-order point); Caravan never makes such keys, so it was crafted: ask for a new one"
    )]
    WeakKey { what: &'static str },
    #[error(
        "this {what} carries a key for team key epoch {epoch} that no admin issued to this device: the sender's copy of Caravan was altered. Nothing was imported; tell your admin"
    )]
    ForgedKey { what: &'static str, epoch: u32 },
    #[error(
        "this join package's team history fails the team's checks ({reason}: {detail}); nothing was joined. Ask your admin for a new package, and compare the team fingerprint with theirs"
    )]
    UntrustedHistory { reason: String, detail: String },
    #[error(
        "another copy of this device has made changes this copy does not hold (the vault was restored from a backup or copied, or the device's key was taken); to keep one history per device this copy makes no more changes: ask an admin to revoke this device and enrol it again"
    )]
    DeviceCopied,
    #[error("{0}")]
    Denied(String),
    #[error("no member or device '{0}' in the team")]
    NotFound(String),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the operating system's random generator failed")]
    Random,
    #[error("a document could not be read: {0}")]
    Document(String),
    #[error(
        "session frame {found} arrived where frame {expected} was expected: it was replayed, reordered or lost; start the session again"
    )]
    Replayed { expected: u64, found: u64 },
    #[error(
        "change {change} is not in quarantine on this device; it may have been released or discarded already"
    )]
    NotQuarantined { change: String },
    /// The application asked for an exchange before loading every
    /// document: a fault in Caravan, never in what a peer sent.
    #[error(
        "the {what} needs every case in memory and some were not loaded; nothing was changed. Lock and unlock, then try again"
    )]
    NotResident { what: &'static str },
}

// What another device sent that does not verify, or cannot be read here,
// is a verification failure; a model error keeps its own kind.
caravan_errors::coded! {
    SyncError {
        Self::NotABundle => ("sync.not_a_bundle", Verification),
        Self::FutureVersion { .. } => ("sync.future_version", Verification),
        Self::OldFormat { .. } => ("sync.old_format", Verification),
        Self::Unreadable { .. } => ("sync.unreadable", Verification),
        Self::Truncated { .. } => ("sync.truncated", Verification),
        Self::TooLarge { .. } => ("sync.too_large", Verification),
        Self::BadSignature { .. } => ("sync.bad_signature", Verification),
        Self::Malformed { .. } => ("sync.malformed", Verification),
        Self::WrongTeam { .. } => ("sync.wrong_team", Verification),
        Self::NoKey { .. } => ("sync.no_key", Verification),
        Self::UnknownSender => ("sync.unknown_sender", Verification),
        Self::SenderRevoked => ("sync.sender_revoked", Verification),
        Self::NotForThisDevice => ("sync.not_for_this_device", Verification),
        Self::WeakKey { .. } => ("sync.weak_key", Verification),
        Self::ForgedKey { .. } => ("sync.forged_key", Verification),
        Self::UntrustedHistory { .. } => ("sync.untrusted_history", Verification),
        Self::Replayed { .. } => ("sync.replayed_frame", Verification),
        Self::DeviceCopied => ("sync.device_copied", Rejected),
        Self::Denied(_) => ("sync.denied", Rejected),
        Self::NotFound(_) => ("sync.not_found", Rejected),
        Self::NotQuarantined { .. } => ("sync.not_quarantined", Rejected),
        Self::Random => ("sync.random", Failure),
        Self::NotResident { .. } => ("sync.not_resident", Failure),
        Self::Document(_) => ("sync.document", Failure),
    }
    wraps { Model }
}

pub(crate) fn doc_err(e: impl std::fmt::Display) -> SyncError {
    SyncError::Document(e.to_string())
}
