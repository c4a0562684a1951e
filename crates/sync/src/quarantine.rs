//! The quarantine: changes that failed a check, kept (never applied) with
//! their reasons, one entry per (document, change, reason code).
//!
//! A verdict on a change's merits — policy, case access, standing,
//! equivocation, a change under this device's own actor — holds whatever
//! signature the change arrives with later. Two verdicts do not:
//!
//! - `sync.bad_change_signature` judges one copy of a change, not the
//!   change: anyone who relays a change can attach junk to it. When the same
//!   change arrives with a valid signature of its author's device, the entry
//!   is released and the change judged afresh.
//! - `sync.depends_on_quarantined` lasts as long as the change it builds on
//!   is refused. When that change is applied, what waited on it is judged
//!   again.
//!
//! The supervisor (or an admin) reviews the rest: `release_quarantined`
//! judges a change again against the team as it stands now, with every
//! check (a release never bypasses one), and `discard_quarantined` removes
//! it from the list, recorded in the audit log. Neither touches anything
//! already applied.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use automerge::{Change, ChangeHash};
use caravan_model::{Millis, Role};
use serde::Serialize;

use crate::error::SyncError;
use crate::identity::DeviceId;
use crate::import::{Entry, ImportReport};
use crate::refusal::Refusal;
use crate::refusal::Rejection;
use crate::replica::{Quarantined, Replica};
use crate::team::TEAM_DOC_ID;
use crate::vouch::Voucher;

/// (document id, change hash, reason code).
pub(crate) type Key = (String, ChangeHash, String);

/// Changes waiting in quarantine on another change: its hash → each
/// waiting change with the signature it came with.
pub(crate) type Waiting = HashMap<ChangeHash, Vec<(Change, Vec<u8>)>>;

pub(crate) const BAD_SIGNATURE: &str = Refusal::BadChangeSignature.code();
pub(crate) const DEPENDS: &str = Refusal::DependsOnQuarantined.code();

pub(crate) fn depends_on_quarantined() -> Rejection {
    Rejection::new(
        Refusal::DependsOnQuarantined,
        "the change builds on a quarantined change",
    )
}

pub(crate) fn key_of(q: &Quarantined) -> Option<Key> {
    Some((
        q.doc_id.clone(),
        q.hash.parse().ok()?,
        q.reason.code.clone(),
    ))
}

/// What vouched for an entry's change, if it was kept (`Voucher::to_bytes`).
pub(crate) fn signature_of(q: &Quarantined) -> Option<Voucher> {
    Voucher::from_bytes(&q.signature)
}

/// Every entry of one change in one document.
fn of_change<'m>(
    map: &'m BTreeMap<Key, Quarantined>,
    doc_id: &str,
    hash: &ChangeHash,
) -> impl Iterator<Item = (&'m Key, &'m Quarantined)> {
    let start = (doc_id.to_string(), *hash, String::new());
    map.range((Bound::Included(start), Bound::Unbounded))
        .take_while(move |((d, h, _), _)| d == doc_id && h == hash)
}

/// Every entry of one document.
pub(crate) fn of_doc<'m>(
    map: &'m BTreeMap<Key, Quarantined>,
    doc_id: &str,
) -> impl Iterator<Item = (&'m Key, &'m Quarantined)> {
    let start = (doc_id.to_string(), ChangeHash([0; 32]), String::new());
    map.range((Bound::Included(start), Bound::Unbounded))
        .take_while(move |((d, _, _), _)| d == doc_id)
}

/// The quarantine as one input (a bundle, a session frame, a release) sees
/// it while it is judged: the entries from before it, less those it
/// released, plus those it added. Committed only once the whole input has
/// been judged.
#[derive(Clone)]
pub(crate) struct Ledger<'a> {
    before: &'a BTreeMap<Key, Quarantined>,
    discarded: &'a BTreeSet<Key>,
    pub(crate) released: BTreeSet<Key>,
    pub(crate) added: Vec<Quarantined>,
    added_at: HashMap<(String, ChangeHash), Vec<usize>>,
    /// Keys released and then added again: the change stays with the same
    /// verdict, which is not news.
    pub(crate) renewed: HashSet<Key>,
    /// Refused here without an entry: the supervisor discarded the same
    /// verdict on the same change before.
    dropped: HashSet<(String, ChangeHash)>,
    relayed_by: Option<String>,
}

