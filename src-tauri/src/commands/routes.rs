//! Routes of cases on the map, and their GeoJSON export: each command
//! takes the core's typed options and makes one core call.

use caravan_core::{GeojsonSummary, RoutesOptions, RoutesView};
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult};

workspace_commands! {
    /// The routes of one case, or of every case the member may see (audited).
    fn routes(options: RoutesOptions) -> RoutesView => |ws| ws.routes(&options);
}

/// Writes the routes as GeoJSON to a path the window may write (see
/// `files.rs`: the save dialog's choice, or a new `.geojson` file typed by
/// the user); the core checks case access and audits it.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn export_geojson(
    state: State<'_, AppState>,
    options: RoutesOptions,
    path: String,
) -> CmdResult<GeojsonSummary> {
    let file = state.file(&path, Access::Write, Kind::Geojson)?;
    state
        .run("export_geojson", move |ws| {
            ws.export_geojson_to(&options, &file)
        })
        .await
}
