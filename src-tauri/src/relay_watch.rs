//! Sync through the team's relays in the background while the vault is
//! open, as a person expects of an office with network: one watch per
//! relay (a round at once, then whenever the relay announces news for this
//! device or a command commits an edit), started again after a failure
//! with a growing pause. "Sync now" stays for a person who wants a round
//! this moment.
//!
//! A supervisor compares the relays of the team document with the watches
//! running every few seconds, and at once when a relay is added or
//! removed; locking ends every watch. After each round or failure the
//! window hears `caravan://relays` with the relays as listed (last sync,
//! last problem). Traffic is not the person's activity: it never holds off
//! the auto-lock.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use caravan_core::relays::RelayView;
use caravan_net::access::WorkspaceAccess;
use caravan_net::relay_round::{RelayLink, RelayRoundError};
use tauri::async_runtime::JoinHandle;
use tokio::sync::{Notify, watch};

use crate::state::AppState;

/// The event the window receives with the relays after each round.
pub const RELAYS_EVENT: &str = "caravan://relays";
/// How often the supervisor looks at the team's relays.
const LOOK_EVERY: Duration = Duration::from_secs(5);
/// The pause after a failed watch, doubled after each failure in a row.
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LAST_RETRY: Duration = Duration::from_secs(300);

/// Tells the window the relays' status changed.
pub type RelaysChanged = Arc<dyn Fn(&[RelayView]) + Send + Sync>;

/// The background watches of one app.
#[derive(Default)]
pub struct RelayWatch {
    /// Running watches by relay key.
    watches: Mutex<HashMap<String, JoinHandle<()>>>,
    /// Wakes the supervisor (a relay added or removed).
    look: Notify,
}

impl RelayWatch {
    /// The team's relays may have changed: the supervisor looks now.
    pub fn look_again(&self) {
        self.look.notify_one();
    }

    /// Ends every watch (the vault is being locked).
    pub fn stop_all(&self) {
        for (_, watch) in self.watches().drain() {
            watch.abort();
        }
    }

    /// The keys of the relays watched now.
    pub fn watched(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.watches().keys().cloned().collect();
        keys.sort();
        keys
    }

    fn watches(&self) -> MutexGuard<'_, HashMap<String, JoinHandle<()>>> {
        self.watches.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Starts the supervisor for the app's lifetime.
pub fn start(app: AppState, changed: RelaysChanged) {
    tauri::async_runtime::spawn(supervise(app, changed));
}

async fn supervise(app: AppState, changed: RelaysChanged) {
    loop {
        // `None`: locked; an error (no team yet) counts as no relays.
        let relays = WorkspaceAccess::with(&app, |ws| ws.relays().unwrap_or_default());
        match relays {
            None => app.relay_watch.stop_all(),
            Some(relays) => reconcile(&app, &changed, &relays),
        }
        tokio::select! {
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = app.relay_watch.look.notified() => {}
        }
    }
}

/// Starts a watch for each relay without one (or whose watch ended) and
/// ends the watches of relays no longer listed.
fn reconcile(app: &AppState, changed: &RelaysChanged, relays: &[RelayView]) {
    let mut watches = app.relay_watch.watches();
    watches.retain(|key, watch| {
        let listed = relays.iter().any(|r| r.key == *key);
        if !listed {
            watch.abort();
        }
        listed && !watch.inner().is_finished()
    });
    for r in relays {
        if !watches.contains_key(&r.key) {
            let watch = tauri::async_runtime::spawn(keep_synced(
                app.clone(),
                changed.clone(),
                r.key.clone(),
            ));
            watches.insert(r.key.clone(), watch);
        }
    }
}

/// Watches the relay `key` until the vault is locked (or the watch is
/// ended), starting again after a pause when a round or the connection
/// fails (each failure is on the relay's row already).
async fn keep_synced(app: AppState, changed: RelaysChanged, key: String) {
    let tell = || {
        if let Some(Ok(relays)) = WorkspaceAccess::with(&app, |ws| ws.relays()) {
            changed(&relays);
        }
    };
    let mut retry = FIRST_RETRY;
    loop {
        let mut rounds = 0usize;
        let result = async {
            let mut link = RelayLink::connect(app.clone(), &key).await?;
            let edits: watch::Receiver<u64> = app.lan.edits();
            link.watch(
                edits,
                |_| {
                    rounds += 1;
                    tell();
                },
                std::future::pending(),
            )
            .await
        }
        .await;
        match result {
            Ok(()) | Err(RelayRoundError::Locked) => return,
            Err(e) => {
                tracing::info!(
                    code = e.code(),
                    "a background relay sync failed; it starts again"
                );
                tell();
            }
        }
        retry = if rounds > 0 {
            FIRST_RETRY
        } else {
            (retry * 2).min(LAST_RETRY)
        };
        tokio::time::sleep(retry).await;
    }
}
