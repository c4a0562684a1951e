//! The Noise channel every connection runs in (docs/formats/relay.md, "The
//! Noise channel"): a handshake over a message pipe, then application
//! messages of any length cut into Noise transport messages.
//!
//! The two halves of a channel are independent, so one task can send
//! while another receives: each holds the shared cipher state and its own
//! nonce (Noise's nonces are per direction).

use std::future::Future;
use std::sync::Arc;

use snow::{Builder, HandshakeState, StatelessTransportState};
use zeroize::Zeroizing;

use crate::error::NetError;

/// The largest Noise message (Noise's own limit).
pub const MAX_NOISE_MESSAGE: usize = 65_535;
/// Plaintext carried by one transport message (the rest is the tag).
const CHUNK: usize = MAX_NOISE_MESSAGE - 16;

const RELAY_PATTERN: &str = "Noise_NK_25519_ChaChaPoly_BLAKE2s";
const LAN_FIRST_CONTACT: &str = "Noise_XX_25519_ChaChaPoly_BLAKE2s";
const LAN_KNOWN_PEER: &str = "Noise_KK_25519_ChaChaPoly_BLAKE2s";
/// The byte before a LAN dialler's first handshake message: which
/// pattern follows. It says only that the dialler knows whom it dialled.
const LAN_XX: u8 = 0;
const LAN_KK: u8 = 1;
/// Keys a `KK` first message is tried against, at most: a team's devices.
pub const MAX_LAN_PEERS: usize = 1024;
/// The first messages' sizes without their marker (an ephemeral key, and
/// in `KK` the tag of an empty payload): anything else is refused before
/// any key is tried.
const XX_FIRST_LEN: usize = 32;
const KK_FIRST_LEN: usize = 48;
const RELAY_PROLOGUE: &[u8] = b"caravan/relay/v1";
const LAN_PROLOGUE: &[u8] = b"caravan/lan/v1\0";

/// Sends whole messages of at most [`MAX_NOISE_MESSAGE`] bytes, in order.
pub trait MessageSink: Send {
    fn send(&mut self, msg: Vec<u8>) -> impl Future<Output = Result<(), NetError>> + Send;
}

/// Receives whole messages in the order they were sent; `None` once the
/// other side has closed.
pub trait MessageSource: Send {
    fn recv(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, NetError>> + Send;
}

/// An X25519 static key: a relay's, or a device's agreement key on the
/// LAN. Wiped when dropped; neither cloned nor printed.
pub struct StaticKey(Zeroizing<[u8; 32]>);

impl StaticKey {
    pub fn generate() -> Result<StaticKey, NetError> {
        let mut k = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut k[..])
            .map_err(|e| NetError::Io(format!("no randomness for a key: {e}")))?;
        Ok(StaticKey(k))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> StaticKey {
        StaticKey(Zeroizing::new(bytes))
    }

    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        self.0.clone()
    }

    /// The public key others pin.
    pub fn public(&self) -> [u8; 32] {
        x25519_public(&self.0)
    }
}

impl std::fmt::Debug for StaticKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaticKey(public {})", hex::encode(self.public()))
    }
}

fn x25519_public(secret: &[u8; 32]) -> [u8; 32] {
    let secret = x25519_dalek::StaticSecret::from(*secret);
    x25519_dalek::PublicKey::from(&secret).to_bytes()
}

fn handshake_err(e: snow::Error) -> NetError {
    NetError::Handshake(e.to_string())
}

/// What a finished handshake gives: the two halves, the handshake hash
/// that names the channel, and the other side's static key (LAN only).
pub struct Channel<S, R> {
    pub sender: NoiseSender<S>,
    pub receiver: NoiseReceiver<R>,
    pub handshake_hash: [u8; 32],
    pub remote_static: Option<[u8; 32]>,
}

