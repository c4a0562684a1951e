//! LAN sync for an open workspace, as the CLI and the desktop app run it:
//! listen, advertise and look for the team's devices, dial addresses given,
//! run a session per peer (live if asked), and report what happens as
//! events. The workspace is shared with the front end (a mutex): every
//! session step takes it briefly.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use caravan_core::live::LiveSession;
use caravan_core::{CoreError, Workspace};
use serde::Serialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::{
    Discovery, DiscoveryKey, End, LanConfig, LanError, LanHost, Outcome, SessionHost, Sessions,
};
pub use crate::access::{SharedWorkspace, WorkspaceAccess};
use crate::error::NetError;
use crate::noise::StaticKey;

/// A session frame and its kind byte, at most.
const MAX_MESSAGE: usize = (256 << 20) + 1;

/// The workspace, or the error a session ends with when it was locked.
fn with<W: WorkspaceAccess, R>(
    ws: &W,
    f: impl FnOnce(&mut Workspace) -> Result<R, CoreError>,
) -> Result<R, HostError> {
    ws.with(f)
        .ok_or(HostError::Locked)?
        .map_err(HostError::Core)
}

/// What LAN sync does.
#[derive(Debug, Clone)]
pub struct LanOptions {
    pub listen: SocketAddr,
    pub connect: Vec<SocketAddr>,
    pub discovery: bool,
    /// Keep sessions open and push edits (each change of the `edits`
    /// counter given to [`run`]) until stopped; otherwise end once the
    /// sessions started are current (listening only: the first one).
    pub live: bool,
}

/// What happened, for the CLI's lines and the app's sync centre.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LanEvent {
    Listening {
        address: String,
    },
    /// A team device was found on the network at `address` (`peer`: the
    /// device its advert names), or is dialled there (`peer` unknown until
    /// its session begins).
    Found {
        address: String,
        peer: Option<String>,
    },
    /// A session with the device began (the channel is up and the device
    /// is an active member's).
    Connected {
        peer: String,
        name: String,
    },
    /// Both sides were current (a live session: each time they become
    /// so, while it stays open), or the session ended. The counts are the
    /// session's so far.
    Synced {
        peer: String,
        name: String,
        applied: usize,
        quarantined: usize,
        /// Both sides were current when it ended (or now, in a live one).
        complete: bool,
    },
    Failed {
        peer: Option<String>,
        code: String,
        message: String,
    },
    /// The system treats this network as public (Windows): its firewall
    /// keeps other laptops from finding or dialling this one; dialling
    /// out still works.
    PublicNetwork,
}

/// Why a session stopped on this side.
#[derive(Debug)]
pub enum HostError {
    Core(CoreError),
    /// The session's Hello named another device than the channel's key.
    NotThePeer,
    /// The workspace was locked: the session ended.
    Locked,
}

/// The code a session ends with when the vault was locked under it (the
/// app's own code for a locked vault).
pub const LOCKED: &str = "app.locked";
const LOCKED_MESSAGE: &str = "The vault was locked; LAN sync stopped.";

struct Host<W> {
    ws: W,
    events: mpsc::UnboundedSender<LanEvent>,
    /// Wakes every live session: a local edit, or a frame one session
    /// received (what one peer sent goes on to the others at once).
    wake: Arc<watch::Sender<u64>>,
}

/// A live session on the shared workspace with one peer.
pub struct HostSession<W> {
    ws: W,
    live: LiveSession,
    peer: String,
    events: mpsc::UnboundedSender<LanEvent>,
    announced: bool,
    wake: Arc<watch::Sender<u64>>,
}

impl<W> std::fmt::Debug for HostSession<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostSession")
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

impl<W: WorkspaceAccess> SessionHost for HostSession<W> {
    type Error = HostError;
    fn poll(&mut self) -> Result<Option<Vec<u8>>, HostError> {
        let live = &mut self.live;
        with(&self.ws, |ws| ws.session_poll(live))
    }
    fn receive(&mut self, frame: &[u8]) -> Result<(), HostError> {
        let live = &mut self.live;
        let peer = with(&self.ws, |ws| {
            ws.session_receive(live, frame)?;
            Ok(ws.session_peer(live))
        })?;
        // The other live sessions look for what this frame brought (a
        // session with nothing to send sends nothing).
        self.wake.send_modify(|n| *n = n.wrapping_add(1));
        // The device that signs the session must be the one whose key the
        // channel was set up with.
        match peer {
            Some(p) if p.device != self.peer => Err(HostError::NotThePeer),
            Some(p) if !self.announced => {
                self.announced = true;
                let _ = self.events.send(LanEvent::Connected {
                    peer: p.device,
                    name: p.name,
                });
                Ok(())
            }
            _ => Ok(()),
        }
    }
    fn is_done(&mut self) -> bool {
        self.live.is_done()
    }
    fn current(&mut self) {
        let live = &self.live;
        let Some(summary) = self.ws.with(|ws| ws.session_summary(live)) else {
            return;
        };
        let _ = self.events.send(LanEvent::Synced {
            peer: self.peer.clone(),
            name: summary.sender_name,
            applied: summary.applied,
            quarantined: summary.quarantined.len(),
            complete: true,
        });
    }
}

