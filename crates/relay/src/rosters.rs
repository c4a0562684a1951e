//! The rosters of teams with connected devices, decoded once per process
//! and shared: a roster change makes every connection of the team look
//! at the roster again, and ten thousand connections must not each load
//! and verify a roster of ten thousand devices.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use caravan_net::error::RelayCode;
use caravan_sync::roster::{Roster, SignedRoster};

use crate::conn::Refusal;
use crate::store::{Store, TeamId};

/// A generation and, if loaded, the roster.
type Entry = (u64, Option<Arc<Roster>>);

#[derive(Default)]
pub(crate) struct Rosters {
    /// Per team: the decoded roster, if loaded, and a generation that
    /// every invalidation raises (a load that raced one is not kept).
    cache: Mutex<HashMap<TeamId, Entry>>,
    /// One load at a time: connections that miss together wait for the
    /// first load instead of each making their own.
    loading: tokio::sync::Mutex<()>,
}

impl Rosters {
    fn cached(&self, team: &TeamId) -> Entry {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(team).cloned().unwrap_or((0, None))
    }

    /// The team's current roster, as verified when it was stored (and
    /// verified again when loaded, so a damaged database admits no one).
    pub async fn get(
        &self,
        store: &dyn Store,
        team: TeamId,
    ) -> Result<Option<Arc<Roster>>, Refusal> {
        if let (_, Some(r)) = self.cached(&team) {
            return Ok(Some(r));
        }
        let _one = self.loading.lock().await;
        let (generation, cached) = self.cached(&team);
        if let Some(r) = cached {
            return Ok(Some(r));
        }
        let Some(stored) = store.roster(team).await? else {
            return Ok(None);
        };
        let damaged = || Refusal::fatal(RelayCode::Unavailable, "the stored roster is damaged");
        let signed: SignedRoster = postcard::from_bytes(&stored.signed).map_err(|_| damaged())?;
        let roster = Arc::new(signed.open().map_err(|_| damaged())?);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let entry = cache.entry(team).or_insert((0, None));
        if entry.0 == generation {
            entry.1 = Some(roster.clone());
        }
        Ok(Some(roster))
    }

    /// The current roster if it may list a device the cached one does not:
    /// another process may have stored a newer one whose announcement has
    /// not arrived yet. Only the version is read unless it changed.
    pub async fn refresh(
        &self,
        store: &dyn Store,
        team: TeamId,
        cached: &Roster,
    ) -> Result<Option<Arc<Roster>>, Refusal> {
        if store.roster_version(team).await? == Some(cached.version) {
            return Ok(None);
        }
        self.invalidate(team);
        self.get(store, team).await
    }

    /// Forgets the team's roster: it changed.
    pub fn invalidate(&self, team: TeamId) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let entry = cache.entry(team).or_insert((0, None));
        *entry = (entry.0 + 1, None);
    }

    /// Forgets every roster: changes may have been missed.
    pub fn clear(&self) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        for entry in cache.values_mut() {
            *entry = (entry.0 + 1, None);
        }
    }
}
