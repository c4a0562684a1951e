//! One device's connection: the Noise handshake, the challenge, then the
//! relay messages until either side ends it. A reader task owns the
//! receiving half (a message is read whole or not at all), and hands each
//! message over a channel of one: a connection holds at most a message or
//! two in memory.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::WebSocket;
use caravan_net::NetError;
use caravan_net::error::RelayCode;
use caravan_net::noise::{NoiseReceiver, NoiseSender, relay_responder};
use caravan_net::relay_proto::{ClientMsg, RelayMsg, auth_message};
use caravan_sync::DeviceId;
use caravan_sync::roster::Roster;
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tracing::{debug, info};

use crate::hub::Subscription;
use crate::register::register;
use crate::server::Shared;
use crate::session::Session;
use crate::ws::{Budget, WsSink, WsSource};

/// The handshake and authentication must end within this time.
const AUTH_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a connection ends, or a request was refused.
pub(crate) struct Refusal {
    pub code: RelayCode,
    pub message: String,
    pub fatal: bool,
}

impl Refusal {
    pub fn new(code: RelayCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
            fatal: false,
        }
    }

    pub fn fatal(code: RelayCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
            fatal: true,
        }
    }

    pub fn to_msg(&self) -> RelayMsg {
        RelayMsg::error(self.code, self.message.clone(), self.fatal)
    }
}

impl From<crate::store::StoreError> for Refusal {
    fn from(e: crate::store::StoreError) -> Refusal {
        use crate::store::StoreError as E;
        let code = match e {
            E::Quota { .. } => RelayCode::Quota,
            E::UnknownTeam => RelayCode::UnknownTeam,
            E::StaleRoster { .. } => RelayCode::StaleRoster,
            E::Backend(_) => RelayCode::Unavailable,
        };
        if let E::Backend(detail) = &e {
            tracing::error!(%detail, "storage failed");
            return Refusal::new(code, "the relay's storage failed; try again later");
        }
        Refusal::new(code, e.to_string())
    }
}

pub(crate) type Inbox = mpsc::Receiver<Result<Vec<u8>, NetError>>;
pub(crate) type Sender = NoiseSender<WsSink>;

/// Serves one WebSocket to its end.
pub(crate) async fn serve(shared: Arc<Shared>, socket: WebSocket) {
    let _live = shared.live.enter();
    // Held until the connection authenticates (or ends): beyond
    // `MAX_PREAUTH` at once, a new connection is closed at once.
    let Ok(preauth) = shared.preauth.clone().try_acquire_owned() else {
        debug!("too many connections not yet authenticated: one closed");
        return;
    };
    let (sink, source) = socket.split();
    let budget = Budget::preauth();
    let max = shared.max_message();
    let channel = tokio::time::timeout(
        AUTH_TIMEOUT,
        relay_responder(
            WsSink(sink),
            WsSource {
                stream: source,
                budget: budget.clone(),
            },
            &shared.key,
            max,
        ),
    )
    .await;
    let ch = match channel {
        Ok(Ok(ch)) => ch,
        Ok(Err(e)) => {
            debug!(code = e.code(), "handshake failed");
            return;
        }
        Err(_) => {
            debug!("handshake timed out");
            return;
        }
    };
    let (tx, inbox) = mpsc::channel(1);
    let reader = tokio::spawn(read_loop(ch.receiver, tx));
    let mut sender = ch.sender;
    if let Err(e) = run(
        &shared,
        &mut sender,
        inbox,
        ch.handshake_hash,
        &budget,
        preauth,
    )
    .await
    {
        debug!(code = e.code(), "connection ended");
    }
    reader.abort();
}

async fn read_loop(mut rx: NoiseReceiver<WsSource>, tx: mpsc::Sender<Result<Vec<u8>, NetError>>) {
    loop {
        let msg = rx.recv().await;
        let end = !matches!(msg, Ok(Some(_)));
        let item = match msg {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(NetError::Closed),
            Err(e) => Err(e),
        };
        if tx.send(item).await.is_err() || end {
            return;
        }
    }
}

async fn run(
    shared: &Arc<Shared>,
    sender: &mut Sender,
    mut inbox: Inbox,
    hash: [u8; 32],
    budget: &Budget,
    preauth: tokio::sync::OwnedSemaphorePermit,
) -> Result<(), NetError> {
    let nonce = random_nonce()?;
    sender.send(&RelayMsg::Challenge { nonce }.encode()).await?;
    let mut shutdown = shared.shutdown.clone();
    let authed = tokio::select! {
        admitted = tokio::time::timeout(AUTH_TIMEOUT, admit(shared, sender, &mut inbox, &hash, &nonce)) => admitted,
        // A connection that has not authenticated has nothing in hand.
        _ = shutdown.wait_for(|stop| *stop) => return Ok(()),
    };
    let (session, events) = match authed {
        Ok(Ok(Some(admitted))) => {
            budget.lift();
            drop(preauth);
            admitted
        }
        Ok(Err(e)) => return Err(e),
        Ok(Ok(None)) | Err(_) => return Ok(()),
    };
    session.run(sender, inbox, events).await
}

