//! The link analysis across cases: each command takes the core's typed
//! request and makes one core call.

use caravan_core::link_graph::{LinkGraph, LinkOptions};
use caravan_core::view::RevealedValue;
use caravan_core::*;
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

workspace_commands! {
    /// The graph of the cases this member may see, values masked.
    fn link_graph(options: LinkOptions) -> LinkGraph => |ws| ws.link_graph(&options);
    /// One occurrence's value; the core writes the audit entry first.
    /// (The window reads it as `RevealedValue`; it is JSON only here.)
    fn reveal_link_entity(case_id: CaseId, path: String) -> serde_json::Value => |ws| ws.reveal_link_entity(&case_id, &path).map(RevealedValue::into_json);
}

/// Writes `entities.csv` and `links.csv` for i2 Analyst's Notebook into a
/// folder the window may write into (see `files.rs`: the folder dialog's
/// choice, or an existing folder typed that holds neither file yet); the
/// core audits it, revealed or masked.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn export_i2(state: State<'_, AppState>, request: I2ExportInput) -> CmdResult<I2Export> {
    let dir = state.file(&request.dir, Access::Folder, Kind::I2)?;
    let request = I2ExportInput {
        dir: dir.display().to_string(),
        ..request
    };
    state
        .run("export_i2", move |ws| ws.export_i2(&request))
        .await
}