impl<'a> Ledger<'a> {
    pub(crate) fn new(
        before: &'a BTreeMap<Key, Quarantined>,
        discarded: &'a BTreeSet<Key>,
        relayed_by: Option<String>,
    ) -> Ledger<'a> {
        Ledger {
            before,
            discarded,
            released: BTreeSet::new(),
            added: Vec::new(),
            added_at: HashMap::new(),
            renewed: HashSet::new(),
            dropped: HashSet::new(),
            relayed_by,
        }
    }

    /// A ledger over the same quarantine for another worker, with what
    /// was released before the work was shared out.
    pub(crate) fn fork(&self) -> Ledger<'a> {
        let mut l = Ledger::new(self.before, self.discarded, self.relayed_by.clone());
        l.released.clone_from(&self.released);
        l
    }

    /// Takes over what a worker's ledger recorded (its documents are its own).
    pub(crate) fn absorb(&mut self, other: Ledger<'_>) {
        self.released.extend(other.released);
        self.renewed.extend(other.renewed);
        for q in other.added {
            self.push(q);
        }
    }

    fn push(&mut self, q: Quarantined) {
        if let Ok(hash) = q.hash.parse::<ChangeHash>() {
            self.added_at
                .entry((q.doc_id.clone(), hash))
                .or_default()
                .push(self.added.len());
        }
        self.added.push(q);
    }

    /// The entries of a change that stand now.
    pub(crate) fn live(&self, doc_id: &str, hash: &ChangeHash) -> Vec<&Quarantined> {
        let mut out: Vec<&Quarantined> = of_change(self.before, doc_id, hash)
            .filter(|(k, _)| !self.released.contains(*k))
            .map(|(_, q)| q)
            .collect();
        if let Some(ix) = self.added_at.get(&(doc_id.to_string(), *hash)) {
            out.extend(ix.iter().map(|&i| &self.added[i]));
        }
        out
    }

    /// The bytes of a change refused in this document as it stands now,
    /// and what vouched for it as it came (`Voucher::to_bytes`).
    pub(crate) fn refused(&self, doc_id: &str, hash: &ChangeHash) -> Option<(&[u8], &[u8])> {
        self.live(doc_id, hash)
            .first()
            .map(|q| (q.bytes.as_slice(), q.signature.as_slice()))
    }

    /// Whether the change stands refused in this document: changes that
    /// build on it cannot be applied.
    pub(crate) fn is_refused(&self, doc_id: &str, hash: &ChangeHash) -> bool {
        !self.live(doc_id, hash).is_empty() || self.dropped.contains(&(doc_id.to_string(), *hash))
    }

    /// Releases every entry of a change from before this input, so it is
    /// judged afresh.
    pub(crate) fn release(&mut self, doc_id: &str, hash: &ChangeHash) {
        let keys: Vec<Key> = of_change(self.before, doc_id, hash)
            .map(|(k, _)| k.clone())
            .collect();
        self.released.extend(keys);
    }

    /// Changes of `doc_id` quarantined only because they build on a
    /// quarantined change: dependency hash → the changes waiting on it,
    /// with the signature each came with.
    pub(crate) fn waiting_in(&self, doc_id: &str) -> Waiting {
        let mut out = Waiting::new();
        for ((_, hash, code), q) in of_doc(self.before, doc_id) {
            if code != DEPENDS || !self.only_waiting(doc_id, hash) {
                continue;
            }
            let Ok(c) = Change::from_bytes(q.bytes.clone()) else {
                continue;
            };
            for d in c.deps() {
                out.entry(*d)
                    .or_default()
                    .push((c.clone(), q.signature.clone()));
            }
        }
        out
    }

    /// Whether every entry of the change standing now says it builds on a
    /// quarantined change (and nothing about its own merits).
    pub(crate) fn only_waiting(&self, doc_id: &str, hash: &ChangeHash) -> bool {
        let live = self.live(doc_id, hash);
        !live.is_empty() && live.iter().all(|q| q.reason.code == DEPENDS)
    }

    /// Records a refusal. Returns false if it was not kept: the same
    /// verdict stands already, or the supervisor discarded it before.
    pub(crate) fn add(
        &mut self,
        doc_id: &str,
        c: &Change,
        voucher: &Voucher,
        reason: Rejection,
    ) -> bool {
        let hash = c.hash();
        let key: Key = (doc_id.to_string(), hash, reason.code.clone());
        if self.discarded.contains(&key) {
            self.dropped.insert((doc_id.to_string(), hash));
            return false;
        }
        if self
            .live(doc_id, &hash)
            .iter()
            .any(|q| q.reason.code == reason.code)
        {
            return false;
        }
        // A change released and refused again for the same reason keeps
        // when and from whom it first arrived.
        let earlier = self
            .released
            .contains(&key)
            .then(|| self.before.get(&key))
            .flatten();
        if earlier.is_some() {
            self.renewed.insert(key);
        }
        let q = Quarantined {
            doc_id: doc_id.to_string(),
            hash: hash.to_string(),
            author: DeviceId::from_actor(c.actor_id()).map(|d| d.to_hex()),
            owner: String::new(),
            reason,
            bytes: c.raw_bytes().to_vec(),
            signature: voucher.to_bytes(),
            relayed_by: earlier.map_or_else(|| self.relayed_by.clone(), |q| q.relayed_by.clone()),
            arrived_at: earlier.and_then(|q| q.arrived_at),
        };
        self.push(q);
        true
    }
}

