//! The case document: what one Automerge document per case holds.
//!
//! Layout rules, so that concurrent work on two laptops merges without loss:
//! - every collection two devices may grow at once is a map keyed by a
//!   caller-supplied unique id (never a plain list);
//! - long free text that several people edit is collaborative [`Text`];
//! - the custody chain is a keyed list that is only ever appended to;
//! - person identity fields live in an [`Identity`] so front ends can mask them.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};

mod court;
mod finance;
mod support;

pub use crate::case_file::{Group, GroupMember, Identifier};
use crate::date::Date;
use crate::vocab::*;
pub use court::{
    Charge, Compensation, Hearing, Indictment, PreventiveMeasure, ProceduralDecision, Verdict,
};
pub use finance::FinancialFlow;
pub use support::SupportService;

/// Document schema version written into every case document.
pub const CASE_SCHEMA: u64 = 1;

/// Milliseconds since the Unix epoch (UTC), always supplied by the caller.
pub type Millis = i64;

/// A member id in the team document.
pub type MemberId = String;

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Case {
    pub schema: u64,
    pub header: CaseHeader,
    pub narrative: Text,
    pub stages: BTreeMap<String, StageState>,
    pub assignment: Assignment,
    pub victims: BTreeMap<String, Victim>,
    pub suspects: BTreeMap<String, Suspect>,
    pub witnesses: BTreeMap<String, Witness>,
    pub evidence: BTreeMap<String, Evidence>,
    pub interviews: BTreeMap<String, Interview>,
    pub tasks: BTreeMap<String, Task>,
    pub timeline: BTreeMap<String, TimelineEvent>,
    pub referrals: BTreeMap<String, Referral>,
    pub risks: BTreeMap<String, RiskAssessment>,
    pub notes: BTreeMap<String, Note>,
    pub checklists: BTreeMap<String, ChecklistInstance>,
    pub review: BTreeMap<String, ReviewItem>,
    pub approvals: BTreeMap<String, Approval>,
    /// Links to other cases. A later collection: older cases lack it until
    /// their first link (see `crate::later`).
    #[autosurgeon(missing = "BTreeMap::new")]
    pub links: BTreeMap<String, CaseLink>,
    /// Requests to other states (MLA, extradition, notices…). A later
    /// collection.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub international_requests: BTreeMap<String, InternationalRequest>,
    /// Phone numbers, handsets, accounts and addresses of the case (see
    /// `crate::network`). A later collection.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub identifiers: BTreeMap<String, Identifier>,
    /// Organised groups and their members. A later collection.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub groups: BTreeMap<String, Group>,
    /// The court phase (see `crate::court`): later collections.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub procedural_decisions: BTreeMap<String, ProceduralDecision>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub measures: BTreeMap<String, PreventiveMeasure>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub charges: BTreeMap<String, Charge>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub indictments: BTreeMap<String, Indictment>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub hearings: BTreeMap<String, Hearing>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub verdicts: BTreeMap<String, Verdict>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub compensation: BTreeMap<String, Compensation>,
    /// The services of the victims' support plans (see `crate::support`).
    /// A later collection.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub support: BTreeMap<String, SupportService>,
    /// Accounts, transfers and assets, with freezes and confiscations (see
    /// `crate::finance`). A later collection.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub financial_flows: BTreeMap<String, FinancialFlow>,
}

#[derive(Debug, Clone, PartialEq, Hydrate)]
pub struct CaseHeader {
    pub reference: String,
    pub title: String,
    /// ISO 3166-1 alpha-2 code (KZ, KG, TJ, TM, UZ or any other).
    pub jurisdiction: String,
    /// Legal qualification, keyed by [`LegalArticle::key`].
    pub qualification: BTreeMap<String, LegalArticle>,
    pub status: CaseStatus,
    pub created_at: Millis,
    pub created_by: MemberId,
    /// The number of the case in the national register of criminal cases
    /// (Kazakhstan's ERDR, for one). Added after documents were made:
    /// written only once set, so a device of an older release reads the
    /// header as before.
    #[autosurgeon(missing = "Option::default")]
    pub registry_number: Option<String>,
}

impl Reconcile for CaseHeader {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        m.put("reference", &self.reference)?;
        m.put("title", &self.title)?;
        m.put("jurisdiction", &self.jurisdiction)?;
        m.put("qualification", &self.qualification)?;
        m.put("status", self.status)?;
        m.put("created_at", self.created_at)?;
        m.put("created_by", &self.created_by)?;
        if let Some(number) = &self.registry_number {
            m.put("registry_number", number)?;
        }
        Ok(())
    }
}

