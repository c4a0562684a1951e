//! The relay's messages (docs/formats/relay.md, "Relay messages"): one
//! postcard value per application message of the Noise channel. Decoding
//! is bounded by the channel's message limit and by the checks here, and
//! never panics on any input.

use caravan_sync::roster::{MAX_MEMBER_ID, SignedRoster};
use serde::{Deserialize, Serialize};

use crate::error::{NetError, RelayCode};

/// An upload names at most this many members.
pub const MAX_RECIPIENTS: usize = 10_000;
/// A fetch returns at most this many bytes of bodies (unless one envelope
/// alone is larger).
pub const MAX_FETCH_BYTES: usize = 16 * 1024 * 1024;
/// A fetch returns at most this many envelopes.
pub const MAX_FETCH_ITEMS: u32 = 1_000;
/// The default largest envelope body a relay takes.
pub const DEFAULT_MAX_ENVELOPE: usize = 32 * 1024 * 1024;
/// Room in a message for everything but an upload's body: its recipients
/// (bounded above) and the framing.
pub const MESSAGE_OVERHEAD: usize = MAX_RECIPIENTS * (MAX_MEMBER_ID + 3) + 1024;

pub use caravan_sync::relay_auth::{AUTH_CONTEXT, auth_message};

/// The largest application message a relay or client accepts, for a
/// relay that takes envelopes of up to `max_envelope` bytes.
pub fn max_message(max_envelope: usize) -> usize {
    max_envelope.saturating_add(MESSAGE_OVERHEAD)
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMsg {
    Auth {
        team_id: [u8; 16],
        device: [u8; 32],
        #[serde(with = "serde_bytes")]
        signature: [u8; 64],
    },
    Register {
        roster: SignedRoster,
    },
    Upload {
        id: u64,
        to: Vec<String>,
        #[serde(with = "serde_bytes")]
        body: Vec<u8>,
    },
    Fetch {
        after: u64,
        limit: u32,
    },
    Ack {
        seq: u64,
    },
    Subscribe,
    Ping {
        id: u64,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RelayMsg {
    Challenge {
        nonce: [u8; 32],
    },
    AuthOk {
        cursor: u64,
        roster_version: u64,
    },
    RosterOk {
        version: u64,
    },
    Stored {
        id: u64,
        seq: u64,
    },
    Envelopes {
        items: Vec<Envelope>,
        more: bool,
    },
    Notify {
        seq: u64,
    },
    Pong {
        id: u64,
    },
    Error {
        code: String,
        message: String,
        fatal: bool,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub seq: u64,
    pub from: [u8; 32],
    pub at_ms: i64,
    #[serde(with = "serde_bytes")]
    pub body: Vec<u8>,
}

// Debug output names sizes, never bodies or signatures: these values end
// up in logs.
impl std::fmt::Debug for ClientMsg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientMsg::Auth { device, .. } => write!(f, "Auth({})", hex::encode(&device[..6])),
            ClientMsg::Register { roster } => write!(f, "Register({roster:?})"),
            ClientMsg::Upload { id, to, body } => {
                write!(
                    f,
                    "Upload(id {id}, {} members, {} bytes)",
                    to.len(),
                    body.len()
                )
            }
            ClientMsg::Fetch { after, limit } => write!(f, "Fetch(after {after}, limit {limit})"),
            ClientMsg::Ack { seq } => write!(f, "Ack({seq})"),
            ClientMsg::Subscribe => write!(f, "Subscribe"),
            ClientMsg::Ping { id } => write!(f, "Ping({id})"),
        }
    }
}

impl std::fmt::Debug for RelayMsg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RelayMsg::Challenge { .. } => write!(f, "Challenge"),
            RelayMsg::AuthOk {
                cursor,
                roster_version,
            } => {
                write!(f, "AuthOk(cursor {cursor}, roster {roster_version})")
            }
            RelayMsg::RosterOk { version } => write!(f, "RosterOk({version})"),
            RelayMsg::Stored { id, seq } => write!(f, "Stored(id {id}, seq {seq})"),
            RelayMsg::Envelopes { items, more } => {
                write!(f, "Envelopes({} items, more {more})", items.len())
            }
            RelayMsg::Notify { seq } => write!(f, "Notify({seq})"),
            RelayMsg::Pong { id } => write!(f, "Pong({id})"),
            RelayMsg::Error { code, fatal, .. } => write!(f, "Error({code}, fatal {fatal})"),
        }
    }
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Envelope(seq {}, {} bytes)", self.seq, self.body.len())
    }
}

fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, NetError> {
    let (value, rest) =
        postcard::take_from_bytes(bytes).map_err(|e| NetError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(NetError::Malformed("bytes after the message".into()));
    }
    Ok(value)
}

impl ClientMsg {
    pub fn encode(&self) -> Vec<u8> {
        // Serialising plain values into a Vec cannot fail.
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Decodes a message from a device; an upload's recipients are
    /// checked against the bounds (the body's against the relay's own).
    pub fn decode(bytes: &[u8]) -> Result<ClientMsg, NetError> {
        let msg: ClientMsg = decode(bytes)?;
        if let ClientMsg::Upload { to, .. } = &msg {
            if to.len() > MAX_RECIPIENTS {
                return Err(NetError::Malformed(format!(
                    "{} recipients, at most {MAX_RECIPIENTS}",
                    to.len()
                )));
            }
            if to.iter().any(|m| m.is_empty() || m.len() > MAX_MEMBER_ID) {
                return Err(NetError::Malformed(format!(
                    "a member id is empty or longer than {MAX_MEMBER_ID} bytes"
                )));
            }
        }
        Ok(msg)
    }
}

impl RelayMsg {
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    pub fn decode(bytes: &[u8]) -> Result<RelayMsg, NetError> {
        decode(bytes)
    }

    /// An error message for `code`.
    pub fn error(code: RelayCode, message: impl Into<String>, fatal: bool) -> RelayMsg {
        RelayMsg::Error {
            code: code.as_str().into(),
            message: message.into(),
            fatal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_round_trips() {
        let msgs = [
            ClientMsg::Auth {
                team_id: [1; 16],
                device: [2; 32],
                signature: [3; 64],
            },
            ClientMsg::Upload {
                id: 9,
                to: vec!["m1".into()],
                body: vec![1, 2, 3],
            },
            ClientMsg::Fetch {
                after: 4,
                limit: 10,
            },
            ClientMsg::Ack { seq: 5 },
            ClientMsg::Subscribe,
            ClientMsg::Ping { id: 6 },
        ];
        for m in msgs {
            assert_eq!(ClientMsg::decode(&m.encode()).unwrap(), m);
        }
        let r = RelayMsg::Envelopes {
            items: vec![Envelope {
                seq: 1,
                from: [4; 32],
                at_ms: -1,
                body: vec![0; 70],
            }],
            more: true,
        };
        assert_eq!(RelayMsg::decode(&r.encode()).unwrap(), r);
    }

    #[test]
    fn garbage_and_trailing_bytes_are_malformed_never_a_panic() {
        let mut bytes = ClientMsg::Ping { id: 1 }.encode();
        bytes.push(0);
        assert_eq!(
            ClientMsg::decode(&bytes).unwrap_err().code(),
            "net.malformed"
        );
        // Every prefix of a message, and every byte value as a tag.
        let full = ClientMsg::Upload {
            id: 1,
            to: vec!["a".into()],
            body: vec![7; 10],
        }
        .encode();
        for n in 0..full.len() {
            assert!(ClientMsg::decode(&full[..n]).is_err());
        }
        for b in 0..=255u8 {
            let _ = ClientMsg::decode(&[b, 0xff, 0xff, 0xff, 0xff, 0x0f]);
            let _ = RelayMsg::decode(&[b, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        }
        let long = ClientMsg::Upload {
            id: 1,
            to: vec!["x".repeat(201)],
            body: vec![],
        };
        assert!(ClientMsg::decode(&long.encode()).is_err());
    }

    #[test]
    fn random_bytes_never_panic_the_decoders() {
        // A fixed xorshift stream: the same inputs every run.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let len = (next() % 96) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = ClientMsg::decode(&bytes);
            let _ = RelayMsg::decode(&bytes);
        }
    }

    #[test]
    fn debug_output_shows_no_body_or_signature() {
        let m = ClientMsg::Upload {
            id: 1,
            to: vec![],
            body: b"SECRET-BODY".to_vec(),
        };
        assert!(!format!("{m:?}").contains("SECRET"));
    }
}
