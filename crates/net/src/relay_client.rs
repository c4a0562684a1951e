//! A device's connection to a relay (docs/formats/relay.md): a WebSocket
//! to `/v1/connect`, the `NK` Noise handshake against the relay's pinned
//! key, then the relay messages. One request at a time; `Notify` messages
//! that arrive while a request waits are kept for [`RelayClient::next_notify`].

use std::collections::VecDeque;

use caravan_sync::DeviceKeys;
use caravan_sync::relay_auth::RelayAuth;
use caravan_sync::roster::SignedRoster;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::{NetError, RelayCode};
use crate::noise::{MAX_NOISE_MESSAGE, MessageSink, MessageSource, NoiseReceiver, NoiseSender};
use crate::relay_proto::{ClientMsg, DEFAULT_MAX_ENVELOPE, Envelope, RelayMsg, auth_message};
use crate::tls::RelayTls;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The sending half of a client WebSocket, as a message pipe.
pub struct WsSink(SplitSink<Ws, Message>);
/// The receiving half of a client WebSocket, as a message pipe.
pub struct WsSource(SplitStream<Ws>);

/// A failure on an open connection: a TLS record that does not decrypt is
/// a damaged message, as a Noise one is.
fn ws_err(e: tokio_tungstenite::tungstenite::Error) -> NetError {
    use tokio_tungstenite::tungstenite::Error;
    match e {
        Error::ConnectionClosed | Error::AlreadyClosed => NetError::Closed,
        Error::Io(e) if crate::tls::rustls_error(&e).is_some() => NetError::Damaged,
        Error::Io(e) => NetError::from(e),
        other => NetError::Io(other.to_string()),
    }
}

/// A failure while connecting: TLS's are told apart (see `tls::refusal`).
fn connect_err(e: tokio_tungstenite::tungstenite::Error) -> NetError {
    use tokio_tungstenite::tungstenite::Error;
    match e {
        Error::Io(e) => match crate::tls::rustls_error(&e) {
            Some(tls) => crate::tls::refusal(tls),
            None => NetError::from(e),
        },
        Error::Tls(e) => NetError::Tls(e.to_string()),
        other => ws_err(other),
    }
}

/// How long connecting may take, TLS, WebSocket and Noise handshakes
/// included: a network that takes the connection and then says nothing
/// (a captive portal, a stalled proxy) must not hold a sync for ever.
pub const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A `ws://` address needs no TLS (nor `CARAVAN_RELAY_CA` to be readable).
fn plain(url: &str) -> bool {
    url.get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("ws://"))
}

impl MessageSink for WsSink {
    async fn send(&mut self, msg: Vec<u8>) -> Result<(), NetError> {
        self.0
            .send(Message::Binary(msg.into()))
            .await
            .map_err(ws_err)
    }
}

impl MessageSource for WsSource {
    async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        loop {
            let frame = match self.0.next().await {
                None | Some(Ok(Message::Close(_))) => WsFrame::Closed,
                Some(Ok(Message::Binary(b))) => WsFrame::Binary(b.to_vec()),
                Some(Ok(Message::Text(_))) => WsFrame::Text,
                // Pings are answered by tungstenite itself.
                Some(Ok(_)) => WsFrame::Control,
                Some(Err(e)) => return Err(ws_err(e)),
            };
            if let Some(out) = frame.into_message() {
                return out;
            }
        }
    }
}

/// A WebSocket frame as the relay channel sees it, whichever WebSocket
/// library carried it (the client's and the relay's differ).
#[derive(Debug)]
pub enum WsFrame {
    Binary(Vec<u8>),
    Text,
    Control,
    Closed,
}

impl WsFrame {
    /// What the message pipe returns for the frame: a binary message of
    /// at most a Noise message, the end, or an error; `None` for a control
    /// frame (read on).
    pub fn into_message(self) -> Option<Result<Option<Vec<u8>>, NetError>> {
        match self {
            WsFrame::Closed => Some(Ok(None)),
            WsFrame::Binary(b) if b.len() <= MAX_NOISE_MESSAGE => Some(Ok(Some(b))),
            WsFrame::Binary(b) => Some(Err(NetError::TooLarge {
                len: b.len(),
                max: MAX_NOISE_MESSAGE,
            })),
            WsFrame::Text => Some(Err(NetError::Malformed(
                "a text message on the relay channel".into(),
            ))),
            WsFrame::Control => None,
        }
    }
}

/// The relay's endpoint under `url`: `ws://host:port` gets `/v1/connect`.
pub fn endpoint(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    if trimmed.ends_with("/v1/connect") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/v1/connect")
    }
}

pub struct RelayClient {
    sender: NoiseSender<WsSink>,
    receiver: NoiseReceiver<WsSource>,
    handshake_hash: [u8; 32],
    nonce: [u8; 32],
    notifies: VecDeque<u64>,
    next_id: u64,
    cursor: u64,
    roster_version: u64,
}

impl std::fmt::Debug for RelayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayClient").finish_non_exhaustive()
    }
}