/// A criminal-code article a case is qualified under, with the part (ч.)
/// and paragraph (п.) where the qualification names them (п. 2 ч. 3
/// ст. 128 is part "3", paragraph "2"). Part, paragraph and the version
/// were added after documents were made: entries without them read as
/// before, and they are written only when set, so a device of an older
/// release reads an entry without them as before.
#[derive(Debug, Clone, PartialEq, Eq, Hydrate, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LegalArticle {
    pub jurisdiction: String,
    /// Year of the criminal code the article belongs to: codes change.
    pub code_year: u64,
    /// Article number as written in the code, e.g. "128" or "130¹".
    pub article: String,
    #[autosurgeon(missing = "Option::default")]
    #[serde(default)]
    pub part: Option<String>,
    #[autosurgeon(missing = "Option::default")]
    #[serde(default)]
    pub paragraph: Option<String>,
    /// The version of the article the case was qualified under: the first
    /// day it was in force (see [`crate::articles`]).
    #[autosurgeon(missing = "Option::default")]
    #[serde(default)]
    pub in_force_from: Option<Date>,
}

impl LegalArticle {
    /// The map key under which the article is stored in a case:
    /// `KZ-2014-128` for the article as a whole, as entries made before
    /// parts were recorded are keyed; `KZ-2014-128:3` for its part 3,
    /// `KZ-2014-128:3:2` for paragraph 2 of part 3, `KZ-2014-128::2` for a
    /// paragraph of an article without parts. Parts of one article are
    /// listed side by side; the version is not part of the key (a case
    /// names an article once, in the version it was qualified under).
    pub fn key(&self) -> String {
        let base = format!("{}-{}-{}", self.jurisdiction, self.code_year, self.article);
        match (&self.part, &self.paragraph) {
            (None, None) => base,
            (Some(part), None) => format!("{base}:{part}"),
            (part, Some(paragraph)) => {
                format!("{base}:{}:{paragraph}", part.as_deref().unwrap_or_default())
            }
        }
    }
}

impl Reconcile for LegalArticle {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        m.put("jurisdiction", &self.jurisdiction)?;
        m.put("code_year", self.code_year)?;
        m.put("article", &self.article)?;
        if let Some(part) = &self.part {
            m.put("part", part)?;
        }
        if let Some(paragraph) = &self.paragraph {
            m.put("paragraph", paragraph)?;
        }
        if let Some(from) = &self.in_force_from {
            m.put("in_force_from", from)?;
        }
        Ok(())
    }
}

