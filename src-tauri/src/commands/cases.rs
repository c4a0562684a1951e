//! Cases and everything in them. Each command parses its DTO, calls the
//! core, and maps the result; nothing is decided here.

use crate::files::{Access, Kind};

use caravan_core::model::*;
use caravan_core::*;
use tauri::State;

use crate::dto::*;
use crate::state::{AppState, CmdResult, invalid};

fn vocab<T>(field: &str, v: &str, parse: fn(&str) -> Option<T>) -> CmdResult<T> {
    parse(v).ok_or_else(|| invalid(field, &format!("'{v}' is not a known value")))
}

fn opt_vocab<T>(
    field: &str,
    v: &Option<String>,
    parse: fn(&str) -> Option<T>,
) -> CmdResult<Option<T>> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| vocab(field, s, parse))
        .transpose()
}

fn date(field: &str, v: &Option<String>) -> CmdResult<Option<Date>> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Date>()
                .map_err(|_| invalid(field, "expects a date as YYYY-MM-DD"))
        })
        .transpose()
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_cases(
    state: State<'_, AppState>,
    filter: CaseFilterDto,
) -> CmdResult<CaseListDto> {
    let f = CaseFilter {
        query: text(&filter.query),
        stage: opt_vocab("stage", &filter.stage, Stage::from_id)?,
        status: opt_vocab("status", &filter.status, CaseStatus::from_id)?,
        assignee: text(&filter.assignee),
        jurisdiction: text(&filter.jurisdiction),
        overdue_only: filter.overdue_only,
    };
    state.with(|ws| {
        let l = ws.list_cases(&f)?;
        Ok(CaseListDto {
            cases: l.cases.into_iter().map(Into::into).collect(),
            unreadable: l.unreadable,
        })
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_case(state: State<'_, AppState>, case: NewCaseDto) -> CmdResult<String> {
    state.with(|ws| {
        ws.create_case(NewCaseInput {
            reference: case.reference.clone(),
            title: case.title.clone(),
            jurisdiction: case.jurisdiction.clone(),
        })
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn show_case(state: State<'_, AppState>, case_id: String) -> CmdResult<CaseDto> {
    state.with(|ws| ws.show_case(&case_id)).map(Into::into)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_field(
    state: State<'_, AppState>,
    case_id: String,
    path: String,
    value: String,
) -> CmdResult<()> {
    state.with(|ws| ws.set_field(&case_id, &path, &value))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_text(
    state: State<'_, AppState>,
    case_id: String,
    path: String,
    text: String,
) -> CmdResult<()> {
    state.with(|ws| ws.set_text(&case_id, &path, &text))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_stage(
    state: State<'_, AppState>,
    case_id: String,
    stage: String,
    open: bool,
) -> CmdResult<()> {
    let stage = vocab("stage", &stage, Stage::from_id)?;
    state.with(|ws| {
        if open {
            ws.open_stage(&case_id, stage)
        } else {
            ws.close_stage(&case_id, stage)
        }
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn assign(
    state: State<'_, AppState>,
    case_id: String,
    member: String,
    assigned: bool,
) -> CmdResult<()> {
    state.with(|ws| ws.assign(&case_id, &member, assigned))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_person(
    state: State<'_, AppState>,
    case_id: String,
    person: NewPersonDto,
) -> CmdResult<String> {
    let kind = PersonKind::parse(&person.kind)
        .ok_or_else(|| invalid("kind", "is victim, suspect or witness"))?;
    let mut p = PersonInput::new(kind, &person.pseudonym, &person.full_name);
    p.other_names = text(&person.other_names);
    p.birth_date = date("birth date", &person.birth_date)?;
    p.document_numbers = text(&person.document_numbers);
    p.contact = text(&person.contact);
    p.address = text(&person.address);
    p.sex = opt_vocab("sex", &person.sex, Sex::from_id)?.unwrap_or(Sex::Unknown);
    p.age_at_trafficking = person.age_at_trafficking;
    p.citizenship = text(&person.citizenship);
    p.exploitation = person
        .exploitation
        .iter()
        .map(|e| vocab("exploitation", e, Exploitation::from_id))
        .collect::<CmdResult<_>>()?;
    p.relation = text(&person.relation);
    state.with(|ws| ws.add_person(&case_id, p.clone()))
}

/// Reveals a person's identity; the core writes the audit entry first.
#[tauri::command(rename_all = "snake_case")]
pub async fn reveal_person(
    state: State<'_, AppState>,
    case_id: String,
    person_id: String,
) -> CmdResult<IdentityDto> {
    state
        .with(|ws| ws.reveal(&case_id, &person_id))
        .map(Into::into)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn checklists(
    state: State<'_, AppState>,
    case_id: String,
    stage: Option<String>,
    lang: String,
) -> CmdResult<Vec<ChecklistDto>> {
    let stage = opt_vocab("stage", &stage, Stage::from_id)?;
    state
        .with(|ws| ws.checklists(&case_id, stage, &lang))
        .map(|v| v.into_iter().map(Into::into).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_item(
    state: State<'_, AppState>,
    case_id: String,
    template_id: String,
    item_id: String,
    update: ItemUpdateDto,
) -> CmdResult<()> {
    let u = ItemUpdate {
        status: vocab("status", &update.status, ItemStatus::from_id)?,
        reason: text(&update.reason),
        note: text(&update.note),
        evidence_ids: update.evidence_ids.clone(),
        interview_ids: Vec::new(),
    };
    state.with(|ws| ws.set_item(&case_id, &template_id, &item_id, u.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_off_item(
    state: State<'_, AppState>,
    case_id: String,
    template_id: String,
    item_id: String,
) -> CmdResult<()> {
    state.with(|ws| ws.sign_off_item(&case_id, &template_id, &item_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn start_checklist(
    state: State<'_, AppState>,
    case_id: String,
    template_id: String,
) -> CmdResult<()> {
    state.with(|ws| ws.start_checklist(&case_id, &template_id))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn adopt_template(
    state: State<'_, AppState>,
    case_id: String,
    template_id: String,
) -> CmdResult<()> {
    state.with(|ws| ws.adopt_template(&case_id, &template_id).map(drop))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_evidence(
    state: State<'_, AppState>,
    case_id: String,
    evidence: NewEvidenceDto,
) -> CmdResult<String> {
    let e = EvidenceInput {
        label: evidence.label.trim().into(),
        kind: vocab("kind", &evidence.kind, EvidenceKind::from_id)?,
        description: evidence.description.clone(),
        seized_at: None,
        seized_from: text(&evidence.seized_from),
        location: text(&evidence.location),
        seal_number: text(&evidence.seal_number),
    };
    state.with(|ws| ws.add_evidence(&case_id, e.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn transfer_custody(
    state: State<'_, AppState>,
    case_id: String,
    evidence_id: String,
    transfer: CustodyTransferDto,
) -> CmdResult<String> {
    let t = CustodyInput {
        from: transfer.from.clone(),
        to: transfer.to.clone(),
        place: transfer.place.clone(),
        seal_number: text(&transfer.seal_number),
        purpose: text(&transfer.purpose),
    };
    state.with(|ws| ws.transfer_custody(&case_id, &evidence_id, t.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn attach(
    state: State<'_, AppState>,
    case_id: String,
    evidence_id: Option<String>,
    path: String,
) -> CmdResult<AttachmentDto> {
    let p = state.file(&path, Access::Read, Kind::Attachment)?;
    state.with(|ws| {
        let a = ws.attach(&case_id, evidence_id.as_deref(), &p)?;
        Ok(AttachmentDto {
            id: a.id,
            sha256: a.sha256,
            size: a.size,
            evidence_id: a.evidence_id,
        })
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_interview(
    state: State<'_, AppState>,
    case_id: String,
    interview: NewInterviewDto,
) -> CmdResult<String> {
    let i = InterviewInput {
        person_id: interview.person_id.clone(),
        planned_for: date("planned for", &interview.planned_for)?,
        venue: text(&interview.venue),
        interpreter: text(&interview.interpreter),
        interpreter_vetted: interview.interpreter_vetted,
        consent_given: interview.consent_given,
        child_track: interview.child_track,
        plan: interview.plan.clone(),
    };
    state.with(|ws| ws.add_interview(&case_id, i.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_task(
    state: State<'_, AppState>,
    case_id: String,
    task: NewTaskDto,
) -> CmdResult<String> {
    let t = TaskInput {
        title: task.title.clone(),
        assignee: text(&task.assignee),
        due: date("due", &task.due)?,
        stage: opt_vocab("stage", &task.stage, Stage::from_id)?,
    };
    state.with(|ws| ws.add_task(&case_id, t.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_task_done(
    state: State<'_, AppState>,
    case_id: String,
    task_id: String,
    done: bool,
) -> CmdResult<()> {
    state.with(|ws| ws.set_task_done(&case_id, &task_id, done))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_event(
    state: State<'_, AppState>,
    case_id: String,
    event: NewEventDto,
) -> CmdResult<String> {
    let e = EventInput {
        kind: vocab("kind", &event.kind, EventKind::from_id)?,
        date: date("date", &event.date)?,
        place: event.place.clone(),
        country: text(&event.country),
        description: event.description.clone(),
        person_ids: Vec::new(),
    };
    state.with(|ws| ws.add_event(&case_id, e.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_referral(
    state: State<'_, AppState>,
    case_id: String,
    referral: NewReferralDto,
) -> CmdResult<String> {
    let r = ReferralInput {
        person_id: referral.person_id.clone(),
        direction: vocab("direction", &referral.direction, ReferralDirection::from_id)?,
        organisation: referral.organisation.clone(),
        date: date("date", &referral.date)?,
        reason: referral.reason.clone(),
    };
    state.with(|ws| ws.add_referral(&case_id, r.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_risk(
    state: State<'_, AppState>,
    case_id: String,
    risk: NewRiskDto,
) -> CmdResult<String> {
    let r = RiskInput {
        subject: vocab("subject", &risk.subject, RiskSubject::from_id)?,
        person_id: text(&risk.person_id),
        threat: risk.threat.clone(),
        threat_source: None,
        severity: risk.severity,
        likelihood: risk.likelihood,
        mitigation: risk.mitigation.clone(),
        review_on: date("review on", &risk.review_on)?,
    };
    state.with(|ws| ws.add_risk(&case_id, r.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_note(
    state: State<'_, AppState>,
    case_id: String,
    body: String,
) -> CmdResult<String> {
    state.with(|ws| ws.add_note(&case_id, &body))
}

/// A prosecutor's comment, request or stage sign-off.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_review(
    state: State<'_, AppState>,
    case_id: String,
    kind: String,
    stage: Option<String>,
    text: String,
) -> CmdResult<String> {
    let kind = vocab("kind", &kind, ReviewKind::from_id)?;
    let stage = opt_vocab("stage", &stage, Stage::from_id)?;
    state.with(|ws| match kind {
        ReviewKind::Comment => ws.review_comment(&case_id, stage, &text),
        ReviewKind::Request => ws.review_request(&case_id, stage, &text),
        ReviewKind::SignOff => match stage {
            Some(s) => ws.review_signoff(&case_id, s, &text),
            None => Err(CoreError::invalid(
                "stage",
                "a sign-off names the stage it signs off",
            )),
        },
    })
}

/// A supervisor's approval or rejection.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_approval(
    state: State<'_, AppState>,
    case_id: String,
    stage: Option<String>,
    subject: String,
    decision: String,
    comment: Option<String>,
) -> CmdResult<String> {
    let stage = opt_vocab("stage", &stage, Stage::from_id)?;
    let decision = vocab("decision", &decision, Decision::from_id)?;
    state.with(|ws| ws.approve(&case_id, stage, &subject, decision, text(&comment)))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn conflicts(
    state: State<'_, AppState>,
    case_id: Option<String>,
    reveal: bool,
) -> CmdResult<Vec<ConflictDto>> {
    state
        .with(|ws| ws.conflicts(case_id.as_deref(), reveal))
        .map(|v| v.into_iter().map(Into::into).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    case_id: String,
    path: String,
    choice: String,
) -> CmdResult<()> {
    state.with(|ws| ws.resolve(&case_id, &path, &choice))
}

/// Criminal-code articles on trafficking offered for a jurisdiction.
#[tauri::command(rename_all = "snake_case")]
pub async fn articles(jurisdiction: String, lang: String) -> CmdResult<Vec<ArticleOptionDto>> {
    Ok(articles::for_jurisdiction(&jurisdiction.to_uppercase())
        .map(|a| ArticleOptionDto {
            key: a.to_article().key(),
            jurisdiction: a.jurisdiction.clone(),
            code_year: a.code_year,
            article: a.article.clone(),
            title: a
                .title
                .get(&lang)
                .or_else(|| a.title.get("en"))
                .cloned()
                .unwrap_or_default(),
        })
        .collect())
}

/// Adds an offered article (by its key) to the case's legal qualification.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_article(
    state: State<'_, AppState>,
    case_id: String,
    key: String,
) -> CmdResult<()> {
    let article = articles::builtin()
        .iter()
        .map(|a| a.to_article())
        .find(|a| a.key() == key)
        .ok_or_else(|| invalid("article", "is not one of the offered articles"))?;
    state.with(|ws| ws.add_article(&case_id, article.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_article(
    state: State<'_, AppState>,
    case_id: String,
    key: String,
) -> CmdResult<()> {
    state.with(|ws| ws.remove_article(&case_id, &key))
}
