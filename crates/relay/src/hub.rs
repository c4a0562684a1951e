//! In-process fan-out: one broadcast channel per team with connected
//! devices. Each connection holds one receiver; an event is a few words,
//! so memory grows with connections, not with data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::rosters::Rosters;
use crate::store::{DeviceId, TeamId};

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
    teams: Mutex<HashMap<TeamId, broadcast::Sender<Event>>>,
    /// Forgotten as roster events pass, before any connection sees them.
    rosters: Arc<Rosters>,
}

impl Hub {
    pub(crate) fn new(rosters: Arc<Rosters>) -> Hub {
        Hub {
            teams: Mutex::default(),
            rosters,
        }
    }

    pub fn subscribe(&self, team: TeamId) -> broadcast::Receiver<Event> {
        let mut teams = self.teams.lock().unwrap_or_else(|e| e.into_inner());
        teams
            .entry(team)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe()
    }

    pub fn publish(&self, team: TeamId, event: Event) {
        if let Event::Roster = event {
            self.rosters.invalidate(team);
        }
        let mut teams = self.teams.lock().unwrap_or_else(|e| e.into_inner());
        // A send fails when nobody of this team is connected any more.
        if teams.get(&team).is_some_and(|tx| tx.send(event).is_err()) {
            teams.remove(&team);
        }
    }

    /// Sends `event` to every team with connected devices.
    pub fn publish_all(&self, event: Event) {
        if let Event::Resync = event {
            self.rosters.clear();
        }
        let mut teams = self.teams.lock().unwrap_or_else(|e| e.into_inner());
        teams.retain(|_, tx| tx.send(event.clone()).is_ok());
    }
}
