//! What a device stores to rebuild its replica, and what changed since it
//! last stored it. The sync layer does no I/O: the application core writes
//! these parts into the vault (in one transaction per user action) and hands
//! them back at unlock.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::{AutoCommit, Change, ChangeHash};
use serde::{Deserialize, Serialize};

use crate::error::SyncError;
use crate::identity::{DeviceId, DeviceKeys};
use crate::keys::TeamKey;
use crate::quarantine::key_of;
use crate::replica::{Held, Proof, Quarantined, Replica};
use crate::team::{TEAM_DOC_ID, Team};

/// The replica's mutable state: peer heads, held and quarantined changes,
/// the verdicts the supervisor discarded and whether this device is a
/// copy. Stored as rows (`StateDiff`): one per member and document for
/// peer heads, one per held change and per quarantine entry, each a
/// binary value under its own key, so no row grows with the others; the
/// discarded verdicts and the copy mark in one small row. (Earlier
/// versions stored it whole, as JSON; that form still deserialises into
/// this type, fields added since defaulting, and `Replica::restore`
/// completes it.)
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
    /// Proofs kept for changes taken on a signature of a change not
    /// applied here (`witness`); absent in state stored by older versions.
    #[serde(default)]
    pub proofs: Vec<Proof>,
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
    /// Every change is this device's own: nothing concurrent arrived, so
    /// no new conflict can have appeared (one device's changes each
    /// build on the last).
    pub only_mine: bool,
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
        for (id, d) in cases {
            r.cases.insert_stored(id, d.with_actor(actor.clone()));
        }
        r.signatures = signatures.into_iter().collect::<HashMap<_, _>>();
        r.peer_heads = state
            .peer_heads
            .into_iter()
            .map(|(m, d, h)| ((m, d), h.into_iter().map(ChangeHash).collect()))
            .collect::<BTreeMap<_, _>>();
        r.held = complete_held(state.held);
        r.quarantine = complete_quarantine(state.quarantine);
        r.discarded = state
            .discarded
            .into_iter()
            .filter_map(|(d, h, c)| Some((d, h.parse::<ChangeHash>().ok()?, c)))
            .collect();
        r.copied = state.copied;
        for p in state.proofs {
            r.keep_proof(p);
        }
        Ok(r)
    }

    /// Counts every change of the state that `state_diff` stores: when it
    /// has not moved since a store last wrote the state, there is nothing
    /// to write.
    pub fn state_generation(&self) -> u64 {
        self.generation
    }

    /// The rows to write and to delete so that a store holding `stored`
    /// holds the current state. A held change or quarantine entry is
    /// compared by a digest of everything in it but the change's bytes
    /// (which its key's hash fixes), so only new and changed ones are
    /// encoded.
    pub fn state_diff(&self, stored: &StoredRows) -> StateDiff {
        let mut diff = StateDiff::default();
        let mut peer_heads = BTreeSet::new();
        for ((member, doc_id), heads) in &self.peer_heads {
            let key = pair_key(member, doc_id);
            let value = encode(&PeerHeadsRow {
                member: member.clone(),
                doc_id: doc_id.clone(),
                heads: heads.iter().map(|h| h.0).collect(),
            });
            if stored.peer_heads.get(&key) != Some(&value) {
                diff.put.push((RowKind::PeerHeads, key.clone(), value));
            }
            peer_heads.insert(key);
        }
        for key in stored.peer_heads.keys() {
            if !peer_heads.contains(key) {
                diff.delete.push((RowKind::PeerHeads, key.clone()));
            }
        }
        diff_entries(RowKind::Held, &self.held, &stored.held, &mut diff);
        diff_entries(
            RowKind::Quarantined,
            self.quarantine.values(),
            &stored.quarantined,
            &mut diff,
        );
        diff_entries(
            RowKind::Proof,
            self.proofs.values(),
            &stored.proofs,
            &mut diff,
        );
        let notes = encode(&NotesRow {
            discarded: self.discarded_rows(),
            copied: self.copied,
        });
        if stored.notes.as_ref() != Some(&notes) {
            diff.put.push((RowKind::Notes, NOTES_KEY.to_vec(), notes));
        }
        diff
    }

    /// The discarded verdicts as stored: (document id, change hash, code).
    fn discarded_rows(&self) -> Vec<(String, String, String)> {
        self.discarded
            .iter()
            .map(|(d, h, c)| (d.clone(), h.to_string(), c.clone()))
            .collect()
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
            discarded: self.discarded_rows(),
            copied: self.copied,
            proofs: self.proofs.values().cloned().collect(),
        }
    }

    /// Bounds of what one device may leave stored here (tests lower them).
    pub fn set_quota(&mut self, quota: crate::quota::Quota) {
        self.quota = quota;
    }

    /// Rebuilds a replica that holds the cases `case_ids` without loading
    /// any of them or any signature: the store loads each case when it is
    /// needed (`load_case`), and everything before an exchange (see
    /// `residency`).
    pub fn restore_unloaded(
        keys: DeviceKeys,
        team_doc: AutoCommit,
        team_keys: impl IntoIterator<Item = TeamKey>,
        case_ids: impl IntoIterator<Item = String>,
        state: ReplicaState,
    ) -> Result<Replica, SyncError> {
        let mut r = Replica::restore(keys, team_doc, team_keys, [], [], state)?;
        r.unloaded = case_ids.into_iter().collect();
        r.signatures_partial = true;
        Ok(r)
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
    /// Documents with nothing new are left out. Only the team document
    /// and the cases marked as possibly changed are looked at (see
    /// `case_docs::CaseDocs`), so the cost follows what an action touched,
    /// not how many cases are in memory.
    pub fn unsaved(&mut self, stored: &BTreeMap<String, Vec<ChangeHash>>) -> Vec<DocDelta> {
        let mut out = Vec::new();
        out.extend(self.delta(TEAM_DOC_ID, stored));
        for doc_id in self.cases.dirty() {
            match self.delta(&doc_id, stored) {
                Some(d) => out.push(d),
                None => self.cases.stored(&doc_id),
            }
        }
        out
    }

    /// What the store lacks of one document, if anything.
    fn delta(
        &mut self,
        doc_id: &str,
        stored: &BTreeMap<String, Vec<ChangeHash>>,
    ) -> Option<DocDelta> {
        let since = stored.get(doc_id).cloned().unwrap_or_default();
        let doc = if doc_id == TEAM_DOC_ID {
            self.team.automerge_mut()
        } else {
            self.cases.get_mut_unmarked(doc_id)?
        };
        let heads = doc.get_heads();
        if heads == since {
            return None;
        }
        let me = self.keys.id().actor();
        let (changes, only_mine) = {
            let changes = doc.get_changes(&since);
            let only_mine = changes.iter().all(|c| *c.actor_id() == me);
            let hashes: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
            (hashes, only_mine)
        };
        let bytes = doc.save_after(&since);
        let signatures = changes
            .into_iter()
            .filter_map(|h| self.signatures.get(&h).map(|s| (h, *s)))
            .collect();
        Some(DocDelta {
            doc_id: doc_id.to_string(),
            bytes,
            signatures,
            heads,
            only_mine,
        })
    }
}

