//! Exchanging bundles by file, with progress; reports; audit.

use caravan_core::{CoreError, Progress};
use tauri::State;
use tauri::ipc::Channel;

use crate::dto::*;
use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

fn send(channel: &Channel<ProgressDto>, p: Progress) {
    let step = serde_json::to_value(p.step)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    // A closed channel only means the window stopped listening.
    let _ = channel.send(ProgressDto {
        step,
        done: p.done,
        total: p.total,
    });
}

/// Writes a bundle for `member` (or any member) to `path`.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_bundle(
    state: State<'_, AppState>,
    member: Option<String>,
    path: String,
    on_progress: Channel<ProgressDto>,
) -> CmdResult<ExportDto> {
    let p = state.file(&path, Access::Write, Kind::Bundle)?;
    state.with(|ws| {
        let (bytes, summary) =
            ws.export_bundle(member.as_deref(), &mut |p| send(&on_progress, p))?;
        std::fs::write(&p, &bytes).map_err(|e| CoreError::file(&p, &e))?;
        Ok(ExportDto {
            bytes: bytes.len() as u64,
            recipient: summary.recipient,
            path: path.clone(),
        })
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_bundle(
    state: State<'_, AppState>,
    path: String,
    on_progress: Channel<ProgressDto>,
) -> CmdResult<ImportReportDto> {
    let p = state.file(&path, Access::Read, Kind::Bundle)?;
    state.with(|ws| {
        let bytes = std::fs::read(&p).map_err(|e| CoreError::file(&p, &e))?;
        let r = ws.import_bundle(&bytes, &mut |pr| send(&on_progress, pr))?;
        let team = ws.team_view()?;
        let sender_name = team
            .members
            .iter()
            .find(|m| m.devices.iter().any(|d| d.id == r.sender))
            .map(|m| m.name.clone())
            .unwrap_or_default();
        Ok(ImportReportDto {
            sender: r.sender.clone(),
            sender_name,
            applied: r.applied as u32,
            already_had: r.already_had as u32,
            held: r.held as u32,
            quarantined: r
                .quarantined
                .iter()
                .map(|q| QuarantineNoteDto {
                    case_id: q.doc_id.clone(),
                    change: q.hash.clone(),
                    code: q.code.clone(),
                    message: q.message.clone(),
                })
                .collect(),
            not_permitted: r.not_permitted as u32,
            cases_changed: r.docs_changed.iter().filter(|d| *d != "team").count() as u32,
        })
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn peers(state: State<'_, AppState>) -> CmdResult<Vec<PeerDto>> {
    state.with(|ws| {
        Ok(ws
            .peers()?
            .into_iter()
            .map(|p| PeerDto {
                member: p.member,
                name: p.name,
                last_export_ms: p.last_export_ms,
                last_import_ms: p.last_import_ms,
            })
            .collect())
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn quarantine(state: State<'_, AppState>) -> CmdResult<Vec<QuarantineRowDto>> {
    state.with(|ws| Ok(ws.quarantine()?.into_iter().map(Into::into).collect()))
}

/// Judges a quarantined change again (supervisor, admin).
#[tauri::command(rename_all = "snake_case")]
pub async fn release_quarantined(
    state: State<'_, AppState>,
    target: QuarantineRefDto,
) -> CmdResult<ReleaseDto> {
    let _span = tracing::info_span!("release_quarantined").entered();
    state
        .with(|ws| ws.release_quarantined(Some(&target.case_id), &target.change))
        .map(Into::into)
}

/// Removes a quarantined change from the list (supervisor, admin).
#[tauri::command(rename_all = "snake_case")]
pub async fn discard_quarantined(
    state: State<'_, AppState>,
    target: QuarantineRefDto,
) -> CmdResult<DiscardDto> {
    let _span = tracing::info_span!("discard_quarantined").entered();
    state
        .with(|ws| ws.discard_quarantined(Some(&target.case_id), &target.change))
        .map(Into::into)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn progress_report(state: State<'_, AppState>) -> CmdResult<ReportDto> {
    state.with(|ws| ws.progress_report()).map(Into::into)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn audit_log(
    state: State<'_, AppState>,
    limit: Option<u32>,
) -> CmdResult<Vec<AuditRowDto>> {
    state.with(|ws| {
        Ok(ws
            .audit_log(limit.map(|l| l as usize))?
            .into_iter()
            .map(|a| AuditRowDto {
                seq: a.seq,
                at_ms: a.at_ms,
                actor: a.actor,
                actor_name: a.actor_name,
                action: a.action,
                detail: a.detail,
            })
            .collect())
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn audit_verify(state: State<'_, AppState>) -> CmdResult<AuditCheckDto> {
    state.with(|ws| {
        let c = ws.audit_verify()?;
        Ok(AuditCheckDto {
            entries: c.entries,
            head: c.head,
        })
    })
}
