//! What the core hands to front ends: plain, serialisable views of a case,
//! the same shapes for the app (TypeScript declarations generated from
//! these, behind the `ts` feature) and for `caravan --json`. A person's
//! identity is in no view: only [`crate::Workspace::reveal`] returns it, as
//! a [`RevealedIdentity`], and writes the audit entry first.

use caravan_model::{
    CaseStatus, ControlMethod, Date, Decision, EventKind, EvidenceKind, Exploitation, Gender,
    LegalArticle, PeaceStage, PerpetratorRole, RecruitmentMethod, ReferralDirection, ReviewKind,
    RiskSubject, Role, Stage, StageStatus, StatusDecidedBy, TraffickingStatus,
};
use caravan_model::{
    ForcedLabourIndustry, OrganisationType, ReferralReason, ReferralStatus,
    RelationshipToTrafficker, SexualExploitationType, WebsiteOrApp,
};
use serde::{Deserialize, Serialize};

use crate::ids::{CaseId, MemberId, RecordId};

/// A member as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberRef {
    pub id: MemberId,
    pub name: String,
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseSummary {
    pub id: CaseId,
    pub reference: String,
    pub title: String,
    /// The most advanced active stage.
    pub stage: Stage,
    pub status: CaseStatus,
    pub jurisdiction: String,
    pub assignees: Vec<MemberId>,
    pub updated_at_ms: i64,
    pub progress_percent: u8,
    pub overdue_tasks: u32,
    /// Open international requests past their deadline.
    pub overdue_international: u32,
    /// Preventive measures that end within a week or have ended.
    pub measure_alerts: u32,
    pub conflicts: u32,
}

/// The case list, and the index records that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    /// Damaged index records (named; the rest of the list is unaffected).
    pub unreadable: Vec<String>,
}

/// A person's identifying details, returned only by an audited reveal.
/// Not `Clone` and not `Default`: each one comes from a reveal, and its
/// strings are wiped when it is dropped. `Debug` shows no value. Not
/// `Serialize` either, so no view, report or log record can carry one:
/// it becomes JSON only by [`Self::into_json`], where a front end hands it
/// to the person who asked.
#[derive(zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RevealedIdentity {
    full_name: String,
    other_names: Option<String>,
    /// `YYYY-MM-DD`.
    birth_date: Option<String>,
    document_numbers: Option<String>,
    contact: Option<String>,
    address: Option<String>,
}

impl std::fmt::Debug for RevealedIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedIdentity(…)")
    }
}

impl RevealedIdentity {
    pub(crate) fn of(i: &caravan_model::Identity) -> Self {
        Self {
            full_name: i.full_name.clone(),
            other_names: i.other_names.clone(),
            birth_date: i.birth_date.map(|d| d.to_string()),
            document_numbers: i.document_numbers.clone(),
            contact: i.contact.clone(),
            address: i.address.clone(),
        }
    }

    /// The identity as the front end shows it (its fields by name, as in
    /// the TypeScript declaration).
    pub fn into_json(self) -> serde_json::Value {
        serde_json::json!({
            "full_name": self.full_name,
            "other_names": self.other_names,
            "birth_date": self.birth_date,
            "document_numbers": self.document_numbers,
            "contact": self.contact,
            "address": self.address,
        })
    }

    pub fn full_name(&self) -> &str {
        &self.full_name
    }
    pub fn other_names(&self) -> Option<&str> {
        self.other_names.as_deref()
    }
    pub fn birth_date(&self) -> Option<&str> {
        self.birth_date.as_deref()
    }
    pub fn document_numbers(&self) -> Option<&str> {
        self.document_numbers.as_deref()
    }
    pub fn contact(&self) -> Option<&str> {
        self.contact.as_deref()
    }
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum PersonKind {
    #[cfg_attr(feature = "clap", value(alias = "victims"))]
    Victim,
    #[cfg_attr(feature = "clap", value(alias = "suspects"))]
    Suspect,
    #[cfg_attr(feature = "clap", value(alias = "witnesses"))]
    Witness,
}

impl PersonKind {
    /// The kind as a word of a message ("victim").
    pub fn noun(self) -> &'static str {
        match self {
            Self::Victim => "victim",
            Self::Suspect => "suspect",
            Self::Witness => "witness",
        }
    }