/// Which of the state's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowKind {
    /// What a member holds of a document: key member ‖ 0 ‖ document id.
    PeerHeads,
    /// A held change: key document id ‖ 0 ‖ change hash (hex).
    Held,
    /// A quarantine entry: key document id ‖ 0 ‖ change hash (hex) ‖ 0 ‖
    /// reason code.
    Quarantined,
    /// The verdicts the supervisor discarded and the copy mark: one row,
    /// key `NOTES_KEY`.
    Notes,
    /// A proof (`witness`): key document id ‖ 0 ‖ its first signed
    /// change's hash (hex).
    Proof,
}

/// The key of the one `RowKind::Notes` row.
pub const NOTES_KEY: &[u8] = b"sync-notes";

/// Rows to write (kind, key, value) and to delete (kind, key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateDiff {
    pub put: Vec<(RowKind, Vec<u8>, Vec<u8>)>,
    pub delete: Vec<(RowKind, Vec<u8>)>,
}

impl StateDiff {
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.delete.is_empty()
    }
}

/// What a store holds of the state, to diff the next state against: the
/// peer heads' and notes' values, and a digest of each held change and
/// quarantine entry. Kept by the store beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredRows {
    peer_heads: BTreeMap<Vec<u8>, Vec<u8>>,
    held: BTreeMap<Vec<u8>, [u8; 32]>,
    quarantined: BTreeMap<Vec<u8>, [u8; 32]>,
    notes: Option<Vec<u8>>,
    proofs: BTreeMap<Vec<u8>, [u8; 32]>,
}

