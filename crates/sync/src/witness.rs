//! Proofs: refused changes kept and passed on for the changes they vouched
//! for.
//!
//! A change can be taken on the signature of a later change of its author
//! (`vouch`) that is itself not applied here: refused on its merits, or
//! held for a dependency that never came. This device keeps no signature of
//! its own for such a change, so it could not vouch for it when passing it
//! on; an author could use that to strand later work on a case: send a
//! change with only the signature of a successor every device refuses, and
//! everything built on the change would be refused as unsigned wherever it
//! travels next. So when a change is taken that way, the successor is kept
//! as a proof (`Proof`: the signed change, its signature, and the
//! unapplied changes between it and what it vouched for), apart from the
//! quarantine — a supervisor who discards the successor does not discard
//! the proof — and travels beside the change. The recipient checks the
//! author's signature and its reach as for any input, and judges every
//! change of the proof as it judges any change. A sender gains nothing: the
//! proof is its author's changes, with its author's valid signature, of a
//! document the recipient may see. See docs/security.md, "Trusted changes".

use std::collections::{HashMap, HashSet};

use automerge::{AutoCommit, Change, ChangeHash};

use crate::replica::{Proof, Replica};
use crate::vouch::Voucher;

/// Changes one proof may hold: a proof longer than this is not kept, and
/// what it vouched for travels unsigned (refused by a device that lacks
/// it until its author's signature reaches it).
const MAX_PROOF_CHANGES: usize = 1024;
/// Bytes one proof may hold.
const MAX_PROOF_BYTES: usize = 1 << 20;
/// Bytes of proofs one author's changes may keep on this device; proofs
/// past it are not kept.
pub(crate) const MAX_PROOF_BYTES_PER_AUTHOR: usize = 8 << 20;

/// The proofs for what one input applied to `doc` (after it was applied):
/// for each change of `incoming` (the input's changes, and the held
/// changes it retried) now in `doc` that was taken on the signature of a
/// later change of its author that is not, that change and the unapplied
/// changes on the way. Proofs over the bounds above are left out.
pub(crate) fn proofs_for(
    doc: &mut AutoCommit,
    doc_id: &str,
    incoming: &[&[(Change, Voucher)]],
) -> Vec<Proof> {
    let incoming = || incoming.iter().flat_map(|part| part.iter());
    let mut vouched: HashMap<ChangeHash, ([u8; 64], Vec<[u8; 32]>)> = HashMap::new();
    for (c, voucher) in incoming() {
        if let Voucher::Later { signed, signature } = voucher
            && doc.get_change_meta_by_hash(signed).is_none()
            && doc.get_change_meta_by_hash(&c.hash()).is_some()
        {
            vouched
                .entry(*signed)
                .or_insert_with(|| (*signature, Vec::new()))
                .1
                .push(c.hash().0);
        }
    }
    if vouched.is_empty() {
        return Vec::new();
    }
    let index: HashMap<ChangeHash, &Change> = incoming().map(|(c, _)| (c.hash(), c)).collect();
    let mut out = Vec::new();
    for (signed, (signature, vouches)) in vouched {
        let Some(top) = index.get(&signed) else {
            continue;
        };
        // The unapplied changes it reaches before any applied one: every
        // change on a path from it to what it vouched for that a recipient
        // lacking those lacks too (an applied change on the way is sent
        // anyway).
        let mut on_the_way: Vec<&Change> = Vec::new();
        let mut seen: HashSet<ChangeHash> = HashSet::new();
        let mut stack: Vec<&Change> = vec![top];
        let mut too_long = false;
        while let Some(c) = stack.pop() {
            for d in c.deps() {
                let Some(dc) = index.get(d) else { continue };
                if doc.get_change_meta_by_hash(d).is_some() || !seen.insert(*d) {
                    continue;
                }
                on_the_way.push(dc);
                stack.push(dc);
            }
            if on_the_way.len() >= MAX_PROOF_CHANGES {
                too_long = true;
                break;
            }
        }
        let bytes: usize = on_the_way
            .iter()
            .map(|c| c.raw_bytes().len())
            .sum::<usize>()
            + top.raw_bytes().len();
        if too_long || bytes > MAX_PROOF_BYTES {
            tracing::warn!(doc = doc_id, change = %signed, "a proof too large to keep");
            continue;
        }
        let mut changes = dependencies_first(on_the_way);
        changes.push(top);
        out.push(Proof {
            doc_id: doc_id.to_string(),
            signed: signed.to_string(),
            signature: signature.to_vec(),
            changes: changes
                .into_iter()
                .map(|c| serde_bytes::ByteBuf::from(c.raw_bytes().to_vec()))
                .collect(),
            vouches,
        });
    }
    out
}

