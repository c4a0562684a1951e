//! Cases and everything in them. Each command takes the core's typed
//! input and calls the core; nothing is decided here.

use caravan_core::checklists::ChecklistView;
use caravan_core::conflicts::ConflictView;
use caravan_core::model::{Decision, ReviewKind, Stage};
use caravan_core::view::{CaseList, CaseView, RevealedIdentity, RevealedValue, SignOffTarget};
use caravan_core::*;
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

workspace_commands! {
    fn list_cases(filter: CaseFilter) -> CaseList => |ws| ws.list_cases(&filter);
    fn create_case(case: NewCaseInput) -> CaseId => |ws| ws.create_case(case);
    fn show_case(case_id: CaseId) -> CaseView => |ws| ws.show_case(&case_id);
    fn set_field(case_id: CaseId, path: String, value: String) -> () => |ws| ws.set_field(&case_id, &path, &value);
    fn set_text(case_id: CaseId, path: String, text: String) -> () => |ws| ws.set_text(&case_id, &path, &text);
    fn set_list(case_id: CaseId, path: String, values: Vec<String>) -> () => |ws| ws.set_list(&case_id, &path, values);
    /// An edit dialog's changed fields of one record, as one change.
    fn set_fields(case_id: CaseId, fields: Vec<FieldEdit>) -> () => |ws| ws.set_fields(&case_id, fields);
    /// A record's changes; identity values only with `reveal` (audited).
    fn record_history(case_id: CaseId, record: String, reveal: bool) -> Vec<HistoryEntry> => |ws| ws.record_history(&case_id, &record, reveal);
    fn set_stage(case_id: CaseId, stage: Stage, open: bool) -> () => |ws| ws.set_stage_open(&case_id, stage, open);
    fn assign(case_id: CaseId, member: MemberId, assigned: bool) -> () => |ws| ws.assign(&case_id, &member, assigned);
    fn add_person(case_id: CaseId, person: PersonInput) -> RecordId => |ws| ws.add_person(&case_id, person);
    /// Reveals a person's identity; the core writes the audit entry first.
    /// (The window reads it as `RevealedIdentity`; it is JSON only here.)
    fn reveal_person(case_id: CaseId, person_id: RecordId) -> serde_json::Value => |ws| ws.reveal(&case_id, &person_id).map(RevealedIdentity::into_json);
    fn checklists(case_id: CaseId, stage: Option<Stage>, lang: String) -> Vec<ChecklistView> => |ws| ws.checklists(&case_id, stage, &lang);
    /// `checklist` is the checklist's key (`ChecklistView::key`).
    fn set_item(case_id: CaseId, checklist: String, item_id: String, update: ItemUpdate) -> () => |ws| ws.set_item(&case_id, &checklist, &item_id, update);
    fn sign_off_item(case_id: CaseId, checklist: String, item_id: String) -> () => |ws| ws.sign_off_item(&case_id, &checklist, &item_id);
    /// For the case, or, for a template kept per victim, for `person_id`.
    fn start_checklist(case_id: CaseId, template_id: String, person_id: Option<RecordId>) -> () => |ws| ws.start_checklist(&case_id, &template_id, person_id.as_deref());
    fn start_checklist_for_every_victim(case_id: CaseId, template_id: String) -> Vec<RecordId> => |ws| ws.start_checklist_for_every_victim(&case_id, &template_id);
    fn adopt_template(case_id: CaseId, checklist: String) -> () => |ws| ws.adopt_template(&case_id, &checklist).map(drop);
    fn add_evidence(case_id: CaseId, evidence: EvidenceInput) -> RecordId => |ws| ws.add_evidence(&case_id, evidence);
    fn transfer_custody(case_id: CaseId, evidence_id: RecordId, transfer: CustodyInput) -> String => |ws| ws.transfer_custody(&case_id, &evidence_id, transfer);
    fn add_interview(case_id: CaseId, interview: InterviewInput) -> RecordId => |ws| ws.add_interview(&case_id, interview);
    fn add_task(case_id: CaseId, task: TaskInput) -> RecordId => |ws| ws.add_task(&case_id, task);
    fn set_task_done(case_id: CaseId, task_id: RecordId, done: bool) -> () => |ws| ws.set_task_done(&case_id, &task_id, done);
    fn add_event(case_id: CaseId, event: EventInput) -> RecordId => |ws| ws.add_event(&case_id, event);
    fn add_referral(case_id: CaseId, referral: ReferralInput) -> RecordId => |ws| ws.add_referral(&case_id, referral);
    fn add_risk(case_id: CaseId, risk: RiskInput) -> RecordId => |ws| ws.add_risk(&case_id, risk);
    fn add_note(case_id: CaseId, body: String) -> RecordId => |ws| ws.add_note(&case_id, &body);
    /// Links the case to another case this device holds.
    fn add_case_link(case_id: CaseId, link: CaseLinkInput) -> RecordId => |ws| ws.add_case_link(&case_id, link);
    fn add_international_request(case_id: CaseId, request: InternationalRequestInput) -> RecordId => |ws| ws.add_international_request(&case_id, request);
    /// Records a communication identifier; its value is masked from then on.
    fn add_identifier(case_id: CaseId, identifier: IdentifierInput) -> RecordId => |ws| ws.add_identifier(&case_id, identifier);
    /// Reveals an identifier's value; the core writes the audit entry first.
    /// (The window reads it as `RevealedValue`; it is JSON only here.)
    fn reveal_identifier(case_id: CaseId, identifier_id: RecordId) -> serde_json::Value => |ws| ws.reveal_identifier(&case_id, &identifier_id).map(RevealedValue::into_json);
    fn add_group(case_id: CaseId, group: GroupInput) -> RecordId => |ws| ws.add_group(&case_id, group);
    fn set_group_member(case_id: CaseId, group_id: RecordId, member: GroupMemberInput) -> () => |ws| ws.set_group_member(&case_id, &group_id, member);
    fn remove_group_member(case_id: CaseId, group_id: RecordId, person_id: RecordId) -> () => |ws| ws.remove_group_member(&case_id, &group_id, &person_id);
    /// A prosecutor's comment, request or stage sign-off.
    fn add_review(case_id: CaseId, kind: ReviewKind, stage: Option<Stage>, text: String) -> String => |ws| ws.add_review(&case_id, kind, stage, &text);
    /// Withdraws one of the caller's own sign-offs, with the reason.
    fn withdraw_signoff(case_id: CaseId, target: SignOffTarget, reason: String) -> String => |ws| ws.withdraw_signoff(&case_id, &target, &reason);
    /// A supervisor's approval or rejection.
    fn add_approval(case_id: CaseId, stage: Option<Stage>, subject: String, decision: Decision, comment: Option<String>) -> String => |ws| ws.approve(&case_id, stage, &subject, decision, comment);
    fn conflicts(case_id: Option<CaseId>, reveal: bool) -> Vec<ConflictView> => |ws| ws.conflicts(case_id.as_deref(), reveal);
    fn resolve_conflict(case_id: CaseId, path: String, choice: String) -> () => |ws| ws.resolve(&case_id, &path, &choice);
    /// Adds an offered article (by its key, with part and paragraph where
    /// given) to the case's legal qualification.
    fn add_article(case_id: CaseId, key: String, part: Option<String>, paragraph: Option<String>) -> () => |ws| ws.add_offered_article(&case_id, &key, part.as_deref(), paragraph.as_deref());
    /// The prosecutor agrees with the qualification as it stands.
    fn agree_with_qualification(case_id: CaseId, comment: String) -> String => |ws| ws.agree_with_qualification(&case_id, &comment);
    /// The prosecutor proposes an offered article, with part and paragraph.
    fn propose_article(case_id: CaseId, key: String, part: Option<String>, paragraph: Option<String>, comment: String) -> String => |ws| ws.propose_article(&case_id, &key, part.as_deref(), paragraph.as_deref(), &comment);
    fn remove_article(case_id: CaseId, key: String) -> () => |ws| ws.remove_article(&case_id, &key);
}

/// Stores a file the window may read (see `files.rs`) in the vault.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn attach(
    state: State<'_, AppState>,
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

/// Writes the file attached to an evidence item, decrypted, to a path the
/// window may write (see `files.rs`: the save dialog's choice, or a new
/// file typed by the user); the core checks case access and audits it.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn export_attachment(
    state: State<'_, AppState>,
    case_id: CaseId,
    evidence_id: RecordId,
    path: String,
) -> CmdResult<AttachmentView> {
    let file = state.file(&path, Access::Write, Kind::Attachment)?;
    state
        .run("export_attachment", move |ws| {
            ws.export_attachment(&case_id, &evidence_id, &file)
        })
        .await
}

/// Criminal-code articles on trafficking offered for a jurisdiction.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn articles(jurisdiction: String, lang: String) -> CmdResult<Vec<ArticleOption>> {
    Ok(offered_articles(&jurisdiction, &lang))
}
