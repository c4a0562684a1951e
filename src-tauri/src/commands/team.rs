//! The team: found, join, approve, members, roles, revoke, case access.

use std::path::Path;

use caravan_core::model::Role;
use caravan_core::{CoreError, Workspace};
use tauri::State;

use crate::dto::*;
use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult, invalid};

fn role(s: &str) -> CmdResult<Role> {
    Role::from_id(s).ok_or_else(|| invalid("role", "is not a known role"))
}

fn read(p: &Path) -> Result<Vec<u8>, CoreError> {
    std::fs::read(p).map_err(|e| CoreError::file(p, &e))
}

fn write(p: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(p, bytes).map_err(|e| CoreError::file(p, &e))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn found_team(
    state: State<'_, AppState>,
    team_name: String,
    member_name: String,
    device_label: String,
) -> CmdResult<TeamDto> {
    state
        .with(|ws| ws.found_team(&team_name, &member_name, &device_label))
        .map(Into::into)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn team(state: State<'_, AppState>) -> CmdResult<TeamDto> {
    state.with(|ws| ws.team_view()).map(Into::into)
}

/// Writes this device's join request to `path` and returns its text.
#[tauri::command(rename_all = "snake_case")]
pub async fn write_join_request(
    state: State<'_, AppState>,
    member_name: String,
    device_label: String,
    path: Option<String>,
) -> CmdResult<String> {
    let target = match &path {
        Some(p) => Some(state.file(p, Access::Write, Kind::Join)?),
        None => None,
    };
    state.with(|ws| {
        let text = ws.join_request(&member_name, &device_label)?;
        if let Some(p) = &target {
            write(p, text.as_bytes())?;
        }
        Ok(text)
    })
}

/// Opens the join package at `package_path`. `team_id` is required: the
/// team fingerprint the admin reads out from their Team screen, or the
/// team id; a package for another team is refused.
#[tauri::command(rename_all = "snake_case")]
pub async fn accept_join(
    state: State<'_, AppState>,
    package_path: String,
    team_id: String,
) -> CmdResult<TeamDto> {
    let p = state.file(&package_path, Access::Read, Kind::Join)?;
    state
        .with(|ws| {
            let package = read(&p)?;
            ws.accept_join(&package, &team_id)
        })
        .map(Into::into)
}

/// Reads a join request (file path or pasted text) so the admin can
/// compare the fingerprint before approving.
#[tauri::command(rename_all = "snake_case")]
pub async fn inspect_join_request(
    state: State<'_, AppState>,
    request: String,
) -> CmdResult<JoinRequestDto> {
    let text = request_text(&state, &request)?;
    let v = Workspace::inspect_join_request(&text)?;
    Ok(JoinRequestDto {
        name: v.name,
        label: v.label,
        device: v.device,
        fingerprint: v.fingerprint,
    })
}

fn request_text(state: &AppState, request: &str) -> CmdResult<String> {
    if request.trim_start().starts_with("CARAVAN-JOIN") {
        return Ok(request.to_string());
    }
    let bytes = read(&state.file(request, Access::Read, Kind::Join)?)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Approves a join request and writes the join package to `out_path`.
#[tauri::command(rename_all = "snake_case")]
pub async fn approve_join(
    state: State<'_, AppState>,
    request: String,
    role_id: String,
    out_path: String,
) -> CmdResult<TeamDto> {
    let role = role(&role_id)?;
    let text = request_text(&state, &request)?;
    let out = state.file(&out_path, Access::Write, Kind::Join)?;
    state
        .with(|ws| {
            let package = ws.approve_join(&text, role)?;
            write(&out, &package)?;
            ws.team_view()
        })
        .map(Into::into)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_role(
    state: State<'_, AppState>,
    member: String,
    role_id: String,
) -> CmdResult<()> {
    let role = role(&role_id)?;
    state.with(|ws| ws.set_role(&member, role))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn revoke(
    state: State<'_, AppState>,
    device_or_member: String,
    reason: Option<String>,
) -> CmdResult<Vec<String>> {
    state.with(|ws| ws.revoke(&device_or_member, reason.clone()))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn grant(
    state: State<'_, AppState>,
    case_id: String,
    member: String,
    allowed: bool,
) -> CmdResult<()> {
    state.with(|ws| ws.grant(&case_id, &member, allowed))
}
