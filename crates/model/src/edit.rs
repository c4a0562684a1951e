//! [`Edit`]: every change the model knows how to make to a case, as data.
//! `apply.rs` checks and writes them.

use crate::case::*;
use crate::path::DocPath;
use crate::scalar::Scalar;
use crate::vocab::{ItemStatus, Role, Stage};

/// Who makes an edit, and when. Supplied by the caller: the model has no clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub member: MemberId,
    pub role: Role,
    pub at: Millis,
}

/// The file attached to an evidence item, as the case records it: the file
/// itself stays in the vault of the device it was attached on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRef {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// The file's name when it was attached.
    pub name: String,
    pub media_type: String,
    /// Bytes.
    pub size: u64,
}

/// A new record for one of the case's keyed collections.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Victim(Victim),
    Suspect(Suspect),
    Witness(Witness),
    Evidence(Evidence),
    Interview(Interview),
    Task(Task),
    Timeline(TimelineEvent),
    Referral(Referral),
    Risk(RiskAssessment),
    Note(Note),
    Review(ReviewItem),
    Approval(Approval),
    CaseLink(CaseLink),
    InternationalRequest(InternationalRequest),
    Identifier(Identifier),
    Group(Group),
    ProceduralDecision(ProceduralDecision),
    Measure(PreventiveMeasure),
    Charge(Charge),
    Indictment(Indictment),
    Hearing(Hearing),
    Verdict(Verdict),
    Compensation(Compensation),
    Support(SupportService),
    FinancialFlow(FinancialFlow),
}

impl Record {
    /// The case-document key of the collection this record goes into.
    pub fn collection(&self) -> &'static str {
        match self {
            Record::Victim(_) => "victims",
            Record::Suspect(_) => "suspects",
            Record::Witness(_) => "witnesses",
            Record::Evidence(_) => "evidence",
            Record::Interview(_) => "interviews",
            Record::Task(_) => "tasks",
            Record::Timeline(_) => "timeline",
            Record::Referral(_) => "referrals",
            Record::Risk(_) => "risks",
            Record::Note(_) => "notes",
            Record::Review(_) => "review",
            Record::Approval(_) => "approvals",
            Record::CaseLink(_) => "links",
            Record::InternationalRequest(_) => "international_requests",
            Record::Identifier(_) => "identifiers",
            Record::Group(_) => "groups",
            Record::ProceduralDecision(_) => "procedural_decisions",
            Record::Measure(_) => "measures",
            Record::Charge(_) => "charges",
            Record::Indictment(_) => "indictments",
            Record::Hearing(_) => "hearings",
            Record::Verdict(_) => "verdicts",
            Record::Compensation(_) => "compensation",
            Record::Support(_) => "support",
            Record::FinancialFlow(_) => "financial_flows",
        }
    }
}

impl Record {
    /// The record `id` of collection `coll` as `case` holds it now.
    pub fn of(case: &Case, coll: &str, id: &str) -> Option<Record> {
        fn get<T: Clone>(map: &std::collections::BTreeMap<String, T>, id: &str) -> Option<T> {
            map.get(id).cloned()
        }
        Some(match coll {
            "victims" => Record::Victim(get(&case.victims, id)?),
            "suspects" => Record::Suspect(get(&case.suspects, id)?),
            "witnesses" => Record::Witness(get(&case.witnesses, id)?),
            "evidence" => Record::Evidence(get(&case.evidence, id)?),
            "interviews" => Record::Interview(get(&case.interviews, id)?),
            "tasks" => Record::Task(get(&case.tasks, id)?),
            "timeline" => Record::Timeline(get(&case.timeline, id)?),
            "referrals" => Record::Referral(get(&case.referrals, id)?),
            "risks" => Record::Risk(get(&case.risks, id)?),
            "notes" => Record::Note(get(&case.notes, id)?),
            "review" => Record::Review(get(&case.review, id)?),
            "approvals" => Record::Approval(get(&case.approvals, id)?),
            "links" => Record::CaseLink(get(&case.links, id)?),
            "international_requests" => {
                Record::InternationalRequest(get(&case.international_requests, id)?)
            }
            "identifiers" => Record::Identifier(get(&case.identifiers, id)?),
            "groups" => Record::Group(get(&case.groups, id)?),
            "procedural_decisions" => {
                Record::ProceduralDecision(get(&case.procedural_decisions, id)?)
            }
            "measures" => Record::Measure(get(&case.measures, id)?),
            "charges" => Record::Charge(get(&case.charges, id)?),
            "indictments" => Record::Indictment(get(&case.indictments, id)?),
            "hearings" => Record::Hearing(get(&case.hearings, id)?),
            "verdicts" => Record::Verdict(get(&case.verdicts, id)?),
            "compensation" => Record::Compensation(get(&case.compensation, id)?),
            "support" => Record::Support(get(&case.support, id)?),
            "financial_flows" => Record::FinancialFlow(get(&case.financial_flows, id)?),
            _ => return None,
        })
    }
}