/// A prosecutor's position on the legal qualification, recorded as their
/// own review entry (a comment whose `qualification` holds it): the
/// investigators' qualification is never changed by it.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct QualificationOpinion {
    /// True: agrees with `articles`, the qualification as it stood when
    /// they agreed. False: proposes `articles` (one article).
    pub agrees: bool,
    /// Keyed by [`LegalArticle::key`].
    pub articles: BTreeMap<String, LegalArticle>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct StageState {
    pub status: StageStatus,
    pub opened_at: Option<Millis>,
    pub closed_at: Option<Millis>,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Assignment {
    /// Keyed by member id, so two supervisors assigning at once both land.
    pub investigators: BTreeMap<MemberId, bool>,
    pub prosecutor: Option<MemberId>,
    pub supervisor: Option<MemberId>,
}

/// Identifying details of a person. Sensitive: masked by front ends until
/// revealed, and every reveal is audited.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Identity {
    pub full_name: String,
    pub other_names: Option<String>,
    pub birth_date: Option<Date>,
    pub document_numbers: Option<String>,
    pub contact: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Victim {
    pub identity: Identity,
    /// Name used in the case file and exports instead of the real name.
    pub pseudonym: String,
    pub sex: Gender,
    pub age_at_trafficking: Option<u64>,
    /// ISO 3166-1 alpha-2.
    pub citizenship: Option<String>,
    /// ISO 639-2 codes.
    pub languages: Vec<String>,
    pub status: TraffickingStatus,
    pub status_decided_by: Option<StatusDecidedBy>,
    pub exploitation: Vec<Exploitation>,
    pub control_methods: Vec<ControlMethod>,
    pub recruitment: Option<RecruitmentMethod>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
    /// HTCDS forced-labour industry (an ISIC section). Added after the
    /// first documents were made: absent there, read as none.
    #[autosurgeon(missing = "Option::default")]
    pub forced_labour_industry: Option<ForcedLabourIndustry>,
    /// HTCDS relationship to the trafficker. Added later, like the industry.
    #[autosurgeon(missing = "Option::default")]
    pub relationship_to_trafficker: Option<RelationshipToTrafficker>,
    /// HTCDS methods of recruitment, several. Added after the first
    /// documents were made; as read by [`crate::CaseDoc::case`], every list
    /// two devices made at once and the earlier single `recruitment`
    /// together (see [`crate::later_lists`]).
    #[autosurgeon(missing = "Vec::new")]
    pub recruitment_methods: Vec<RecruitmentMethod>,
    /// Citizenships: ISO 3166-1 alpha-2 codes, or
    /// [`crate::later_lists::STATELESS`]. Read with the earlier single
    /// `citizenship`, like the methods of recruitment.
    #[autosurgeon(missing = "Vec::new")]
    pub citizenships: Vec<String>,
    /// HTCDS types of sexual exploitation. Added later, like the methods.
    #[autosurgeon(missing = "Vec::new")]
    pub sex_exploitation: Vec<SexualExploitationType>,
    /// HTCDS websites and apps through which the victim was recruited.
    #[autosurgeon(missing = "Vec::new")]
    pub recruitment_websites: Vec<WebsiteOrApp>,
    /// HTCDS websites and apps through which the victim was exploited.
    #[autosurgeon(missing = "Vec::new")]
    pub exploitation_websites: Vec<WebsiteOrApp>,
    /// The reflection period (see `crate::support`): its first and last
    /// day. The fields below were added after the first documents were
    /// made: absent there, read as unset (the assessment as not done).
    #[autosurgeon(missing = "Option::default")]
    pub reflection_from: Option<Date>,
    #[autosurgeon(missing = "Option::default")]
    pub reflection_until: Option<Date>,
    /// The decision on residence or return, and its day.
    #[autosurgeon(missing = "Option::default")]
    pub residence_decision: Option<ResidenceDecision>,
    #[autosurgeon(missing = "Option::default")]
    pub residence_decided_on: Option<Date>,
    /// The country of return, ISO 3166-1 alpha-2.
    #[autosurgeon(missing = "Option::default")]
    pub return_country: Option<String>,
    /// Where the reintegration plan stands.
    #[autosurgeon(missing = "Option::default")]
    pub reintegration_status: Option<ReintegrationStatus>,
    /// The family and risk assessment before a return was done, and its day.
    #[autosurgeon(missing = "bool::default")]
    pub family_assessment_done: bool,
    #[autosurgeon(missing = "Option::default")]
    pub family_assessment_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Suspect {
    pub identity: Identity,
    pub pseudonym: String,
    pub roles: Vec<PerpetratorRole>,
    pub citizenship: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
    /// A public official's complicity (HTCDS). Added after the first
    /// documents were made: absent there, read as not complicit.
    #[autosurgeon(missing = "bool::default")]
    pub public_official: bool,
    /// Citizenships, read as a victim's are (see [`Victim::citizenships`]).
    #[autosurgeon(missing = "Vec::new")]
    pub citizenships: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Witness {
    pub identity: Identity,
    pub pseudonym: String,
    pub relation: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Evidence {
    pub label: String,
    pub kind: EvidenceKind,
    pub description: String,
    pub seized_at: Option<Millis>,
    /// Who seized it (an officer, a unit): the item's first holder. Added
    /// after the first documents were made: absent there.
    #[autosurgeon(missing = "Option::default")]
    pub seized_by: Option<String>,
    pub seized_from: Option<String>,
    pub location: Option<String>,
    pub seal_number: Option<String>,
    /// SHA-256 (hex) of the attachment holding the item's image or scan.
    pub attachment_sha256: Option<String>,
    /// The attached file's name, media type and size in bytes, written
    /// with `attachment_sha256` (see [`crate::Edit::SetAttachment`]).
    /// Added after the first documents were made: absent there.
    #[autosurgeon(missing = "Option::default")]
    pub attachment_name: Option<String>,
    #[autosurgeon(missing = "Option::default")]
    pub attachment_type: Option<String>,
    #[autosurgeon(missing = "Option::default")]
    pub attachment_size: Option<u64>,
    /// Append-only chain of custody.
    pub custody: Vec<CustodyEntry>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// One hand-over of an evidence item. Never edited or removed once written.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct CustodyEntry {
    #[key]
    pub id: String,
    pub from: String,
    pub to: String,
    /// When the hand-over took place, as the person who records it states
    /// it: often before it is recorded, never after (see
    /// [`crate::attribution::Attests::Moment`]).
    pub at: Millis,
    pub place: String,
    pub seal_number: Option<String>,
    pub purpose: Option<String>,
    pub attachment_sha256: Option<String>,
    pub recorded_by: MemberId,
    /// When the hand-over was recorded. Entries written before it was
    /// added hold none: their `at` is the time they were recorded.
    #[autosurgeon(missing = "Option::default")]
    pub recorded_at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Interview {
    /// Id of the victim, suspect or witness interviewed.
    pub person_id: String,
    pub stage: PeaceStage,
    pub planned_for: Option<Date>,
    pub venue: Option<String>,
    pub interpreter: Option<String>,
    /// Interpreter checked for ties to the case, the suspects or the victim.
    pub interpreter_vetted: bool,
    pub consent_given: bool,
    pub child_track: bool,
    pub plan: Text,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Task {
    pub title: String,
    pub assignee: Option<MemberId>,
    pub due: Option<Date>,
    pub stage: Option<Stage>,
    pub done: bool,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct TimelineEvent {
    pub kind: EventKind,
    pub date: Option<Date>,
    pub place: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub description: String,
    pub person_ids: Vec<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
    /// Where it happened, in microdegrees (millionths of a degree, WGS 84):
    /// -90 000 000 to 90 000 000, and -180 000 000 to 180 000 000 (see
    /// [`crate::places`]). Both or neither. Left out of the anonymised
    /// (HTCDS) export; shown to the team and in its GeoJSON of routes.
    /// Added after documents were made: absent there, as the fields
    /// below.
    #[autosurgeon(missing = "Option::default")]
    pub latitude_microdeg: Option<i64>,
    #[autosurgeon(missing = "Option::default")]
    pub longitude_microdeg: Option<i64>,
    /// The person crossed a state border on this leg; unknown when unset.
    #[autosurgeon(missing = "Option::default")]
    pub crosses_border: Option<bool>,
    /// The border crossing point, for an event that crosses a border.
    #[autosurgeon(missing = "Option::default")]
    pub border_point: Option<String>,
    #[autosurgeon(missing = "Option::default")]
    pub transport: Option<TransportMode>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Referral {
    pub person_id: String,
    pub direction: ReferralDirection,
    pub organisation: String,
    pub date: Option<Date>,
    /// The reason in the referrer's words (details beside `htcds_reason`).
    pub reason: String,
    pub outcome: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
    /// The fields below were added after the first documents were made:
    /// absent there, read as unset (consent: not recorded as given).
    #[autosurgeon(missing = "Option::default")]
    pub organisation_type: Option<OrganisationType>,
    /// HTCDS reason for the referral (incoming or outgoing alike).
    #[autosurgeon(missing = "Option::default")]
    pub htcds_reason: Option<ReferralReason>,
    #[autosurgeon(missing = "Option::default")]
    pub status: Option<ReferralStatus>,
    /// Whether the person consented to being referred, and on which day.
    #[autosurgeon(missing = "bool::default")]
    pub consent_given: bool,
    #[autosurgeon(missing = "Option::default")]
    pub consent_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct RiskAssessment {
    pub subject: RiskSubject,
    pub person_id: Option<String>,
    pub threat: String,
    pub threat_source: Option<String>,
    /// 1 (minor) to 5 (critical).
    pub severity: u64,
    /// 1 (rare) to 5 (almost certain).
    pub likelihood: u64,
    pub mitigation: String,
    pub review_on: Option<Date>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

impl RiskAssessment {
    /// Risk level = severity × likelihood (UNODC manual M5), 1..=25.
    pub fn level(&self) -> u64 {
        self.severity * self.likelihood
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Note {
    pub body: Text,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ChecklistInstance {
    pub template_id: String,
    /// The template version this case follows; kept until a newer one is adopted.
    pub version: u64,
    /// Only items someone touched are stored; absent means open.
    pub items: BTreeMap<String, ItemState>,
    /// Sign-offs by item id. Kept apart from the item states so that the
    /// investigators' writes and the sign-offs never touch the same keys.
    pub signoffs: BTreeMap<String, SignOff>,
}

impl ChecklistInstance {
    /// A checklist just started: every item open, nothing signed off.
    pub fn new(template_id: String, version: u64) -> ChecklistInstance {
        ChecklistInstance {
            template_id,
            version,
            items: BTreeMap::new(),
            signoffs: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ItemState {
    pub status: ItemStatus,
    /// Required when `status` is not applicable.
    pub reason: Option<String>,
    pub note: Option<String>,
    pub evidence_ids: Vec<String>,
    pub interview_ids: Vec<String>,
    pub by: MemberId,
    pub at: Millis,
}

/// A sign-off of one item. It holds for the status it signed: when the
/// item is marked differently later, it needs signing again.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct SignOff {
    pub role: Role,
    pub status: ItemStatus,
    pub by: MemberId,
    pub at: Millis,
}

/// A prosecutor's comment, request for further investigation, stage
/// sign-off, or withdrawal of one of their sign-offs.
#[derive(Debug, Clone, PartialEq, Hydrate)]
pub struct ReviewItem {
    pub kind: ReviewKind,
    pub stage: Option<Stage>,
    /// For a withdrawal, its reason.
    pub text: String,
    pub by: MemberId,
    pub at: Millis,
    /// For a withdrawal, the sign-off it withdraws. Review items made
    /// before withdrawals existed have no such key, and other kinds are
    /// written without it: a device of an older release reads them as
    /// before.
    #[autosurgeon(missing = "Option::default")]
    pub withdraws: Option<SignOffRef>,
    /// For a prosecutor's position on the legal qualification (a comment):
    /// that position. Written only on such entries, like `withdraws`.
    #[autosurgeon(missing = "Option::default")]
    pub qualification: Option<QualificationOpinion>,
}

impl Reconcile for ReviewItem {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::MapReconciler;
        let mut m = reconciler.map()?;
        m.put("kind", self.kind)?;
        m.put("stage", self.stage)?;
        m.put("text", &self.text)?;
        m.put("by", &self.by)?;
        m.put("at", self.at)?;
        if let Some(w) = &self.withdraws {
            m.put("withdraws", w)?;
        }
        if let Some(q) = &self.qualification {
            m.put("qualification", q)?;
        }
        Ok(())
    }
}

/// The sign-off a withdrawal takes back: a stage sign-off (a review item)
/// or one checklist item's sign-off, and when it was made. Withdrawals are
/// only ever added (a sign-off with legal weight is never erased), and one
/// names the sign-off it withdraws rather than changing it, so a sign-off
/// and its withdrawal made on two devices at once both stand after merging.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct SignOffRef {
    /// A stage sign-off: the id of its review item.
    pub review_id: Option<String>,
    /// An item sign-off: the checklist (its key: the template id, or for a
    /// person's checklist `<template-id>~<person-id>`) and the item.
    pub template_id: Option<String>,
    pub item_id: Option<String>,
    /// When the withdrawn sign-off was made: an item signed off again
    /// later has a new sign-off, which this withdrawal leaves standing.
    pub signed_at: Millis,
}

impl SignOffRef {
    /// A stage sign-off, by its review item.
    pub fn stage(review_id: &str, signed_at: Millis) -> SignOffRef {
        SignOffRef {
            review_id: Some(review_id.into()),
            template_id: None,
            item_id: None,
            signed_at,
        }
    }

    /// The sign-off of one checklist item.
    pub fn item(template_id: &str, item_id: &str, signed_at: Millis) -> SignOffRef {
        SignOffRef {
            review_id: None,
            template_id: Some(template_id.into()),
            item_id: Some(item_id.into()),
            signed_at,
        }
    }
}

/// A supervisor's approval; with a stage, it is that stage's gate decision.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Approval {
    pub stage: Option<Stage>,
    pub subject: String,
    pub decision: Decision,
    pub comment: Option<String>,
    pub by: MemberId,
    pub at: Millis,
}

/// A link from this case to another one: the same suspect, victim, route
/// or network seen in both.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct CaseLink {
    /// The other case's id.
    pub case_id: String,
    /// The other case's reference as the person who linked them saw it, so
    /// that a device that cannot open the other case still says which it is.
    pub reference: String,
    pub relation: CaseLinkKind,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// A request to another state: mutual legal assistance, extradition, a
/// joint investigation team, an INTERPOL notice, the police channel or a
/// consular notification (UNODC manual M6).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct InternationalRequest {
    pub kind: RequestKind,
    /// Only for an INTERPOL notice.
    pub notice: Option<NoticeColour>,
    /// ISO 3166-1 alpha-2.
    pub requested_state: String,
    pub legal_basis: LegalBasis,
    /// The central authority (or police unit) it goes through.
    pub central_authority: Option<String>,
    /// The assistance sought.
    pub subject: String,
    pub sent_on: Option<Date>,
    /// When an answer is due: an open request past it is overdue.
    pub deadline: Option<Date>,
    pub status: RequestStatus,
    pub response_on: Option<Date>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// Paths (see [`crate::path`]) of fields that identify a person.
pub const SENSITIVE_PATHS: &[&str] = &[
    "victims/*/identity/**",
    "suspects/*/identity/**",
    "witnesses/*/identity/**",
    "identifiers/*/value",
    "financial_flows/*/account",
];
