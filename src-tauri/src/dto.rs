//! The IPC boundary's data: what the front end sends and receives. These
//! types exist only here; TypeScript types are generated from them
//! (`ui/src/lib/bindings/`, checked by a test) so the UI and the shell
//! cannot drift apart. Vocabulary values travel as their stable ids
//! (`initial_response`, `not_applicable`, …), which the UI translates.

use caravan_core::checklists::{ChecklistView, ItemView};
use caravan_core::conflicts::{ConflictValueView, ConflictView};
use caravan_core::exchange::{DiscardView, QuarantineRow, ReleaseView};
use caravan_core::reports::{OverdueRow, ProgressReport, ProgressRow};
use caravan_core::team::{DeviceView, MemberView, TeamView};
use caravan_core::view::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! dto {
    ($($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* })+) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
            pub struct $name { $($body)* }
        )+

        /// The TypeScript declaration of every DTO, by file name.
        pub fn typescript_bindings(
            cfg: &ts_rs::Config,
        ) -> Result<Vec<(String, String)>, ts_rs::ExportError> {
            Ok(vec![$((format!("{}.ts", stringify!($name)), <$name as TS>::export_to_string(cfg)?)),+])
        }
    };
}

fn id<T: std::fmt::Display>(v: T) -> String {
    v.to_string()
}