    pub fn collection(self) -> &'static str {
        match self {
            Self::Victim => "victims",
            Self::Suspect => "suspects",
            Self::Witness => "witnesses",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "victim" | "victims" => Some(Self::Victim),
            "suspect" | "suspects" => Some(Self::Suspect),
            "witness" | "witnesses" => Some(Self::Witness),
            _ => None,
        }
    }
}

/// A victim, suspect or witness, by pseudonym: no identity field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonView {
    pub id: RecordId,
    pub kind: PersonKind,
    pub pseudonym: String,
    /// Victims: HTCDS status, sex, age, citizenship, exploitation, control.
    pub status: Option<TraffickingStatus>,
    /// Victims: who decided the status, once decided.
    pub status_decided_by: Option<StatusDecidedBy>,
    /// Victims: how they were recruited (HTCDS, several).
    pub recruitment_methods: Vec<RecruitmentMethod>,
    pub sex: Option<Gender>,
    pub age_at_trafficking: Option<u64>,
    /// Citizenships: ISO 3166-1 alpha-2, upper case, or XXA for a
    /// stateless person.
    pub citizenships: Vec<String>,
    /// Victims: the languages they speak (an interview needs one of them).
    pub languages: Vec<String>,
    pub exploitation: Vec<Exploitation>,
    pub control_methods: Vec<ControlMethod>,
    pub roles: Vec<PerpetratorRole>,
    pub relation: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
    /// Victims: the forced-labour industry (HTCDS: an ISIC section).
    pub forced_labour_industry: Option<ForcedLabourIndustry>,
    /// Victims: their relationship to the trafficker (HTCDS).
    pub relationship_to_trafficker: Option<RelationshipToTrafficker>,
    /// Suspects: a public official complicit in the crime.
    pub public_official: bool,
    /// Victims: the types of sexual exploitation (HTCDS).
    pub sex_exploitation: Vec<SexualExploitationType>,
    /// Victims: websites and apps they were recruited through (HTCDS).
    pub recruitment_websites: Vec<WebsiteOrApp>,
    /// Victims: websites and apps they were exploited through (HTCDS).
    pub exploitation_websites: Vec<WebsiteOrApp>,
    /// Victims: the reflection period, residence or return, reintegration.
    pub support: Option<VictimSupportView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CustodyView {
    pub id: String,
    pub from: String,
    pub to: String,
    /// When the hand-over took place, as its recorder stated it.
    pub at: i64,
    pub place: String,
    pub seal_number: Option<String>,
    pub purpose: Option<String>,
    pub recorded_by: MemberRef,
    /// When it was recorded; none for entries recorded before Caravan kept
    /// it apart (their `at` is when they were recorded).
    pub recorded_at: Option<i64>,
}

