//! Cases and everything in them. Each command takes the core's typed
//! input and calls the core; nothing is decided here.

use caravan_core::checklists::ChecklistView;
use caravan_core::conflicts::ConflictView;
use caravan_core::model::{Decision, ReviewKind, Stage};
use caravan_core::view::{CaseList, CaseView, RevealedIdentity};
use caravan_core::*;
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

type S<'a> = State<'a, AppState>;

#[tauri::command(async, rename_all = "snake_case")]
pub async fn list_cases(state: S<'_>, filter: CaseFilter) -> CmdResult<CaseList> {
    state
        .run("list_cases", move |ws| ws.list_cases(&filter))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn create_case(state: S<'_>, case: NewCaseInput) -> CmdResult<CaseId> {
    state
        .run("create_case", move |ws| ws.create_case(case))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn show_case(state: S<'_>, case_id: CaseId) -> CmdResult<CaseView> {
    state
        .run("show_case", move |ws| ws.show_case(&case_id))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn set_field(
    state: S<'_>,
    case_id: CaseId,
    path: String,
    value: String,
) -> CmdResult<()> {
    state
        .run("set_field", move |ws| ws.set_field(&case_id, &path, &value))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn set_text(state: S<'_>, case_id: CaseId, path: String, text: String) -> CmdResult<()> {
    state
        .run("set_text", move |ws| ws.set_text(&case_id, &path, &text))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn set_stage(state: S<'_>, case_id: CaseId, stage: Stage, open: bool) -> CmdResult<()> {
    state
        .run("set_stage", move |ws| {
            ws.set_stage_open(&case_id, stage, open)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn assign(
    state: S<'_>,
    case_id: CaseId,
    member: MemberId,
    assigned: bool,
) -> CmdResult<()> {
    state
        .run("assign", move |ws| ws.assign(&case_id, &member, assigned))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_person(state: S<'_>, case_id: CaseId, person: PersonInput) -> CmdResult<RecordId> {
    state
        .run("add_person", move |ws| ws.add_person(&case_id, person))
        .await
}

/// Reveals a person's identity; the core writes the audit entry first.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn reveal_person(
    state: S<'_>,
    case_id: CaseId,
    person_id: RecordId,
) -> CmdResult<RevealedIdentity> {
    state
        .run("reveal_person", move |ws| ws.reveal(&case_id, &person_id))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn checklists(
    state: S<'_>,
    case_id: CaseId,
    stage: Option<Stage>,
    lang: String,
) -> CmdResult<Vec<ChecklistView>> {
    state
        .run("checklists", move |ws| {
            ws.checklists(&case_id, stage, &lang)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn set_item(
    state: S<'_>,
    case_id: CaseId,
    template_id: String,
    item_id: String,
    update: ItemUpdate,
) -> CmdResult<()> {
    state
        .run("set_item", move |ws| {
            ws.set_item(&case_id, &template_id, &item_id, update)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn sign_off_item(
    state: S<'_>,
    case_id: CaseId,
    template_id: String,
    item_id: String,
) -> CmdResult<()> {
    state
        .run("sign_off_item", move |ws| {
            ws.sign_off_item(&case_id, &template_id, &item_id)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn start_checklist(state: S<'_>, case_id: CaseId, template_id: String) -> CmdResult<()> {
    state
        .run("start_checklist", move |ws| {
            ws.start_checklist(&case_id, &template_id)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn adopt_template(state: S<'_>, case_id: CaseId, template_id: String) -> CmdResult<()> {
    state
        .run("adopt_template", move |ws| {
            ws.adopt_template(&case_id, &template_id).map(drop)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_evidence(
    state: S<'_>,
    case_id: CaseId,
    evidence: EvidenceInput,
) -> CmdResult<RecordId> {
    state
        .run("add_evidence", move |ws| {
            ws.add_evidence(&case_id, evidence)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn transfer_custody(
    state: S<'_>,
    case_id: CaseId,
    evidence_id: RecordId,
    transfer: CustodyInput,
) -> CmdResult<String> {
    state
        .run("transfer_custody", move |ws| {
            ws.transfer_custody(&case_id, &evidence_id, transfer)
        })
        .await
}

/// Stores a file the window may read (see `files.rs`) in the vault.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn attach(
    state: S<'_>,
    case_id: CaseId,
    evidence_id: Option<RecordId>,
    path: String,
) -> CmdResult<AttachmentView> {
    let file = state.file(&path, Access::Read, Kind::Attachment)?;
    state
        .run("attach", move |ws| {
            ws.attach(&case_id, evidence_id.as_deref(), &file)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_interview(
    state: S<'_>,
    case_id: CaseId,
    interview: InterviewInput,
) -> CmdResult<RecordId> {
    state
        .run("add_interview", move |ws| {
            ws.add_interview(&case_id, interview)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_task(state: S<'_>, case_id: CaseId, task: TaskInput) -> CmdResult<RecordId> {
    state
        .run("add_task", move |ws| ws.add_task(&case_id, task))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn set_task_done(
    state: S<'_>,
    case_id: CaseId,
    task_id: RecordId,
    done: bool,
) -> CmdResult<()> {
    state
        .run("set_task_done", move |ws| {
            ws.set_task_done(&case_id, &task_id, done)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_event(state: S<'_>, case_id: CaseId, event: EventInput) -> CmdResult<RecordId> {
    state
        .run("add_event", move |ws| ws.add_event(&case_id, event))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_referral(
    state: S<'_>,
    case_id: CaseId,
    referral: ReferralInput,
) -> CmdResult<RecordId> {
    state
        .run("add_referral", move |ws| {
            ws.add_referral(&case_id, referral)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_risk(state: S<'_>, case_id: CaseId, risk: RiskInput) -> CmdResult<RecordId> {
    state
        .run("add_risk", move |ws| ws.add_risk(&case_id, risk))
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_note(state: S<'_>, case_id: CaseId, body: String) -> CmdResult<RecordId> {
    state
        .run("add_note", move |ws| ws.add_note(&case_id, &body))
        .await
}

/// A prosecutor's comment, request or stage sign-off.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_review(
    state: S<'_>,
    case_id: CaseId,
    kind: ReviewKind,
    stage: Option<Stage>,
    text: String,
) -> CmdResult<String> {
    state
        .run("add_review", move |ws| {
            ws.add_review(&case_id, kind, stage, &text)
        })
        .await
}

/// A supervisor's approval or rejection.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_approval(
    state: S<'_>,
    case_id: CaseId,
    stage: Option<Stage>,
    subject: String,
    decision: Decision,
    comment: Option<String>,
) -> CmdResult<String> {
    state
        .run("add_approval", move |ws| {
            ws.approve(&case_id, stage, &subject, decision, comment)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn conflicts(
    state: S<'_>,
    case_id: Option<CaseId>,
    reveal: bool,
) -> CmdResult<Vec<ConflictView>> {
    state
        .run("conflicts", move |ws| {
            ws.conflicts(case_id.as_deref(), reveal)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn resolve_conflict(
    state: S<'_>,
    case_id: CaseId,
    path: String,
    choice: String,
) -> CmdResult<()> {
    state
        .run("resolve_conflict", move |ws| {
            ws.resolve(&case_id, &path, &choice)
        })
        .await
}

/// Criminal-code articles on trafficking offered for a jurisdiction.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn articles(jurisdiction: String, lang: String) -> CmdResult<Vec<ArticleOption>> {
    Ok(offered_articles(&jurisdiction, &lang))
}

/// Adds an offered article (by its key) to the case's legal qualification.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn add_article(state: S<'_>, case_id: CaseId, key: String) -> CmdResult<()> {
    state
        .run("add_article", move |ws| {
            ws.add_offered_article(&case_id, &key)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn remove_article(state: S<'_>, case_id: CaseId, key: String) -> CmdResult<()> {
    state
        .run("remove_article", move |ws| {
            ws.remove_article(&case_id, &key)
        })
        .await
}
