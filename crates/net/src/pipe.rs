//! Message pipes: whole messages of at most 65,535 bytes over a byte
//! stream (each preceded by its length, a big-endian `u16`), and an
//! in-memory pair for tests.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::error::NetError;
use crate::noise::{MAX_NOISE_MESSAGE, MessageSink, MessageSource};

/// The writing half of a stream pipe.
pub struct StreamSink<W>(pub W);

/// The reading half of a stream pipe.
pub struct StreamSource<R>(pub R);

impl<W: AsyncWrite + Unpin + Send> MessageSink for StreamSink<W> {
    async fn send(&mut self, msg: Vec<u8>) -> Result<(), NetError> {
        let len = u16::try_from(msg.len()).map_err(|_| NetError::TooLarge {
            len: msg.len(),
            max: MAX_NOISE_MESSAGE,
        })?;
        let mut framed = Vec::with_capacity(2 + msg.len());
        framed.extend_from_slice(&len.to_be_bytes());
        framed.extend_from_slice(&msg);
        self.0.write_all(&framed).await?;
        self.0.flush().await?;
        Ok(())
    }
}

impl<R: AsyncRead + Unpin + Send> MessageSource for StreamSource<R> {
    async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        let mut len = [0u8; 2];
        // A close before a message's first byte is a clean end; inside a
        // message it is a broken connection.
        match self.0.read(&mut len[..1]).await? {
            0 => return Ok(None),
            _ => self.0.read_exact(&mut len[1..]).await?,
        };
        let mut msg = vec![0u8; usize::from(u16::from_be_bytes(len))];
        self.0.read_exact(&mut msg).await?;
        Ok(Some(msg))
    }
}

/// A TCP connection as a pipe's two halves.
pub fn tcp(
    stream: tokio::net::TcpStream,
) -> (
    StreamSink<tokio::net::tcp::OwnedWriteHalf>,
    StreamSource<tokio::net::tcp::OwnedReadHalf>,
) {
    let (read, write) = stream.into_split();
    (StreamSink(write), StreamSource(read))
}

/// One end of an in-memory pipe.
pub struct MemorySink(mpsc::Sender<Vec<u8>>);
/// The other end of an in-memory pipe.
pub struct MemorySource(mpsc::Receiver<Vec<u8>>);

impl MessageSink for MemorySink {
    async fn send(&mut self, msg: Vec<u8>) -> Result<(), NetError> {
        if msg.len() > MAX_NOISE_MESSAGE {
            return Err(NetError::TooLarge {
                len: msg.len(),
                max: MAX_NOISE_MESSAGE,
            });
        }
        self.0.send(msg).await.map_err(|_| NetError::Closed)
    }
}

impl MessageSource for MemorySource {
    async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        Ok(self.0.recv().await)
    }
}

/// Two connected in-memory pipes: what one side's sink sends, the other
/// side's source receives.
pub fn memory() -> ((MemorySink, MemorySource), (MemorySink, MemorySource)) {
    let (a_tx, a_rx) = mpsc::channel(64);
    let (b_tx, b_rx) = mpsc::channel(64);
    (
        (MemorySink(a_tx), MemorySource(b_rx)),
        (MemorySink(b_tx), MemorySource(a_rx)),
    )
}
