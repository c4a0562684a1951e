//! What the core hands to front ends: plain, serialisable views of a case.
//! Identity fields of people are masked here unless the caller revealed
//! them (an audited action), so no front end can show them by mistake.

use caravan_model::lifecycle::{CaseProgress, Gate};
use caravan_model::*;
use serde::Serialize;

use crate::team::Names;

/// A member as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRef {
    pub id: String,
    pub name: String,
}

impl Names {
    pub(crate) fn member(&self, id: &str) -> MemberRef {
        MemberRef {
            id: id.to_string(),
            name: self.name_of(id),
        }
    }
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    /// The most advanced active stage.
    pub stage: String,
    pub status: String,
    pub jurisdiction: String,
    pub assignees: Vec<String>,
    pub updated_at_ms: i64,
    pub progress_percent: u8,
    pub overdue_tasks: u32,
    pub conflicts: u32,
}

/// The case list, and the index records that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    /// Damaged index records (named; the rest of the list is unaffected).
    pub unreadable: Vec<String>,
}

/// Identifying details; `None` fields are unknown, not hidden.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentityView {
    pub full_name: String,
    pub other_names: Option<String>,
    pub birth_date: Option<String>,
    pub document_numbers: Option<String>,
    pub contact: Option<String>,
    pub address: Option<String>,
}

