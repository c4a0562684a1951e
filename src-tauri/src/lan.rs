//! LAN sync in the app: caravan-net's service on the workspace the window
//! works on, live (edits are pushed to connected devices at once), its
//! status kept from the service's events, and the window told of every
//! change (`caravan://lan`).
//!
//! A start runs the service that listens (and discovers); each address the
//! person types runs one more service that dials only it, so a typed
//! address that does not answer ends only its own run, never the
//! sessions already open. Every run of a start stops together: on
//! `stop`, on a new start, and when the vault is locked.

pub mod book;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use caravan_core::Workspace;
use caravan_net::lan::service::{self, LanEvent, LanOptions, LanServiceError, WorkspaceAccess};
use tokio::sync::{mpsc, oneshot, watch};

use crate::dto::{ErrorDto, LanStartRequest, LanStatusDto};
use crate::state::{AppState, CmdResult, invalid, locked};
use book::{Book, Origin};

/// The event the window receives with the whole status on every change.
pub const LAN_EVENT: &str = "caravan://lan";

/// Tells the window the status changed.
pub type Notify = Arc<dyn Fn(&LanStatusDto) + Send + Sync>;

impl WorkspaceAccess for AppState {
    fn with<R>(&self, f: impl FnOnce(&mut Workspace) -> R) -> Option<R> {
        // Not `Shared::with`: traffic from other devices is not the
        // person's activity, so it never holds off the auto-lock.
        let mut guard = self.workspace.lock().ok()?;
        guard.as_mut().map(f)
    }
}

/// The app's LAN sync: one start at a time.
pub struct Lan {
    book: Arc<Mutex<Book>>,
    /// Counts the commands that reached the workspace; each change makes
    /// the live sessions look for edits to push.
    edits: watch::Sender<u64>,
    running: Mutex<Option<Run>>,
}

impl Default for Lan {
    fn default() -> Self {
        Lan {
            book: Arc::default(),
            edits: watch::channel(0).0,
            running: Mutex::new(None),
        }
    }
}

