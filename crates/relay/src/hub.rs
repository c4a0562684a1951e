//! In-process fan-out: per team with connected devices, one broadcast
//! channel and the team's recent envelopes ([`crate::recent`]). Each
//! connection holds one receiver; an event is a few words, and a team's
//! recent envelopes are bounded by its connections, so memory grows with
//! connections, not with data. A team's state goes with its last
//! connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use crate::recent::{self, Bounds, Held, Window};
use crate::rosters::Rosters;
use crate::store::{DeviceId, Page, Reader, TeamId};

/// Events a slow connection may fall behind by before it is told to
/// fetch again (it then re-reads what it needs from storage).
const CAPACITY: usize = 256;

#[derive(Debug, Clone)]
pub enum Event {
    /// An envelope was committed.
    Appended {
        seq: u64,
        from: DeviceId,
        to: Arc<[String]>,
    },
    /// The team's roster changed: each connection re-reads it and ends
    /// if its device is gone.
    Roster,
    /// Events may have been missed (the database listener reconnected):
    /// re-read the roster and tell subscribers to fetch.
    Resync,
}

pub struct Hub {
    state: Mutex<State>,
    /// Forgotten as roster events pass, before any connection sees them.
    rosters: Arc<Rosters>,
}

struct State {
    teams: HashMap<TeamId, Team>,
    /// Whether every envelope that commits from now on is reported to the
    /// hub: always for a store without announcements (every append passes
    /// through this process), and for PostgreSQL while the listening
    /// connection listens. Recent envelopes are recorded only meanwhile.
    hearing: bool,
}

struct Team {
    tx: broadcast::Sender<Event>,
    connections: usize,
    recent: Arc<Mutex<Window>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Leave to record one envelope in a team's window. Taken before the
/// envelope commits (an upload's) or while its announcement is handled:
/// every envelope numbered above it commits later, and is reported to the
/// same window — unless the window is reset meanwhile (the listener lost
/// its connection, the team's last device left), which voids the ticket.
pub(crate) struct Ticket {
    window: Arc<Mutex<Window>>,
    epoch: u64,
    /// The largest body the window holds (a larger one is recorded
    /// without it).
    pub max_body: usize,
}

impl Ticket {
    /// Records `held` if the ticket is still good; returns the entry held
    /// for its number (this one or an earlier record of it).
    pub fn record(&self, held: Held) -> Arc<Held> {
        let mut w = lock(&self.window);
        if w.epoch() != self.epoch {
            return Arc::new(held);
        }
        w.record(held, Instant::now())
    }

    /// The envelope `seq`, if the window holds it.
    pub fn recorded(&self, seq: u64) -> Option<Arc<Held>> {
        let w = lock(&self.window);
        (w.epoch() == self.epoch).then(|| w.get(seq)).flatten()
    }

    /// Forgets the team's recent envelopes: an append whose outcome is not
    /// known may have committed a number this process never hears of.
    pub fn reset(&self) {
        let mut w = lock(&self.window);
        if w.epoch() == self.epoch {
            w.reset();
        }
    }
}

/// A connection's place in its team: its events, and its share of the
/// team's recent envelopes. The team's state goes with its last one.
pub struct Subscription {
    events: broadcast::Receiver<Event>,
    team: TeamId,
    hub: Arc<Hub>,
}

impl Subscription {
    pub async fn recv(&mut self) -> Result<Event, RecvError> {
        self.events.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.leave(self.team);
    }
}

impl Hub {
    /// `hearing`: whether every append is reported from the start (a
    /// store without announcements); otherwise from [`Hub::listening`] on.
    pub(crate) fn new(rosters: Arc<Rosters>, hearing: bool) -> Hub {
        Hub {
            state: Mutex::new(State {
                teams: HashMap::new(),
                hearing,
            }),
            rosters,
        }
    }

    pub fn subscribe(self: &Arc<Self>, team: TeamId) -> Subscription {
        let mut state = lock(&self.state);
        let t = state.teams.entry(team).or_insert_with(|| Team {
            tx: broadcast::channel(CAPACITY).0,
            connections: 0,
            recent: Arc::new(Mutex::new(Window::new(Bounds::for_connections(0)))),
        });
        t.connections += 1;
        t.resize();
        Subscription {
            events: t.tx.subscribe(),
            team,
            hub: self.clone(),
        }
    }

    fn leave(&self, team: TeamId) {
        let mut state = lock(&self.state);
        let Some(t) = state.teams.get_mut(&team) else {
            return;
        };
        t.connections = t.connections.saturating_sub(1);
        if t.connections == 0 {
            state.teams.remove(&team);
        } else {
            t.resize();
        }
    }

    pub fn publish(&self, team: TeamId, event: Event) {
        if let Event::Roster = event {
            self.rosters.invalidate(team);
        }
        let state = lock(&self.state);
        if let Some(t) = state.teams.get(&team) {
            // Fails only while the last connection is leaving.
            let _ = t.tx.send(event);
        }
    }