/// The file attached to an evidence item, as the case records it. Items
/// attached before the name, type and size were kept have only the
/// fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceAttachmentView {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub file_name: Option<String>,
    pub media_type: Option<String>,
    /// Bytes.
    pub size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceView {
    pub id: RecordId,
    pub label: String,
    pub kind: EvidenceKind,
    pub description: String,
    pub seized_at: Option<i64>,
    /// Who seized it.
    pub seized_by: Option<String>,
    pub seized_from: Option<String>,
    pub location: Option<String>,
    pub seal_number: Option<String>,
    pub attachment: Option<EvidenceAttachmentView>,
    /// The chain of custody in the order the hand-overs took place.
    pub custody: Vec<CustodyView>,
    /// Who holds the item now: the recipient of the latest hand-over;
    /// before any, who seized it, or else the member who recorded it.
    pub holder: String,
    pub recorded_by: MemberRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InterviewView {
    pub id: RecordId,
    pub person_id: RecordId,
    pub stage: PeaceStage,
    pub planned_for: Option<Date>,
    pub venue: Option<String>,
    pub interpreter: Option<String>,
    pub interpreter_vetted: bool,
    pub consent_given: bool,
    pub child_track: bool,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaskView {
    pub id: RecordId,
    pub title: String,
    pub assignee: Option<MemberRef>,
    pub due: Option<Date>,
    pub stage: Option<Stage>,
    pub done: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventView {
    pub id: RecordId,
    pub kind: EventKind,
    pub date: Option<Date>,
    pub place: String,
    pub country: Option<String>,
    pub description: String,
    /// Decimal degrees (WGS 84); shown to the team and on its map, left
    /// out of the anonymised export.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub crosses_border: Option<bool>,
    pub border_point: Option<String>,
    pub transport: Option<caravan_model::TransportMode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReferralView {
    pub id: RecordId,
    pub person_id: RecordId,
    pub direction: ReferralDirection,
    pub organisation: String,
    pub date: Option<Date>,
    pub reason: String,
    pub outcome: Option<String>,
    pub organisation_type: Option<OrganisationType>,
    /// HTCDS reason for the referral.
    pub htcds_reason: Option<ReferralReason>,
    /// None for referrals recorded before it was kept.
    pub status: Option<ReferralStatus>,
    pub consent_given: bool,
    pub consent_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RiskView {
    pub id: RecordId,
    pub subject: RiskSubject,
    pub person_id: Option<RecordId>,
    pub threat: String,
    pub severity: u64,
    pub likelihood: u64,
    /// severity × likelihood, 1–25 (UNODC manual M5).
    pub level: u64,
    pub mitigation: String,
    pub review_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteView {
    pub id: RecordId,
    pub body: String,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewView {
    pub id: RecordId,
    pub kind: ReviewKind,
    pub stage: Option<Stage>,
    pub text: String,
    pub by: MemberRef,
    pub at: i64,
}

/// An article of a qualification (or of a prosecutor's position on it),
/// with the titles of the version it names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QualifiedArticle {
    /// The key it is stored under (pass to `remove_article`).
    pub key: String,
    pub article: LegalArticle,
    /// Titles by language ("en", "ru", and a national language where
    /// known); empty for an article this release does not list.
    pub titles: std::collections::BTreeMap<String, String>,
    /// Charged alongside trafficking rather than a trafficking article.
    pub related: bool,
    /// The article's number and title were read in its source.
    pub verified: bool,
}

/// A prosecutor's position on the legal qualification.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QualificationOpinionView {
    pub id: RecordId,
    /// True: agrees with `articles`, the qualification as it stood; false:
    /// proposes `articles`.
    pub agrees: bool,
    pub articles: Vec<QualifiedArticle>,
    pub comment: String,
    pub by: MemberRef,
    pub at: i64,
    /// An agreement whose qualification has changed since.
    pub outdated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalView {
    pub id: RecordId,
    pub stage: Option<Stage>,
    pub subject: String,
    pub decision: Decision,
    pub comment: Option<String>,
    pub by: MemberRef,
    pub at: i64,
}

/// What still holds a stage from closing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GateView {
    pub ready: bool,
    /// "template/item" of required items still open in the case's own
    /// checklists (the victims' are in `people`).
    pub missing_items: Vec<String>,
    /// Roles whose sign-off is missing.
    pub missing_signoffs: Vec<Role>,
    /// Required items marked not applicable that count only once signed
    /// off (safety items), not signed off yet: they hold the gate.
    pub not_applicable_unsigned: Vec<UnsignedNotApplicableView>,
    /// "template@version" of checklists made with a template version this
    /// copy of Caravan does not know; they hold the gate.
    pub unknown_templates: Vec<String>,
    /// What each victim's checklists still lack, for victims whose
    /// checklists hold the gate.
    pub people: Vec<PersonGateView>,
}

/// What one victim's checklists still lack before a stage gate closes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonGateView {
    pub person_id: RecordId,
    /// The victim's pseudonym (never their name).
    pub person: String,
    /// Templates of the stage kept per victim not started for them yet.
    pub not_started: Vec<String>,
    /// "template/item" of required items still open in their checklists.
    pub missing_items: Vec<String>,
    /// Their items marked not applicable awaiting a sign-off.
    pub not_applicable_unsigned: Vec<UnsignedNotApplicableView>,
}

/// How far one victim's checklist of a per-victim template is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonProgressView {
    pub person_id: RecordId,
    /// The victim's pseudonym (never their name).
    pub person: String,
    pub template_id: String,
    pub stage: Stage,
    /// The checklist's key; `None` while it is not started for them.
    pub key: Option<String>,
    pub required: u32,
    pub required_resolved: u32,
    pub percent: u8,
}

/// A not applicable item that needs a sign-off before it counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnsignedNotApplicableView {
    /// "template/item".
    pub item: String,
    /// Whose sign-off it needs.
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StageView {
    pub stage: Stage,
    pub status: StageStatus,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub gate: GateView,
}

/// Checklist progress of one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StageProgressView {
    pub stage: Stage,
    pub status: StageStatus,
    pub items: u32,
    pub done: u32,
    pub not_applicable: u32,
    pub required: u32,
    /// Required items done or not applicable.
    pub required_resolved: u32,
    /// Share of required items resolved, 0–100.
    pub percent: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assignees {
    pub investigators: Vec<MemberRef>,
    pub prosecutor: Option<MemberRef>,
    pub supervisor: Option<MemberRef>,
    /// Who reviews the case for the prosecution: the team's prosecutors
    /// who may open it, and whoever recorded a review entry in it. Empty
    /// while no prosecutor has the case.
    pub reviewers: Vec<ReviewerView>,
}

/// A prosecutor who reviews the case.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewerView {
    pub member: MemberRef,
    /// They may open the case now (granted, or they opened it); false for
    /// one whose entries remain after their access was withdrawn.
    pub has_access: bool,
    /// Review entries they recorded here (comments, requests, sign-offs,
    /// withdrawals), and when the last one was.
    pub entries: u32,
    pub last_entry_at: Option<i64>,
}

/// A sign-off: a stage's (the prosecutor's review item) or one checklist
/// item's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SignOffTarget {
    Stage {
        review_id: String,
    },
    Item {
        template_id: String,
        item_id: String,
    },
}

/// The sign-offs of one stage, and whether the prosecutor may sign it off.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StageSignOffs {
    pub stage: Stage,
    /// Why the stage cannot be signed off now; none while it can.
    pub blocked: Option<caravan_model::signoffs::StageSignOffBlock>,
    /// Oldest first; withdrawn ones included.
    pub signoffs: Vec<SignOffView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignOffView {
    pub target: SignOffTarget,
    pub role: Role,
    pub by: MemberRef,
    pub at: i64,
    /// A stage sign-off's words.
    pub text: Option<String>,
    pub withdrawn: Option<WithdrawalView>,
    /// The viewer signed it, it stands, and they may withdraw it.
    pub may_withdraw: bool,
}

/// Who withdrew a sign-off (always its signer), when, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WithdrawalView {
    pub by: MemberRef,
    pub at: i64,
    pub reason: String,
}

