//! `sync lan`: sync with the team's devices on this network. Listens, finds
//! peers by their adverts (unless `--no-discovery`) and dials `--connect`
//! addresses; each connection runs one session. Without `--watch` it ends
//! once the sessions it started (or, only listening, the first one) are
//! current; with it, it stays, runs the caravan commands read from
//! standard input on the open vault and pushes their edits to connected
//! peers at once, until the input ends.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::Result;
use caravan_core::live::LiveSession;
use caravan_core::{CoreError, Workspace};
use caravan_net::NetError;
use caravan_net::lan::{self, Discovery, DiscoveryKey, LanConfig, LanError, LanHost, Sessions};
use caravan_net::noise::StaticKey;
use serde::Serialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::Ctx;
use crate::exit::{CliCode, CliError};

/// Options of `sync lan`.
#[derive(Debug)]
pub struct LanOptions {
    pub listen: SocketAddr,
    pub connect: Vec<SocketAddr>,
    pub discovery: bool,
    pub watch: bool,
    pub wait: Duration,
}

/// A frame and its kind byte, at most.
const MAX_MESSAGE: usize = (256 << 20) + 1;

type Shared = Arc<Mutex<Workspace>>;
/// How one connection's task ended.
type Ended = Result<(String, lan::Outcome, HostSession), LanError<HostError>>;

fn lock(ws: &Shared) -> MutexGuard<'_, Workspace> {
    ws.lock().unwrap_or_else(|e| e.into_inner())
}

struct Host(Shared);

/// Why a session stopped on this side.
#[derive(Debug)]
enum HostError {
    Core(CoreError),
    /// The session's Hello named another device than the channel's key.
    NotThePeer,
}

struct HostSession {
    ws: Shared,
    live: LiveSession,
    peer: String,
}

impl lan::SessionHost for HostSession {
    type Error = HostError;
    fn poll(&mut self) -> Result<Option<Vec<u8>>, HostError> {
        lock(&self.ws)
            .session_poll(&mut self.live)
            .map_err(HostError::Core)
    }
    fn receive(&mut self, frame: &[u8]) -> Result<(), HostError> {
        let mut ws = lock(&self.ws);
        ws.session_receive(&mut self.live, frame)
            .map_err(HostError::Core)?;
        // The device that signs the session must be the one whose key
        // the channel was set up with.
        match ws.session_peer(&self.live) {
            Some(p) if p.device != self.peer => Err(HostError::NotThePeer),
            _ => Ok(()),
        }
    }
    fn is_done(&mut self) -> bool {
        self.live.is_done()
    }
}

impl LanHost for Host {
    type Session = HostSession;
    type Error = HostError;
    fn identify(&self, agreement: &[u8; 32]) -> Option<String> {
        lock(&self.0).lan_device(agreement).ok().flatten()
    }
    fn open_session(&self, peer: &str) -> Result<HostSession, HostError> {
        let live = lock(&self.0).session_start().map_err(HostError::Core)?;
        Ok(HostSession {
            ws: self.0.clone(),
            live,
            peer: peer.to_string(),
        })
    }
}

/// One line of output per event (JSON Lines with `--json`).
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event {
    Listening {
        address: String,
    },
    Synced {
        peer: String,
        name: String,
        applied: usize,
        quarantined: usize,
        complete: bool,
    },
    Failed {
        peer: Option<String>,
        code: String,
        message: String,
    },
}

fn emit(ctx: &Ctx, e: &Event) -> Result<()> {
    if ctx.out.json {
        println!("{}", serde_json::to_string(e)?);
        return Ok(());
    }
    let (en, ru) = match e {
        Event::Listening { address } => (
            format!("Listening on {address}"),
            format!("Ожидание подключений на {address}"),
        ),
        Event::Synced {
            name,
            applied,
            quarantined,
            ..
        } => (
            format!("Synced with {name}: {applied} changes applied, {quarantined} quarantined"),
            format!(
                "Синхронизировано с {name}: применено изменений {applied}, в карантине {quarantined}"
            ),
        ),
        Event::Failed { code, message, .. } => (
            format!("A connection ended: error[{code}]: {message}"),
            format!("Соединение прервано: error[{code}]: {message}"),
        ),
    };
    ctx.out.say(&en, &ru)
}

pub fn sync_lan(ctx: &Ctx, opts: LanOptions) -> Result<()> {
    let ws = ctx.unlock()?;
    let creds = ws.lan_credentials()?;
    let shared: Shared = Arc::new(Mutex::new(ws));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let config = Arc::new(LanConfig {
        team_id: creds.team_id,
        key: Arc::new(StaticKey::from_bytes(*creds.static_secret)),
        me: creds.device.clone(),
        max_message: MAX_MESSAGE,
    });
    let (edits_tx, edits_rx) = watch::channel(0u64);
    let commands = opts
        .watch
        .then(|| stdin_commands(ctx, shared.clone(), edits_tx));
    let result = runtime.block_on(serve(
        ctx,
        &opts,
        Arc::new(Host(shared.clone())),
        config,
        DiscoveryKey::from_bytes(creds.discovery_key),
        opts.watch.then_some(edits_rx),
        commands,
    ));
    runtime.shutdown_timeout(Duration::from_secs(2));
    // The input's reader may still hold the workspace (it waits on a
    // line): then it ends with the process, which follows at once.
    if let Ok(ws) = Arc::try_unwrap(shared) {
        ws.into_inner().unwrap_or_else(|e| e.into_inner()).lock();
    }
    result
}

