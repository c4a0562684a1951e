//! The court dossier of a case, written to a path the window may write
//! (see `files.rs`: the save dialog's choice, or a new `.pdf` file typed
//! by the user); the core checks case access and audits any reveal.

use caravan_core::{CaseId, DossierOptions, DossierView};
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

#[tauri::command(async, rename_all = "snake_case")]
pub async fn write_dossier(
    state: State<'_, AppState>,
    case_id: CaseId,
    options: DossierOptions,
    path: String,
) -> CmdResult<DossierView> {
    let file = state.file(&path, Access::Write, Kind::Dossier)?;
    state
        .run("write_dossier", move |ws| {
            ws.write_dossier(&case_id, &options, &file)
        })
        .await
}