fn random_nonce() -> Result<[u8; 32], NetError> {
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce).map_err(|e| NetError::Io(format!("no randomness: {e}")))?;
    Ok(nonce)
}

/// Before authentication: `Register` (a roster's signature is its own
/// authority) any number of times, then `Auth`. Anything else ends the
/// connection. `None`: the connection ended here.
async fn admit(
    shared: &Arc<Shared>,
    sender: &mut Sender,
    inbox: &mut Inbox,
    hash: &[u8; 32],
    nonce: &[u8; 32],
) -> Result<Option<(Session, Subscription)>, NetError> {
    // Bounded: each Register is a signature check and a write; a client
    // that only registers still meets the authentication timeout.
    loop {
        let Some(Ok(bytes)) = inbox.recv().await else {
            return Ok(None);
        };
        let reply = match ClientMsg::decode(&bytes) {
            Ok(ClientMsg::Register { roster }) => register(shared, roster).await,
            Ok(ClientMsg::Auth {
                team_id,
                device,
                signature,
            }) => match authenticate(shared, hash, nonce, team_id, device, &signature).await {
                Ok((session, events, ok)) => {
                    sender.send(&ok.encode()).await?;
                    return Ok(Some((session, events)));
                }
                Err(r) => Err(r),
            },
            Ok(_) => Err(Refusal::fatal(RelayCode::Malformed, "authenticate first")),
            Err(e) => Err(Refusal::fatal(RelayCode::Malformed, e.to_string())),
        };
        let fatal = reply.as_ref().is_err_and(|r| r.fatal);
        sender
            .send(&reply.unwrap_or_else(|r| r.to_msg()).encode())
            .await?;
        if fatal {
            return Ok(None);
        }
    }
}

/// The team's current roster (shared by the process's connections).
pub(crate) async fn current_roster(
    shared: &Shared,
    team: [u8; 16],
) -> Result<Option<std::sync::Arc<Roster>>, Refusal> {
    shared.rosters.get(shared.store.as_ref(), team).await
}

async fn authenticate(
    shared: &Arc<Shared>,
    hash: &[u8; 32],
    nonce: &[u8; 32],
    team: [u8; 16],
    device: [u8; 32],
    signature: &[u8; 64],
) -> Result<(Session, Subscription, RelayMsg), Refusal> {
    // A team the operator no longer lists (or never did, registered before
    // the list) is served no more: its rosters are refused too, so its
    // revocations would never take effect here.
    if !shared.config.serves(&team) {
        return Err(Refusal::fatal(
            RelayCode::TeamNotAllowed,
            "this relay no longer serves this team; ask its operator",
        ));
    }
    // A team this relay does not hold gets no channel in the hub (an
    // unauthenticated stream of made-up team ids would otherwise leave one
    // behind each).
    if current_roster(shared, team).await?.is_none() {
        return Err(Refusal::fatal(
            RelayCode::UnknownTeam,
            "no team with this id is registered here",
        ));
    }
    // Subscribed before the roster is read again: a roster change after
    // this point is seen by the session.
    let events = shared.hub.subscribe(team);
    let Some(mut roster) = current_roster(shared, team).await? else {
        return Err(Refusal::fatal(
            RelayCode::UnknownTeam,
            "no team with this id is registered here",
        ));
    };
    if roster.device(&device).is_none() {
        let store = shared.store.as_ref();
        if let Some(newer) = shared.rosters.refresh(store, team, &roster).await? {
            roster = newer;
        }
    }
    let Some(entry) = roster.device(&device) else {
        shared.metrics.refused();
        return Err(Refusal::fatal(
            RelayCode::NotOnRoster,
            "this device is not on the team's roster",
        ));
    };
    if !DeviceId(device).verify(&auth_message(hash, nonce, &team), signature) {
        shared.metrics.refused();
        return Err(Refusal::fatal(
            RelayCode::BadSignature,
            "the authentication signature does not verify",
        ));
    }
    let cursor = shared.store.cursor(team, device).await?;
    info!(team = %crate::metrics::team_tag(&team), device = %DeviceId(device).fingerprint(), "device connected");
    let session = Session::new(shared.clone(), team, device, entry.member.clone());
    Ok((
        session,
        events,
        RelayMsg::AuthOk {
            cursor,
            roster_version: roster.version,
        },
    ))
}