/// A device connecting to a relay whose public key it pinned (`NK`): the
/// handshake fails unless the relay holds that key.
pub async fn relay_initiator<S: MessageSink, R: MessageSource>(
    sink: S,
    source: R,
    relay_public: &[u8; 32],
    max_message: usize,
) -> Result<Channel<S, R>, NetError> {
    let hs = Builder::new(params(RELAY_PATTERN)?)
        .prologue(RELAY_PROLOGUE)
        .and_then(|b| b.remote_public_key(relay_public))
        .and_then(|b| b.build_initiator())
        .map_err(handshake_err)?;
    run_handshake(hs, sink, source, max_message).await
}

/// A relay answering a device (`NK`).
pub async fn relay_responder<S: MessageSink, R: MessageSource>(
    sink: S,
    source: R,
    key: &StaticKey,
    max_message: usize,
) -> Result<Channel<S, R>, NetError> {
    let hs = Builder::new(params(RELAY_PATTERN)?)
        .prologue(RELAY_PROLOGUE)
        .and_then(|b| b.local_private_key(&key.0[..]))
        .and_then(|b| b.build_responder())
        .map_err(handshake_err)?;
    run_handshake(hs, sink, source, max_message).await
}

/// How a LAN dialler opens the handshake.
pub enum LanDial<'k> {
    /// An address given by hand: whoever answers (`XX`). Each side learns
    /// the other's static key, which the caller must find among the
    /// team's active devices before it trusts anything on the channel.
    FirstContact,
    /// A team device found by its advert, whose agreement key the team
    /// document lists (`KK`): no static key crosses the network, and the
    /// handshake fails unless the answering device holds that key.
    KnownPeer(&'k [u8; 32]),
}

fn lan_builder<'a>(
    pattern: &str,
    prologue: &'a [u8],
    key: &'a StaticKey,
) -> Result<Builder<'a>, NetError> {
    Builder::new(params(pattern)?)
        .prologue(prologue)
        .and_then(|b| b.local_private_key(&key.0[..]))
        .map_err(handshake_err)
}

fn lan_prologue(team_id: &[u8; 16]) -> Vec<u8> {
    let mut prologue = LAN_PROLOGUE.to_vec();
    prologue.extend_from_slice(team_id);
    prologue
}

/// A device of team `team_id` dialling another on the LAN.
pub async fn lan_dial<S: MessageSink, R: MessageSource>(
    sink: S,
    source: R,
    team_id: &[u8; 16],
    key: &StaticKey,
    dial: LanDial<'_>,
    max_message: usize,
) -> Result<Channel<S, R>, NetError> {
    let prologue = lan_prologue(team_id);
    let (hs, marker) = match dial {
        LanDial::FirstContact => (lan_builder(LAN_FIRST_CONTACT, &prologue, key)?, LAN_XX),
        LanDial::KnownPeer(remote) => (
            lan_builder(LAN_KNOWN_PEER, &prologue, key)?
                .remote_public_key(remote)
                .map_err(handshake_err)?,
            LAN_KK,
        ),
    };
    let mut hs = hs.build_initiator().map_err(handshake_err)?;
    let mut sink = sink;
    let mut buf = vec![0u8; MAX_NOISE_MESSAGE];
    let n = hs.write_message(&[], &mut buf).map_err(handshake_err)?;
    let mut first = Vec::with_capacity(n + 1);
    first.push(marker);
    first.extend_from_slice(&buf[..n]);
    sink.send(first).await?;
    let mut channel = run_handshake(hs, sink, source, max_message).await?;
    if marker == LAN_KK {
        // The answering device's message proved it live; this empty
        // message proves the dialler is, too (see `lan_answer`).
        channel.sender.send(&[]).await?;
    }
    Ok(channel)
}

