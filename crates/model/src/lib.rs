//! Caravan's case model: the shape of a case as an Automerge document, the
//! checklists of the training manuals, the case lifecycle, and the role
//! policy that every device enforces on every change.
//!
//! This crate is pure: no I/O, no clock, no randomness, no cryptography.
//! Ids, times and actor ids come from the caller; templates and articles are
//! compiled in.

// The modules use each other without cycles, from `date` and `scalar` at the
// bottom to `apply` at the top; `tests/module_graph.rs` keeps it so.
mod apply;
pub mod articles;
pub mod attribution;
pub mod case;
pub mod case_file;
pub mod checklist;
pub mod conflicts;
pub mod court;
pub mod date;
pub mod doc;
pub mod edit;
pub mod error;
pub mod finance;
pub mod international;
pub mod later;
pub mod later_lists;
pub mod lifecycle;
pub mod network;
pub mod path;
pub mod places;
pub mod policy;
pub mod scalar;
pub mod schema;
pub mod search;
pub mod signoffs;
pub mod support;
mod table;
pub mod texts;
mod validate;
pub mod vocab;

pub use apply::NewCase;
pub use case::FinancialFlow;
pub use case::SupportService;
pub use case::{
    Approval, Assignment, CASE_SCHEMA, Case, CaseHeader, CaseLink, Charge, ChecklistInstance,
    Compensation, CustodyEntry, Evidence, Hearing, Identity, Indictment, InternationalRequest,
    Interview, ItemState, LegalArticle, MemberId, Millis, Note, PreventiveMeasure,
    ProceduralDecision, QualificationOpinion, Referral, ReviewItem, RiskAssessment,
    SENSITIVE_PATHS, SignOff, SignOffRef, StageState, Suspect, Task, TimelineEvent, Verdict,
    Victim, Witness,
};
pub use case_file::{Group, GroupMember, Identifier};
pub use checklist::{Catalog, Template, TemplateItem};
pub use conflicts::{Conflict, ConflictValue};
pub use date::Date;
pub use doc::CaseDoc;
pub use edit::{AttachmentRef, Author, Edit, Record};
pub use error::ModelError;
pub use path::{DocPath, Seg};
pub use policy::{DocKind, WriteKind};
pub use scalar::Scalar;
pub use validate::validate_jurisdiction;
pub use vocab::{
    AppealStatus, CaseLinkKind, CaseStatus, ChargeStatus, CompensationStatus, ControlMethod,
    Decision, EventKind, EvidenceKind, Exploitation, Gender, HearingKind, HearingOutcome,
    IndictmentStatus, ItemKind, ItemStatus, LegalBasis, MeasureKind, NoticeColour, PeaceStage,
    PerpetratorRole, ProceduralStatus, ProtectiveMeasure, RecruitmentMethod, ReferralDirection,
    RequestKind, RequestStatus, ReviewKind, RiskSubject, Role, Stage, StageStatus, StatusDecidedBy,
    TraffickingStatus, VerdictOutcome,
};
pub use vocab::{FlowKind, FlowSource, FreezeStatus};
pub use vocab::{
    ForcedLabourIndustry, OrganisationType, ReferralReason, ReferralStatus,
    RelationshipToTrafficker, SexualExploitationType, WebsiteOrApp,
};
pub use vocab::{GroupRole, IdentifierKind, TransportMode};
pub use vocab::{ReintegrationStatus, ResidenceDecision, SupportStatus, SupportType};
