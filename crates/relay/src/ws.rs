//! axum's WebSocket halves as message pipes for the Noise channel: one
//! binary message each; a text message or an oversize one is an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::{Message, WebSocket};
use caravan_net::NetError;
use caravan_net::noise::{MessageSink, MessageSource};
use caravan_net::relay_client::WsFrame;
use caravan_sync::roster::MAX_BODY;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};

pub struct WsSink(pub SplitSink<WebSocket, Message>);
pub struct WsSource {
    pub stream: SplitStream<WebSocket>,
    pub budget: Budget,
}

/// Bytes a connection may still send before it authenticates. The Noise
/// channel's message limit is set at the handshake for the largest upload
/// (tens of MiB); until a device has authenticated it may send only what
/// registering a roster or two takes, so unauthenticated connections
/// cannot make the relay hold large messages.
#[derive(Clone)]
pub struct Budget(Arc<AtomicU64>);

/// What a connection may send before authenticating: two of the largest
/// rosters with their framing, and the handshake.
pub const PREAUTH_BYTES: u64 = 2 * (MAX_BODY as u64 + 64 * 1024);

impl Budget {
    pub fn preauth() -> Budget {
        Budget(Arc::new(AtomicU64::new(PREAUTH_BYTES)))
    }

    /// No limit from now on (the device authenticated).
    pub fn lift(&self) {
        self.0.store(u64::MAX, Ordering::SeqCst);
    }

    fn take(&self, n: usize) -> bool {
        let n = n as u64;
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| match left {
                u64::MAX => Some(u64::MAX),
                left => left.checked_sub(n),
            })
            .is_ok()
    }
}

impl MessageSink for WsSink {
    async fn send(&mut self, msg: Vec<u8>) -> Result<(), NetError> {
        self.0
            .send(Message::Binary(msg.into()))
            .await
            .map_err(|e| NetError::Io(e.to_string()))
    }
}

impl MessageSource for WsSource {
    async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        loop {
            let frame = match self.stream.next().await {
                None | Some(Ok(Message::Close(_))) => WsFrame::Closed,
                Some(Ok(Message::Binary(b))) if !self.budget.take(b.len()) => {
                    return Err(NetError::TooLarge {
                        len: b.len(),
                        max: PREAUTH_BYTES as usize,
                    });
                }
                Some(Ok(Message::Binary(b))) => WsFrame::Binary(b.to_vec()),
                Some(Ok(Message::Text(_))) => WsFrame::Text,
                // Pings and pongs are the WebSocket's own.
                Some(Ok(_)) => WsFrame::Control,
                Some(Err(e)) => return Err(NetError::Io(e.to_string())),
            };
            if let Some(out) = frame.into_message() {
                return out;
            }
        }
    }
}