impl From<&Identity> for IdentityView {
    fn from(i: &Identity) -> Self {
        Self {
            full_name: i.full_name.clone(),
            other_names: i.other_names.clone(),
            birth_date: i.birth_date.map(|d| d.to_string()),
            document_numbers: i.document_numbers.clone(),
            contact: i.contact.clone(),
            address: i.address.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Victim,
    Suspect,
    Witness,
}

impl PersonKind {
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

/// A victim, suspect or witness. `identity` is `None` while masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonView {
    pub id: String,
    pub kind: PersonKind,
    pub pseudonym: String,
    pub identity: Option<IdentityView>,
    pub masked: bool,
    /// Victims: HTCDS status, sex, age, citizenship, exploitation, control.
    pub status: Option<TraffickingStatus>,
    pub sex: Option<Sex>,
    pub age_at_trafficking: Option<u64>,
    pub citizenship: Option<String>,
    pub exploitation: Vec<Exploitation>,
    pub control_methods: Vec<ControlMethod>,
    pub roles: Vec<PerpetratorRole>,
    pub relation: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustodyView {
    pub id: String,
    pub from: String,
    pub to: String,
    pub at: i64,
    pub place: String,
    pub seal_number: Option<String>,
    pub purpose: Option<String>,
    pub recorded_by: MemberRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceView {
    pub id: String,
    pub label: String,
    pub kind: EvidenceKind,
    pub description: String,
    pub seized_at: Option<i64>,
    pub seized_from: Option<String>,
    pub location: Option<String>,
    pub seal_number: Option<String>,
    pub attachment_sha256: Option<String>,
    pub custody: Vec<CustodyView>,
    /// Who holds the item now: the last hand-over's recipient.
    pub holder: Option<String>,
    pub recorded_by: MemberRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterviewView {
    pub id: String,
    pub person_id: String,
    pub stage: PeaceStage,
    pub planned_for: Option<String>,
    pub venue: Option<String>,
    pub interpreter: Option<String>,
    pub interpreter_vetted: bool,
    pub consent_given: bool,
    pub child_track: bool,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskView {
    pub id: String,
    pub title: String,
    pub assignee: Option<MemberRef>,
    pub due: Option<String>,
    pub stage: Option<Stage>,
    pub done: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventView {
    pub id: String,
    pub kind: EventKind,
    pub date: Option<String>,
    pub place: String,
    pub country: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralView {
    pub id: String,
    pub person_id: String,
    pub direction: ReferralDirection,
    pub organisation: String,
    pub date: Option<String>,
    pub reason: String,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskView {
    pub id: String,
    pub subject: RiskSubject,
    pub person_id: Option<String>,
    pub threat: String,
    pub severity: u64,
    pub likelihood: u64,
    /// severity × likelihood, 1–25 (UNODC manual M5).
    pub level: u64,
    pub mitigation: String,
    pub review_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteView {
    pub id: String,
    pub body: String,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewView {
    pub id: String,
    pub kind: ReviewKind,
    pub stage: Option<Stage>,
    pub text: String,
    pub by: MemberRef,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalView {
    pub id: String,
    pub stage: Option<Stage>,
    pub subject: String,
    pub decision: Decision,
    pub comment: Option<String>,
    pub by: MemberRef,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageView {
    pub stage: Stage,
    pub status: StageStatus,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignees {
    pub investigators: Vec<MemberRef>,
    pub prosecutor: Option<MemberRef>,
    pub supervisor: Option<MemberRef>,
}

/// A whole case, as `case show` and the case view display it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseView {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub jurisdiction: String,
    pub status: CaseStatus,
    pub created_at: i64,
    pub created_by: MemberRef,
    pub narrative: String,
    pub qualification: Vec<LegalArticle>,
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
    pub progress: CaseProgress,
    pub conflicts: usize,
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(crate) fn case_view(
    id: &str,
    case: &Case,
    names: &Names,
    catalog: &Catalog,
    today: Date,
    conflicts: usize,
) -> CaseView {
    let people = case
        .victims
        .iter()
        .map(|(id, v)| PersonView {
            id: id.clone(),
            kind: PersonKind::Victim,
            pseudonym: v.pseudonym.clone(),
            identity: None,
            masked: true,
            status: Some(v.status),
            sex: Some(v.sex),
            age_at_trafficking: v.age_at_trafficking,
            citizenship: v.citizenship.clone(),
            exploitation: v.exploitation.clone(),
            control_methods: v.control_methods.clone(),
            roles: Vec::new(),
            relation: None,
            recorded_at: v.recorded_at,
            recorded_by: names.member(&v.recorded_by),
        })
        .chain(case.suspects.iter().map(|(id, s)| PersonView {
            id: id.clone(),
            kind: PersonKind::Suspect,
            pseudonym: s.pseudonym.clone(),
            identity: None,
            masked: true,
            status: None,
            sex: None,
            age_at_trafficking: None,
            citizenship: s.citizenship.clone(),
            exploitation: Vec::new(),
            control_methods: Vec::new(),
            roles: s.roles.clone(),
            relation: None,
            recorded_at: s.recorded_at,
            recorded_by: names.member(&s.recorded_by),
        }))
        .chain(case.witnesses.iter().map(|(id, w)| PersonView {
            id: id.clone(),
            kind: PersonKind::Witness,
            pseudonym: w.pseudonym.clone(),
            identity: None,
            masked: true,
            status: None,
            sex: None,
            age_at_trafficking: None,
            citizenship: None,
            exploitation: Vec::new(),
            control_methods: Vec::new(),
            roles: Vec::new(),
            relation: w.relation.clone(),
            recorded_at: w.recorded_at,
            recorded_by: names.member(&w.recorded_by),
        }))
        .collect();
    let evidence = case
        .evidence
        .iter()
        .map(|(id, e)| EvidenceView {
            id: id.clone(),
            label: e.label.clone(),
            kind: e.kind,
            description: e.description.clone(),
            seized_at: e.seized_at,
            seized_from: e.seized_from.clone(),
            location: e.location.clone(),
            seal_number: e.seal_number.clone(),
            attachment_sha256: e.attachment_sha256.clone(),
            holder: e.custody.last().map(|c| c.to.clone()),
            custody: e
                .custody
                .iter()
                .map(|c| CustodyView {
                    id: c.id.clone(),
                    from: c.from.clone(),
                    to: c.to.clone(),
                    at: c.at,
                    place: c.place.clone(),
                    seal_number: c.seal_number.clone(),
                    purpose: c.purpose.clone(),
                    recorded_by: names.member(&c.recorded_by),
                })
                .collect(),
            recorded_by: names.member(&e.recorded_by),
        })
        .collect();
    let stages = Stage::ALL
        .iter()
        .filter_map(|s| {
            let st = case.stages.get(s.id())?;
            Some(StageView {
                stage: *s,
                status: st.status,
                opened_at: st.opened_at,
                closed_at: st.closed_at,
                gate: lifecycle::gate(case, *s, catalog),
            })
        })
        .collect();
    CaseView {
        id: id.to_string(),
        reference: case.header.reference.clone(),
        title: case.header.title.clone(),
        jurisdiction: case.header.jurisdiction.clone(),
        status: case.header.status,
        created_at: case.header.created_at,
        created_by: names.member(&case.header.created_by),
        narrative: case.narrative.as_str().to_string(),
        qualification: case.header.qualification.values().cloned().collect(),
        stages,
        assignment: Assignees {
            investigators: case
                .assignment
                .investigators
                .iter()
                .filter(|(_, on)| **on)
                .map(|(m, _)| names.member(m))
                .collect(),
            prosecutor: case
                .assignment
                .prosecutor
                .as_deref()
                .map(|m| names.member(m)),
            supervisor: case
                .assignment
                .supervisor
                .as_deref()
                .map(|m| names.member(m)),
        },
        people,
        evidence,
        interviews: case
            .interviews
            .iter()
            .map(|(id, i)| InterviewView {
                id: id.clone(),
                person_id: i.person_id.clone(),
                stage: i.stage,
                planned_for: date(i.planned_for),
                venue: i.venue.clone(),
                interpreter: i.interpreter.clone(),
                interpreter_vetted: i.interpreter_vetted,
                consent_given: i.consent_given,
                child_track: i.child_track,
                plan: i.plan.as_str().to_string(),
            })
            .collect(),
        tasks: case
            .tasks
            .iter()
            .map(|(id, t)| TaskView {
                id: id.clone(),
                title: t.title.clone(),
                assignee: t.assignee.as_deref().map(|m| names.member(m)),
                due: date(t.due),
                stage: t.stage,
                done: t.done,
                overdue: !t.done && t.due.is_some_and(|d| d < today),
            })
            .collect(),
        timeline: case
            .timeline
            .iter()
            .map(|(id, e)| EventView {
                id: id.clone(),
                kind: e.kind,
                date: date(e.date),
                place: e.place.clone(),
                country: e.country.clone(),
                description: e.description.clone(),
            })
            .collect(),
        referrals: case
            .referrals
            .iter()
            .map(|(id, r)| ReferralView {
                id: id.clone(),
                person_id: r.person_id.clone(),
                direction: r.direction,
                organisation: r.organisation.clone(),
                date: date(r.date),
                reason: r.reason.clone(),
                outcome: r.outcome.clone(),
            })
            .collect(),
        risks: case
            .risks
            .iter()
            .map(|(id, r)| RiskView {
                id: id.clone(),
                subject: r.subject,
                person_id: r.person_id.clone(),
                threat: r.threat.clone(),
                severity: r.severity,
                likelihood: r.likelihood,
                level: r.level(),
                mitigation: r.mitigation.clone(),
                review_on: date(r.review_on),
            })
            .collect(),
        notes: case
            .notes
            .iter()
            .map(|(id, n)| NoteView {
                id: id.clone(),
                body: n.body.as_str().to_string(),
                recorded_at: n.recorded_at,
                recorded_by: names.member(&n.recorded_by),
            })
            .collect(),
        review: case
            .review
            .iter()
            .map(|(id, r)| ReviewView {
                id: id.clone(),
                kind: r.kind,
                stage: r.stage,
                text: r.text.clone(),
                by: names.member(&r.by),
                at: r.at,
            })
            .collect(),
        approvals: case
            .approvals
            .iter()
            .map(|(id, a)| ApprovalView {
                id: id.clone(),
                stage: a.stage,
                subject: a.subject.clone(),
                decision: a.decision,
                comment: a.comment.clone(),
                by: names.member(&a.by),
                at: a.at,
            })
            .collect(),
        progress: lifecycle::progress(case, catalog),
        conflicts,
    }
}
