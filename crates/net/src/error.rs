//! Every failure of a network transport, with the stable code front ends
//! translate (`error.<code>`) and scripts match.

use caravan_errors::coded;

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The connection could not be made, or broke.
    #[error("the connection failed: {0}")]
    Io(String),
    /// The other side closed the connection before the exchange ended.
    #[error("the other side closed the connection")]
    Closed,
    /// The other side did not answer in time.
    #[error("the other side did not answer in time")]
    Timeout,
    /// The Noise handshake failed: the other side is not who it was
    /// expected to be (a relay with another key), or the bytes were damaged.
    #[error("the secure channel could not be set up: {0}")]
    Handshake(String),
    /// A message did not decrypt or was damaged on the way.
    #[error("a message on the secure channel was damaged or forged")]
    Damaged,
    /// A message is longer than this side accepts.
    #[error("a message of {len} bytes is longer than the {max} bytes accepted")]
    TooLarge { len: usize, max: usize },
    /// A message is not one this protocol knows.
    #[error("the other side sent a message this version does not understand: {0}")]
    Malformed(String),
    /// The device on the other side of a LAN channel is not an active
    /// device of this team.
    #[error("the device on the other side is not an active device of this team")]
    UnknownPeer,
    /// The relay's TLS certificate could not be verified, or TLS could not
    /// be set up (a `wss://` address).
    #[error("the relay's TLS certificate could not be verified: {0}")]
    Tls(String),
    /// The address is `wss://` but the other side does not speak TLS (a
    /// plain relay, or another service on that port).
    #[error("the relay at this address does not speak TLS")]
    NotTls,
    /// The certificate authorities to check a relay against could not be
    /// read (`CARAVAN_RELAY_CA`).
    #[error("the relay's certificate authorities could not be read: {0}")]
    TlsConfig(String),
    /// The relay refused a request; `code` is one of relay.md's.
    #[error("the relay refused: {message}")]
    Relay { code: RelayCode, message: String },
}

/// The relay's refusals (docs/formats/relay.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayCode {
    Malformed,
    UnknownTeam,
    NotOnRoster,
    BadSignature,
    StaleRoster,
    WrongRelay,
    TooLarge,
    Quota,
    Unavailable,
    /// The relay takes only the teams its operator lists.
    TeamNotAllowed,
}

impl RelayCode {
    pub const ALL: [RelayCode; 10] = [
        RelayCode::Malformed,
        RelayCode::UnknownTeam,
        RelayCode::NotOnRoster,
        RelayCode::BadSignature,
        RelayCode::StaleRoster,
        RelayCode::WrongRelay,
        RelayCode::TooLarge,
        RelayCode::Quota,
        RelayCode::Unavailable,
        RelayCode::TeamNotAllowed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelayCode::Malformed => "relay.malformed",
            RelayCode::UnknownTeam => "relay.unknown_team",
            RelayCode::NotOnRoster => "relay.not_on_roster",
            RelayCode::BadSignature => "relay.bad_signature",
            RelayCode::StaleRoster => "relay.stale_roster",
            RelayCode::WrongRelay => "relay.wrong_relay",
            RelayCode::TooLarge => "relay.too_large",
            RelayCode::Quota => "relay.quota",
            RelayCode::Unavailable => "relay.unavailable",
            RelayCode::TeamNotAllowed => "relay.team_not_allowed",
        }
    }

    /// The code the relay sent, if it is one this version knows (an
    /// unknown one reads as `relay.unavailable`: the request did not go
    /// through, and a person can try again).
    pub fn parse(code: &str) -> RelayCode {
        RelayCode::ALL
            .into_iter()
            .find(|c| c.as_str() == code)
            .unwrap_or(RelayCode::Unavailable)
    }
}

coded! {
    NetError {
        Self::Io(_) => ("net.io", Failure),
        Self::Closed => ("net.closed", Failure),
        Self::Timeout => ("net.timeout", Failure),
        Self::Handshake(_) => ("net.handshake", Verification),
        Self::Damaged => ("net.damaged", Verification),
        Self::TooLarge { .. } => ("net.too_large", Rejected),
        Self::Malformed(_) => ("net.malformed", Rejected),
        Self::UnknownPeer => ("net.unknown_peer", Verification),
        Self::Tls(_) => ("net.tls", Verification),
        Self::NotTls => ("net.not_tls", Failure),
        Self::TlsConfig(_) => ("net.tls_config", Failure),
        Self::Relay { code: RelayCode::Malformed, .. } => ("relay.malformed", Rejected),
        Self::Relay { code: RelayCode::UnknownTeam, .. } => ("relay.unknown_team", Rejected),
        Self::Relay { code: RelayCode::NotOnRoster, .. } => ("relay.not_on_roster", Rejected),
        Self::Relay { code: RelayCode::BadSignature, .. } => ("relay.bad_signature", Verification),
        Self::Relay { code: RelayCode::StaleRoster, .. } => ("relay.stale_roster", Rejected),
        Self::Relay { code: RelayCode::WrongRelay, .. } => ("relay.wrong_relay", Verification),
        Self::Relay { code: RelayCode::TooLarge, .. } => ("relay.too_large", Rejected),
        Self::Relay { code: RelayCode::Quota, .. } => ("relay.quota", Rejected),
        Self::Relay { code: RelayCode::Unavailable, .. } => ("relay.unavailable", Failure),
        Self::Relay { code: RelayCode::TeamNotAllowed, .. } => ("relay.team_not_allowed", Rejected),
    }
}

impl From<std::io::Error> for NetError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::BrokenPipe => NetError::Closed,
            std::io::ErrorKind::TimedOut => NetError::Timeout,
            _ => NetError::Io(e.to_string()),
        }
    }
}
