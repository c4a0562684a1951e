//! The team's relays: the list, adding one (admins: it is written in the
//! team document and sent the team's roster), removing one, and one round
//! of sync through one (upload what others lack, fetch, import, acknowledge;
//! `caravan_net::relay_round`). The core checks the address, the key and
//! the role.

use std::time::Duration;

use caravan_core::relays::RelayView;
use caravan_net::NetError;
use caravan_net::access::WorkspaceAccess;
use caravan_net::relay_round::{self, RelayLink, RelayRound, RelayRoundError};
use tauri::State;
use tracing::Instrument;

use crate::dto::{ErrorDto, RelaySyncDto};
use crate::state::{AppState, CmdResult, locked};

type S<'a> = State<'a, AppState>;

/// How long a round may take before it is given up (a relay that does not
/// answer must not leave the button busy for good).
const ROUND_LIMIT: Duration = Duration::from_secs(120);

workspace_commands! {
    /// The team's relays, with this device's last sync through each.
    fn relays() -> Vec<RelayView> => |ws| ws.relays();
}

/// Removes a relay from the team (admins); its background sync ends.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn relay_remove(state: S<'_>, key: String) -> CmdResult<Vec<RelayView>> {
    let relays = state
        .run("relay_remove", move |ws| {
            ws.remove_relay(&key)?;
            ws.relays()
        })
        .await?;
    state.relay_watch.look_again();
    Ok(relays)
}

/// Adds a relay to the team (admins) and sends it the team's roster, so
/// the team's devices are let in. A relay that cannot be reached now is
/// added all the same; its row shows why, and the next sync through it
/// sends the roster again.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn relay_add(state: S<'_>, url: String, key: String) -> CmdResult<Vec<RelayView>> {
    let span = tracing::info_span!("command", name = "relay_add");
    let added = state
        .run("relay_add", move |ws| ws.add_relay(&url, &key))
        .await?;
    state.relay_watch.look_again();
    let app = state.inner().clone();
    let registered = limited(&app, &added.key, relay_round::register(&app, &added.key))
        .instrument(span)
        .await;
    if let Err(e) = registered {
        tracing::info!(code = e.code, "the new relay did not take the roster now");
    }
    state.run("relays", |ws| ws.relays()).await
}

/// One round through the relay `key`.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn relay_sync_now(state: S<'_>, key: String) -> CmdResult<RelaySyncDto> {
    state.touch();
    let app = state.inner().clone();
    let span = tracing::info_span!("command", name = "relay_sync_now");
    let round = limited(&app, &key, async {
        let mut link = RelayLink::connect(app.clone(), &key).await?;
        link.round().await
    })
    .instrument(span)
    .await;
    // Whatever the round did, the list shows the relay as it is now (its
    // last sync, or the code it failed with).
    let relays = state.run("relays", |ws| ws.relays()).await?;
    let round = round?;
    let relay = relays
        .into_iter()
        .find(|r| r.key == key.trim().to_ascii_lowercase())
        .ok_or_else(locked)?;
    Ok(sync_dto(relay, &round))
}

fn sync_dto(relay: RelayView, r: &RelayRound) -> RelaySyncDto {
    RelaySyncDto {
        relay,
        uploaded: r.uploaded as u64,
        imported: r.imported as u64,
        skipped: r.skipped as u64,
        applied: r.applied as u64,
        quarantined: r.quarantined as u64,
    }
}

/// Runs `round` through the relay `key` for at most [`ROUND_LIMIT`]; one
/// given up is recorded as the relay's last failure, as a failed one is.
async fn limited<T>(
    app: &AppState,
    key: &str,
    round: impl Future<Output = Result<T, RelayRoundError>>,
) -> Result<T, ErrorDto> {
    match tokio::time::timeout(ROUND_LIMIT, round).await {
        Ok(r) => r.map_err(round_error),
        Err(_) => {
            let e = NetError::Timeout;
            let _ = app.with(|w| w.relay_failed(key, e.code()));
            Err(e.into())
        }
    }
}

fn round_error(e: RelayRoundError) -> ErrorDto {
    match e {
        RelayRoundError::Core(e) => e.into(),
        RelayRoundError::Locked => locked(),
        RelayRoundError::Net(e) => e.into(),
    }
}
