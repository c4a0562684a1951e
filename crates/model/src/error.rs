//! The model's errors. Each has a stable code that front ends translate.

use crate::attribution::FalseAttribution;
use crate::lifecycle::Gate;
use crate::policy::Denial;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Denied(#[from] Denial),
    #[error(transparent)]
    FalseAttribution(#[from] FalseAttribution),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no {what} '{id}' in this case")]
    NotFound { what: &'static str, id: String },
    #[error("'{id}' already exists in {collection}")]
    DuplicateId {
        collection: &'static str,
        id: String,
    },
    #[error("item '{item}' can only be marked not applicable with a reason")]
    ReasonRequired { item: String },
    #[error("the {} gate is not ready: {}", .0.stage, .0.what_is_missing())]
    GateNotReady(Box<Gate>),
    #[error(
        "checklist '{template_id}' follows version {version} of its template, which this copy of Caravan does not know: it was made with a newer template version; update Caravan to work on it"
    )]
    UnknownTemplate { template_id: String, version: u64 },
    #[error("the {stage} stage has not been started: a stage is signed off once it is open")]
    StageNotStarted { stage: crate::vocab::Stage },
    #[error("the {stage} stage is closed: its gate was decided")]
    StageClosed { stage: crate::vocab::Stage },
    #[error("a sign-off is withdrawn only by who signed it")]
    NotTheSigner,
    #[error("this sign-off has already been withdrawn")]
    AlreadyWithdrawn,
    #[error("a sign-off is withdrawn with a reason")]
    WithdrawalReasonRequired,
    #[error("nothing changed")]
    NoChange,
    #[error(
        "a child is returned only after the family and risk assessment: record it as done first"
    )]
    ChildReturnUnassessed,
    #[error("the case document is damaged or from an unknown version: {0}")]
    Document(String),
}

// Refused input, except a document that cannot be read.
caravan_errors::coded! {
    ModelError {
        Self::Denied(_) => (Denial::CODE, Rejected),
        Self::FalseAttribution(_) => (FalseAttribution::CODE, Rejected),
        Self::Invalid { .. } => ("case.invalid", Rejected),
        Self::NotFound { .. } => ("case.not_found", Rejected),
        Self::DuplicateId { .. } => ("case.duplicate_id", Rejected),
        Self::ReasonRequired { .. } => ("checklist.reason_required", Rejected),
        Self::GateNotReady(_) => ("stage.gate_not_ready", Rejected),
        Self::UnknownTemplate { .. } => ("checklist.unknown_template", Rejected),
        Self::StageNotStarted { .. } => ("review.stage_not_started", Rejected),
        Self::StageClosed { .. } => ("review.stage_closed", Rejected),
        Self::NotTheSigner => ("signoff.not_signer", Rejected),
        Self::AlreadyWithdrawn => ("signoff.already_withdrawn", Rejected),
        Self::WithdrawalReasonRequired => ("signoff.reason_required", Rejected),
        Self::NoChange => ("case.no_change", Rejected),
        Self::Document(_) => ("case.document", Failure),
        Self::ChildReturnUnassessed => ("support.child_return_unassessed", Rejected),
    }
}

/// An Automerge failure while reading or writing a case document.
pub(crate) fn am(e: automerge::AutomergeError) -> ModelError {
    ModelError::Document(e.to_string())
}

/// An autosurgeon failure while writing a value into a case document.
pub(crate) fn rec(e: autosurgeon::ReconcileError) -> ModelError {
    ModelError::Document(e.to_string())
}