fn ids<T: std::fmt::Display>(v: &[T]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

dto! {
    /// A failed command: a stable code the UI translates, the English
    /// message as a fallback, and what kind of failure it is.
    pub struct ErrorDto {
        pub code: String,
        pub message: String,
        /// wrong_secret | in_use | rejected | verification | failure | locked
        pub kind: String,
    }

    /// What the first screen needs to know.
    pub struct StatusDto {
        pub vault_dir: String,
        pub vault_exists: bool,
        pub unlocked: bool,
        pub has_team: bool,
        /// The join request this device wrote and is waiting on.
        pub pending_join: Option<String>,
        pub me: Option<MemberDto>,
        pub team_name: Option<String>,
        pub settings: SettingsDto,
        /// The demo team's vault is open (made-up people, a public
        /// passphrase), not the user's own; leaving it or locking returns
        /// to the user's vault.
        pub demo: bool,
    }

    pub struct SettingsDto {
        pub auto_lock_minutes: u32,
        pub language: String,
    }

    pub struct StrengthDto {
        pub acceptable: bool,
        /// 0 (very weak) to 4 (very strong).
        pub score: u8,
        pub message: Option<String>,
    }

    pub struct CreatedVaultDto {
        /// Shown once; never stored in clear.
        pub recovery_code: String,
    }

    pub struct MemberRefDto {
        pub id: String,
        pub name: String,
    }

    pub struct DeviceDto {
        pub id: String,
        pub fingerprint: String,
        pub label: String,
        pub enrolled_at: i64,
        pub revoked: bool,
    }

    pub struct MemberDto {
        pub id: String,
        pub name: String,
        pub role: String,
        pub devices: Vec<DeviceDto>,
    }

    pub struct TeamDto {
        pub id: String,
        /// Six groups of five digits, read aloud to a device that joins.
        pub fingerprint: String,
        pub name: String,
        pub me: MemberDto,
        pub device: String,
        pub members: Vec<MemberDto>,
        pub key_epoch: u32,
    }

    pub struct JoinRequestDto {
        pub name: String,
        pub label: String,
        pub device: String,
        pub fingerprint: String,
    }

    pub struct CaseFilterDto {
        pub query: Option<String>,
        pub stage: Option<String>,
        pub status: Option<String>,
        pub assignee: Option<String>,
        pub jurisdiction: Option<String>,
        pub overdue_only: bool,
    }

    pub struct CaseSummaryDto {
        pub id: String,
        pub reference: String,
        pub title: String,
        pub stage: String,
        pub status: String,
        pub jurisdiction: String,
        pub assignees: Vec<String>,
        pub updated_at_ms: i64,
        pub progress_percent: u8,
        pub overdue_tasks: u32,
        pub conflicts: u32,
    }

    pub struct CaseListDto {
        pub cases: Vec<CaseSummaryDto>,
        pub unreadable: Vec<String>,
    }

    pub struct NewCaseDto {
        pub reference: String,
        pub title: String,
        pub jurisdiction: String,
    }

    pub struct IdentityDto {
        pub full_name: String,
        pub other_names: Option<String>,
        pub birth_date: Option<String>,
        pub document_numbers: Option<String>,
        pub contact: Option<String>,
        pub address: Option<String>,
    }

    pub struct PersonDto {
        pub id: String,
        /// victim | suspect | witness
        pub kind: String,
        pub pseudonym: String,
        /// Always masked here; `reveal_person` returns the identity.
        pub masked: bool,
        pub status: Option<String>,
        pub sex: Option<String>,
        pub age_at_trafficking: Option<u64>,
        pub citizenship: Option<String>,
        pub exploitation: Vec<String>,
        pub control_methods: Vec<String>,
        pub roles: Vec<String>,
        pub relation: Option<String>,
        pub recorded_at: i64,
        pub recorded_by: MemberRefDto,
    }

    pub struct NewPersonDto {
        pub kind: String,
        pub pseudonym: String,
        pub full_name: String,
        pub other_names: Option<String>,
        pub birth_date: Option<String>,
        pub document_numbers: Option<String>,
        pub contact: Option<String>,
        pub address: Option<String>,
        pub sex: Option<String>,
        pub age_at_trafficking: Option<u64>,
        pub citizenship: Option<String>,
        pub exploitation: Vec<String>,
        pub relation: Option<String>,
    }

    pub struct CustodyDto {
        pub id: String,
        pub from: String,
        pub to: String,
        pub at: i64,
        pub place: String,
        pub seal_number: Option<String>,
        pub purpose: Option<String>,
        pub recorded_by: MemberRefDto,
    }

    pub struct EvidenceDto {
        pub id: String,
        pub label: String,
        pub kind: String,
        pub description: String,
        pub seized_at: Option<i64>,
        pub seized_from: Option<String>,
        pub location: Option<String>,
        pub seal_number: Option<String>,
        pub attachment_sha256: Option<String>,
        pub custody: Vec<CustodyDto>,
        pub holder: Option<String>,
        pub recorded_by: MemberRefDto,
    }

    pub struct NewEvidenceDto {
        pub label: String,
        pub kind: String,
        pub description: String,
        pub seized_from: Option<String>,
        pub location: Option<String>,
        pub seal_number: Option<String>,
    }

    pub struct CustodyTransferDto {
        pub from: String,
        pub to: String,
        pub place: String,
        pub seal_number: Option<String>,
        pub purpose: Option<String>,
    }

    pub struct AttachmentDto {
        pub id: String,
        pub sha256: String,
        pub size: u64,
        pub evidence_id: Option<String>,
    }

    pub struct InterviewDto {
        pub id: String,
        pub person_id: String,
        pub stage: String,
        pub planned_for: Option<String>,
        pub venue: Option<String>,
        pub interpreter: Option<String>,
        pub interpreter_vetted: bool,
        pub consent_given: bool,
        pub child_track: bool,
        pub plan: String,
    }

    pub struct NewInterviewDto {
        pub person_id: String,
        pub planned_for: Option<String>,
        pub venue: Option<String>,
        pub interpreter: Option<String>,
        pub interpreter_vetted: bool,
        pub consent_given: bool,
        pub child_track: bool,
        pub plan: String,
    }

    pub struct TaskDto {
        pub id: String,
        pub title: String,
        pub assignee: Option<MemberRefDto>,
        pub due: Option<String>,
        pub stage: Option<String>,
        pub done: bool,
        pub overdue: bool,
    }

    pub struct NewTaskDto {
        pub title: String,
        pub assignee: Option<String>,
        pub due: Option<String>,
        pub stage: Option<String>,
    }

    pub struct EventDto {
        pub id: String,
        pub kind: String,
        pub date: Option<String>,
        pub place: String,
        pub country: Option<String>,
        pub description: String,
    }

    pub struct NewEventDto {
        pub kind: String,
        pub date: Option<String>,
        pub place: String,
        pub country: Option<String>,
        pub description: String,
    }

    pub struct ReferralDto {
        pub id: String,
        pub person_id: String,
        pub direction: String,
        pub organisation: String,
        pub date: Option<String>,
        pub reason: String,
        pub outcome: Option<String>,
    }

    pub struct NewReferralDto {
        pub person_id: String,
        pub direction: String,
        pub organisation: String,
        pub date: Option<String>,
        pub reason: String,
    }

    pub struct RiskDto {
        pub id: String,
        pub subject: String,
        pub person_id: Option<String>,
        pub threat: String,
        pub severity: u64,
        pub likelihood: u64,
        pub level: u64,
        pub mitigation: String,
        pub review_on: Option<String>,
    }

    pub struct NewRiskDto {
        pub subject: String,
        pub person_id: Option<String>,
        pub threat: String,
        pub severity: u64,
        pub likelihood: u64,
        pub mitigation: String,
        pub review_on: Option<String>,
    }

    pub struct NoteDto {
        pub id: String,
        pub body: String,
        pub recorded_at: i64,
        pub recorded_by: MemberRefDto,
    }

    pub struct ReviewDto {
        pub id: String,
        /// comment | request | sign_off
        pub kind: String,
        pub stage: Option<String>,
        pub text: String,
        pub by: MemberRefDto,
        pub at: i64,
    }

    pub struct ApprovalDto {
        pub id: String,
        pub stage: Option<String>,
        pub subject: String,
        pub decision: String,
        pub comment: Option<String>,
        pub by: MemberRefDto,
        pub at: i64,
    }

    pub struct GateDto {
        pub ready: bool,
        /// "template/item" of required items still open.
        pub missing_items: Vec<String>,
        /// Roles whose sign-off is missing.
        pub missing_signoffs: Vec<String>,
        /// "template@version" of checklists made with a template version
        /// this copy of Caravan does not know; they hold the gate.
        pub unknown_templates: Vec<String>,
    }

    pub struct StageDto {
        pub stage: String,
        pub status: String,
        pub opened_at: Option<i64>,
        pub closed_at: Option<i64>,
        pub gate: GateDto,
    }

    pub struct StageProgressDto {
        pub stage: String,
        pub status: String,
        pub items: u32,
        pub done: u32,
        pub not_applicable: u32,
        pub required: u32,
        pub required_resolved: u32,
        pub percent: u8,
    }

    pub struct ArticleDto {
        pub jurisdiction: String,
        pub code_year: u64,
        pub article: String,
    }

    /// An article the app offers for a jurisdiction.
    pub struct ArticleOptionDto {
        /// Pass to `add_article` / `remove_article`.
        pub key: String,
        pub jurisdiction: String,
        pub code_year: u64,
        pub article: String,
        pub title: String,
    }

    pub struct AssigneesDto {
        pub investigators: Vec<MemberRefDto>,
        pub prosecutor: Option<MemberRefDto>,
        pub supervisor: Option<MemberRefDto>,
    }

    pub struct CaseDto {
        pub id: String,
        pub reference: String,
        pub title: String,
        pub jurisdiction: String,
        pub status: String,
        pub created_at: i64,
        pub created_by: MemberRefDto,
        pub narrative: String,
        pub qualification: Vec<ArticleDto>,
        pub stages: Vec<StageDto>,
        pub assignment: AssigneesDto,
        pub people: Vec<PersonDto>,
        pub evidence: Vec<EvidenceDto>,
        pub interviews: Vec<InterviewDto>,
        pub tasks: Vec<TaskDto>,
        pub timeline: Vec<EventDto>,
        pub referrals: Vec<ReferralDto>,
        pub risks: Vec<RiskDto>,
        pub notes: Vec<NoteDto>,
        pub review: Vec<ReviewDto>,
        pub approvals: Vec<ApprovalDto>,
        pub progress_percent: u8,
        pub stage_progress: Vec<StageProgressDto>,
        pub conflicts: u32,
    }

    pub struct ChecklistItemDto {
        pub id: String,
        /// action | indicator
        pub kind: String,
        pub required: bool,
        pub text: String,
        pub source: String,
        /// open | done | not_applicable
        pub status: String,
        pub reason: Option<String>,
        pub note: Option<String>,
        pub evidence_ids: Vec<String>,
        pub signoff_needed: Option<String>,
        pub signed_off_by: Option<String>,
    }

    pub struct ChecklistDto {
        pub template_id: String,
        pub version: u64,
        pub newer_version: Option<u64>,
        /// This copy of Caravan does not know the template version the case
        /// follows (made with a newer Caravan): no items are shown, and the
        /// stage gate is held until Caravan is updated.
        pub template_unknown: bool,
        /// `null` when the template is unknown altogether.
        pub stage: Option<String>,
        pub title: String,
        pub items: Vec<ChecklistItemDto>,
        pub required: u32,
        pub required_resolved: u32,
    }

    pub struct ItemUpdateDto {
        /// open | done | not_applicable
        pub status: String,
        pub reason: Option<String>,
        pub note: Option<String>,
        pub evidence_ids: Vec<String>,
    }

    pub struct ConflictValueDto {
        pub choice: String,
        pub value: Option<String>,
        pub author: String,
        pub author_name: String,
        pub shown_now: bool,
    }

    pub struct ConflictDto {
        pub case_id: String,
        pub path: String,
        pub sensitive: bool,
        pub values: Vec<ConflictValueDto>,
    }

    /// Progress of a long operation, streamed over a channel.
    pub struct ProgressDto {
        /// reading | verifying | applying | saving | done
        pub step: String,
        pub done: u32,
        pub total: u32,
    }

    pub struct QuarantineNoteDto {
        pub case_id: String,
        pub change: String,
        pub code: String,
        pub message: String,
    }

    pub struct ImportReportDto {
        pub sender: String,
        pub sender_name: String,
        pub applied: u32,
        pub already_had: u32,
        pub held: u32,
        pub quarantined: Vec<QuarantineNoteDto>,
        pub not_permitted: u32,
        pub cases_changed: u32,
    }

    pub struct ExportDto {
        pub bytes: u64,
        pub recipient: String,
        pub path: String,
    }

    pub struct PeerDto {
        pub member: String,
        pub name: String,
        pub last_export_ms: Option<i64>,
        pub last_import_ms: Option<i64>,
    }

    /// A quarantined change as the supervisor reviews it; one per reason.
    pub struct QuarantineRowDto {
        /// The case id, or "team" for the team document.
        pub case_id: String,
        pub change: String,
        /// Device that authored it; for a bad signature, only the one it claims.
        pub author: Option<String>,
        pub author_name: Option<String>,
        /// Device it came from.
        pub relayed_by: Option<String>,
        pub relayed_by_name: Option<String>,
        pub code: String,
        pub message: String,
        pub arrived_at_ms: Option<i64>,
    }

    /// Which quarantined change to release or discard.
    pub struct QuarantineRefDto {
        pub case_id: String,
        pub change: String,
    }

    pub struct ReasonDto {
        pub code: String,
        pub message: String,
    }

    /// What a release did: applied, waiting for what it builds on, or
    /// still quarantined with its reasons.
    pub struct ReleaseDto {
        pub case_id: String,
        pub change: String,
        pub applied: bool,
        /// This change and those that waited on it.
        pub changes_applied: u32,
        pub held: bool,
        pub reasons: Vec<ReasonDto>,
    }

    pub struct DiscardDto {
        pub case_id: String,
        pub change: String,
        pub codes: Vec<String>,
    }

    pub struct ProgressRowDto {
        pub case_id: String,
        pub reference: String,
        pub title: String,
        pub stage: String,
        pub status: String,
        pub percent: u8,
        pub overdue_tasks: u32,
        pub open_requests: u32,
        pub conflicts: u32,
    }

    pub struct OverdueDto {
        pub case_id: String,
        pub reference: String,
        pub task_id: String,
        pub title: String,
        pub due: String,
        pub assignee_name: Option<String>,
    }

    pub struct CountDto {
        pub key: String,
        pub count: u32,
    }

    pub struct ReportDto {
        pub today: String,
        pub cases: Vec<ProgressRowDto>,
        pub overdue: Vec<OverdueDto>,
        pub by_stage: Vec<CountDto>,
        pub overdue_by_assignee: Vec<CountDto>,
        pub quarantined_changes: u32,
    }

    pub struct AuditRowDto {
        pub seq: u64,
        pub at_ms: i64,
        pub actor: String,
        pub actor_name: String,
        pub action: String,
        pub detail: String,
    }

    pub struct AuditCheckDto {
        pub entries: u64,
        pub head: String,
    }
}

impl From<QuarantineRow> for QuarantineRowDto {
    fn from(q: QuarantineRow) -> Self {
        QuarantineRowDto {
            case_id: q.case_id,
            change: q.change,
            author: q.author,
            author_name: q.author_name,
            relayed_by: q.relayed_by,
            relayed_by_name: q.relayed_by_name,
            code: q.code,
            message: q.message,
            arrived_at_ms: q.arrived_at_ms,
        }
    }
}

impl From<ReleaseView> for ReleaseDto {
    fn from(r: ReleaseView) -> Self {
        ReleaseDto {
            case_id: r.case_id,
            change: r.change,
            applied: r.applied,
            changes_applied: r.changes_applied as u32,
            held: r.held,
            reasons: r
                .reasons
                .into_iter()
                .map(|(code, message)| ReasonDto { code, message })
                .collect(),
        }
    }
}

impl From<DiscardView> for DiscardDto {
    fn from(d: DiscardView) -> Self {
        DiscardDto {
            case_id: d.case_id,
            change: d.change,
            codes: d.codes,
        }
    }
}

impl From<MemberRef> for MemberRefDto {
    fn from(m: MemberRef) -> Self {
        Self {
            id: m.id,
            name: m.name,
        }
    }
}

impl From<DeviceView> for DeviceDto {
    fn from(d: DeviceView) -> Self {
        Self {
            id: d.id,
            fingerprint: d.fingerprint,
            label: d.label,
            enrolled_at: d.enrolled_at,
            revoked: d.revoked,
        }
    }
}

impl From<MemberView> for MemberDto {
    fn from(m: MemberView) -> Self {
        Self {
            id: m.id,
            name: m.name,
            role: id(m.role),
            devices: m.devices.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<TeamView> for TeamDto {
    fn from(t: TeamView) -> Self {
        Self {
            id: t.id,
            fingerprint: t.fingerprint,
            name: t.name,
            me: t.me.into(),
            device: t.device,
            members: t.members.into_iter().map(Into::into).collect(),
            key_epoch: t.key_epoch,
        }
    }
}

impl From<CaseSummary> for CaseSummaryDto {
    fn from(c: CaseSummary) -> Self {
        Self {
            id: c.id,
            reference: c.reference,
            title: c.title,
            stage: c.stage,
            status: c.status,
            jurisdiction: c.jurisdiction,
            assignees: c.assignees,
            updated_at_ms: c.updated_at_ms,
            progress_percent: c.progress_percent,
            overdue_tasks: c.overdue_tasks,
            conflicts: c.conflicts,
        }
    }
}

impl From<IdentityView> for IdentityDto {
    fn from(i: IdentityView) -> Self {
        Self {
            full_name: i.full_name,
            other_names: i.other_names,
            birth_date: i.birth_date,
            document_numbers: i.document_numbers,
            contact: i.contact,
            address: i.address,
        }
    }
}

fn person(p: PersonView) -> PersonDto {
    PersonDto {
        id: p.id,
        kind: match p.kind {
            PersonKind::Victim => "victim",
            PersonKind::Suspect => "suspect",
            PersonKind::Witness => "witness",
        }
        .into(),
        pseudonym: p.pseudonym,
        masked: true,
        status: p.status.map(id),
        sex: p.sex.map(id),
        age_at_trafficking: p.age_at_trafficking,
        citizenship: p.citizenship,
        exploitation: ids(&p.exploitation),
        control_methods: ids(&p.control_methods),
        roles: ids(&p.roles),
        relation: p.relation,
        recorded_at: p.recorded_at,
        recorded_by: p.recorded_by.into(),
    }
}

fn evidence(e: EvidenceView) -> EvidenceDto {
    EvidenceDto {
        id: e.id,
        label: e.label,
        kind: id(e.kind),
        description: e.description,
        seized_at: e.seized_at,
        seized_from: e.seized_from,
        location: e.location,
        seal_number: e.seal_number,
        attachment_sha256: e.attachment_sha256,
        custody: e
            .custody
            .into_iter()
            .map(|c| CustodyDto {
                id: c.id,
                from: c.from,
                to: c.to,
                at: c.at,
                place: c.place,
                seal_number: c.seal_number,
                purpose: c.purpose,
                recorded_by: c.recorded_by.into(),
            })
            .collect(),
        holder: e.holder,
        recorded_by: e.recorded_by.into(),
    }
}

impl From<CaseView> for CaseDto {
    fn from(c: CaseView) -> Self {
        let stage_progress = c
            .progress
            .stages
            .iter()
            .map(|s| StageProgressDto {
                stage: id(s.stage),
                status: id(s.status),
                items: s.items as u32,
                done: s.done as u32,
                not_applicable: s.not_applicable as u32,
                required: s.required as u32,
                required_resolved: s.required_resolved as u32,
                percent: s.percent(),
            })
            .collect();
        Self {
            progress_percent: c.progress.percent(),
            stage_progress,
            id: c.id,
            reference: c.reference,
            title: c.title,
            jurisdiction: c.jurisdiction,
            status: id(c.status),
            created_at: c.created_at,
            created_by: c.created_by.into(),
            narrative: c.narrative,
            qualification: c
                .qualification
                .into_iter()
                .map(|a| ArticleDto {
                    jurisdiction: a.jurisdiction,
                    code_year: a.code_year,
                    article: a.article,
                })
                .collect(),
            stages: c
                .stages
                .into_iter()
                .map(|s| StageDto {
                    stage: id(s.stage),
                    status: id(s.status),
                    opened_at: s.opened_at,
                    closed_at: s.closed_at,
                    gate: GateDto {
                        ready: s.gate.is_ready(),
                        missing_items: s
                            .gate
                            .missing_items
                            .iter()
                            .map(|(t, i)| format!("{t}/{i}"))
                            .collect(),
                        missing_signoffs: s
                            .gate
                            .missing_signoffs
                            .iter()
                            .map(|m| id(m.role))
                            .collect(),
                        unknown_templates: s
                            .gate
                            .unknown_templates
                            .iter()
                            .map(|u| format!("{}@{}", u.template_id, u.version))
                            .collect(),
                    },
                })
                .collect(),
            assignment: AssigneesDto {
                investigators: c
                    .assignment
                    .investigators
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                prosecutor: c.assignment.prosecutor.map(Into::into),
                supervisor: c.assignment.supervisor.map(Into::into),
            },
            people: c.people.into_iter().map(person).collect(),
            evidence: c.evidence.into_iter().map(evidence).collect(),
            interviews: c
                .interviews
                .into_iter()
                .map(|i| InterviewDto {
                    id: i.id,
                    person_id: i.person_id,
                    stage: id(i.stage),
                    planned_for: i.planned_for,
                    venue: i.venue,
                    interpreter: i.interpreter,
                    interpreter_vetted: i.interpreter_vetted,
                    consent_given: i.consent_given,
                    child_track: i.child_track,
                    plan: i.plan,
                })
                .collect(),
            tasks: c
                .tasks
                .into_iter()
                .map(|t| TaskDto {
                    id: t.id,
                    title: t.title,
                    assignee: t.assignee.map(Into::into),
                    due: t.due,
                    stage: t.stage.map(id),
                    done: t.done,
                    overdue: t.overdue,
                })
                .collect(),
            timeline: c
                .timeline
                .into_iter()
                .map(|e| EventDto {
                    id: e.id,
                    kind: id(e.kind),
                    date: e.date,
                    place: e.place,
                    country: e.country,
                    description: e.description,
                })
                .collect(),
            referrals: c
                .referrals
                .into_iter()
                .map(|r| ReferralDto {
                    id: r.id,
                    person_id: r.person_id,
                    direction: id(r.direction),
                    organisation: r.organisation,
                    date: r.date,
                    reason: r.reason,
                    outcome: r.outcome,
                })
                .collect(),
            risks: c
                .risks
                .into_iter()
                .map(|r| RiskDto {
                    id: r.id,
                    subject: id(r.subject),
                    person_id: r.person_id,
                    threat: r.threat,
                    severity: r.severity,
                    likelihood: r.likelihood,
                    level: r.level,
                    mitigation: r.mitigation,
                    review_on: r.review_on,
                })
                .collect(),
            notes: c
                .notes
                .into_iter()
                .map(|n| NoteDto {
                    id: n.id,
                    body: n.body,
                    recorded_at: n.recorded_at,
                    recorded_by: n.recorded_by.into(),
                })
                .collect(),
            review: c
                .review
                .into_iter()
                .map(|r| ReviewDto {
                    id: r.id,
                    kind: id(r.kind),
                    stage: r.stage.map(id),
                    text: r.text,
                    by: r.by.into(),
                    at: r.at,
                })
                .collect(),
            approvals: c
                .approvals
                .into_iter()
                .map(|a| ApprovalDto {
                    id: a.id,
                    stage: a.stage.map(id),
                    subject: a.subject,
                    decision: id(a.decision),
                    comment: a.comment,
                    by: a.by.into(),
                    at: a.at,
                })
                .collect(),
            conflicts: c.conflicts as u32,
        }
    }
}

fn item(i: ItemView) -> ChecklistItemDto {
    ChecklistItemDto {
        id: i.id,
        kind: id(i.kind),
        required: i.required,
        text: i.text,
        source: i.source,
        status: id(i.status),
        reason: i.reason,
        note: i.note,
        evidence_ids: i.evidence_ids,
        signoff_needed: i.signoff_needed.map(id),
        signed_off_by: i.signed_off_by,
    }
}

impl From<ChecklistView> for ChecklistDto {
    fn from(c: ChecklistView) -> Self {
        Self {
            template_id: c.template_id,
            version: c.version,
            newer_version: c.newer_version,
            template_unknown: c.template_unknown,
            stage: c.stage.map(id),
            title: c.title,
            items: c.items.into_iter().map(item).collect(),
            required: c.required as u32,
            required_resolved: c.required_resolved as u32,
        }
    }
}

impl From<ConflictView> for ConflictDto {
    fn from(c: ConflictView) -> Self {
        Self {
            case_id: c.case_id,
            path: c.path,
            sensitive: c.sensitive,
            values: c
                .values
                .into_iter()
                .map(|v: ConflictValueView| ConflictValueDto {
                    choice: v.choice,
                    value: v.value,
                    author: v.author,
                    author_name: v.author_name,
                    shown_now: v.shown_now,
                })
                .collect(),
        }
    }
}

fn row(r: ProgressRow) -> ProgressRowDto {
    ProgressRowDto {
        case_id: r.case_id,
        reference: r.reference,
        title: r.title,
        stage: r.stage,
        status: r.status,
        percent: r.percent,
        overdue_tasks: r.overdue_tasks as u32,
        open_requests: r.open_requests as u32,
        conflicts: r.conflicts as u32,
    }
}

fn overdue(o: OverdueRow) -> OverdueDto {
    OverdueDto {
        case_id: o.case_id,
        reference: o.reference,
        task_id: o.task_id,
        title: o.title,
        due: o.due,
        assignee_name: o.assignee_name,
    }
}

fn counts(v: Vec<(String, usize)>) -> Vec<CountDto> {
    v.into_iter()
        .map(|(key, n)| CountDto {
            key,
            count: n as u32,
        })
        .collect()
}

impl From<ProgressReport> for ReportDto {
    fn from(r: ProgressReport) -> Self {
        Self {
            today: r.today,
            cases: r.cases.into_iter().map(row).collect(),
            overdue: r.overdue.into_iter().map(overdue).collect(),
            by_stage: counts(r.by_stage),
            overdue_by_assignee: counts(r.overdue_by_assignee),
            quarantined_changes: r.quarantined_changes as u32,
        }
    }
}
