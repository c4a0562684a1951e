//! Files made from the cases for people outside the team.

use caravan_core::*;
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

/// Writes the anonymised statistics into a folder the window may write
/// (the folder dialog's choice, or a folder typed by the user that holds
/// none of the export's files: see `files.rs`); the core checks the role
/// and audits it.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn export_htcds(
    state: State<'_, AppState>,
    options: HtcdsOptions,
) -> CmdResult<HtcdsExport> {
    let folder = state.file(&options.folder, Access::Folder, Kind::Statistics)?;
    let options = HtcdsOptions {
        folder: folder.display().to_string(),
        ..options
    };
    state
        .run("export_htcds", move |ws| ws.export_htcds(&options))
        .await
}
