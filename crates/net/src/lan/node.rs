//! One LAN connection from TCP to the end of its session, and the rule
//! that keeps one session per pair of devices when both dial.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::net::TcpStream;
use tokio::sync::{Notify, watch};

use super::drive::{self, DriveError, Outcome, SessionHost};
use crate::error::NetError;
use crate::noise::{self, StaticKey};
use crate::pipe;

/// What the application gives the LAN: who is who in the team, and a
/// session with a given peer.
pub trait LanHost: Send + Sync {
    type Session: SessionHost<Error = Self::Error> + Send;
    type Error: Send;
    /// The active team device (hex id) whose X25519 agreement key this is.
    fn identify(&self, agreement: &[u8; 32]) -> Option<String>;
    /// The agreement keys of the team's other active devices now: who may
    /// dial this device with a `KK` handshake (read for each connection,
    /// so a device enrolled or revoked since the start counts).
    fn peers(&self) -> Vec<[u8; 32]>;
    /// A session with device `peer`, which must turn out to be the
    /// device the session's own Hello names.
    fn open_session(&self, peer: &str) -> Result<Self::Session, Self::Error>;
}

/// This device on the LAN.
pub struct LanConfig {
    pub team_id: [u8; 16],
    /// This device's X25519 agreement key.
    pub key: Arc<StaticKey>,
    /// This device's id (hex).
    pub me: String,
    /// The largest session frame taken, plus one byte of kind.
    pub max_message: usize,
}

/// Which end of a connection this device is.
#[derive(Debug, Clone, Copy)]
pub enum End {
    /// It dialled: an address given by hand (`None`), or a team device
    /// found by its advert, with that device's agreement key.
    Dialled(Option<[u8; 32]>),
    Accepted,
}

/// The sessions running, one per peer device. When both devices dial at
/// once, both connections reach the same verdict: the one whose dialling
/// device has the lower id stays, the other ends.
#[derive(Default)]
pub struct Sessions {
    running: Mutex<HashMap<String, (String, Arc<Notify>)>>,
}

impl Sessions {
    /// Claims the session with `peer` for a connection dialled by
    /// `dialler`. `None`: a connection that wins the rule runs already.
    fn claim(&self, peer: &str, dialler: &str) -> Option<Arc<Notify>> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((other, stop)) = running.get(peer) {
            if other.as_str() <= dialler {
                return None;
            }
            stop.notify_one();
        }
        let stop = Arc::new(Notify::new());
        running.insert(peer.to_string(), (dialler.to_string(), stop.clone()));
        Some(stop)
    }

    fn release(&self, peer: &str, stop: &Arc<Notify>) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if running.get(peer).is_some_and(|(_, s)| Arc::ptr_eq(s, stop)) {
            running.remove(peer);
        }
    }

    /// Whether a session with `peer` runs now.
    pub fn is_running(&self, peer: &str) -> bool {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.contains_key(peer)
    }
}

/// Why a LAN connection ended before its session did.
#[derive(Debug)]
pub enum LanError<E> {
    Net(NetError),
    Host(E),
    /// Another connection with the same device runs the session.
    Duplicate,
}

impl<E> From<DriveError<E>> for LanError<E> {
    fn from(e: DriveError<E>) -> Self {
        match e {
            DriveError::Net(n) => LanError::Net(n),
            DriveError::Host(h) => LanError::Host(h),
        }
    }
}

impl<E> From<NetError> for LanError<E> {
    fn from(e: NetError) -> Self {
        LanError::Net(e)
    }
}

/// Runs one connection: the Noise handshake (this device's agreement key;
/// `KK` with a device found by its advert, `XX` with an address given by
/// hand), the peer looked up among the team's active devices,
/// then its session (`live`: kept open for edits, see `drive::run`).
/// Returns the peer's id, how its session ended, and the session (for the
/// host to close: what it received is saved already).
pub async fn connection<H: LanHost>(
    stream: TcpStream,
    end: End,
    config: &LanConfig,
    host: &H,
    sessions: &Sessions,
    live: Option<watch::Receiver<u64>>,
) -> Result<(String, Outcome, H::Session), LanError<H::Error>> {
    let _ = stream.set_nodelay(true);
    let (sink, source) = pipe::tcp(stream);
    let handshake = async {
        match &end {
            End::Dialled(known) => {
                let dial = known
                    .as_ref()
                    .map_or(noise::LanDial::FirstContact, noise::LanDial::KnownPeer);
                noise::lan_dial(
                    sink,
                    source,
                    &config.team_id,
                    &config.key,
                    dial,
                    config.max_message,
                )
                .await
            }
            End::Accepted => {
                noise::lan_answer(
                    sink,
                    source,
                    &config.team_id,
                    &config.key,
                    &host.peers(),
                    config.max_message,
                )
                .await
            }
        }
    };
    let mut channel = tokio::time::timeout(std::time::Duration::from_secs(20), handshake)
        .await
        .map_err(|_| NetError::Timeout)??;
    let dialled = matches!(end, End::Dialled(_));
    let peer = channel
        .remote_static
        .and_then(|k| host.identify(&k))
        .filter(|p| *p != config.me)
        .ok_or(NetError::UnknownPeer)?;
    let dialler = if dialled { &config.me } else { &peer };
    let Some(stop) = sessions.claim(&peer, dialler) else {
        return Err(LanError::Duplicate);
    };
    let result = async {
        let mut session = host.open_session(&peer).map_err(LanError::Host)?;
        let mut live = live;
        tokio::select! {
            r = drive::run(&mut session, &mut channel.sender, &mut channel.receiver, live.as_mut()) => {
                Ok((r?, session))
            }
            () = stop.notified() => Err(LanError::Duplicate),
        }
    }
    .await;
    sessions.release(&peer, &stop);
    result.map(|(o, session)| (peer, o, session))
}