/// A device of team `team_id` answering on the LAN: a dialler that knows
/// it (`KK`) must hold the key of one of `peers` (the team's other active
/// devices), tried in turn; one that does not (`XX`) learns this device's
/// static key and shows its own.
pub async fn lan_answer<S: MessageSink, R: MessageSource>(
    sink: S,
    mut source: R,
    team_id: &[u8; 16],
    key: &StaticKey,
    peers: &[[u8; 32]],
    max_message: usize,
) -> Result<Channel<S, R>, NetError> {
    let prologue = lan_prologue(team_id);
    let msg = source.recv().await.ok().flatten().ok_or_else(|| {
        NetError::Handshake("the other side ended the connection during the handshake".into())
    })?;
    let Some((&marker, first)) = msg.split_first() else {
        return Err(NetError::Handshake("an empty handshake message".into()));
    };
    let mut buf = vec![0u8; MAX_NOISE_MESSAGE];
    let hs = match (marker, first.len()) {
        (LAN_XX, XX_FIRST_LEN) => {
            let mut hs = lan_builder(LAN_FIRST_CONTACT, &prologue, key)?
                .build_responder()
                .map_err(handshake_err)?;
            read_empty(&mut hs, first, &mut buf)?;
            hs
        }
        (LAN_KK, KK_FIRST_LEN) => peers
            .iter()
            .take(MAX_LAN_PEERS)
            .find_map(|remote| {
                let mut hs = lan_builder(LAN_KNOWN_PEER, &prologue, key)
                    .ok()?
                    .remote_public_key(remote)
                    .ok()?
                    .build_responder()
                    .ok()?;
                read_empty(&mut hs, first, &mut buf).ok()?;
                Some(hs)
            })
            .ok_or_else(|| {
                NetError::Handshake("the dialler holds no key of this team's devices".into())
            })?,
        _ => {
            return Err(NetError::Handshake(
                "a handshake this version does not know".into(),
            ));
        }
    };
    let mut channel = run_handshake(hs, sink, source, max_message).await?;
    if marker == LAN_KK {
        // `KK` ends with this side's message: a first message recorded
        // off the wire (or asked for with a replayed advert) and replayed
        // would pass as the dialler's until here. The dialler's first
        // transport message needs the keys of this handshake, made with
        // this side's fresh ephemeral key, so a replay stops here.
        match channel.receiver.recv().await {
            Ok(Some(confirm)) if confirm.is_empty() => {}
            _ => {
                return Err(NetError::Handshake(
                    "the dialler did not confirm the handshake".into(),
                ));
            }
        }
    }
    Ok(channel)
}

/// Reads one handshake message, which must carry no payload: anything in
/// one is refused rather than silently dropped.
fn read_empty(hs: &mut HandshakeState, msg: &[u8], buf: &mut [u8]) -> Result<(), NetError> {
    let n = hs.read_message(msg, buf).map_err(handshake_err)?;
    if n != 0 {
        return Err(NetError::Handshake(
            "a handshake message carried data".into(),
        ));
    }
    Ok(())
}

fn params(pattern: &str) -> Result<snow::params::NoiseParams, NetError> {
    pattern
        .parse()
        .map_err(|e: snow::Error| NetError::Handshake(e.to_string()))
}

async fn run_handshake<S: MessageSink, R: MessageSource>(
    mut hs: HandshakeState,
    mut sink: S,
    mut source: R,
    max_message: usize,
) -> Result<Channel<S, R>, NetError> {
    let mut buf = vec![0u8; MAX_NOISE_MESSAGE];
    while !hs.is_handshake_finished() {
        if hs.is_my_turn() {
            let n = hs.write_message(&[], &mut buf).map_err(handshake_err)?;
            sink.send(buf[..n].to_vec()).await?;
        } else {
            // The other side ends the connection when it cannot read our
            // message: to a relay, that means its key is not the one
            // pinned; a broken network shows before, when connecting.
            let msg = source.recv().await.ok().flatten().ok_or_else(|| {
                NetError::Handshake(
                    "the other side ended the connection during the handshake".into(),
                )
            })?;
            read_empty(&mut hs, &msg, &mut buf)?;
        }
    }
    let handshake_hash: [u8; 32] = hs
        .get_handshake_hash()
        .try_into()
        .map_err(|_| NetError::Handshake("unexpected handshake hash length".into()))?;
    let remote_static = hs
        .get_remote_static()
        .and_then(|k| <[u8; 32]>::try_from(k).ok());
    let state = Arc::new(hs.into_stateless_transport_mode().map_err(handshake_err)?);
    Ok(Channel {
        sender: NoiseSender {
            sink,
            state: state.clone(),
            nonce: 0,
        },
        receiver: NoiseReceiver {
            source,
            state,
            nonce: 0,
            max_message,
        },
        handshake_hash,
        remote_static,
    })
}