/// What a supervisor's release did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Release {
    /// The change passed every check and was applied.
    pub applied: bool,
    /// Changes applied in all: this one and those that waited on it.
    pub changes_applied: usize,
    /// Its dependencies are not all here: it waits for them (held).
    pub held: bool,
    /// Why it stays in quarantine (empty when applied or held).
    pub reasons: Vec<Rejection>,
}

impl Replica {
    /// Quarantined changes, oldest arrival first (entries from before
    /// arrival times were kept come first), then by document; within one
    /// arrival and document, changes refused for what they are come before
    /// those that only wait on them.
    pub fn quarantine(&self) -> Vec<&Quarantined> {
        let mut all: Vec<&Quarantined> = self.quarantine.values().collect();
        all.sort_by(|a, b| {
            (a.arrived_at, &a.doc_id, a.reason.code == DEPENDS).cmp(&(
                b.arrived_at,
                &b.doc_id,
                b.reason.code == DEPENDS,
            ))
        });
        all
    }

    /// Whether a change stands in this device's quarantine.
    pub fn is_quarantined(&self, doc_id: &str, hash: &ChangeHash) -> bool {
        of_change(&self.quarantine, doc_id, hash).next().is_some()
    }

    /// Hashes of the changes quarantined in one document.
    pub(crate) fn quarantined_in(&self, doc_id: &str) -> HashSet<ChangeHash> {
        of_doc(&self.quarantine, doc_id)
            .map(|((_, h, _), _)| *h)
            .collect()
    }

    /// Changes of a document quarantined on their merits: not asked for
    /// again. One held back only for a copy's bad signature, or only
    /// because it builds on such a change, is asked for, so its author's
    /// valid copy can release it (a peer's Bloom filter may otherwise take
    /// it for one this device holds, and never send it).
    pub(crate) fn refused_in(&self, doc_id: &str) -> HashSet<ChangeHash> {
        let mut pending: HashMap<ChangeHash, bool> = HashMap::new();
        for ((_, h, code), _) in of_doc(&self.quarantine, doc_id) {
            let on_merits = code != BAD_SIGNATURE && code != DEPENDS;
            *pending.entry(*h).or_default() |= on_merits;
        }
        pending
            .into_iter()
            .filter(|(_, on_merits)| *on_merits)
            .map(|(h, _)| h)
            .collect()
    }

    /// Dates the entries quarantined since the last call. The sync layer
    /// reads no clock: the caller passes the time it saves an import, a
    /// session or a release.
    pub fn date_quarantine(&mut self, at: Millis) {
        self.generation += 1;
        for key in std::mem::take(&mut self.undated) {
            if let Some(q) = self.quarantine.get_mut(&key)
                && q.arrived_at.is_none()
            {
                q.arrived_at = Some(at);
            }
        }
    }

    /// Only a supervisor or an admin reviews the quarantine.
    fn may_review(&self, action: &str) -> Result<(), SyncError> {
        let (_, role) = self.me()?;
        if matches!(role, Role::Supervisor | Role::Admin) {
            Ok(())
        } else {
            Err(SyncError::Denied(format!(
                "the {role} role may not {action} quarantined changes; a supervisor or an admin may"
            )))
        }
    }

