//! Running one sync session over a Noise channel until both sides are
//! current, then (live) pushing new edits as they are committed.
//!
//! Each channel message is one byte of kind, then its content:
//! `0` a session frame (docs/formats/session.md); `1` idle, with the number
//! of frames received so far (u64, big-endian): the sender has nothing
//! more to send until it hears more. A side knows the session is over when
//! it is idle itself and the other side's last message is an idle that
//! counts every frame this side sent: both sides have read everything and
//! neither has anything to add.

use tokio::sync::watch;

use crate::error::NetError;
use crate::noise::{MessageSink, MessageSource, NoiseReceiver, NoiseSender};

const FRAME: u8 = 0;
const IDLE: u8 = 1;

/// The application's side of a session (the workspace, in the app and the
/// CLI): frames to send, frames received, and whether it is done.
pub trait SessionHost {
    type Error;
    /// The next frame to send, if there is one now.
    fn poll(&mut self) -> Result<Option<Vec<u8>>, Self::Error>;
    /// A frame that arrived; what it carries is judged, applied and
    /// committed before this returns.
    fn receive(&mut self, frame: &[u8]) -> Result<(), Self::Error>;
    /// Nothing more to send until the peer speaks again.
    fn is_done(&mut self) -> bool;
}

/// Why a session run ended early.
#[derive(Debug)]
pub enum DriveError<E> {
    Net(NetError),
    Host(E),
}

impl<E> From<NetError> for DriveError<E> {
    fn from(e: NetError) -> Self {
        DriveError::Net(e)
    }
}

/// How a session run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub frames_sent: u64,
    pub frames_received: u64,
    /// Both sides were current when it ended (otherwise the other side
    /// closed first: everything received is kept, the rest comes next time).
    pub complete: bool,
}

/// Runs `host`'s session over the channel. With `live`, the run does not
/// end when both sides are current: it waits, and every time `live`
/// changes (a local edit was committed; the value counts commits) it polls
/// the host again, until the other side closes. Without it, the run ends
/// once both are current.
pub async fn run<H, S, R>(
    host: &mut H,
    sender: &mut NoiseSender<S>,
    receiver: &mut NoiseReceiver<R>,
    mut live: Option<&mut watch::Receiver<u64>>,
) -> Result<Outcome, DriveError<H::Error>>
where
    H: SessionHost,
    S: MessageSink,
    R: MessageSource,
{
    let mut out = Outcome::default();
    // The idle this side sent counts `out.frames_received` at the time.
    let mut announced: Option<u64> = None;
    // The other side's last message was an idle counting this many frames.
    let mut peer_idle: Option<u64> = None;
    loop {
        while let Some(frame) = host.poll().map_err(DriveError::Host)? {
            let mut msg = Vec::with_capacity(1 + frame.len());
            msg.push(FRAME);
            msg.extend_from_slice(&frame);
            sender.send(&msg).await?;
            out.frames_sent += 1;
            announced = None;
        }
        if host.is_done() && announced != Some(out.frames_received) {
            let mut msg = vec![IDLE];
            msg.extend_from_slice(&out.frames_received.to_be_bytes());
            sender.send(&msg).await?;
            announced = Some(out.frames_received);
        }
        let current = announced == Some(out.frames_received) && peer_idle == Some(out.frames_sent);
        if current && live.is_none() {
            out.complete = true;
            return Ok(out);
        }
        let incoming = match live.as_mut() {
            Some(edits) if current => {
                tokio::select! {
                    m = receiver.recv() => Some(m?),
                    changed = edits.changed() => {
                        if changed.is_err() {
                            // Nothing commits here any more: wait for the
                            // other side alone.
                            live = None;
                        }
                        None
                    }
                }
            }
            _ => Some(receiver.recv().await?),
        };
        match incoming {
            // A local edit: poll again.
            None => {}
            Some(None) => {
                out.complete = current;
                return Ok(out);
            }
            Some(Some(msg)) => match msg.split_first() {
                Some((&FRAME, frame)) => {
                    host.receive(frame).map_err(DriveError::Host)?;
                    out.frames_received += 1;
                    peer_idle = None;
                }
                Some((&IDLE, count)) if count.len() == 8 => {
                    let mut n = [0u8; 8];
                    n.copy_from_slice(count);
                    peer_idle = Some(u64::from_be_bytes(n));
                }
                _ => {
                    return Err(DriveError::Net(NetError::Malformed(
                        "a LAN message of an unknown kind".into(),
                    )));
                }
            },
        }
    }
}