/// The sending half of a channel.
pub struct NoiseSender<S> {
    sink: S,
    state: Arc<StatelessTransportState>,
    nonce: u64,
}

impl<S: MessageSink> NoiseSender<S> {
    /// Sends one application message: its length, then its bytes, in as
    /// many transport messages as it takes.
    pub async fn send(&mut self, msg: &[u8]) -> Result<(), NetError> {
        let len = u32::try_from(msg.len()).map_err(|_| NetError::TooLarge {
            len: msg.len(),
            max: u32::MAX as usize,
        })?;
        let mut first = Vec::with_capacity(CHUNK.min(4 + msg.len()));
        first.extend_from_slice(&len.to_be_bytes());
        let head = msg.len().min(CHUNK - 4);
        first.extend_from_slice(&msg[..head]);
        self.send_chunk(&first).await?;
        for chunk in msg[head..].chunks(CHUNK) {
            self.send_chunk(chunk).await?;
        }
        Ok(())
    }

    async fn send_chunk(&mut self, plain: &[u8]) -> Result<(), NetError> {
        let mut out = vec![0u8; plain.len() + 16];
        let n = self
            .state
            .write_message(self.nonce, plain, &mut out)
            .map_err(|_| NetError::Damaged)?;
        self.nonce += 1;
        out.truncate(n);
        self.sink.send(out).await
    }
}

/// The receiving half of a channel.
pub struct NoiseReceiver<R> {
    source: R,
    state: Arc<StatelessTransportState>,
    nonce: u64,
    max_message: usize,
}

impl<R: MessageSource> NoiseReceiver<R> {
    /// The next application message; `None` if the other side closed
    /// between messages (a close inside one is [`NetError::Closed`]).
    pub async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        let Some(first) = self.recv_chunk().await? else {
            return Ok(None);
        };
        let Some(len_bytes) = first.get(..4) else {
            return Err(NetError::Malformed("a message without its length".into()));
        };
        let len =
            u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        if len > self.max_message {
            return Err(NetError::TooLarge {
                len,
                max: self.max_message,
            });
        }
        // Grows as the chunks arrive: a stated length alone allocates
        // nothing beyond the first chunk.
        let mut msg = first[4..].to_vec();
        while msg.len() < len {
            let chunk = self.recv_chunk().await?.ok_or(NetError::Closed)?;
            msg.extend_from_slice(&chunk);
        }
        if msg.len() != len {
            return Err(NetError::Malformed(
                "a message longer than it states".into(),
            ));
        }
        Ok(Some(msg))
    }

    async fn recv_chunk(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        let Some(cipher) = self.source.recv().await? else {
            return Ok(None);
        };
        if cipher.len() > MAX_NOISE_MESSAGE || cipher.len() < 16 {
            return Err(NetError::Damaged);
        }
        let mut plain = vec![0u8; cipher.len()];
        let n = self
            .state
            .read_message(self.nonce, &cipher, &mut plain)
            .map_err(|_| NetError::Damaged)?;
        self.nonce += 1;
        plain.truncate(n);
        Ok(Some(plain))
    }
}
