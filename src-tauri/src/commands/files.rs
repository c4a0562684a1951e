//! The file dialog, opened by the shell: what it returns is the one kind of
//! path the shell uses without the typed-path rules (see `files.rs`).

use tauri::State;
use tauri_plugin_dialog::DialogExt;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult, invalid};

/// Opens the file dialog to open (`mode` "open") or save ("save") a file
/// of `kind` (bundle, join, attachment), or to choose a folder ("folder",
/// kind i2); returns the chosen path, granted
/// for that access, or `None` when the user cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn pick_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    mode: String,
    kind: String,
    default_name: Option<String>,
) -> CmdResult<Option<String>> {
    let _span = tracing::info_span!("pick_file", %mode, %kind).entered();
    let kind = Kind::parse(&kind)?;
    let access = match mode.as_str() {
        "open" => Access::Read,
        "save" => Access::Write,
        "folder" => Access::Folder,
        _ => return Err(invalid("mode", "must be open, save or folder")),
    };
    let mut dialog = app.dialog().file();
    if let Some((name, extensions)) = kind.filter() {
        dialog = dialog.add_filter(name, extensions);
    }
    if let Some(name) = default_name {
        dialog = dialog.set_file_name(name);
    }
    let picked = match access {
        Access::Read => dialog.blocking_pick_file(),
        Access::Write => dialog.blocking_save_file(),
        Access::Folder => dialog.blocking_pick_folder(),
    };
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    state.files.grant(path.clone(), access);
    Ok(Some(path.display().to_string()))
}