/// A whole case, as `case show` and the case screen display it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseView {
    pub id: CaseId,
    pub reference: String,
    pub title: String,
    pub jurisdiction: String,
    pub status: CaseStatus,
    pub created_at: i64,
    pub created_by: MemberRef,
    pub narrative: String,
    /// The legal qualification, in the code's order.
    pub qualification: Vec<QualifiedArticle>,
    /// The prosecutor's positions on the qualification (their own review
    /// entries), oldest first.
    pub qualification_opinions: Vec<QualificationOpinionView>,
    /// The case's jurisdiction gives the prosecutor a say in the
    /// qualification (see `caravan_model::articles`).
    pub prosecutor_qualifies: bool,
    pub stages: Vec<StageView>,
    pub assignment: Assignees,
    pub people: Vec<PersonView>,
    pub evidence: Vec<EvidenceView>,
    pub interviews: Vec<InterviewView>,
    pub tasks: Vec<TaskView>,
    pub timeline: Vec<EventView>,
    pub referrals: Vec<ReferralView>,
    pub risks: Vec<RiskView>,
    pub notes: Vec<NoteView>,
    pub review: Vec<ReviewView>,
    pub approvals: Vec<ApprovalView>,
    /// Links to other cases.
    pub links: Vec<CaseLinkView>,
    pub international_requests: Vec<InternationalRequestView>,
    /// Communication identifiers, their values masked.
    pub identifiers: Vec<IdentifierView>,
    pub groups: Vec<GroupView>,
    /// The prosecution and court phase.
    pub court: CourtView,
    /// Accounts, transfers and assets, account numbers masked, with
    /// their totals per currency.
    pub finance: FinanceView,
    /// Each stage's sign-offs (withdrawn ones too), in stage order.
    pub signoffs: Vec<StageSignOffs>,
    /// Share of the case's required checklist items resolved, 0–100.
    pub progress_percent: u8,
    pub stage_progress: Vec<StageProgressView>,
    /// Each victim's checklists of the templates kept per victim, started
    /// or not, in stage order.
    pub person_progress: Vec<PersonProgressView>,
    pub conflicts: u32,
    /// The services of the victims' support plans.
    pub support: Vec<SupportServiceView>,
    /// Victims whose reflection period ends within a week or has ended
    /// with no decision on residence or return.
    pub reflection_alerts: u32,
}

mod case_file;
mod court;
pub use case_file::*;
mod case_records;
pub use case_records::*;
pub use court::*;
mod support;
pub use support::*;
mod finance;
pub use finance::*;
