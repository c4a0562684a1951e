//! What a device stores to rebuild its replica, and what changed since it
//! last stored it. The sync layer does no I/O: the application core writes
//! these parts into the vault (in one transaction per user action) and hands
//! them back at unlock.

use std::collections::{BTreeMap, HashMap};

use automerge::{AutoCommit, ChangeHash};
use serde::{Deserialize, Serialize};

use crate::error::SyncError;
use crate::identity::DeviceKeys;
use crate::keys::TeamKey;
use crate::quarantine::key_of;
use crate::replica::{Held, Quarantined, Replica};
use crate::team::{TEAM_DOC_ID, Team};

/// The replica's small mutable state: peer heads, held and quarantined
/// changes. Stored as one record; rewritten whenever it changes. Fields
/// added since the first version default when absent, so older records
/// still read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReplicaState {
    /// (member id, document id, heads that member is known to have).
    pub peer_heads: Vec<(String, String, Vec<[u8; 32]>)>,
    pub held: Vec<Held>,
    /// One entry per (document, change, reason code).
    pub quarantine: Vec<Quarantined>,
    /// Verdicts the supervisor discarded: (document id, change hash, reason code).
    #[serde(default)]
    pub discarded: Vec<(String, String, String)>,
    /// See `Replica::copied`; absent in state stored by older versions.
    #[serde(default)]
    pub copied: bool,
}

/// Changes of one document not yet stored, with their signatures.
#[derive(Debug, Clone)]
pub struct DocDelta {
    pub doc_id: String,
    /// `save_after` the stored heads: every change the store lacks.
    pub bytes: Vec<u8>,
    pub signatures: Vec<(ChangeHash, [u8; 64])>,
    /// Heads once these bytes are stored; pass them back next time.
    pub heads: Vec<ChangeHash>,
}

impl Replica {
    /// Rebuilds a replica from what was stored. Team keys are settled
    /// against the team document (see `keys.rs`): the caller stores the
    /// keys `team_keys` then yields, replacing and removing records to
    /// match. Changes without a stored
    /// signature cannot be forwarded to peers (export refuses), so the
    /// caller stores every signature in the same transaction as its change.
    pub fn restore(
        keys: DeviceKeys,
        team_doc: AutoCommit,
        team_keys: impl IntoIterator<Item = TeamKey>,
        cases: impl IntoIterator<Item = (String, AutoCommit)>,
        signatures: impl IntoIterator<Item = (ChangeHash, [u8; 64])>,
        state: ReplicaState,
    ) -> Result<Replica, SyncError> {
        let actor = keys.id().actor();
        let mut team = Team::from_automerge(team_doc.with_actor(actor.clone()));
        let team_id = team.id()?;
        let mut r = Replica::assemble(keys, team_id, team, team_keys);
        // Stored keys answer to the team document like any other: a key it
        // contradicts, or of an epoch it lacks (planted by a sender before
        // such keys were judged), is replaced or dropped here.
        let view = r.team.view()?;
        r.settle_keys(&view);
        r.cases = cases
            .into_iter()
            .map(|(id, d)| (id, d.with_actor(actor.clone())))
            .collect();
        r.signatures = signatures.into_iter().collect::<HashMap<_, _>>();
        r.peer_heads = state
            .peer_heads
            .into_iter()
            .map(|(m, d, h)| ((m, d), h.into_iter().map(ChangeHash).collect()))
            .collect::<BTreeMap<_, _>>();
        r.held = state.held;
        r.quarantine = state
            .quarantine
            .into_iter()
            .filter_map(|q| Some((key_of(&q)?, q)))
            .collect();
        r.discarded = state
            .discarded
            .into_iter()
            .filter_map(|(d, h, c)| Some((d, h.parse::<ChangeHash>().ok()?, c)))
            .collect();
        r.copied = state.copied;
        Ok(r)
    }

    /// The small mutable state, to store after an import or a session.
    pub fn state(&self) -> ReplicaState {
        ReplicaState {
            peer_heads: self
                .peer_heads
                .iter()
                .map(|((m, d), h)| (m.clone(), d.clone(), h.iter().map(|h| h.0).collect()))
                .collect(),
            held: self.held.clone(),
            quarantine: self.quarantine.values().cloned().collect(),
            discarded: self
                .discarded
                .iter()
                .map(|(d, h, c)| (d.clone(), h.to_string(), c.clone()))
                .collect(),
            copied: self.copied,
        }
    }

    /// Every team key epoch this device holds.
    pub fn team_keys(&self) -> impl Iterator<Item = &TeamKey> {
        self.team_keys.values()
    }

    /// Document ids this device holds: the team document, then the cases.
    pub fn doc_ids(&self) -> Vec<String> {
        std::iter::once(TEAM_DOC_ID.to_string())
            .chain(self.cases.keys().cloned())
            .collect()
    }

    /// What changed in each document since `stored` (document id → heads
    /// the store holds; a missing entry means nothing is stored yet).
    /// Documents with nothing new are left out.
    pub fn unsaved(&mut self, stored: &BTreeMap<String, Vec<ChangeHash>>) -> Vec<DocDelta> {
        let mut out = Vec::new();
        for doc_id in self.doc_ids() {
            let since = stored.get(&doc_id).cloned().unwrap_or_default();
            let Some(doc) = self.doc_mut(&doc_id) else {
                continue;
            };
            let heads = doc.get_heads();
            if heads == since {
                continue;
            }
            let changes: Vec<ChangeHash> =
                doc.get_changes(&since).iter().map(|c| c.hash()).collect();
            let bytes = doc.save_after(&since);
            let signatures = changes
                .into_iter()
                .filter_map(|h| self.signatures.get(&h).map(|s| (h, *s)))
                .collect();
            out.push(DocDelta {
                doc_id,
                bytes,
                signatures,
                heads,
            });
        }
        out
    }
}
