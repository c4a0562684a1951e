//! LAN sync: start, stop, dial an address, status (`crate::lan`). The
//! window also hears every change of the status as `caravan://lan`.

use std::sync::Arc;

use tauri::{AppHandle, Emitter, Runtime, State};
use tracing::Instrument;

use crate::dto::{LanStartRequest, LanStatusDto};
use crate::lan::{LAN_EVENT, Notify};
use crate::state::{AppState, CmdResult};

type S<'a> = State<'a, AppState>;

/// Starts LAN sync on the open vault (stopping a start already running);
/// answers once it listens.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn lan_start<R: Runtime>(
    app: AppHandle<R>,
    state: S<'_>,
    request: LanStartRequest,
) -> CmdResult<LanStatusDto> {
    state.touch();
    let notify: Notify = Arc::new(move |status| drop(app.emit(LAN_EVENT, status)));
    let span = tracing::info_span!("command", name = "lan_start");
    state
        .lan
        .start(&state, request, notify)
        .instrument(span)
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn lan_stop(state: S<'_>) -> CmdResult<LanStatusDto> {
    let _span = tracing::info_span!("command", name = "lan_stop").entered();
    state.lan.stop();
    Ok(state.lan.status())
}

/// Dials `address` (`ip:port`) while LAN sync runs.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn lan_connect(state: S<'_>, address: String) -> CmdResult<LanStatusDto> {
    let _span = tracing::info_span!("command", name = "lan_connect").entered();
    state.touch();
    state.lan.connect(&address)
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn lan_status(state: S<'_>) -> CmdResult<LanStatusDto> {
    Ok(state.lan.status())
}
