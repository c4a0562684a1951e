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
//! as a proof (`Proof`: the signed changes, their signatures, and the
//! unapplied changes between them and what they vouched for, each once),
//! apart from the quarantine — a supervisor who discards the successor does not discard
//! the proof — and travels beside the change. The recipient checks the
//! author's signature and its reach as for any input, and judges every
//! change of the proof as it judges any change. A sender gains nothing: the
//! proof is its author's changes, with its author's valid signature, of a
//! document the recipient may see. See docs/security.md, "Trusted changes".

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{ActorId, AutoCommit, Change, ChangeHash};

use crate::identity::DeviceId;
use crate::replica::{Proof, ProofSignature, Replica};
use crate::vouch::{Voucher, in_dependency_order};

/// Bytes of proofs one author's changes may keep on this device, and one
/// proof may hold; past it a proof is not kept (see docs/security.md).
pub(crate) const MAX_PROOF_BYTES_PER_AUTHOR: usize = 8 << 20;
/// Changes one proof may vouch for.
const MAX_VOUCHES: usize = 1 << 16;

/// The proofs for what one input applied to `doc` (after it was applied):
/// for each author with changes of `vouched` (the input's changes, the
/// held and quarantined changes it retried) now in `doc` that were taken
/// on the signature of a later change of theirs that is not, one proof:
/// those signed changes and the unapplied changes on the way to what they
/// vouched for, each once. `find` gives a change not applied here by its
/// hash: from the input, or held, or quarantined. An author whose proof
/// would pass `MAX_PROOF_BYTES_PER_AUTHOR` is named in `Proofs::unproven`
/// instead: the caller judges the input
/// again without taking that author's changes on later signatures.
pub(crate) fn proofs_for(
    doc: &mut AutoCommit,
    doc_id: &str,
    vouched: &[&[(Change, Voucher)]],
    find: impl Fn(&ChangeHash) -> Option<(Change, Option<[u8; 64]>)>,
    verifier: &crate::trust::Verifier<'_>,
) -> Proofs {
    let mut by_author: BTreeMap<Vec<u8>, Proving> = BTreeMap::new();
    for (c, voucher) in vouched.iter().flat_map(|part| part.iter()) {
        if let Voucher::Later { signed, signature } = voucher
            && doc.get_change_meta_by_hash(signed).is_none()
            && doc.get_change_meta_by_hash(&c.hash()).is_some()
        {
            let p = by_author
                .entry(c.actor_id().to_bytes().to_vec())
                .or_default();
            p.actor = Some(c.actor_id().clone());
            p.signed.insert(*signed, *signature);
            if p.vouches.len() < MAX_VOUCHES {
                p.vouches.push(c.hash().0);
            }
        }
    }
    let mut out = Proofs::default();
    for (_, p) in by_author {
        let (Some(actor), Some(author)) = (
            p.actor.clone(),
            p.actor.as_ref().and_then(DeviceId::from_actor),
        ) else {
            continue;
        };
        // The signed changes, and the unapplied changes they reach before
        // any applied one: a recipient lacking what they vouched for lacks
        // every applied change on the way too, and is sent it anyway.
        let mut found: HashMap<ChangeHash, Change> = HashMap::new();
        let mut stack: Vec<ChangeHash> = p.signed.keys().copied().collect();
        let mut bytes = 0;
        let mut too_large = false;
        let mut path_signed: BTreeMap<ChangeHash, [u8; 64]> = BTreeMap::new();
        while let Some(h) = stack.pop() {
            if found.contains_key(&h) || doc.get_change_meta_by_hash(&h).is_some() {
                continue;
            }
            // A dependency held nowhere here (one that never came) is left
            // out; see docs/security.md for one that was discarded.
            let Some((c, own)) = find(&h) else { continue };
            bytes += c.raw_bytes().len();
            if bytes > MAX_PROOF_BYTES_PER_AUTHOR {
                too_large = true;
                break;
            }
            // A change on the way travels with its own signature where one
            // is known here and verifies (only verified ones are passed on).
            if let Some(s) = own.filter(|s| verifier.valid(&c, s)) {
                path_signed.insert(h, s);
            }
            stack.extend(c.deps().iter().copied());
            found.insert(h, c);
        }
        let mut signed: Vec<ProofSignature> = p
            .signed
            .iter()
            .filter(|(h, _)| found.contains_key(*h))
            .map(|(h, s)| ProofSignature {
                change: h.0,
                signature: s.to_vec(),
            })
            .collect();
        if signed.is_empty() {
            out.unproven.push(actor);
            continue;
        }
        signed.extend(
            path_signed
                .into_iter()
                .filter(|(h, _)| !p.signed.contains_key(h))
                .map(|(h, s)| ProofSignature {
                    change: h.0,
                    signature: s.to_vec(),
                }),
        );
        if too_large {
            tracing::warn!(doc = doc_id, "a proof too large to keep");
            out.unproven.push(actor);
            continue;
        }
        let successors = p
            .signed
            .keys()
            .filter(|h| found.contains_key(*h))
            .map(|h| h.0)
            .collect();
        out.proofs.push(Proof {
            successors,
            doc_id: doc_id.to_string(),
            author: author.to_hex(),
            signed,
            changes: in_dependency_order(found.into_values().collect())
                .into_iter()
                .map(|c| serde_bytes::ByteBuf::from(c.raw_bytes().to_vec()))
                .collect(),
            vouches: p.vouches,
        });
    }
    out
}

