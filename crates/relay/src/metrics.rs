//! Prometheus counters. Teams appear only under an opaque tag (a hash of
//! the team id), and nothing of an envelope but its size is counted.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::store::TeamStats;

/// A per-team gauge: its name, its help text, and its value.
type TeamGauge = (&'static str, &'static str, fn(&TeamStats) -> u64);

#[derive(Default)]
pub struct Metrics {
    connections: AtomicU64,
    appended: AtomicU64,
    appended_bytes: AtomicU64,
    refused: AtomicU64,
    fetches: AtomicU64,
    fetches_from_memory: AtomicU64,
}

/// A team's tag in logs and metrics: not its id, which devices use to
/// find it.
pub fn team_tag(team: &[u8; 16]) -> String {
    let h = Sha256::new()
        .chain_update(b"caravan/relay/tag/v1\0")
        .chain_update(team)
        .finalize();
    hex::encode(&h[..6])
}

impl Metrics {
    pub fn connected(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    pub fn disconnected(&self) {
        self.connections.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }

    pub fn appended(&self, bytes: u64) {
        self.appended.fetch_add(1, Ordering::Relaxed);
        self.appended_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// A fetch answered, from the team's recent envelopes in memory or
    /// from the store.
    pub fn fetched(&self, from_memory: bool) {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        if from_memory {
            self.fetches_from_memory.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self, teams: &[TeamStats]) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, kind: &str, help: &str, v: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}"
            );
        };
        counter(
            "caravan_relay_connections",
            "gauge",
            "Open device connections.",
            self.connections(),
        );
        counter(
            "caravan_relay_envelopes_appended_total",
            "counter",
            "Envelopes stored by this process.",
            self.appended.load(Ordering::Relaxed),
        );
        counter(
            "caravan_relay_bytes_appended_total",
            "counter",
            "Envelope bytes stored by this process.",
            self.appended_bytes.load(Ordering::Relaxed),
        );
        counter(
            "caravan_relay_auth_refused_total",
            "counter",
            "Authentications refused.",
            self.refused.load(Ordering::Relaxed),
        );
        counter(
            "caravan_relay_fetches_total",
            "counter",
            "Fetches answered by this process.",
            self.fetches.load(Ordering::Relaxed),
        );
        counter(
            "caravan_relay_fetches_from_memory_total",
            "counter",
            "Fetches answered from recent envelopes held in memory, without the store.",
            self.fetches_from_memory.load(Ordering::Relaxed),
        );
        let per_team: [TeamGauge; 2] = [
            (
                "caravan_relay_team_envelopes",
                "Envelopes held, per team tag.",
                |t| t.envelopes,
            ),
            (
                "caravan_relay_team_bytes",
                "Envelope bytes held, per team tag.",
                |t| t.bytes,
            ),
        ];
        for (name, help, value) in per_team {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
            for t in teams {
                let _ = writeln!(out, "{name}{{team=\"{}\"}} {}", team_tag(&t.team), value(t));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_name_teams_by_tag_only() {
        let team = [0x5a; 16];
        let m = Metrics::default();
        m.connected();
        m.appended(10);
        let text = m.render(&[TeamStats {
            team,
            envelopes: 3,
            bytes: 99,
        }]);
        assert!(text.contains("caravan_relay_connections 1"));
        assert!(text.contains(&format!(
            "caravan_relay_team_bytes{{team=\"{}\"}} 99",
            team_tag(&team)
        )));
        assert!(!text.contains(&hex::encode(team)));
    }
}
