//! Caravan's relay: stores and forwards the encrypted envelopes of a
//! team's devices (docs/formats/relay.md, docs/relay.md). It admits the
//! devices a team's signed roster lists, holds every body as opaque
//! bytes, and holds no key that opens any of them.

mod conn;
pub mod hub;
pub mod loopback;
pub mod metrics;
mod recent;
mod register;
mod rosters;
pub mod server;
mod session;
pub mod store;
mod ws;

use std::time::Duration;

pub use server::{Running, start};

/// The relay's limits and schedules.
#[derive(Debug, Clone)]
pub struct Config {
    /// The largest envelope body taken.
    pub max_envelope: usize,
    /// Bytes of envelopes a team may hold (unless the team has its own).
    pub quota_bytes: u64,
    /// Envelopes older than this are deleted (unless the team has its own).
    pub retention_ms: i64,
    /// How often the sweep runs.
    pub sweep_every: Duration,
    /// The only teams that may register, if the operator lists them;
    /// otherwise any team may (the first roster of a team id is taken).
    pub allowed_teams: Option<std::collections::HashSet<store::TeamId>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_envelope: caravan_net::relay_proto::DEFAULT_MAX_ENVELOPE,
            quota_bytes: 1024 * 1024 * 1024,
            retention_ms: 30 * 86_400_000,
            sweep_every: Duration::from_secs(60),
            allowed_teams: None,
        }
    }
}

impl Config {
    /// Whether the operator lets team `team` register and sync here.
    pub fn serves(&self, team: &store::TeamId) -> bool {
        self.allowed_teams
            .as_ref()
            .is_none_or(|teams| teams.contains(team))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the relay's key could not be made: {0}")]
    Key(String),
    #[error("the listening address is unusable: {0}")]
    Listen(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

caravan_errors::coded! {
    StartError {
        Self::Key(_) => ("relay.key", Failure),
        Self::Listen(_) => ("relay.listen", Failure),
    }
    wraps { Store }
}