    /// Judges a quarantined change again, now, against the team as it
    /// stands, with every check an incoming change passes: if it passes, it
    /// is applied (with the changes that waited on it); if not, it stays
    /// with the reasons it fails for now. Supervisor or admin only.
    pub fn release_quarantined(
        &mut self,
        doc_id: &str,
        hash: &ChangeHash,
    ) -> Result<Release, SyncError> {
        self.may_review("release")?;
        self.require_resident("release from quarantine")?;
        let entries: Vec<&Quarantined> = of_change(&self.quarantine, doc_id, hash)
            .map(|(_, q)| q)
            .collect();
        let Some(first) = entries.first() else {
            return Err(SyncError::NotQuarantined {
                change: hash.to_string(),
            });
        };
        let change = Change::from_bytes(first.bytes.clone())
            .map_err(|e| SyncError::Document(format!("a quarantined change: {e}")))?;
        // Of the signatures kept with it, one that verifies if there is one.
        let team_id = self.team_id;
        let verifier = crate::trust::Verifier::new(&team_id, doc_id);
        let voucher = entries
            .iter()
            .filter_map(|q| signature_of(q))
            .find(|v| crate::vouch::vouches(&verifier, &change, v))
            .or_else(|| entries.iter().find_map(|q| signature_of(q)))
            .unwrap_or(crate::vouch::UNSIGNED);
        let codes: Vec<String> = entries.iter().map(|q| q.reason.code.clone()).collect();
        if doc_id != TEAM_DOC_ID {
            let team = self.team()?;
            let (me, _) = self.me()?;
            let creator = self
                .cases
                .get(doc_id)
                .and_then(|d| Replica::creator_of(&team, doc_id, d));
            if !crate::team::is_case_id(doc_id) || !team.may_access(&me, doc_id, creator.as_deref())
            {
                return Err(SyncError::Denied(
                    "this device may not see the case the change belongs to".into(),
                ));
            }
        }
        let entry: Entry = (doc_id.to_string(), vec![(change, voucher)], Vec::new());
        let mut report = ImportReport::default();
        self.judge(None, vec![entry], None, &mut report, Some((doc_id, *hash)))?;
        let applied = self
            .doc_mut(doc_id)
            .is_some_and(|d| d.get_change_by_hash(hash).is_some());
        let reasons: Vec<Rejection> = of_change(&self.quarantine, doc_id, hash)
            .map(|(_, q)| q.reason.clone())
            .collect();
        let held = self.held.iter().any(|h| {
            h.doc_id == doc_id
                && Change::from_bytes(h.bytes.clone()).is_ok_and(|c| c.hash() == *hash)
        });
        let outcome = if applied {
            format!("applied, with {} changes in all", report.applied)
        } else if held {
            "held until the changes it builds on arrive".to_string()
        } else {
            format!(
                "still quarantined ({})",
                reasons
                    .iter()
                    .map(|r| r.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        self.audit(
            "sync.quarantine_release",
            format!(
                "change {hash} of document {doc_id} ({}) judged again: {outcome}",
                codes.join(", ")
            ),
        );
        Ok(Release {
            applied,
            changes_applied: report.applied,
            held,
            reasons,
        })
    }

    /// Removes a change from the quarantine, recorded in the audit log.
    /// Nothing applied is touched; the same verdict on the same change is
    /// not kept again when a peer sends it again (a different verdict, or
    /// the change passing, still counts). Returns the reason codes it was
    /// kept for. Supervisor or admin only.
    pub fn discard_quarantined(
        &mut self,
        doc_id: &str,
        hash: &ChangeHash,
    ) -> Result<Vec<String>, SyncError> {
        self.may_review("discard")?;
        self.require_resident("discard from quarantine")?;
        let keys: Vec<Key> = of_change(&self.quarantine, doc_id, hash)
            .map(|(k, _)| k.clone())
            .collect();
        if keys.is_empty() {
            return Err(SyncError::NotQuarantined {
                change: hash.to_string(),
            });
        }
        let codes: Vec<String> = keys.iter().map(|(_, _, c)| c.clone()).collect();
        for k in keys {
            self.quarantine.remove(&k);
            self.discarded.insert(k);
        }
        self.generation += 1;
        self.audit(
            "sync.quarantine_discard",
            format!(
                "change {hash} of document {doc_id} ({}) discarded from quarantine",
                codes.join(", ")
            ),
        );
        Ok(codes)
    }
}
