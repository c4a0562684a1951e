//! The HTTP server: the WebSocket at `/v1/connect`, `/health` and
//! `/metrics`; the periodic sweep; and shutdown that stops accepting,
//! lets each connection finish the request in hand, then closes it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Json, Router};
use caravan_net::noise::{MAX_NOISE_MESSAGE, StaticKey};
use caravan_net::relay_proto::{MAX_FETCH_BYTES, max_message};
use caravan_sync::roster::MAX_BODY;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use crate::Config;
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::rosters::Rosters;
use crate::store::Store;

/// What every connection shares.
pub(crate) struct Shared {
    pub store: Arc<dyn Store>,
    pub hub: Arc<Hub>,
    pub key: StaticKey,
    pub config: Config,
    pub metrics: Metrics,
    pub shutdown: watch::Receiver<bool>,
    pub live: Live,
    pub rosters: Arc<Rosters>,
    /// Connections not yet authenticated, at most: each may hold a few
    /// rosters' worth of bytes for up to a minute, so their number is
    /// what bounds that memory.
    pub preauth: Arc<tokio::sync::Semaphore>,
}

/// Connections that have not authenticated yet, at most, at once.
pub(crate) const MAX_PREAUTH: usize = 64;

impl Shared {
    /// The largest application message taken: an upload of the largest
    /// envelope, or the largest roster.
    pub fn max_message(&self) -> usize {
        max_message(self.config.max_envelope.max(MAX_FETCH_BYTES)).max(MAX_BODY + 1024)
    }
}

/// Counts live connections, so shutdown can wait for them.
#[derive(Default)]
pub(crate) struct Live {
    count: AtomicUsize,
    zero: Notify,
}

pub(crate) struct LiveGuard<'a>(&'a Live);

impl Live {
    pub fn enter(&self) -> LiveGuard<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        LiveGuard(self)
    }
}

impl Drop for LiveGuard<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.zero.notify_waiters();
        }
    }
}

/// A relay serving on a listener.
pub struct Running {
    pub addr: SocketAddr,
    pub public_key: [u8; 32],
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets connections finish their request in hand and
    /// closes them (waiting at most `grace`).
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(grace, self.task).await;
    }
}

/// Starts a relay on `listener` with `store`.
pub async fn start(
    store: Arc<dyn Store>,
    config: Config,
    listener: TcpListener,
) -> Result<Running, crate::StartError> {
    let fresh = StaticKey::generate().map_err(|e| crate::StartError::Key(e.to_string()))?;
    let secret = store.relay_secret(*fresh.to_bytes()).await?;
    let key = StaticKey::from_bytes(*secret);
    let public_key = key.public();
    let rosters = Arc::new(Rosters::default());
    // A store without announcements sees every append pass through here.
    let hub = Arc::new(Hub::new(rosters.clone(), !store.announces()));
    store.listen(hub.clone());
    let (stop, shutdown) = watch::channel(false);
    let shared = Arc::new(Shared {
        store,
        hub,
        key,
        config,
        metrics: Metrics::default(),
        shutdown: shutdown.clone(),
        live: Live::default(),
        preauth: Arc::new(tokio::sync::Semaphore::new(MAX_PREAUTH)),
        rosters,
    });
    let addr = listener
        .local_addr()
        .map_err(|e| crate::StartError::Listen(e.to_string()))?;
    let app = Router::new()
        .route("/v1/connect", get(connect))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .with_state(shared.clone());
    let sweeper = tokio::spawn(sweep_loop(shared.clone()));
    let task = tokio::spawn(async move {
        let mut signal = shutdown.clone();
        let served = axum::serve(listener.tap_io(tune), app)
            .with_graceful_shutdown(async move {
                let _ = signal.wait_for(|stop| *stop).await;
            })
            .await;
        if let Err(e) = served {
            warn!(error = %e, "the server stopped");
        }
        sweeper.abort();
        wait_for_connections(&shared.live).await;
    });
    Ok(Running {
        addr,
        public_key,
        stop,
        task,
    })
}

/// Devices hold connections open for hours waiting for `Notify`; one whose
/// network vanished without closing would hold its memory for ever. TCP
/// keepalive ends such a connection within about two minutes.
///
/// No Nagle: the relay answers a handshake with two small messages in a
/// row (the Noise reply, then the challenge), and Nagle holds the second
/// until the first is acknowledged — up to the peer's delayed ACK (40 ms on
/// Linux) per connection.
fn tune(tcp: &mut tokio::net::TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        warn!(error = %e, "TCP_NODELAY could not be set");
    }
    let probe = socket2::TcpKeepalive::new()
        .with_time(Duration::from_secs(60))
        .with_interval(Duration::from_secs(10));
    if let Err(e) = socket2::SockRef::from(&*tcp).set_tcp_keepalive(&probe) {
        warn!(error = %e, "TCP keepalive could not be set");
    }
}

async fn wait_for_connections(live: &Live) {
    // Bounded by the caller's grace period.
    loop {
        let zero = live.zero.notified();
        if live.count.load(Ordering::SeqCst) == 0 {
            return;
        }
        zero.await;
    }
}

async fn connect(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    if *shared.shutdown.borrow() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    // Small buffers: an idle connection costs a few KiB, not the 128 KiB
    // tungstenite reserves by default (they grow while a message passes).
    ws.max_message_size(MAX_NOISE_MESSAGE + 64)
        .max_frame_size(MAX_NOISE_MESSAGE + 64)
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(4 * MAX_NOISE_MESSAGE)
        .on_upgrade(move |socket| async move {
            shared.metrics.connected();
            crate::conn::serve(shared.clone(), socket).await;
            shared.metrics.disconnected();
        })
}

async fn health(State(shared): State<Arc<Shared>>) -> Response {
    let storage = shared.store.ping().await.is_ok();
    let body = Json(serde_json::json!({
        "status": if storage { "ok" } else { "degraded" },
        "storage": storage,
        "connections": shared.metrics.connections(),
    }));
    let status = if storage {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, body).into_response()
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let teams = shared.store.stats().await.unwrap_or_default();
    (
        [("content-type", "text/plain; version=0.0.4")],
        shared.metrics.render(&teams),
    )
        .into_response()
}

async fn sweep_loop(shared: Arc<Shared>) {
    let mut tick = tokio::time::interval(shared.config.sweep_every);
    loop {
        tick.tick().await;
        match shared
            .store
            .sweep(crate::session::now_ms(), shared.config.retention_ms)
            .await
        {
            Ok(0) => {}
            Ok(n) => info!(deleted = n, "swept envelopes"),
            Err(e) => warn!(error = %e, "the sweep failed"),
        }
    }
}
