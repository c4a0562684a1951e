//! The listening connection: `LISTEN caravan_envelopes, caravan_rosters`
//! on a connection of its own, its notifications turned into hub events.
//! When the connection drops it is made again with backoff, and every
//! team is told to resynchronise (notifications may have been missed).
//! While it listens, the hub records the announced envelopes of teams
//! with devices connected here (one read per envelope, none for one
//! appended through this process); while it does not, nothing is recorded
//! and every fetch goes to the database.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio_postgres::{AsyncMessage, NoTls};
use tracing::{debug, warn};

use super::postgres::{ENVELOPES_CHANNEL, PgStore, ROSTERS_CHANNEL};
use super::{Store, TeamId};
use crate::hub::{Event, Hub};
use crate::recent::Held;

const MAX_BACKOFF: Duration = Duration::from_secs(30);
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);

pub(super) async fn run(mut config: tokio_postgres::Config, store: PgStore, hub: Arc<Hub>) {
    // A connection cut off silently (a peer gone without a reset) would
    // otherwise be noticed after two hours of TCP keepalive, while this
    // process answers fetches from what it heard. Shorter settings in the
    // connection string stand.
    config.keepalives_idle(config.get_keepalives_idle().min(KEEPALIVE_IDLE));
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(Duration::from_secs(10));
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(3);
    }
    let mut backoff = Duration::from_millis(100);
    let mut first = true;
    loop {
        let result = listen_once(&config, &store, &hub, &mut first).await;
        hub.deaf();
        match result {
            Ok(()) => debug!("the listening connection closed"),
            Err(e) => warn!(error = %e, "the listening connection failed"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

async fn listen_once(
    config: &tokio_postgres::Config,
    store: &PgStore,
    hub: &Hub,
    first: &mut bool,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut conn) = config.connect(NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(String, String)>(1024);
    // The connection is polled as a stream of messages in a task of its
    // own; the client above issues LISTEN through it.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
        while let Some(msg) = messages.next().await {
            match msg {
                Ok(AsyncMessage::Notification(n)) => {
                    let _ = tx
                        .send((n.channel().to_string(), n.payload().to_string()))
                        .await;
                }
                Ok(_) => {}
                Err(e) => {
                    warn!(error = %e, "the listening connection broke");
                    break;
                }
            }
        }
    });
    client
        .batch_execute(&format!(
            "LISTEN {ENVELOPES_CHANNEL}; LISTEN {ROSTERS_CHANNEL}"
        ))
        .await?;
    // Every commit from here on is announced to this connection.
    hub.listening();
    if !*first {
        hub.publish_all(Event::Resync);
    }
    *first = false;
    while let Some((channel, payload)) = rx.recv().await {
        let Some((team, n)) = parse(&payload) else {
            warn!("an announcement in an unknown form was ignored");
            continue;
        };
        if channel == ROSTERS_CHANNEL {
            hub.publish(team, Event::Roster);
        } else if channel == ENVELOPES_CHANNEL {
            appended(store, hub, team, n).await;
        }
    }
    driver.abort();
    Ok(())
}

/// An envelope committed (through any process): recorded, and announced
/// to the team's connections here. Nothing is read for a team with no
/// device here, nor for an envelope this process appended itself.
async fn appended(store: &PgStore, hub: &Hub, team: TeamId, seq: u64) {
    let Some(ticket) = hub.ticket(team) else {
        return;
    };
    let held = match ticket.recorded(seq) {
        Some(held) => held,
        None => match store.envelope(team, seq, ticket.max_body).await {
            Ok(Some(e)) => ticket.record(Held::from(e)),
            // Swept already: no one is told of it, and fetches pass it.
            Ok(None) => {
                ticket.record(Held::gone(seq));
                return;
            }
            // Not recorded: fetches that reach it go to the database.
            Err(e) => {
                warn!(error = %e, "an announced envelope could not be read");
                return;
            }
        },
    };
    hub.publish(
        team,
        Event::Appended {
            seq,
            from: held.from,
            to: held.to.clone(),
        },
    );
}

fn parse(payload: &str) -> Option<(TeamId, u64)> {
    let (team, n) = payload.split_once(':')?;
    let mut id = [0u8; 16];
    hex::decode_to_slice(team, &mut id).ok()?;
    Some((id, n.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn announcements_parse_or_are_ignored() {
        let team = [0xab; 16];
        assert_eq!(
            super::parse(&format!("{}:42", hex::encode(team))),
            Some((team, 42))
        );
        for bad in ["", ":", "ab:1", "zz:1", &format!("{}:x", hex::encode(team))] {
            assert_eq!(super::parse(bad), None, "{bad}");
        }
    }
}
