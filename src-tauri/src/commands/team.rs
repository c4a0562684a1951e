//! The team: found, join, approve, members, roles, revoke, case access.

use std::path::Path;

use caravan_core::model::Role;
use caravan_core::team::{AccessRow, JoinRequestView, TeamView};
use caravan_core::{CaseId, CoreError, MemberId, Workspace};
use tauri::State;

use crate::files::{Access, Kind};
use crate::state::{AppState, CmdResult, Shared};

type S<'a> = State<'a, AppState>;

fn read(p: &Path) -> Result<Vec<u8>, CoreError> {
    std::fs::read(p).map_err(|e| CoreError::file(p, &e))
}

fn write(p: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(p, bytes).map_err(|e| CoreError::file(p, &e))
}

workspace_commands! {
    fn found_team(team_name: String, member_name: String, device_label: String) -> TeamView => |ws| ws.found_team(&team_name, &member_name, &device_label);
    fn team() -> TeamView => |ws| ws.team_view();
    fn set_role(member: MemberId, role: Role) -> () => |ws| ws.set_role(&member, role);
    fn revoke(device_or_member: String, reason: Option<String>) -> Vec<String> => |ws| ws.revoke(&device_or_member, reason);
    fn grant(case_id: CaseId, member: MemberId, allowed: bool) -> () => |ws| ws.grant(&case_id, &member, allowed);
    /// Who may see a case, and why.
    fn case_access(case_id: CaseId) -> Vec<AccessRow> => |ws| ws.case_access(&case_id);
}

/// Writes this device's join request to `path` (when given) and returns
/// its text.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn write_join_request(
    state: S<'_>,
    member_name: String,
    device_label: String,
    path: Option<String>,
) -> CmdResult<String> {
    let target = path
        .map(|p| state.file(&p, Access::Write, Kind::Join))
        .transpose()?;
    state
        .run("write_join_request", move |ws| {
            let text = ws.join_request(&member_name, &device_label)?;
            target.map_or(Ok(()), |p| write(&p, text.as_bytes()))?;
            Ok(text)
        })
        .await
}

/// Opens the join package at `package_path`. `team_id` is required: the
/// team fingerprint the admin reads out from their Team screen, or the
/// team id; a package for another team is refused.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn accept_join(
    state: S<'_>,
    package_path: String,
    team_id: String,
) -> CmdResult<TeamView> {
    let file = state.file(&package_path, Access::Read, Kind::Join)?;
    state
        .run("accept_join", move |ws| {
            ws.accept_join(&read(&file)?, &team_id)
        })
        .await
}

/// Reads a join request (file path or pasted text) so the admin can
/// compare the fingerprint before approving.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn inspect_join_request(state: S<'_>, request: String) -> CmdResult<JoinRequestView> {
    state
        .blocking("inspect_join_request", move |s| {
            Ok(Workspace::inspect_join_request(&request_text(
                s, &request,
            )?)?)
        })
        .await
}

fn request_text(state: &Shared, request: &str) -> CmdResult<String> {
    if request.trim_start().starts_with("CARAVAN-JOIN") {
        return Ok(request.to_string());
    }
    let bytes = read(&state.file(request, Access::Read, Kind::Join)?)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Approves a join request and writes the join package to `out_path`.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn approve_join(
    state: S<'_>,
    request: String,
    role: Role,
    out_path: String,
) -> CmdResult<TeamView> {
    let out = state.file(&out_path, Access::Write, Kind::Join)?;
    state
        .blocking("approve_join", move |s| {
            let text = request_text(s, &request)?;
            s.with(|ws| {
                write(&out, &ws.approve_join(&text, role)?)?;
                ws.team_view()
            })
        })
        .await
}
