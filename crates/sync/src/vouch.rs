//! Which signature shows that a change is its author's.
//!
//! A device signs each change it makes (`trust::change_message`). An input
//! need not carry every one of those signatures: a change's hash covers the
//! hashes of the changes it depends on, so an author's signature of one
//! change fixes the bytes of every change it reaches through `deps`. An
//! author's change reached that way from a later change of the same author
//! that carries the author's valid signature is vouched for by that
//! signature; its author's device held it (an honest device refuses a change
//! under its own actor that it did not make) and built on it. Inputs carry,
//! for each author of a document, the signatures of that author's newest
//! changes in the input; a receiver keeps the signatures it verified, and
//! vouches for what it forwards with them. See docs/security.md, "Trusted
//! changes".

use std::collections::{HashMap, HashSet};

use automerge::{ActorId, Change, ChangeHash};

use crate::team::TEAM_DOC_ID;
use crate::trust::Verifier;

/// What shows that a change is its author's, as it came: its own signature,
/// or its author's signature of a later change of theirs in the same input
/// that reaches it through `deps`. Checked by [`Verifier::vouches`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Voucher {
    /// The author's signature of this change.
    Own([u8; 64]),
    /// The author's signature of `signed`, a later change of the same
    /// author that depends on this one (checked when the input was read).
    Later {
        signed: ChangeHash,
        signature: [u8; 64],
    },
}

/// Whether `voucher` shows that `change` is its author's: its author's
/// signature of it, or of the later change of the author it names (whose
/// reach to `change` through `deps` was checked when the input was read,
/// [`vouch`]).
pub(crate) fn vouches(verifier: &Verifier<'_>, change: &Change, voucher: &Voucher) -> bool {
    match voucher {
        Voucher::Own(signature) => verifier.valid(change, signature),
        Voucher::Later { signed, signature } => {
            verifier.signed_later(change.actor_id(), signed, signature)
        }
    }
}

/// A change that came without any signature: it fails the check.
pub(crate) const UNSIGNED: Voucher = Voucher::Own([0; 64]);

impl Voucher {
    /// As kept with a held or quarantined change: the signature (64
    /// bytes), followed by the hash of the change it signs when that is a
    /// later one (96 bytes).
    pub(crate) fn to_bytes(self) -> Vec<u8> {
        match self {
            Voucher::Own(s) => s.to_vec(),
            Voucher::Later { signed, signature } => [&signature[..], &signed.0[..]].concat(),
        }
    }

    /// Reverses [`Voucher::to_bytes`]; `None` for anything else (an entry
    /// stored before signatures were kept with it).
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Voucher> {
        match bytes.len() {
            64 => Some(Voucher::Own(bytes.try_into().ok()?)),
            96 => Some(Voucher::Later {
                signature: bytes[..64].try_into().ok()?,
                signed: ChangeHash(bytes[64..].try_into().ok()?),
            }),
            _ => None,
        }
    }
}

/// Pairs each change of one document's input with what vouches for it:
/// its own signature (paired with it here) if that verifies; else the
/// first valid signature, newest first, of a change of the same author in
/// the input that reaches it through `deps` — walked within the input
/// only, so a path through a change missing here vouches for nothing;
/// else its own signature as it came, or [`UNSIGNED`], and it is refused
/// as unsigned. A junk signature on a change a valid later one vouches for
/// is set aside, never kept. Each author's walks share what they visited,
/// and only signatures of changes no later one vouches for are verified to
/// start one, so for an honest input that is one per author and head.
pub(crate) fn vouch(
    verifier: &Verifier<'_>,
    signed: Vec<(Change, Option<[u8; 64]>)>,
) -> Vec<(Change, Voucher)> {
    // Every change of the team document needs its own signature (see
    // `covering`).
    let walking = if verifier.doc_id() == TEAM_DOC_ID {
        0
    } else {
        MAX_WALKING_AUTHORS
    };
    vouch_walking(verifier, signed, walking)
}

/// [`vouch`], walking for at most `max_authors` authors.
pub(crate) fn vouch_walking(
    verifier: &Verifier<'_>,
    signed: Vec<(Change, Option<[u8; 64]>)>,
    max_authors: usize,
) -> Vec<(Change, Voucher)> {
    let (changes, own): (Vec<Change>, Vec<Option<[u8; 64]>>) = signed.into_iter().unzip();
    let index: HashMap<ChangeHash, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.hash(), i))
        .collect();
    let mut later: Vec<Option<Voucher>> = vec![None; changes.len()];
    let mut vouchers: Vec<Voucher> = own
        .iter()
        .map(|s| s.map_or(UNSIGNED, Voucher::Own))
        .collect();
    // How many changes of each author wait for a voucher: a walk is only
    // started for an author with another change to vouch for, and stops
    // once none is left.
    let mut unvouched: HashMap<&ActorId, usize> = HashMap::new();
    for c in &changes {
        *unvouched.entry(c.actor_id()).or_default() += 1;
    }
    let mut visited: HashMap<&ActorId, Visited> = HashMap::new();
    for i in dependencies_first(&changes, &index).into_iter().rev() {
        let c = &changes[i];
        let actor = c.actor_id();
        if later[i].is_none()
            && let Some(n) = unvouched.get_mut(actor)
        {
            // Counted when a walk reached it, if one did.
            *n = n.saturating_sub(1);
        }
        if let Some(voucher) = later[i] {
            // A valid signature of its own is kept with it, so this device
            // can vouch for it even if the later change is refused here.
            if !own[i].is_some_and(|s| verifier.valid(c, &s)) {
                vouchers[i] = voucher;
            }
            continue;
        }
        if unvouched.get(actor).is_none_or(|n| *n == 0) {
            continue;
        }
        if !visited.contains_key(actor) && visited.len() >= max_authors {
            // Past this many authors, each change needs its own signature.
            continue;
        }
        let Some(signature) = own[i].filter(|s| verifier.valid(c, s)) else {
            continue;
        };
        let seen = visited
            .entry(actor)
            .or_insert_with(|| Visited::new(changes.len()));
        let voucher = Voucher::Later {
            signed: c.hash(),
            signature,
        };
        let mut stack = vec![i];
        'walk: while let Some(at) = stack.pop() {
            for d in changes[at].deps() {
                let Some(&j) = index.get(d) else { continue };
                if !seen.insert(j) {
                    continue;
                }
                if later[j].is_none() && changes[j].actor_id() == actor {
                    later[j] = Some(voucher);
                    let left = unvouched.entry(actor).or_default();
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        break 'walk;
                    }
                }
                stack.push(j);
            }
        }
    }
    changes.into_iter().zip(vouchers).collect()
}

