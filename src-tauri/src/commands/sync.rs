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

workspace_commands! {
    fn peers() -> Vec<PeerExchange> => |ws| ws.peers();
    fn quarantine() -> Vec<QuarantineRow> => |ws| ws.quarantine();
    /// Judges a quarantined change again (supervisor, admin).
    fn release_quarantined(case_id: String, change: String) -> ReleaseView => |ws| ws.release_quarantined(Some(&case_id), &change);
    /// Removes a quarantined change from the list (supervisor, admin).
    fn discard_quarantined(case_id: String, change: String) -> DiscardView => |ws| ws.discard_quarantined(Some(&case_id), &change);
    fn progress_report() -> ProgressReport => |ws| ws.progress_report();
    fn audit_log(limit: Option<u32>) -> Vec<AuditRow> => |ws| ws.audit_log(limit.map(|l| l as usize));
    fn audit_verify() -> AuditCheck => |ws| ws.audit_verify();
}
