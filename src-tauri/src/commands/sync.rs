//! Exchanging bundles by file, with progress; reports; audit.

use caravan_core::CoreError;
use caravan_core::audit::{AuditCheck, AuditRow};
use caravan_core::exchange::{
    DiscardView, ExportSummary, ImportSummary, PeerExchange, Progress, QuarantineRow, ReleaseView,
};
use caravan_core::reports::ProgressReport;
use tauri::State;
use tauri::ipc::Channel;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

type S<'a> = State<'a, AppState>;

/// Sends progress to the window; a closed channel only means the window
/// stopped listening.
fn sender(channel: Channel<Progress>) -> impl FnMut(Progress) {
    move |p| drop(channel.send(p))
}

/// Writes a bundle for `member` (or any member) to `path`.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn export_bundle(
    state: S<'_>,
    member: Option<String>,
    path: String,
    on_progress: Channel<Progress>,
) -> CmdResult<ExportSummary> {
    let file = state.file(&path, Access::Write, Kind::Bundle)?;
    state
        .run("export_bundle", move |ws| {
            ws.export_bundle_to(member.as_deref(), &file, &mut sender(on_progress))
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn import_bundle(
    state: S<'_>,
    path: String,
    on_progress: Channel<Progress>,
) -> CmdResult<ImportSummary> {
    let file = state.file(&path, Access::Read, Kind::Bundle)?;
    state
        .run("import_bundle", move |ws| {
            ws.import_bundle(&read(&file)?, &mut sender(on_progress))
        })
        .await
}

fn read(p: &std::path::Path) -> Result<Vec<u8>, CoreError> {
    std::fs::read(p).map_err(|e| CoreError::file(p, &e))
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn peers(state: S<'_>) -> CmdResult<Vec<PeerExchange>> {
    state.run("peers", |ws| ws.peers()).await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn quarantine(state: S<'_>) -> CmdResult<Vec<QuarantineRow>> {
    state.run("quarantine", |ws| ws.quarantine()).await
}

/// Judges a quarantined change again (supervisor, admin).
#[tauri::command(async, rename_all = "snake_case")]
pub async fn release_quarantined(
    state: S<'_>,
    case_id: String,
    change: String,
) -> CmdResult<ReleaseView> {
    state
        .run("release_quarantined", move |ws| {
            ws.release_quarantined(Some(&case_id), &change)
        })
        .await
}

/// Removes a quarantined change from the list (supervisor, admin).
#[tauri::command(async, rename_all = "snake_case")]
pub async fn discard_quarantined(
    state: S<'_>,
    case_id: String,
    change: String,
) -> CmdResult<DiscardView> {
    state
        .run("discard_quarantined", move |ws| {
            ws.discard_quarantined(Some(&case_id), &change)
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn progress_report(state: S<'_>) -> CmdResult<ProgressReport> {
    state
        .run("progress_report", |ws| ws.progress_report())
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn audit_log(state: S<'_>, limit: Option<u32>) -> CmdResult<Vec<AuditRow>> {
    state
        .run("audit_log", move |ws| {
            ws.audit_log(limit.map(|l| l as usize))
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn audit_verify(state: S<'_>) -> CmdResult<AuditCheck> {
    state.run("audit_verify", |ws| ws.audit_verify()).await
}
