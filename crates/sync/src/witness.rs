//! Refused changes passed on as proof for the changes they vouched for.
//!
//! A change can be taken on the signature of a later change of its author
//! that is itself refused here (`vouch`). This device keeps no signature of
//! its own for such a change, so it cannot vouch for it with one; an author
//! could use that to strand later work on a case: send a change with only
//! the signature of a successor every device refuses, and everything built
//! on the change would be refused as unsigned wherever it travels next. So
//! the refused successor travels with it: the recipient checks the author's
//! signature of the successor, finds the change reached from it, and judges
//! both as it judges any change (the successor is refused again on its own
//! merits, or taken if the recipient finds it sound). It gains nothing a
//! sender could not already send: the successor is its author's change,
//! with its author's valid signature, of a document the recipient may see.
//! See docs/security.md, "Trusted changes".

use std::collections::{HashMap, HashSet};

use automerge::{ActorId, Change, ChangeHash};

use crate::quarantine::{BAD_SIGNATURE, of_doc};
use crate::refusal::Refusal;
use crate::replica::Replica;
use crate::trust::Verifier;
use crate::vouch::Voucher;

/// Refused changes looked at as witnesses for one document's input, at
/// most: each may start a walk over what is sent.
const MAX_CANDIDATES: usize = 256;

impl Replica {
    /// The refused changes of `doc_id` to send beside `sending` (what is
    /// about to go, dependencies first) so that the recipient can vouch for
    /// `bare`, the changes among them that no signature held here vouches
    /// for: each quarantined change of a bare change's author with that
    /// author's valid signature that reaches one of the author's bare
    /// changes through `deps`, and the refused changes on the way. Each is
    /// paired with its own signature where it has a valid one; the list
    /// holds every change after those of the list it depends on.
    pub(crate) fn witnesses(
        &self,
        doc_id: &str,
        sending: &[Change],
        bare: &[ChangeHash],
    ) -> Vec<(Change, Option<[u8; 64]>)> {
        if bare.is_empty() {
            return Vec::new();
        }
        let bare: HashSet<&ChangeHash> = bare.iter().collect();
        let authors: HashSet<&ActorId> = sending
            .iter()
            .filter(|c| bare.contains(&c.hash()))
            .map(|c| c.actor_id())
            .collect();
        let verifier = Verifier::new(&self.team_id, doc_id);
        // Each refused change once, with its own signature if that holds.
        let mut refused: HashMap<ChangeHash, (Change, Option<[u8; 64]>)> = HashMap::new();
        let forged = Refusal::OwnActorForged.code();
        for ((_, hash, code), q) in of_doc(&self.quarantine, doc_id) {
            if refused.contains_key(hash) || code == BAD_SIGNATURE || code == forged {
                continue;
            }
            let Ok(change) = Change::from_bytes(q.bytes.clone()) else {
                continue;
            };
            if change.hash() != *hash {
                continue;
            }
            let own = match Voucher::from_bytes(&q.signature) {
                Some(Voucher::Own(s)) if verifier.valid(&change, &s) => Some(s),
                _ => None,
            };
            refused.insert(*hash, (change, own));
        }
        let index: HashMap<ChangeHash, &Change> = sending.iter().map(|c| (c.hash(), c)).collect();
        let mut chosen: HashSet<ChangeHash> = HashSet::new();
        let candidates = refused
            .iter()
            .filter(|(_, (c, own))| own.is_some() && authors.contains(c.actor_id()))
            .take(MAX_CANDIDATES);
        for (hash, (candidate, _)) in candidates {
            let actor = candidate.actor_id();
            let mut seen: HashSet<ChangeHash> = HashSet::new();
            let mut on_the_way: Vec<ChangeHash> = Vec::new();
            let mut reaches = false;
            let mut stack = vec![*hash];
            while let Some(at) = stack.pop() {
                let deps = match index.get(&at) {
                    Some(c) => c.deps(),
                    None => refused.get(&at).map_or(&[][..], |(c, _)| c.deps()),
                };
                for &d in deps {
                    if !seen.insert(d) {
                        continue;
                    }
                    if let Some(c) = index.get(&d) {
                        reaches |= bare.contains(&d) && c.actor_id() == actor;
                        stack.push(d);
                    } else if refused.contains_key(&d) {
                        on_the_way.push(d);
                        stack.push(d);
                    }
                }
            }
            if reaches {
                chosen.insert(*hash);
                chosen.extend(on_the_way);
            }
        }
        let mut out: Vec<(Change, Option<[u8; 64]>)> = chosen
            .iter()
            .filter_map(|h| refused.get(h).cloned())
            .collect();
        // Dependencies first: a change's ancestors among these have fewer
        // ancestors than it does.
        out.sort_by_cached_key(|(c, _)| (ancestors_among(c, &chosen, &refused), c.hash()));
        out
    }
}

/// How many of `among` (refused changes) `c` reaches through `deps` within
/// them.
fn ancestors_among(
    c: &Change,
    among: &HashSet<ChangeHash>,
    refused: &HashMap<ChangeHash, (Change, Option<[u8; 64]>)>,
) -> usize {
    let mut seen = HashSet::new();
    let mut stack: Vec<ChangeHash> = c.deps().to_vec();
    while let Some(h) = stack.pop() {
        if !among.contains(&h) || !seen.insert(h) {
            continue;
        }
        if let Some((d, _)) = refused.get(&h) {
            stack.extend(d.deps().iter().copied());
        }
    }
    seen.len()
}