    /// Sends `event` to every team with connected devices.
    pub fn publish_all(&self, event: Event) {
        if let Event::Resync = event {
            self.rosters.clear();
        }
        let state = lock(&self.state);
        for t in state.teams.values() {
            let _ = t.tx.send(event.clone());
        }
    }

    /// Every envelope that commits from now on is reported (the listening
    /// connection listens again): recent envelopes are recorded afresh.
    pub(crate) fn listening(&self) {
        self.hear(true);
    }

    /// Envelopes may commit unreported (the listening connection is
    /// lost): recent envelopes are forgotten, and none recorded, until
    /// [`Hub::listening`].
    pub(crate) fn deaf(&self) {
        self.hear(false);
    }

    fn hear(&self, hearing: bool) {
        let mut state = lock(&self.state);
        state.hearing = hearing;
        for t in state.teams.values() {
            lock(&t.recent).reset();
        }
    }

    /// A ticket to record an envelope of `team` about to commit, or whose
    /// announcement arrived; `None` when nothing is recorded (no device of
    /// the team here, or the hub is not hearing every envelope).
    pub(crate) fn ticket(&self, team: TeamId) -> Option<Ticket> {
        let state = lock(&self.state);
        if !state.hearing {
            return None;
        }
        let t = state.teams.get(&team)?;
        let epoch = lock(&t.recent).epoch();
        Some(Ticket {
            window: t.recent.clone(),
            epoch,
            max_body: Bounds::for_connections(t.connections).max_body(),
        })
    }

    /// The store's answer to this fetch, from the team's recent envelopes,
    /// or `None` when they cannot prove it complete (ask the store).
    pub(crate) fn fetch(
        &self,
        reader: &Reader,
        after: u64,
        limit: u32,
        max_bytes: usize,
    ) -> Option<Page> {
        let window = lock(&self.state).teams.get(&reader.team)?.recent.clone();
        // Entries are shared: bodies are copied once the window is free.
        let (rows, more) = lock(&window).pick(reader, after, limit, max_bytes, Instant::now())?;
        Some(Page {
            items: recent::envelopes(&rows)?,
            more,
        })
    }
}

impl Team {
    fn resize(&self) {
        lock(&self.recent).set_bounds(Bounds::for_connections(self.connections), Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: TeamId = [3; 16];

    fn hub(hearing: bool) -> Arc<Hub> {
        Arc::new(Hub::new(Arc::new(Rosters::default()), hearing))
    }

    fn held(seq: u64) -> Held {
        Held {
            seq,
            from: [1; 32],
            at_ms: 0,
            to: recent::recipients(&["m".to_string()]),
            size: 1,
            body: Some(vec![seq as u8]),
        }
    }

    fn seqs(hub: &Hub, after: u64) -> Option<Vec<u64>> {
        let reader = Reader {
            team: TEAM,
            device: [2; 32],
            member: "m".into(),
        };
        let page = hub.fetch(&reader, after, 10, 1 << 20)?;
        Some(page.items.iter().map(|e| e.seq).collect())
    }

    #[test]
    fn nothing_is_recorded_until_every_append_is_heard_nor_after_the_listener_is_lost() {
        let hub = hub(false);
        let _sub = hub.subscribe(TEAM);
        assert!(hub.ticket(TEAM).is_none(), "not listening yet");
        hub.listening();
        let early = hub.ticket(TEAM).unwrap();
        early.record(held(1));
        assert_eq!(seqs(&hub, 0), Some(vec![1]));
        // The listener is lost while an append is under way: its ticket
        // is void, and nothing held before answers.
        let under_way = hub.ticket(TEAM).unwrap();
        hub.deaf();
        assert!(hub.ticket(TEAM).is_none());
        assert_eq!(seqs(&hub, 0), None);
        hub.listening();
        under_way.record(held(2));
        assert_eq!(seqs(&hub, 1), None, "a void ticket recorded nothing");
        hub.ticket(TEAM).unwrap().record(held(3));
        assert_eq!(seqs(&hub, 2), Some(vec![3]));
        assert_eq!(seqs(&hub, 1), None, "2 was not heard in this epoch");
    }

    #[test]
    fn a_teams_envelopes_go_with_its_last_connection() {
        let hub = hub(true);
        let (one, two) = (hub.subscribe(TEAM), hub.subscribe(TEAM));
        let ticket = hub.ticket(TEAM).unwrap();
        assert_eq!(ticket.max_body, Bounds::for_connections(2).max_body());
        ticket.record(held(1));
        drop(one);
        assert_eq!(seqs(&hub, 0), Some(vec![1]));
        drop(two);
        assert_eq!(seqs(&hub, 0), None);
        assert!(hub.ticket(TEAM).is_none());
        // A ticket of the team's earlier connections records nothing in
        // the window of its next ones.
        let _again = hub.subscribe(TEAM);
        ticket.record(held(2));
        assert_eq!(seqs(&hub, 1), None);
        // An append whose outcome is unknown forgets what was held.
        let t = hub.ticket(TEAM).unwrap();
        t.record(held(3));
        assert_eq!(seqs(&hub, 2), Some(vec![3]));
        t.reset();
        assert_eq!(seqs(&hub, 2), None);
    }
}
