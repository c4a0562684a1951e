//! The relay's storage, behind one trait with two implementations run by
//! the same tests: SQLite (one file, the default) and PostgreSQL (several
//! relay processes sharing one database).
//!
//! The store never parses bodies; it holds them as opaque bytes. Sequence
//! numbers are allocated per team under the team row's lock inside the
//! append's transaction, so they commit in order and a reader never skips
//! a number committed after it read a higher one.

mod pg_listen;
mod pg_schema;
pub mod postgres;
pub mod sqlite;

use async_trait::async_trait;
use caravan_net::relay_proto::Envelope;
use zeroize::Zeroizing;

pub type TeamId = [u8; 16];
pub type DeviceId = [u8; 32];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the team's storage quota is used up ({used} of {quota} bytes)")]
    Quota { used: u64, quota: u64 },
    #[error("no team with this id is registered on this relay")]
    UnknownTeam,
    #[error("the relay holds a roster of version {held}, not older")]
    StaleRoster { held: u64 },
    #[error("the relay's storage failed: {0}")]
    Backend(String),
}

caravan_errors::coded! {
    StoreError {
        Self::Quota { .. } => ("relay.quota", Rejected),
        Self::UnknownTeam => ("relay.unknown_team", Rejected),
        Self::StaleRoster { .. } => ("relay.stale_roster", Rejected),
        Self::Backend(_) => ("relay.unavailable", Failure),
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A team's roster as stored: the signed roster's encoding and its version.
#[derive(Debug, Clone)]
pub struct StoredRoster {
    pub signed: Vec<u8>,
    pub version: u64,
}

/// A roster to store: its encoding, version, and the devices it lists
/// with their member ids (for delivery and the sweep).
#[derive(Debug, Clone)]
pub struct NewRoster {
    pub team: TeamId,
    pub signed: Vec<u8>,
    pub version: u64,
    /// The version this replaces (`None`: the team is new). The store
    /// refuses the roster if another one was stored since.
    pub replaces: Option<u64>,
    pub devices: Vec<(DeviceId, String)>,
}

/// An envelope to append; the body is moved, never copied.
#[derive(Debug)]
pub struct NewEnvelope {
    pub team: TeamId,
    pub from: DeviceId,
    pub at_ms: i64,
    pub to: Vec<String>,
    pub body: Vec<u8>,
}

/// Who may fetch what: a device, its member id, and its team.
#[derive(Debug, Clone)]
pub struct Reader {
    pub team: TeamId,
    pub device: DeviceId,
    pub member: String,
}

#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Envelope>,
    pub more: bool,
}

/// Counts for the metrics, per team.
#[derive(Debug, Clone)]
pub struct TeamStats {
    pub team: TeamId,
    pub envelopes: u64,
    pub bytes: u64,
}

/// An envelope as stored, with the members it is for: what a relay
/// process reads once when another process announces it, to notify its
/// subscribers and hold it for their fetches.
#[derive(Debug, Clone)]
pub struct StoredEnvelope {
    pub seq: u64,
    pub from: DeviceId,
    pub at_ms: i64,
    pub to: Vec<String>,
    pub size: u64,
    /// `None` when larger than asked for (the body is not read).
    pub body: Option<Vec<u8>>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The relay's static X25519 secret: the stored one, or `fresh` stored
    /// now if there is none (in one transaction, so processes sharing a
    /// database agree on one key).
    async fn relay_secret(&self, fresh: [u8; 32]) -> Result<Zeroizing<[u8; 32]>>;

    async fn roster(&self, team: TeamId) -> Result<Option<StoredRoster>>;

    /// The version of the team's roster, without loading it.
    async fn roster_version(&self, team: TeamId) -> Result<Option<u64>>;

    /// Stores a roster; [`StoreError::StaleRoster`] if the held one is not
    /// `replaces` any more (another roster was stored meanwhile).
    async fn put_roster(&self, roster: NewRoster) -> Result<()>;

    /// Appends an envelope; returns its sequence number once committed.
    /// `quota` is the relay's default for teams without their own.
    async fn append(&self, envelope: NewEnvelope, quota: u64) -> Result<u64>;

    /// Envelopes for `reader` with `seq > after`, oldest first: at most
    /// `limit`, and at most `max_bytes` of bodies unless the first alone
    /// is larger.
    async fn fetch(
        &self,
        reader: &Reader,
        after: u64,
        limit: u32,
        max_bytes: usize,
    ) -> Result<Page>;

    /// Raises the device's cursor to `seq` (never lowers it, and never
    /// past the team's last number: an acknowledgement of envelopes not
    /// yet appended would let the sweep delete them unseen).
    async fn ack(&self, team: TeamId, device: DeviceId, seq: u64) -> Result<()>;

    async fn cursor(&self, team: TeamId, device: DeviceId) -> Result<u64>;

    /// Deletes envelopes every addressed device acknowledged, and those
    /// older than their team's retention (`retention_ms` unless the team
    /// has its own); returns how many.
    async fn sweep(&self, now_ms: i64, retention_ms: i64) -> Result<u64>;

    /// The envelope `seq` of `team` and whom it is for, its body only if
    /// at most `max_body` bytes; `None` if there is none (deleted).
    async fn envelope(
        &self,
        team: TeamId,
        seq: u64,
        max_body: usize,
    ) -> Result<Option<StoredEnvelope>>;

    async fn stats(&self) -> Result<Vec<TeamStats>>;

    /// Whether the storage answers.
    async fn ping(&self) -> Result<()>;

    /// Whether appends and roster changes come back as events from the
    /// store itself (PostgreSQL's notifications, which reach every process
    /// sharing the database); if not, the server publishes them itself.
    fn announces(&self) -> bool;

    /// Starts delivering the store's own announcements to `hub` (see
    /// [`Store::announces`]).
    fn listen(&self, _hub: std::sync::Arc<crate::hub::Hub>) {}
}

pub(crate) fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Converts a stored signed integer back; a negative one is damage.
pub(crate) fn unsigned(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| StoreError::Backend(format!("a negative count {v} in storage")))
}

pub(crate) fn signed(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::Backend(format!("{v} does not fit the storage")))
}

/// How many of `sizes` (in order) fit `max_bytes`, at least one.
pub(crate) fn page_len(sizes: &[i64], max_bytes: usize) -> usize {
    let mut total: u64 = 0;
    for (i, s) in sizes.iter().enumerate() {
        total = total.saturating_add(u64::try_from(*s).unwrap_or(u64::MAX));
        if total > max_bytes as u64 && i > 0 {
            return i;
        }
    }
    sizes.len()
}

pub fn to_array<const N: usize>(v: &[u8]) -> Result<[u8; N]> {
    v.try_into()
        .map_err(|_| StoreError::Backend(format!("a stored key of {} bytes, not {N}", v.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_at_least_one_envelope_and_stops_at_the_byte_bound() {
        assert_eq!(page_len(&[], 10), 0);
        assert_eq!(page_len(&[50], 10), 1);
        assert_eq!(page_len(&[4, 4, 4], 10), 2);
        assert_eq!(page_len(&[4, 4, 2], 10), 3);
        assert_eq!(page_len(&[-1, i64::MAX, 1], 10), 1);
    }

    #[test]
    fn stored_numbers_out_of_range_are_errors() {
        assert!(unsigned(-1).is_err());
        assert!(signed(u64::MAX).is_err());
        assert!(to_array::<32>(&[0; 31]).is_err());
    }
}