/// Every change the model knows how to make to a case.
// An edit is made, applied and dropped one at a time, never kept in bulk:
// the size of its largest variant (a victim's record) costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a record under a new, unique id.
    Insert { id: String, record: Record },
    /// Overwrites one existing scalar field, e.g. `header/title` or
    /// `victims/v1/identity/full_name`. Writing a field that has a conflict
    /// decides that conflict.
    Set { path: DocPath, value: Scalar },
    /// Replaces collaborative text (`narrative`, `notes/<id>/body`,
    /// `interviews/<id>/plan`) by editing only the characters that differ.
    SetText { path: DocPath, text: String },
    /// Replaces the elements of a list field (`victims/<id>/languages`,
    /// `victims/<id>/exploitation`, `suspects/<id>/roles`, …) by deleting
    /// the elements not among `values` and inserting those missing, so that
    /// concurrent edits of one list merge element by element; a list holds
    /// each value once (see `apply/lists.rs` for how two devices' edits
    /// merge).
    SetList { path: DocPath, values: Vec<Scalar> },
    /// Several `Set`, `SetText` and `SetList` edits of fields of one record
    /// as one change, as an edit dialog saves them. The record's checks
    /// run once, on the record as all of them leave it: a correction that
    /// must change two fields together (a verdict changed to an acquittal
    /// and its sentence cleared) is not refused half-way, and none is
    /// written if the whole is refused.
    SetFields { edits: Vec<Edit> },
    /// Adds a suspect to an organised group, changes their role or
    /// superior (`member` given), or takes them out of it (`None`).
    SetGroupMember {
        group_id: String,
        suspect_id: String,
        member: Option<GroupMember>,
    },
    /// Appends one hand-over to an evidence item's chain of custody.
    AppendCustody {
        evidence_id: String,
        entry: CustodyEntry,
    },
    /// Records the file attached to an evidence item (its fingerprint,
    /// name, media type and size), all in one change.
    SetAttachment {
        evidence_id: String,
        attachment: AttachmentRef,
    },
    /// Starts following a checklist template (at a given version) for the
    /// case as a whole; a per-person template is started for a person.
    StartChecklist { template_id: String, version: u64 },
    /// Starts following a per-person template (at a given version) for one
    /// person, under [`crate::checklist::checklist_key`].
    StartPersonChecklist {
        template_id: String,
        version: u64,
        person_id: String,
    },
    /// Records the state of one checklist item. `template_id` here and in
    /// the edits below names the checklist by its key: the template id for
    /// the case's own instance, `<template-id>~<person-id>` for a person's
    /// (see [`crate::checklist::checklist_key`]).
    SetItem {
        template_id: String,
        item_id: String,
        status: ItemStatus,
        reason: Option<String>,
        note: Option<String>,
        evidence_ids: Vec<String>,
        interview_ids: Vec<String>,
    },
    /// Signs off one checklist item that needs the author's role.
    SignOffItem {
        template_id: String,
        item_id: String,
    },
    /// Moves a checklist to a newer template version, keeping every item state.
    AdoptTemplate { template_id: String, version: u64 },
    /// Opens a stage.
    OpenStage { stage: Stage },
    /// Closes a stage gate; refused while the gate is not ready.
    CloseStage { stage: Stage },
    /// Adds an article to the legal qualification.
    AddArticle(LegalArticle),
    /// Removes an article from the legal qualification.
    RemoveArticle { key: String },
    /// Assigns an investigator to the case, or removes them.
    AssignInvestigator { member: MemberId, assigned: bool },
}

/// Change messages travel with the history forever: they name the kind of
/// edit only, never any value.
pub(crate) fn edit_summary(edit: &Edit) -> &'static str {
    match edit {
        Edit::Insert { record, .. } => match record.collection() {
            "victims" => "add victim",
            "suspects" => "add suspect",
            "witnesses" => "add witness",
            "evidence" => "add evidence",
            "interviews" => "add interview",
            "tasks" => "add task",
            "timeline" => "add timeline event",
            "referrals" => "add referral",
            "risks" => "add risk assessment",
            "notes" => "add note",
            "review" => "add review item",
            "links" => "add case link",
            "international_requests" => "add international request",
            "identifiers" => "add identifier",
            "groups" => "add group",
            "procedural_decisions" => "add procedural decision",
            "measures" => "add preventive measure",
            "charges" => "add charge",
            "indictments" => "add indictment",
            "hearings" => "add hearing",
            "verdicts" => "add verdict",
            "compensation" => "add compensation",
            "support" => "add support service",
            "financial_flows" => "add financial flow",
            _ => "add approval",
        },
        Edit::Set { .. } => "edit field",
        Edit::SetText { .. } => "edit text",
        Edit::SetList { .. } => "edit list",
        Edit::SetFields { .. } => "edit record",
        Edit::SetGroupMember { .. } => "group member",
        Edit::AppendCustody { .. } => "custody transfer",
        Edit::SetAttachment { .. } => "attach file",
        Edit::StartChecklist { .. } | Edit::StartPersonChecklist { .. } => "start checklist",
        Edit::SetItem { .. } => "checklist item",
        Edit::SignOffItem { .. } => "sign off item",
        Edit::AdoptTemplate { .. } => "adopt template version",
        Edit::OpenStage { .. } => "open stage",
        Edit::CloseStage { .. } => "close stage",
        Edit::AddArticle(_) => "add article",
        Edit::RemoveArticle { .. } => "remove article",
        Edit::AssignInvestigator { .. } => "assignment",
    }
}