/// Reads caravan commands from standard input on a thread of its own;
/// the receiver resolves when the input ends.
fn stdin_commands(
    ctx: &Ctx,
    shared: Shared,
    edits: watch::Sender<u64>,
) -> tokio::sync::oneshot::Receiver<()> {
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let json = ctx.out.json;
    let lang = ctx.out.lang;
    let vault = ctx.vault.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            let text = line.trim();
            if !text.is_empty() {
                super::run_line(text, &vault, json, lang, &shared);
                edits.send_modify(|n| *n += 1);
            }
            line.clear();
        }
        let _ = done_tx.send(());
    });
    done_rx
}

async fn serve(
    ctx: &Ctx,
    opts: &LanOptions,
    host: Arc<Host>,
    config: Arc<LanConfig>,
    key: DiscoveryKey,
    live: Option<watch::Receiver<u64>>,
    commands: Option<tokio::sync::oneshot::Receiver<()>>,
) -> Result<()> {
    let listener = TcpListener::bind(opts.listen)
        .await
        .map_err(NetError::from)?;
    let address = listener.local_addr().map_err(NetError::from)?;
    emit(
        ctx,
        &Event::Listening {
            address: address.to_string(),
        },
    )?;
    let (_discovery, mut found) = if opts.discovery {
        let (d, rx) = Discovery::start(key, address.port(), now_ms)?;
        (Some(d), rx)
    } else {
        (None, tokio::sync::mpsc::unbounded_channel().1)
    };
    let sessions = Arc::new(Sessions::default());
    let mut tasks: JoinSet<Ended> = JoinSet::new();
    let spawn = |tasks: &mut JoinSet<_>, stream: TcpStream, dialled: bool| {
        let (host, config, sessions, live) =
            (host.clone(), config.clone(), sessions.clone(), live.clone());
        tasks.spawn(async move {
            lan::connection(stream, dialled, &config, &*host, &sessions, live).await
        });
    };
    let mut dialled = 0usize;
    for addr in &opts.connect {
        let stream = TcpStream::connect(addr).await.map_err(NetError::from)?;
        spawn(&mut tasks, stream, true);
        dialled += 1;
    }
    let mut commands = commands;
    let mut synced = 0usize;
    let deadline = tokio::time::sleep(opts.wait);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    spawn(&mut tasks, stream, false);
                }
            }
            Some(addr) = found.recv() => {
                if let Ok(stream) = TcpStream::connect(addr).await {
                    spawn(&mut tasks, stream, true);
                }
            }
            Some(joined) = tasks.join_next() => {
                let ok = finished(ctx, &host.0, joined)?;
                synced += usize::from(ok);
                if !opts.watch && tasks.is_empty() && (dialled > 0 || synced > 0) {
                    return Ok(());
                }
            }
            () = async { match commands.as_mut() { Some(c) => { let _ = c.await; } None => std::future::pending().await } } => {
                // The input ended: the watch is over.
                return Ok(());
            }
            () = &mut deadline, if !opts.watch => {
                return Err(CliError::new(
                    CliCode::Failure,
                    "No device of the team answered in time on this network.",
                )
                .into());
            }
        }
    }
}

/// Reports one connection's end; whether its session completed.
fn finished(ctx: &Ctx, ws: &Shared, joined: Result<Ended, tokio::task::JoinError>) -> Result<bool> {
    let failed = |code: &str, message: String| Event::Failed {
        peer: None,
        code: code.to_string(),
        message,
    };
    let event = match joined {
        Ok(Ok((peer, outcome, session))) => {
            let mut ws = lock(ws);
            let name = ws
                .session_peer(&session.live)
                .map(|p| p.name)
                .unwrap_or_default();
            let summary = ws.session_end(session.live)?;
            Event::Synced {
                peer,
                name,
                applied: summary.applied,
                quarantined: summary.quarantined.len(),
                complete: outcome.complete,
            }
        }
        // The other connection with the same device runs the session.
        Ok(Err(LanError::Duplicate)) => return Ok(false),
        Ok(Err(LanError::Net(e))) => failed(e.code(), e.to_string()),
        Ok(Err(LanError::Host(HostError::Core(e)))) => failed(e.code(), e.to_string()),
        Ok(Err(LanError::Host(HostError::NotThePeer))) => failed(
            NetError::UnknownPeer.code(),
            NetError::UnknownPeer.to_string(),
        ),
        Err(e) => failed("cli.failure", e.to_string()),
    };
    let ok = matches!(event, Event::Synced { complete: true, .. });
    emit(ctx, &event)?;
    Ok(ok)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