impl StoredRows {
    /// What the store holds once `diff` is written. The values are those
    /// `state_diff` encoded, so they decode.
    pub fn apply(&mut self, diff: &StateDiff) {
        for (kind, key) in &diff.delete {
            match kind {
                RowKind::PeerHeads => {
                    self.peer_heads.remove(key);
                }
                RowKind::Held => {
                    self.held.remove(key);
                }
                RowKind::Quarantined => {
                    self.quarantined.remove(key);
                }
                RowKind::Notes => self.notes = None,
                RowKind::Proof => {
                    self.proofs.remove(key);
                }
            }
        }
        for (kind, key, value) in &diff.put {
            match kind {
                RowKind::PeerHeads => {
                    self.peer_heads.insert(key.clone(), value.clone());
                }
                RowKind::Held => {
                    if let Ok(h) = decode::<Held>(value) {
                        self.held.insert(key.clone(), h.digest());
                    }
                }
                RowKind::Quarantined => {
                    if let Ok(q) = decode::<Quarantined>(value) {
                        self.quarantined.insert(key.clone(), q.digest());
                    }
                }
                RowKind::Notes => self.notes = Some(value.clone()),
                RowKind::Proof => {
                    if let Ok(p) = decode::<Proof>(value) {
                        self.proofs.insert(key.clone(), p.digest());
                    }
                }
            }
        }
    }

    /// Rows of each kind.
    pub fn count(&self, kind: RowKind) -> usize {
        match kind {
            RowKind::PeerHeads => self.peer_heads.len(),
            RowKind::Held => self.held.len(),
            RowKind::Quarantined => self.quarantined.len(),
            RowKind::Notes => usize::from(self.notes.is_some()),
            RowKind::Proof => self.proofs.len(),
        }
    }
}

/// Rebuilds the state from its stored rows (kind, key, value), and what
/// the store holds. A row that does not decode is an error: the store
/// authenticated it, so it was written by a newer version.
pub fn state_from_rows(
    rows: impl IntoIterator<Item = (RowKind, Vec<u8>, Vec<u8>)>,
) -> Result<(ReplicaState, StoredRows), SyncError> {
    let mut state = ReplicaState::default();
    let mut stored = StoredRows::default();
    for (kind, key, value) in rows {
        match kind {
            RowKind::PeerHeads => {
                let row: PeerHeadsRow = decode(&value)?;
                if pair_key(&row.member, &row.doc_id) != key {
                    return Err(bad_row("a peer's heads are stored under another key"));
                }
                state.peer_heads.push((row.member, row.doc_id, row.heads));
                stored.peer_heads.insert(key, value);
            }
            RowKind::Held => state.held.push(read_entry(key, &value, &mut stored.held)?),
            RowKind::Quarantined => {
                let q = read_entry(key, &value, &mut stored.quarantined)?;
                state.quarantine.push(q);
            }
            RowKind::Notes => {
                let notes: NotesRow = decode(&value)?;
                state.discarded = notes.discarded;
                state.copied = notes.copied;
                stored.notes = Some(value);
            }
            RowKind::Proof => state
                .proofs
                .push(read_entry(key, &value, &mut stored.proofs)?),
        }
    }
    // A store lists rows in no particular order; held changes are read
    // back in the order of their keys.
    state.held.sort_by_key(Held::row_key);
    Ok((state, stored))
}

/// The first byte of every row's value: its format.
const ROW_FORMAT: u8 = 1;

#[derive(Serialize, Deserialize)]
struct PeerHeadsRow {
    member: String,
    doc_id: String,
    heads: Vec<[u8; 32]>,
}

#[derive(Serialize, Deserialize)]
struct NotesRow {
    discarded: Vec<(String, String, String)>,
    copied: bool,
}

fn pair_key(a: &str, b: &str) -> Vec<u8> {
    [a.as_bytes(), &[0], b.as_bytes()].concat()
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![ROW_FORMAT];
    // Serialising plain data into a vector does not fail.
    out.extend(postcard::to_stdvec(value).unwrap_or_default());
    out
}

fn decode<T: serde::de::DeserializeOwned>(value: &[u8]) -> Result<T, SyncError> {
    match value.split_first() {
        Some((&ROW_FORMAT, rest)) => {
            postcard::from_bytes(rest).map_err(|e| bad_row(&format!("a row does not decode: {e}")))
        }
        Some((f, _)) => Err(SyncError::FutureVersion {
            what: "stored sync state",
            found: u16::from(*f),
        }),
        None => Err(bad_row("an empty row")),
    }
}

fn bad_row(detail: &str) -> SyncError {
    SyncError::Malformed {
        what: "stored sync state",
        detail: detail.into(),
    }
}

/// SHA-256 of a row's fields but the change's bytes.
fn digest<T: Serialize>(fields: &T) -> [u8; 32] {
    crate::crypto::sha256(&[&postcard::to_stdvec(fields).unwrap_or_default()])
}

