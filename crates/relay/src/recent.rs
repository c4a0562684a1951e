//! The recent envelopes of one team, held in memory while devices of the
//! team are connected to this process: when an envelope reaches a hundred
//! devices, each fetching after its cursor, the database is read once per
//! relay process (or not at all, for an envelope appended through it)
//! instead of once per device (docs/relay.md, "Recent envelopes in
//! memory").
//!
//! A window answers a fetch only when it provably holds every envelope the
//! store would consider: every number from the fetch's cursor up to the
//! newest this process knows of. Numbers are per team, dense, and commit
//! in order; from `start` on, every envelope that commits is reported to
//! the window (the hub's tickets make sure of it), so a number missing
//! there is one not reported yet, or let go under the bounds, and either
//! way the store answers instead. What it answers is exactly what the
//! store's fetch gives (the same filter, order, limits and `more`), as of
//! the newest envelope this process has heard of — which is also when it
//! tells subscribers of that envelope.
//!
//! Memory follows connections, not data: a window holds at most
//! [`PER_CONNECTION_BYTES`] per connected device of its team, at most
//! [`MAX_TEAM_BYTES`] and [`MAX_TEAM_ENTRIES`] envelopes, none older than
//! [`MAX_AGE`]; it is dropped with the team's last connection.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use caravan_net::relay_proto::Envelope;

use crate::store::{DeviceId, Reader, StoredEnvelope, page_len};

/// Bytes a team's window may hold per connected device of the team.
pub const PER_CONNECTION_BYTES: usize = 64 * 1024;
/// Bytes a team's window holds at most, however many devices connect.
pub const MAX_TEAM_BYTES: usize = 8 * 1024 * 1024;
/// Envelopes a team's window holds at most (a fetch scans at most these).
pub const MAX_TEAM_ENTRIES: usize = 4096;
/// Envelopes older than this are let go: subscribers fetch a new envelope
/// within moments, and an old one may have been deleted by the sweep.
pub const MAX_AGE: Duration = Duration::from_secs(600);
/// What an entry costs beside its body and recipients (its fields, the
/// map's node, the reference counts), counted against the byte bound.
const ENTRY_COST: usize = 160;

/// One envelope as held.
#[derive(Debug)]
pub struct Held {
    pub seq: u64,
    pub from: DeviceId,
    pub at_ms: i64,
    /// The members it is for, sorted and without repeats.
    pub to: Arc<[String]>,
    /// The body's length.
    pub size: usize,
    /// `None`: larger than the window holds; a fetch that would return it
    /// goes to the store.
    pub body: Option<Vec<u8>>,
}

impl Held {
    /// A number whose envelope is gone from the store (swept before it
    /// was read): known, and for no one.
    pub fn gone(seq: u64) -> Held {
        Held {
            seq,
            from: [0; 32],
            at_ms: 0,
            to: Arc::from([]),
            size: 0,
            body: None,
        }
    }

    fn cost(&self) -> usize {
        let to: usize = self
            .to
            .iter()
            .map(|m| m.len() + std::mem::size_of::<String>())
            .sum();
        ENTRY_COST + to + self.body.as_ref().map_or(0, Vec::len)
    }

    fn is_for(&self, reader: &Reader) -> bool {
        self.from != reader.device && self.to.binary_search(&reader.member).is_ok()
    }

    fn envelope(&self) -> Option<Envelope> {
        Some(Envelope {
            seq: self.seq,
            from: self.from,
            at_ms: self.at_ms,
            body: self.body.clone()?,
        })
    }
}

impl From<StoredEnvelope> for Held {
    fn from(e: StoredEnvelope) -> Held {
        Held {
            seq: e.seq,
            from: e.from,
            at_ms: e.at_ms,
            to: recipients(&e.to),
            size: usize::try_from(e.size).unwrap_or(usize::MAX),
            body: e.body,
        }
    }
}

/// The members an envelope is for, sorted and without repeats (as the
/// store keeps them), for a window to search.
pub fn recipients(to: &[String]) -> Arc<[String]> {
    let mut to = to.to_vec();
    to.sort();
    to.dedup();
    to.into()
}

/// A window's bounds, from the number of the team's connections here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub bytes: usize,
    pub entries: usize,
}

impl Bounds {
    pub fn for_connections(n: usize) -> Bounds {
        Bounds {
            bytes: n.saturating_mul(PER_CONNECTION_BYTES).min(MAX_TEAM_BYTES),
            entries: MAX_TEAM_ENTRIES,
        }
    }

    /// The largest body held: a few envelopes always fit.
    pub fn max_body(&self) -> usize {
        self.bytes / 4
    }
}

/// A fetch's answer from memory: the envelopes, and whether more wait.
pub type Picked = (Vec<Arc<Held>>, bool);

