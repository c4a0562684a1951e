//! axum's WebSocket halves as message pipes for the Noise channel: one
//! binary message each; a text message or an oversize one is an error.

use axum::extract::ws::{Message, WebSocket};
use caravan_net::NetError;
use caravan_net::noise::{MessageSink, MessageSource};
use caravan_net::relay_client::WsFrame;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};

pub struct WsSink(pub SplitSink<WebSocket, Message>);
pub struct WsSource(pub SplitStream<WebSocket>);

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
            let frame = match self.0.next().await {
                None | Some(Ok(Message::Close(_))) => WsFrame::Closed,
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