/// A held or a quarantined change, or a proof, as its row stores it.
trait StoredEntry: serde::de::DeserializeOwned {
    /// The refusal of a row stored under a key not its own.
    const MISPLACED: &'static str;
    /// The key of its row.
    fn row_key(&self) -> Vec<u8>;
    /// What tells whether its stored row is current.
    fn digest(&self) -> [u8; 32];
}

/// Adds to `diff` the rows of `kind` to write (new entries and changed
/// ones, told by their digest) and to delete (stored, no longer held).
fn diff_entries<'e, T: StoredEntry + Serialize + 'e>(
    kind: RowKind,
    entries: impl IntoIterator<Item = &'e T>,
    stored: &BTreeMap<Vec<u8>, [u8; 32]>,
    diff: &mut StateDiff,
) {
    let mut current = BTreeSet::new();
    for e in entries {
        let key = e.row_key();
        if stored.get(&key) != Some(&e.digest()) {
            diff.put.push((kind, key.clone(), encode(e)));
        }
        current.insert(key);
    }
    for key in stored.keys() {
        if !current.contains(key) {
            diff.delete.push((kind, key.clone()));
        }
    }
}

/// Decodes a held or quarantined change's row, refused unless it is stored
/// under its own key, and records the row's digest in `digests`.
fn read_entry<T: StoredEntry>(
    key: Vec<u8>,
    value: &[u8],
    digests: &mut BTreeMap<Vec<u8>, [u8; 32]>,
) -> Result<T, SyncError> {
    let entry: T = decode(value)?;
    if entry.row_key() != key {
        return Err(bad_row(T::MISPLACED));
    }
    digests.insert(key, entry.digest());
    Ok(entry)
}

impl StoredEntry for Held {
    const MISPLACED: &'static str = "a held change is stored under another key";

    fn row_key(&self) -> Vec<u8> {
        pair_key(&self.doc_id, &self.hash)
    }

    fn digest(&self) -> [u8; 32] {
        digest(&(
            &self.doc_id,
            &self.hash,
            &self.author,
            &self.owner,
            &self.signature,
            self.signature_verified,
        ))
    }
}

impl StoredEntry for Proof {
    const MISPLACED: &'static str = "a proof is stored under another key";

    fn row_key(&self) -> Vec<u8> {
        let first = self.signed.first().map(|s| hex::encode(s.change));
        pair_key(&self.doc_id, &first.unwrap_or_default())
    }

    fn digest(&self) -> [u8; 32] {
        // Its changes are fixed by the signed changes' hashes; what it
        // vouches for grows.
        digest(&(
            &self.doc_id,
            &self.author,
            &self.signed,
            &self.vouches,
            &self.successors,
        ))
    }
}

impl StoredEntry for Quarantined {
    const MISPLACED: &'static str = "a quarantined change is stored under another key";

    fn row_key(&self) -> Vec<u8> {
        [
            pair_key(&self.doc_id, &self.hash).as_slice(),
            &[0],
            self.reason.code.as_bytes(),
        ]
        .concat()
    }

    fn digest(&self) -> [u8; 32] {
        digest(&(
            &self.doc_id,
            &self.hash,
            &self.author,
            &self.owner,
            &self.reason,
            &self.signature,
            &self.relayed_by,
            self.arrived_at,
        ))
    }
}

/// Held changes as stored before rows, completed: their hash and author
/// read from their bytes, charged to their author (the sender was not
/// recorded); one per document and hash. Changes that do not parse are
/// left out (an import would drop them too).
fn complete_held(held: Vec<Held>) -> Vec<Held> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(held.len());
    for mut h in held {
        if h.hash.is_empty() {
            let Ok(c) = Change::from_bytes(h.bytes.clone()) else {
                tracing::warn!("a held change that does not parse was left out");
                continue;
            };
            h.hash = c.hash().to_string();
            h.author = DeviceId::from_actor(c.actor_id()).map(|d| d.to_hex());
        }
        if h.owner.is_empty() {
            h.owner = h.author.clone().unwrap_or_default();
        }
        if seen.insert(h.row_key()) {
            out.push(h);
        }
    }
    out
}

/// Quarantine entries as stored before rows, completed the same way: each
/// charged to the device that relayed it, or else its author; one per
/// (document, change, reason code).
fn complete_quarantine(
    quarantine: Vec<Quarantined>,
) -> BTreeMap<crate::quarantine::Key, Quarantined> {
    let mut out = BTreeMap::new();
    for mut q in quarantine {
        if q.owner.is_empty() {
            q.owner = q
                .relayed_by
                .clone()
                .or_else(|| q.author.clone())
                .unwrap_or_default();
        }
        if let Some(k) = key_of(&q) {
            out.entry(k).or_insert(q);
        }
    }
    out
}