impl Lan {
    /// Starts LAN sync (stopping a start already running), and answers
    /// once it listens, or with why it could not (locked, no team, the port
    /// is taken, an address is not `ip:port`).
    pub async fn start(
        &self,
        app: &AppState,
        req: LanStartRequest,
        notify: Notify,
    ) -> CmdResult<LanStatusDto> {
        let connect = req
            .connect
            .iter()
            .map(|a| parse_address(a))
            .collect::<CmdResult<Vec<_>>>()?;
        self.stop();
        let generation = {
            let mut book = self.book();
            book.generation += 1;
            book.status = LanStatusDto {
                running: true,
                discovery: req.discovery,
                ..LanStatusDto::default()
            };
            book.generation
        };
        let run = Run {
            app: app.clone(),
            book: self.book.clone(),
            notify,
            generation,
            stop: Arc::new(watch::channel(false).0),
            edits: self.edits.subscribe(),
        };
        *self.running() = Some(run.clone());
        let (started_tx, started_rx) = oneshot::channel();
        let listen = SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), req.port.unwrap_or(0));
        tauri::async_runtime::spawn(run.clone().main(listen, req.discovery, started_tx));
        for address in connect {
            tauri::async_runtime::spawn(run.clone().dial(address));
        }
        match started_rx.await {
            Ok(Err(e)) => {
                let mut running = self.running();
                if running.as_ref().is_some_and(|r| r.generation == generation) {
                    *running = None;
                }
                Err(e)
            }
            // Listening, or stopped before it was (a later start or lock).
            _ => Ok(self.status()),
        }
    }

    /// Dials one more address while LAN sync runs.
    pub fn connect(&self, address: &str) -> CmdResult<LanStatusDto> {
        let address = parse_address(address)?;
        // A start whose listening run ended by itself has stopped too.
        let run = self
            .running()
            .clone()
            .filter(|r| !*r.stop.borrow())
            .ok_or_else(stopped)?;
        run.update(|b| b.dialling(&address.to_string()));
        tauri::async_runtime::spawn(run.dial(address));
        Ok(self.status())
    }

    /// Stops every run of the current start. The devices synced with stay
    /// listed, with when they last were.
    pub fn stop(&self) {
        let Some(run) = self.running().take() else {
            return;
        };
        run.stop.send_replace(true);
        run.update(|b| {
            b.status.running = false;
            b.status.listening = None;
            b.status.addresses.clear();
            b.status.peers.retain(|p| p.last_sync_ms.is_some());
            for p in &mut b.status.peers {
                p.state = crate::dto::LanPeerState::Synced;
            }
        });
        // Whatever the stopped runs still report belongs to no start.
        self.book().generation += 1;
    }

    pub fn status(&self) -> LanStatusDto {
        self.book().status.clone()
    }

    /// Changes with each command that reached the workspace (relay watches
    /// look for edits to send too).
    pub fn edits(&self) -> watch::Receiver<u64> {
        self.edits.subscribe()
    }

    /// A command reached the workspace: live sessions look for edits to
    /// push (one that finds none sends nothing).
    pub fn edited(&self) {
        self.edits.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn running(&self) -> MutexGuard<'_, Option<Run>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One start: what each of its service runs shares.
#[derive(Clone)]
struct Run {
    app: AppState,
    book: Arc<Mutex<Book>>,
    notify: Notify,
    generation: u64,
    /// Set once: every run of this start stops.
    stop: Arc<watch::Sender<bool>>,
    edits: watch::Receiver<u64>,
}

impl Run {
    /// Changes the status (if it is still this start's) and tells the
    /// window.
    fn update(&self, f: impl FnOnce(&mut Book)) {
        let status = {
            let mut book = self.book.lock().unwrap_or_else(PoisonError::into_inner);
            if book.generation != self.generation {
                return;
            }
            f(&mut book);
            book.status.clone()
        };
        (self.notify)(&status);
    }

    fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stop = self.stop.subscribe();
        async move {
            // A closed channel stops too.
            let _ = stop.wait_for(|s| *s).await;
        }
    }

    /// The run that listens (and discovers). When discovery cannot start
    /// here, it listens on without it: devices are reached by address.
    async fn main(
        self,
        listen: SocketAddr,
        discovery: bool,
        started: oneshot::Sender<CmdResult<()>>,
    ) {
        let mut started = Some(started);
        let opts = |discovery| LanOptions {
            listen,
            connect: Vec::new(),
            discovery,
            live: true,
        };
        let mut result = self
            .service(Origin::Main, opts(discovery), &mut started)
            .await;
        // It listened before it failed: discovery is what failed.
        if discovery && started.is_none() && matches!(result, Err(LanServiceError::Net(_))) {
            tracing::info!("LAN discovery could not start; listening for devices that dial");
            self.update(|b| b.status.discovery_failed = true);
            result = self.service(Origin::Main, opts(false), &mut started).await;
        }
        let error = result.err().map(service_error);
        if let (Some(tx), Some(e)) = (started.take(), &error) {
            let _ = tx.send(Err(e.clone()));
        }
        // The typed addresses' runs end with this one.
        self.stop.send_replace(true);
        self.update(|b| {
            b.status.running = false;
            b.status.listening = None;
            b.status.addresses.clear();
            if let Some(e) = error {
                b.status.last_error_code = Some(e.code);
            }
        });
    }

    /// A run that dials `address` only.
    async fn dial(self, address: SocketAddr) {
        let text = address.to_string();
        let opts = LanOptions {
            // The service always listens; this run's listener is for no one.
            listen: SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0),
            connect: vec![address],
            discovery: false,
            live: true,
        };
        let origin = Origin::Dial(text.clone());
        if let Err(e) = self.service(origin, opts, &mut None).await {
            let code = service_error(e).code;
            self.update(|b| b.dial_failed(&text, &code));
        }
    }

    /// Runs the service until it ends or this start stops, keeping the
    /// status from its events; tells `started` once it listens.
    async fn service(
        &self,
        origin: Origin,
        opts: LanOptions,
        started: &mut Option<oneshot::Sender<CmdResult<()>>>,
    ) -> Result<(), LanServiceError> {
        let (tx, mut events) = mpsc::unbounded_channel();
        let stopped = self.stopped();
        let run = service::run(self.app.clone(), opts, self.edits.clone(), tx, stopped);
        tokio::pin!(run);
        // Also here: a dial the system has not given up on yet is not
        // inside the service's own wait for the stop.
        let stopped = self.stopped();
        tokio::pin!(stopped);
        let result = loop {
            tokio::select! {
                r = &mut run => break r,
                () = &mut stopped => break Ok(()),
                Some(e) = events.recv() => {
                    if matches!(e, LanEvent::Listening { .. })
                        && let Some(tx) = started.take()
                    {
                        let _ = tx.send(Ok(()));
                    }
                    self.update(|b| b.apply(&origin, e));
                }
            }
        };
        while let Ok(e) = events.try_recv() {
            self.update(|b| b.apply(&origin, e));
        }
        result
    }
}

/// `ip:port` (IPv6 in brackets).
fn parse_address(text: &str) -> CmdResult<SocketAddr> {
    text.trim().parse().map_err(|_| {
        invalid(
            "address",
            "is not an address and port (such as 192.168.1.20:4700)",
        )
    })
}

/// `lan_connect` while LAN sync is not running.
pub fn stopped() -> ErrorDto {
    ErrorDto {
        code: crate::codes::LAN_STOPPED.into(),
        message: "LAN sync is not running; start it first.".into(),
        kind: "rejected".into(),
    }
}

fn service_error(e: LanServiceError) -> ErrorDto {
    match e {
        LanServiceError::Core(e) => e.into(),
        LanServiceError::Locked => locked(),
        LanServiceError::Net(e) => e.into(),
    }
}