impl RelayClient {
    /// Connects and runs the handshake, without authenticating: what
    /// registering a team's first roster needs.
    pub async fn open(url: &str, relay_public: [u8; 32]) -> Result<RelayClient, NetError> {
        Self::open_with(url, relay_public, DEFAULT_MAX_ENVELOPE).await
    }

    /// As [`RelayClient::open`], accepting fetched envelopes of up to
    /// `max_envelope` bytes.
    pub async fn open_with(
        url: &str,
        relay_public: [u8; 32],
        max_envelope: usize,
    ) -> Result<RelayClient, NetError> {
        let tls = if plain(url) {
            None
        } else {
            Some(RelayTls::from_env()?)
        };
        Self::dial(
            url,
            relay_public,
            max_envelope,
            tls.as_ref(),
            CONNECT_TIMEOUT,
        )
        .await
    }

    /// As [`RelayClient::open_with`], checking a `wss://` relay's
    /// certificate against `tls`, giving up after `timeout`.
    pub async fn open_tls(
        url: &str,
        relay_public: [u8; 32],
        max_envelope: usize,
        tls: &RelayTls,
        timeout: std::time::Duration,
    ) -> Result<RelayClient, NetError> {
        Self::dial(url, relay_public, max_envelope, Some(tls), timeout).await
    }

    async fn dial(
        url: &str,
        relay_public: [u8; 32],
        max_envelope: usize,
        tls: Option<&RelayTls>,
        timeout: std::time::Duration,
    ) -> Result<RelayClient, NetError> {
        let opening = Self::handshake(url, relay_public, max_envelope, tls);
        tokio::time::timeout(timeout, opening)
            .await
            .map_err(|_| NetError::Timeout)?
    }

    async fn handshake(
        url: &str,
        relay_public: [u8; 32],
        max_envelope: usize,
        tls: Option<&RelayTls>,
    ) -> Result<RelayClient, NetError> {
        let (ws, _) = tokio_tungstenite::connect_async_tls_with_config(
            endpoint(url),
            None,
            false,
            tls.map(RelayTls::connector),
        )
        .await
        .map_err(connect_err)?;
        let (sink, source) = ws.split();
        // A fetch page holds up to 16 MiB of bodies, or one larger body.
        let max =
            crate::relay_proto::max_message(max_envelope.max(crate::relay_proto::MAX_FETCH_BYTES));
        let ch = crate::noise::relay_initiator(WsSink(sink), WsSource(source), &relay_public, max)
            .await?;
        let mut client = RelayClient {
            sender: ch.sender,
            receiver: ch.receiver,
            handshake_hash: ch.handshake_hash,
            nonce: [0; 32],
            notifies: VecDeque::new(),
            next_id: 1,
            cursor: 0,
            roster_version: 0,
        };
        match client.recv().await? {
            RelayMsg::Challenge { nonce } => client.nonce = nonce,
            other => return Err(unexpected(&other)),
        }
        Ok(client)
    }

    /// Connects and authenticates `device` as a device of team `team_id`.
    pub async fn connect(
        url: &str,
        relay_public: [u8; 32],
        team_id: [u8; 16],
        device: &DeviceKeys,
    ) -> Result<RelayClient, NetError> {
        let mut client = Self::open(url, relay_public).await?;
        client.authenticate(team_id, device).await?;
        Ok(client)
    }

    /// Signs the channel's challenge; returns the device's cursor.
    pub async fn authenticate(
        &mut self,
        team_id: [u8; 16],
        device: &DeviceKeys,
    ) -> Result<u64, NetError> {
        let signature = device.sign(&auth_message(&self.handshake_hash, &self.nonce, &team_id));
        self.authenticate_signed(RelayAuth {
            team_id,
            device: device.id().0,
            signature,
        })
        .await
    }

    /// The channel's handshake hash and the relay's challenge, for a
    /// device whose keys stay in its workspace to sign
    /// (`Replica::relay_auth`).
    pub fn challenge(&self) -> ([u8; 32], [u8; 32]) {
        (self.handshake_hash, self.nonce)
    }

    /// Authenticates with an answer signed elsewhere; returns the
    /// device's cursor.
    pub async fn authenticate_signed(&mut self, auth: RelayAuth) -> Result<u64, NetError> {
        let msg = ClientMsg::Auth {
            team_id: auth.team_id,
            device: auth.device,
            signature: auth.signature,
        };
        match self.request(&msg).await? {
            RelayMsg::AuthOk {
                cursor,
                roster_version,
            } => {
                self.cursor = cursor;
                self.roster_version = roster_version;
                Ok(cursor)
            }
            other => Err(unexpected(&other)),
        }
    }

    /// The highest sequence number this device acknowledged, as the relay
    /// said when it authenticated.
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    pub fn roster_version(&self) -> u64 {
        self.roster_version
    }