/// The proofs one input's document needs, and the authors whose proofs
/// could not be made.
#[derive(Default)]
pub(crate) struct Proofs {
    pub(crate) proofs: Vec<Proof>,
    pub(crate) unproven: Vec<ActorId>,
}

/// One author's part of the proofs an input needs.
#[derive(Default)]
struct Proving {
    actor: Option<ActorId>,
    signed: BTreeMap<ChangeHash, [u8; 64]>,
    vouches: Vec<[u8; 32]>,
}

/// `kept` with what `new` adds: the changes it vouches for, its signed
/// changes and the changes on the way, each once.
fn merge(kept: &Proof, new: Proof) -> Proof {
    let mut out = kept.clone();
    let mut vouched: HashSet<[u8; 32]> = out.vouches.iter().copied().collect();
    for v in new.vouches {
        if out.vouches.len() < MAX_VOUCHES && vouched.insert(v) {
            out.vouches.push(v);
        }
    }
    for h in new.successors {
        if !out.successors.contains(&h) {
            out.successors.push(h);
        }
    }
    let signed: HashSet<[u8; 32]> = out.signed.iter().map(|s| s.change).collect();
    out.signed.extend(
        new.signed
            .into_iter()
            .filter(|s| !signed.contains(&s.change)),
    );
    let have: HashSet<Vec<u8>> = out.changes.iter().map(|c| c.to_vec()).collect();
    let mut changes: Vec<Change> = out
        .changes
        .iter()
        .chain(new.changes.iter().filter(|c| !have.contains(&c.to_vec())))
        .filter_map(|b| Change::from_bytes(b.to_vec()).ok())
        .collect();
    changes = in_dependency_order(changes);
    out.changes = changes
        .into_iter()
        .map(|c| serde_bytes::ByteBuf::from(c.raw_bytes().to_vec()))
        .collect();
    out
}

/// What a proof costs its author's allowance.
pub(crate) fn proof_bytes(proof: &Proof) -> usize {
    proof.changes.iter().map(|c| c.len()).sum::<usize>() + proof.vouches.len() * 32
}

impl Replica {
    /// Keeps the proofs an input brought.
    pub(crate) fn keep_proofs(&mut self, proofs: Vec<Proof>) {
        for proof in proofs {
            if self.keep_proof(proof) {
                self.generation += 1;
            }
        }
    }

    /// Keeps one proof, charged to its author (the allowance is checked
    /// when the input is judged, `import::cases`: a change is not taken on
    /// a later change's signature unless its proof is kept). A proof named
    /// by the same signed change as one kept gains what it vouches for and
    /// the changes it adds. False if it names no signed change.
    pub(crate) fn keep_proof(&mut self, proof: Proof) -> bool {
        let Some(first) = proof.signed.first().map(|s| ChangeHash(s.change)) else {
            return false;
        };
        let key = (proof.doc_id.clone(), first);
        let merged = match self.proofs.get(&key) {
            Some(kept) => merge(kept, proof),
            None => proof,
        };
        let cost = proof_bytes(&merged);
        let before = self.proofs.get(&key).map_or(0, proof_bytes);
        let used = self.proof_bytes.entry(merged.author.clone()).or_default();
        *used = used.saturating_sub(before) + cost;
        self.proofs.insert(key, merged);
        true
    }

    /// Drops the proofs of `doc_ids` whose signed changes are all applied
    /// here now: each one's own signature, kept with it, vouches for what
    /// the proof did.
    pub(crate) fn prune_proofs(&mut self, doc_ids: &[String]) {
        for doc_id in doc_ids {
            let start = (doc_id.clone(), ChangeHash([0; 32]));
            let keys: Vec<(String, ChangeHash)> = self
                .proofs
                .range(start..)
                .take_while(|((d, _), _)| d == doc_id)
                .filter(|(_, p)| {
                    p.successors
                        .iter()
                        .all(|h| self.signatures.contains_key(&ChangeHash(*h)))
                })
                .map(|(k, _)| k.clone())
                .collect();
            for key in keys {
                if let Some(p) = self.proofs.remove(&key)
                    && let Some(used) = self.proof_bytes.get_mut(&p.author)
                {
                    *used = used.saturating_sub(proof_bytes(&p));
                }
                self.generation += 1;
            }
        }
    }

    /// The changes to send beside what is about to go of one document so
    /// that a recipient can vouch for `bare`, the changes among it that no
    /// signature held here vouches for: the kept proofs of them, each
    /// change once, with the signatures of their signed changes.
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
        for ((d, _), proof) in self.proofs.range(start..) {
            if d != doc_id {
                break;
            }
            if !proof.vouches.iter().any(|v| bare.contains(v)) {
                continue;
            }
            let signatures: HashMap<[u8; 32], [u8; 64]> = proof
                .signed
                .iter()
                .filter_map(|s| Some((s.change, s.signature.as_slice().try_into().ok()?)))
                .collect();
            for bytes in &proof.changes {
                let Ok(c) = Change::from_bytes(bytes.to_vec()) else {
                    continue;
                };
                if sent.insert(c.hash()) {
                    let own = signatures.get(&c.hash().0).copied();
                    out.push((c, own));
                }
            }
        }
        out
    }
}