/// Authors of one document's input whose signatures are walked to vouch
/// for their earlier changes. Each walk may visit the whole input, so a
/// crafted input with many authors (fresh keys cost nothing) would cost
/// authors × changes; past this many, each change needs its own signature.
/// A team's document rarely has more writers than this in one input.
const MAX_WALKING_AUTHORS: usize = 1024;

/// The changes one author's walks have visited: a bit per change.
struct Visited(Vec<u64>);

impl Visited {
    fn new(changes: usize) -> Visited {
        Visited(vec![0; changes.div_ceil(64)])
    }

    /// Marks change `i`; false if it was marked already.
    fn insert(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let fresh = self.0[word] & bit == 0;
        self.0[word] |= bit;
        fresh
    }
}

/// The signatures that vouch for every change of `changes` (one document's
/// changes to send, dependencies first), chosen from the signatures this
/// device holds (`held`, each verified, by change hash): for each author,
/// the signatures of their newest changes that reach the others. Returns
/// them, and the changes no held signature vouches for (a change vouched
/// for here only by a signature of a change this device did not keep).
///
/// For the team document (`doc_id`), every change's own signature: a change
/// taken on a later change's signature that was then refused here has no
/// signature to pass on, and an author could strand the team's later
/// changes behind one (its revocation, a key rotation, every enrolment).
/// Team changes are few; each carries and keeps its own signature.
pub(crate) fn covering(
    doc_id: &str,
    changes: &[Change],
    held: &HashMap<ChangeHash, [u8; 64]>,
) -> (Vec<(ChangeHash, [u8; 64])>, Vec<ChangeHash>) {
    if doc_id == TEAM_DOC_ID {
        let mut chosen = Vec::new();
        let mut bare = Vec::new();
        for c in changes {
            match held.get(&c.hash()) {
                Some(s) => chosen.push((c.hash(), *s)),
                None => bare.push(c.hash()),
            }
        }
        return (chosen, bare);
    }
    let index: HashMap<ChangeHash, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.hash(), i))
        .collect();
    let mut visited: HashMap<&ActorId, HashSet<usize>> = HashMap::new();
    let mut chosen = Vec::new();
    let mut bare = Vec::new();
    // Newest first: an author's change not reached from a chosen later one
    // needs its own signature.
    for i in dependencies_first(changes, &index).into_iter().rev() {
        let c = &changes[i];
        let actor = c.actor_id();
        let seen = visited.entry(actor).or_default();
        if seen.contains(&i) {
            continue;
        }
        let Some(signature) = held.get(&c.hash()) else {
            bare.push(c.hash());
            continue;
        };
        chosen.push((c.hash(), *signature));
        let mut stack = vec![i];
        while let Some(at) = stack.pop() {
            for d in changes[at].deps() {
                let Some(&j) = index.get(d) else { continue };
                if seen.insert(j) {
                    stack.push(j);
                }
            }
        }
    }
    chosen.reverse();
    (chosen, bare)
}

/// `changes` with every change after those of `changes` it depends on.
pub(crate) fn in_dependency_order(changes: Vec<Change>) -> Vec<Change> {
    let index: HashMap<ChangeHash, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.hash(), i))
        .collect();
    let order = dependencies_first(&changes, &index);
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The positions of `changes` with every change after those of `changes`
/// it depends on.
fn dependencies_first(changes: &[Change], index: &HashMap<ChangeHash, usize>) -> Vec<usize> {
    let mut waiting_on: Vec<usize> = vec![0; changes.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); changes.len()];
    for (i, c) in changes.iter().enumerate() {
        for d in c.deps() {
            if let Some(&j) = index.get(d) {
                waiting_on[i] += 1;
                dependents[j].push(i);
            }
        }
    }
    let mut ready: Vec<usize> = (0..changes.len()).filter(|&i| waiting_on[i] == 0).collect();
    ready.reverse();
    let mut order = Vec::with_capacity(changes.len());
    while let Some(i) = ready.pop() {
        order.push(i);
        for &k in dependents[i].iter().rev() {
            waiting_on[k] -= 1;
            if waiting_on[k] == 0 {
                ready.push(k);
            }
        }
    }
    order
}

/// Pairs each change with its own signature among `signatures`, if there.
pub(crate) fn own_signatures(
    changes: Vec<Change>,
    signatures: &HashMap<ChangeHash, [u8; 64]>,
) -> Vec<(Change, Option<[u8; 64]>)> {
    changes
        .into_iter()
        .map(|c| {
            let s = signatures.get(&c.hash()).copied();
            (c, s)
        })
        .collect()
}