impl<W: WorkspaceAccess> LanHost for Host<W> {
    type Session = HostSession<W>;
    type Error = HostError;
    fn identify(&self, agreement: &[u8; 32]) -> Option<String> {
        self.ws.with(|ws| ws.lan_device(agreement).ok().flatten())?
    }
    fn peers(&self) -> Vec<[u8; 32]> {
        self.ws
            .with(|ws| ws.lan_peers().ok())
            .flatten()
            .map(|peers| peers.into_iter().map(|(_, key)| key).collect())
            .unwrap_or_default()
    }
    fn open_session(&self, peer: &str) -> Result<HostSession<W>, HostError> {
        let live = with(&self.ws, Workspace::session_start)?;
        Ok(HostSession {
            ws: self.ws.clone(),
            live,
            peer: peer.to_string(),
            events: self.events.clone(),
            announced: false,
            wake: self.wake.clone(),
        })
    }
}

/// Connections (dialling, in a handshake or in a session) at once, at
/// most.
const MAX_CONNECTIONS: usize = 64;
/// How long a dial may take.
const DIAL_TIMEOUT: Duration = Duration::from_secs(10);

/// Whom a connection's task talks to.
enum Peer {
    Accepted(TcpStream),
    /// An address, and the agreement key of the device found there by its
    /// advert (none for an address given by hand).
    Dial(SocketAddr, Option<[u8; 32]>),
}

/// How one connection's task ended.
type Ended<W> = Result<(String, Outcome, HostSession<W>), LanError<HostError>>;

/// Runs LAN sync on `ws` until it is over (see [`LanOptions::live`]) or
/// `stop` resolves, sending what happens to `events`. Errors: the
/// workspace has no team, or the address cannot be listened on.
pub async fn run<W: WorkspaceAccess>(
    ws: W,
    opts: LanOptions,
    edits: watch::Receiver<u64>,
    events: mpsc::UnboundedSender<LanEvent>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), LanServiceError> {
    let creds = ws
        .with(|w| w.lan_credentials())
        .ok_or(LanServiceError::Locked)?
        .map_err(LanServiceError::Core)?;
    let config = Arc::new(LanConfig {
        team_id: creds.team_id,
        key: Arc::new(StaticKey::from_bytes(*creds.static_secret)),
        me: creds.device.clone(),
        max_message: MAX_MESSAGE,
    });
    let listener = TcpListener::bind(opts.listen).await?;
    let address = listener.local_addr()?;
    let _ = events.send(LanEvent::Listening {
        address: address.to_string(),
    });
    if opts.discovery {
        // Asking the system takes a second or two: the run does not wait.
        let events = events.clone();
        tokio::task::spawn_blocking(move || {
            if super::profile::current() == super::profile::NetworkCategory::Public {
                let _ = events.send(LanEvent::PublicNetwork);
            }
        });
    }
    let mut creds = creds;
    let (mut discovery, mut found) = discover(&creds, opts.discovery, address.port())?;
    // The team changes under a long run: a device enrolled, or one revoked
    // and the team key rotated. Adverts follow within a minute.
    let mut recheck = tokio::time::interval(TEAM_RECHECK);
    let (wake, woken) = watch::channel(0u64);
    let wake = Arc::new(wake);
    let host = Arc::new(Host {
        ws: ws.clone(),
        events: events.clone(),
        wake: wake.clone(),
    });
    let sessions = Arc::new(Sessions::default());
    let live = opts.live.then_some(woken);
    let mut edits = edits;
    let mut committing = true;
    let mut tasks: JoinSet<Ended<W>> = JoinSet::new();
    // Each connection runs in its own task, dialling included: an
    // address that never answers (an advert replayed by someone on the
    // network) holds up nothing else, and at most `MAX_CONNECTIONS` run.
    let spawn = |tasks: &mut JoinSet<Ended<W>>, to: Peer| {
        if tasks.len() >= MAX_CONNECTIONS {
            tracing::warn!("too many LAN connections at once: one more is turned away");
            return;
        }
        let (host, config, sessions, live) =
            (host.clone(), config.clone(), sessions.clone(), live.clone());
        tasks.spawn(async move {
            let (stream, end) = match to {
                Peer::Accepted(stream) => (stream, End::Accepted),
                Peer::Dial(addr, known) => {
                    match tokio::time::timeout(DIAL_TIMEOUT, TcpStream::connect(addr)).await {
                        Ok(Ok(stream)) => (stream, End::Dialled(known)),
                        Ok(Err(e)) => return Err(LanError::Net(e.into())),
                        Err(_) => return Err(LanError::Net(NetError::Timeout)),
                    }
                }
            };
            super::connection(stream, end, &config, &*host, &sessions, live).await
        });
    };
    for addr in &opts.connect {
        let _ = events.send(LanEvent::Found {
            address: addr.to_string(),
            peer: None,
        });
        spawn(&mut tasks, Peer::Dial(*addr, None));
    }
    let dialled = !opts.connect.is_empty();
    let mut synced = 0usize;
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    spawn(&mut tasks, Peer::Accepted(stream));
                }
            }
            Some(seen) = found.recv() => {
                let _ = events.send(LanEvent::Found {
                    address: seen.address.to_string(),
                    peer: Some(seen.device.clone()),
                });
                let key = creds.peers.iter().find(|(id, _)| *id == seen.device).map(|(_, k)| *k);
                spawn(&mut tasks, Peer::Dial(seen.address, key));
            }
            Some(joined) = tasks.join_next() => {
                synced += usize::from(finished(&ws, joined, &events));
                if !opts.live && tasks.is_empty() && (dialled || synced > 0) {
                    return Ok(());
                }
            }
            changed = edits.changed(), if committing => {
                // A local edit wakes every live session.
                committing = changed.is_ok();
                wake.send_modify(|n| *n = n.wrapping_add(1));
            }
            _ = recheck.tick(), if opts.discovery => {
                let Some(Ok(now)) = ws.with(|w| w.lan_credentials()) else { continue };
                if *now.discovery_key != *creds.discovery_key || now.peers != creds.peers {
                    drop(discovery.take());
                    creds = now;
                    (discovery, found) = discover(&creds, true, address.port()).unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "LAN discovery could not start again");
                        (None, mpsc::unbounded_channel().1)
                    });
                }
            }
            () = &mut stop => return Ok(()),
        }
    }
}