/// `changes` with every one after those of them it depends on.
fn dependencies_first(changes: Vec<&Change>) -> Vec<&Change> {
    let hashes: HashSet<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
    let mut placed: HashSet<ChangeHash> = HashSet::new();
    let mut out = Vec::with_capacity(changes.len());
    let mut left = changes;
    while !left.is_empty() {
        let (ready, rest): (Vec<&Change>, Vec<&Change>) = left.into_iter().partition(|c| {
            c.deps()
                .iter()
                .all(|d| !hashes.contains(d) || placed.contains(d))
        });
        if ready.is_empty() {
            // Unreachable for changes whose hashes chain; kept total anyway.
            out.extend(rest);
            break;
        }
        placed.extend(ready.iter().map(|c| c.hash()));
        out.extend(ready);
        left = rest;
    }
    out
}

impl Replica {
    /// Keeps the proofs an input brought, within what each author may keep
    /// here (`MAX_PROOF_BYTES_PER_AUTHOR`); a proof for a change already
    /// proven gains the changes it vouches for.
    pub(crate) fn keep_proofs(&mut self, proofs: Vec<Proof>) {
        for proof in proofs {
            let Ok(signed) = proof.signed.parse::<ChangeHash>() else {
                continue;
            };
            let key = (proof.doc_id.clone(), signed);
            if let Some(kept) = self.proofs.get_mut(&key) {
                for v in proof.vouches {
                    if !kept.vouches.contains(&v) {
                        kept.vouches.push(v);
                    }
                }
                self.generation += 1;
                continue;
            }
            let author = author_of(&proof);
            let held: usize = self
                .proofs
                .values()
                .filter(|p| author.is_some() && author_of(p) == author)
                .map(proof_bytes)
                .sum();
            if held + proof_bytes(&proof) > MAX_PROOF_BYTES_PER_AUTHOR {
                tracing::warn!(doc = %proof.doc_id, "a proof past its author's allowance, not kept");
                continue;
            }
            self.proofs.insert(key, proof);
            self.generation += 1;
        }
    }

    /// The changes to send beside `sending` (one document's, about to go)
    /// so that a recipient can vouch for `bare`, the changes among them
    /// that no signature held here vouches for: the kept proof of each,
    /// once, unless its signed change is now in the document (then its
    /// own signature, held here, vouches). Each is paired with its own
    /// signature where this device holds it: the signed change's.
    pub(crate) fn witnesses(
        &self,
        doc_id: &str,
        bare: &[ChangeHash],
    ) -> Vec<(Change, Option<[u8; 64]>)> {
        if bare.is_empty() {
            return Vec::new();
        }
        let bare: HashSet<[u8; 32]> = bare.iter().map(|h| h.0).collect();
        let start = (doc_id.to_string(), ChangeHash([0; 32]));
        let mut out = Vec::new();
        let mut sent: HashSet<ChangeHash> = HashSet::new();
        for ((d, signed), proof) in self.proofs.range(start..) {
            if d != doc_id {
                break;
            }
            if self.signatures.contains_key(signed)
                || !proof.vouches.iter().any(|v| bare.contains(v))
            {
                continue;
            }
            let signature: Option<[u8; 64]> = proof.signature.as_slice().try_into().ok();
            for bytes in &proof.changes {
                let Ok(c) = Change::from_bytes(bytes.to_vec()) else {
                    continue;
                };
                if !sent.insert(c.hash()) {
                    continue;
                }
                let own = if c.hash() == *signed { signature } else { None };
                out.push((c, own));
            }
        }
        out
    }
}

/// The author of a proof's signed change (its actor), if it reads.
fn author_of(proof: &Proof) -> Option<automerge::ActorId> {
    let last = proof.changes.last()?;
    Change::from_bytes(last.to_vec())
        .ok()
        .map(|c| c.actor_id().clone())
}

fn proof_bytes(proof: &Proof) -> usize {
    proof.changes.iter().map(|c| c.len()).sum()
}