/// The recent envelopes of one team.
#[derive(Debug)]
pub struct Window {
    /// Raised by every reset: a ticket of an older epoch records nothing.
    epoch: u64,
    /// From this number on, every envelope that commits is reported here;
    /// `None` until the first is (nothing is answered before).
    start: Option<u64>,
    /// Numbers below this were let go under the bounds.
    floor: u64,
    /// The highest number reported.
    newest: u64,
    held: BTreeMap<u64, (Instant, Arc<Held>)>,
    /// The bytes the held entries count for (see [`Held::cost`]).
    cost: usize,
    bounds: Bounds,
}

impl Window {
    pub fn new(bounds: Bounds) -> Window {
        Window {
            epoch: 0,
            start: None,
            floor: 0,
            newest: 0,
            held: BTreeMap::new(),
            cost: 0,
            bounds,
        }
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Forgets everything: envelopes may have committed unreported.
    pub fn reset(&mut self) {
        *self = Window {
            epoch: self.epoch + 1,
            ..Window::new(self.bounds)
        };
    }

    pub fn set_bounds(&mut self, bounds: Bounds, now: Instant) {
        self.bounds = bounds;
        self.trim(now);
    }

    /// The entry of `seq`, if held.
    pub fn get(&self, seq: u64) -> Option<Arc<Held>> {
        self.held.get(&seq).map(|(_, h)| h.clone())
    }

    /// Holds a reported envelope. The caller vouches that every envelope
    /// numbered above it that commits is reported here too (it took its
    /// ticket before the envelope committed, in this epoch); so the window
    /// is complete from the lowest number reported.
    pub fn record(&mut self, mut held: Held, now: Instant) -> Arc<Held> {
        if let Some(h) = self.get(held.seq) {
            return h;
        }
        if held
            .body
            .as_ref()
            .is_some_and(|b| b.len() > self.bounds.max_body())
        {
            held.body = None;
        }
        let held = Arc::new(held);
        if held.seq < self.floor {
            // Below what the bounds already let go: not held again.
            return held;
        }
        let seq = held.seq;
        self.start = Some(self.start.map_or(seq, |s| s.min(seq)));
        self.newest = self.newest.max(seq);
        self.cost += held.cost();
        self.held.insert(seq, (now, held.clone()));
        self.trim(now);
        held
    }

    /// Lets the oldest entries go until the bounds hold.
    fn trim(&mut self, now: Instant) {
        while let Some((&seq, (at, held))) = self.held.first_key_value() {
            let over = self.held.len() > self.bounds.entries
                || self.cost > self.bounds.bytes
                || now.saturating_duration_since(*at) > MAX_AGE;
            if !over {
                break;
            }
            self.cost -= held.cost();
            self.held.remove(&seq);
            self.floor = seq + 1;
        }
        self.start = self.start.map(|s| s.max(self.floor));
    }

    /// What the store's fetch gives `reader` after `after` (at most
    /// `limit`, at most `max_bytes` of bodies unless the first alone is
    /// larger), as of the newest envelope reported; `None` when the window
    /// cannot prove it holds every envelope that answer needs.
    pub fn pick(
        &mut self,
        reader: &Reader,
        after: u64,
        limit: u32,
        max_bytes: usize,
        now: Instant,
    ) -> Option<Picked> {
        self.trim(now);
        // The store refuses a cursor it cannot hold; it answers that one.
        if after > i64::MAX as u64 {
            return None;
        }
        let first = after + 1;
        if first < self.start? {
            return None;
        }
        let limit = limit as usize;
        let mut rows: Vec<Arc<Held>> = Vec::new();
        let mut bytes = 0usize;
        for (expected, (&seq, (_, held))) in (first..).zip(self.held.range(first..)) {
            if seq != expected {
                // Not reported yet, or let go: only the store knows.
                return None;
            }
            if !held.is_for(reader) {
                continue;
            }
            bytes = bytes.saturating_add(held.size);
            rows.push(held.clone());
            // The store reads one row past the limit to know of more; past
            // the byte bound the page is cut before this one anyway.
            if rows.len() > limit || (rows.len() > 1 && bytes > max_bytes) {
                break;
            }
        }
        let sizes: Vec<i64> = rows
            .iter()
            .take(limit)
            .map(|h| i64::try_from(h.size).unwrap_or(i64::MAX))
            .collect();
        let n = page_len(&sizes, max_bytes);
        if n == 0 {
            return Some((Vec::new(), false));
        }
        let more = rows.len() > n;
        rows.truncate(n);
        // A body too large to hold is the store's to send.
        if rows.iter().any(|h| h.body.is_none()) {
            return None;
        }
        Some((rows, more))
    }
}

/// The envelopes of a fetch answered from memory.
pub fn envelopes(rows: &[Arc<Held>]) -> Option<Vec<Envelope>> {
    rows.iter().map(|h| h.envelope()).collect()
}

#[cfg(test)]
mod tests;
