//! Why a change from another device is refused and quarantined: one
//! variant per reason, each with the stable code stored with the
//! quarantine entry and shown in the quarantine list.

use caravan_model::policy::Denial;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The change's signature does not match its author.
    BadChangeSignature,
    /// The change builds on a quarantined change.
    DependsOnQuarantined,
    /// The change's author is not a device key.
    ActorNotDevice,
    /// The founding change of another team.
    ForeignTeamRoot,
    /// Made by a revoked device after its revocation.
    RevokedDevice,
    /// Made by a device that is not in the team.
    UnknownDevice,
    /// Claims to open a case another change opened.
    ForgedCaseRoot,
    /// The author may not access the case.
    NoCaseAccess,
    /// The author's role does not allow the change.
    PolicyDenied,
    /// A value the document cannot hold.
    BadValue,
    /// Names someone other than its author, or a time outside its own.
    FalseAttribution,
    /// Cannot be decoded, or addresses what this device lacks.
    UnreadableChange,
    /// Replaces a value without naming it.
    HiddenOverwrite,
    /// Numbered to win every conflict.
    BadOpCounter,
    /// A case key wrap that is not its author's own well-formed wrap.
    BadKeyWrap,
    /// Signed with this device's own key, yet never made by this copy.
    OwnActorForged,
    /// Arrived compressed, which Caravan never sends.
    CompressedChange,
    /// More operations than are read at once.
    ChangeTooLarge,
    /// The device it is charged to holds too many changes here already.
    QuotaExceeded,
    /// Its author made another change with the same sequence number.
    Equivocation,
    /// Skips sequence numbers of its author, which Automerge cannot apply.
    BadSequence,
    /// A case id with a second spelling.
    BadCaseId,
    /// Withdraws a sign-off its author did not make.
    WithdrawsOthersSignOff,
}

// Every refusal judges what another device sent.
caravan_errors::coded! {
    Refusal {
        Self::BadChangeSignature => ("sync.bad_change_signature", Verification),
        Self::DependsOnQuarantined => ("sync.depends_on_quarantined", Verification),
        Self::ActorNotDevice => ("sync.actor_not_device", Verification),
        Self::ForeignTeamRoot => ("sync.foreign_team_root", Verification),
        Self::RevokedDevice => ("sync.revoked_device", Verification),
        Self::UnknownDevice => ("sync.unknown_device", Verification),
        Self::ForgedCaseRoot => ("sync.forged_case_root", Verification),
        Self::NoCaseAccess => ("sync.no_case_access", Verification),
        Self::PolicyDenied => (Denial::CODE, Verification),
        Self::BadValue => ("sync.bad_value", Verification),
        Self::FalseAttribution => ("sync.false_attribution", Verification),
        Self::UnreadableChange => ("sync.unreadable_change", Verification),
        Self::HiddenOverwrite => ("sync.hidden_overwrite", Verification),
        Self::BadOpCounter => ("sync.bad_op_counter", Verification),
        Self::BadKeyWrap => ("sync.bad_key_wrap", Verification),
        Self::OwnActorForged => ("sync.own_actor_forged", Verification),
        Self::CompressedChange => ("sync.compressed_change", Verification),
        Self::ChangeTooLarge => ("sync.change_too_large", Verification),
        Self::QuotaExceeded => ("sync.quota_exceeded", Verification),
        Self::Equivocation => ("sync.equivocation", Verification),
        Self::BadCaseId => ("sync.bad_case_id", Verification),
        Self::WithdrawsOthersSignOff => ("sync.withdraws_others_signoff", Verification),
        Self::BadSequence => ("sync.bad_sequence", Verification),
    }
}

/// Why a change was refused. `code` is stable; `message` is for people.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejection {
    pub code: String,
    pub message: String,
}

impl Rejection {
    pub(crate) fn new(reason: Refusal, message: impl Into<String>) -> Rejection {
        Rejection {
            code: reason.code().into(),
            message: message.into(),
        }
    }
}