    /// Registers a team's roster, or replaces it; returns its version.
    pub async fn register(&mut self, roster: SignedRoster) -> Result<u64, NetError> {
        match self.request(&ClientMsg::Register { roster }).await? {
            RelayMsg::RosterOk { version } => Ok(version),
            other => Err(unexpected(&other)),
        }
    }

    /// Uploads an envelope for `to` (member ids); returns its sequence
    /// number once the relay has committed it.
    pub async fn upload(&mut self, to: Vec<String>, body: Vec<u8>) -> Result<u64, NetError> {
        let id = self.next_id;
        self.next_id += 1;
        match self.request(&ClientMsg::Upload { id, to, body }).await? {
            RelayMsg::Stored { id: got, seq } if got == id => Ok(seq),
            other => Err(unexpected(&other)),
        }
    }

    /// Envelopes for this device after `after`, oldest first; and whether
    /// more are waiting.
    pub async fn fetch(
        &mut self,
        after: u64,
        limit: u32,
    ) -> Result<(Vec<Envelope>, bool), NetError> {
        match self.request(&ClientMsg::Fetch { after, limit }).await? {
            RelayMsg::Envelopes { items, more } => Ok((items, more)),
            other => Err(unexpected(&other)),
        }
    }

    /// Tells the relay this device holds everything up to `seq`. The
    /// relay does not answer.
    pub async fn ack(&mut self, seq: u64) -> Result<(), NetError> {
        self.send(&ClientMsg::Ack { seq }).await
    }

    /// Asks for `Notify` messages from now on. Returns once the relay has
    /// taken the subscription (a round trip after it: the relay handles a
    /// connection's messages in order), so an envelope appended after this
    /// returns is announced — without it, one appended at once could come
    /// before the relay read the subscription, and go unannounced.
    pub async fn subscribe(&mut self) -> Result<(), NetError> {
        self.send(&ClientMsg::Subscribe).await?;
        self.ping().await
    }

    /// Waits for the next `Notify`; returns the sequence number it names.
    pub async fn next_notify(&mut self) -> Result<u64, NetError> {
        if let Some(seq) = self.notifies.pop_front() {
            return Ok(seq);
        }
        match self.recv_raw().await? {
            RelayMsg::Notify { seq } => Ok(seq),
            other => Err(unexpected(&other)),
        }
    }

    /// A round trip: shows the connection is alive.
    pub async fn ping(&mut self) -> Result<(), NetError> {
        let id = self.next_id;
        self.next_id += 1;
        match self.request(&ClientMsg::Ping { id }).await? {
            RelayMsg::Pong { id: got } if got == id => Ok(()),
            other => Err(unexpected(&other)),
        }
    }

    /// Sends any bytes as one application message (for tests of a relay's
    /// handling of malformed input), then returns the relay's answer.
    pub async fn send_raw(&mut self, bytes: &[u8]) -> Result<RelayMsg, NetError> {
        self.sender.send(bytes).await?;
        self.recv().await
    }

    pub async fn close(self) {
        // Dropping both halves closes the WebSocket; nothing is pending.
        drop(self);
    }

    async fn send(&mut self, msg: &ClientMsg) -> Result<(), NetError> {
        self.sender.send(&msg.encode()).await
    }

    async fn request(&mut self, msg: &ClientMsg) -> Result<RelayMsg, NetError> {
        self.send(msg).await?;
        self.recv().await
    }

    /// The next message that is not a `Notify` (those are kept); a relay
    /// error becomes [`NetError::Relay`].
    async fn recv(&mut self) -> Result<RelayMsg, NetError> {
        // Bounded: a relay may notify at most once per envelope, and the
        // queue is drained by `next_notify`.
        loop {
            match self.recv_raw().await? {
                RelayMsg::Notify { seq } => {
                    if self.notifies.len() < 10_000 {
                        self.notifies.push_back(seq);
                    }
                }
                other => return Ok(other),
            }
        }
    }

    async fn recv_raw(&mut self) -> Result<RelayMsg, NetError> {
        let bytes = self.receiver.recv().await?.ok_or(NetError::Closed)?;
        match RelayMsg::decode(&bytes)? {
            RelayMsg::Error { code, message, .. } => Err(NetError::Relay {
                code: RelayCode::parse(&code),
                message: shown(&message),
            }),
            other => Ok(other),
        }
    }
}

fn unexpected(msg: &RelayMsg) -> NetError {
    NetError::Malformed(format!("the relay answered with an unexpected {msg:?}"))
}

/// A relay's error text as this device shows it: one line of at most 200
/// printable characters (the relay is not trusted with what a person
/// reads; front ends translate the code and show this only as a detail).
fn shown(message: &str) -> String {
    message
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

#[cfg(test)]
mod shown_tests {
    #[test]
    fn a_relays_error_text_is_one_short_printable_line() {
        let long = format!("bad\n\u{1b}[31m{}", "x".repeat(500));
        let s = super::shown(&long);
        assert!(s.chars().count() <= 200);
        assert!(!s.chars().any(char::is_control));
        assert!(s.starts_with("bad[31m"));
    }
}