/// How often a run looks whether the team changed.
const TEAM_RECHECK: Duration = Duration::from_secs(60);

/// Discovery with `creds` (if `on`), and where it reports the devices found.
fn discover(
    creds: &caravan_core::network::LanCredentials,
    on: bool,
    port: u16,
) -> Result<(Option<Discovery>, mpsc::UnboundedReceiver<super::Found>), NetError> {
    if !on {
        return Ok((None, mpsc::unbounded_channel().1));
    }
    let key = DiscoveryKey::from_bytes(creds.discovery_key.clone());
    let ids = creds.peers.iter().map(|(id, _)| id.clone()).collect();
    let (d, rx) = Discovery::start(key, creds.device.clone(), ids, port, now_ms)?;
    Ok((Some(d), rx))
}

/// Reports one connection's end; whether its session completed.
fn finished<W: WorkspaceAccess>(
    ws: &W,
    joined: Result<Ended<W>, tokio::task::JoinError>,
    events: &mpsc::UnboundedSender<LanEvent>,
) -> bool {
    let failed = |peer: Option<String>, code: &str, message: String| LanEvent::Failed {
        peer,
        code: code.to_string(),
        message,
    };
    let event = match joined {
        Ok(Ok((peer, outcome, session))) => {
            let ended = ws.with(|ws| {
                let name = ws
                    .session_peer(&session.live)
                    .map(|p| p.name)
                    .unwrap_or_default();
                ws.session_end(session.live).map(|s| (name, s))
            });
            match ended {
                None => failed(Some(peer), LOCKED, LOCKED_MESSAGE.into()),
                Some(Err(e)) => failed(Some(peer), e.code(), e.to_string()),
                Some(Ok((name, summary))) => LanEvent::Synced {
                    peer,
                    name,
                    applied: summary.applied,
                    quarantined: summary.quarantined.len(),
                    complete: outcome.complete,
                },
            }
        }
        // The other connection with the same device runs the session.
        Ok(Err(LanError::Duplicate)) => return false,
        Ok(Err(LanError::Net(e))) => failed(None, e.code(), e.to_string()),
        Ok(Err(LanError::Host(HostError::Core(e)))) => failed(None, e.code(), e.to_string()),
        Ok(Err(LanError::Host(HostError::Locked))) => failed(None, LOCKED, LOCKED_MESSAGE.into()),
        Ok(Err(LanError::Host(HostError::NotThePeer))) => failed(
            None,
            NetError::UnknownPeer.code(),
            NetError::UnknownPeer.to_string(),
        ),
        Err(e) => failed(None, "net.io", e.to_string()),
    };
    let ok = matches!(event, LanEvent::Synced { complete: true, .. });
    let _ = events.send(event);
    ok
}

/// Why LAN sync could not start.
#[derive(Debug, thiserror::Error)]
pub enum LanServiceError {
    #[error(transparent)]
    Core(CoreError),
    #[error("the vault is locked")]
    Locked,
    #[error(transparent)]
    Net(#[from] NetError),
}

impl From<std::io::Error> for LanServiceError {
    fn from(e: std::io::Error) -> Self {
        LanServiceError::Net(e.into())
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
