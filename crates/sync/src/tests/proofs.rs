//! Proofs: a change taken on the signature of a later change of its
//! author that was not applied travels with that change as proof, so an
//! author cannot strand it (and what others build on it) at the devices
//! that relay it. Crafted by a modified client with real device keys.

use automerge::{AutoCommit, Change, ChangeHash};

use super::compact_bundles::{holds, title, title_change};
use super::fixture::*;
use crate::bundle::{AuthorSignature, Content, DocEntry, Limits};
use crate::replica::Replica;

/// An entry of `changes` of `case`, with `signer`'s signatures of `signed`.
fn changes_entry(
    signer: &Replica,
    case: &str,
    changes: &[&Change],
    signed: &[&Change],
) -> DocEntry {
    DocEntry {
        doc_id: case.to_string(),
        heads: Vec::new(),
        content: Content::Changes(
            changes
                .iter()
                .map(|c| c.raw_bytes().to_vec().into())
                .collect(),
        ),
        signatures: signed
            .iter()
            .map(|c| AuthorSignature {
                change: c.hash().0,
                signature: sign_as(signer, case, &c.hash()).to_vec(),
            })
            .collect(),
    }
}

/// B's change to c1's title, made and kept on B's copy (unsigned there:
/// it travels only with what vouches for it).
fn made_by_b(t: &mut Team, case: &str, title: &str) -> Change {
    let c = title_change(&mut t.inv_b, case, title);
    t.inv_b
        .cases
        .get_mut(case)
        .unwrap()
        .apply_changes([c.clone()])
        .unwrap();
    c
}

/// An overwrite of the approvals that names nothing: refused on its merits.
fn overwrite_approvals(d: &mut AutoCommit) {
    use automerge::transaction::Transactable;
    d.put_object(automerge::ROOT, "approvals", automerge::ObjType::Map)
        .unwrap();
}

/// Lets `r` keep no proof at all.
fn keeps_no_proofs(r: &mut Replica) {
    r.set_quota(crate::quota::Quota {
        proof_bytes: 0,
        ..crate::quota::QUOTA
    });
}

/// How B's successor T2, whose signature alone vouches for B's change T1,
/// fails at the admin.
#[derive(Clone, Copy, Debug)]
enum Successor {
    /// Refused on its merits (an overwrite that names nothing).
    Refused,
    /// Held for a dependency that never comes.
    Held,
    /// Refused, and then discarded by the admin (a supervisor's review).
    Discarded,
}

/// B sends the admin T1 with only the signature of T2, which builds on it
/// (and on `decoys` signed changes of B's the admin refuses, none of which
/// reaches T1). Returns T1 and T2.
fn strand_attempt(t: &mut Team, c1: &str, successor: Successor, decoys: usize) -> (Change, Change) {
    let t1 = made_by_b(t, c1, "Renamed by B");
    let overwrite = overwrite_approvals;
    let t2 = match successor {
        Successor::Refused | Successor::Discarded => craft(&mut t.inv_b, c1, overwrite, no_preds),
        Successor::Held => craft(
            &mut t.inv_b,
            c1,
            |d| put(d, &["header", "title"], "Held"),
            |e| e.deps.push(ChangeHash([7; 32])),
        ),
    };
    assert!(t2.deps().contains(&t1.hash()));
    let mut changes = vec![t1.clone(), t2.clone()];
    let mut signed = vec![t2.clone()];
    for i in 0..decoys {
        // Each on its own fork of B's copy before T1: none reaches T1.
        let actor = t.inv_b.device().actor();
        let doc = t.inv_b.cases.get_mut(c1).unwrap();
        let mut fork = doc.fork_at(t1.deps()).unwrap().with_actor(actor);
        overwrite(&mut fork);
        fork.commit_with(at_t0());
        let mut e = fork.get_last_local_change().unwrap().decode();
        e.seq = 1000 + i as u64;
        no_preds(&mut e);
        let decoy = Change::from(e);
        changes.push(decoy.clone());
        signed.push(decoy);
    }
    let signed: Vec<&Change> = signed.iter().collect();
    let entry = changes_entry(&t.inv_b, c1, &changes.iter().collect::<Vec<_>>(), &signed);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(holds(&mut t.admin, c1, &t1.hash()), "{report:?}");
    // The decoys are refused on their merits, with B's valid signatures.
    let on_merits = report
        .quarantined
        .iter()
        .filter(|q| ["sync.hidden_overwrite", "sync.bad_sequence"].contains(&q.code.as_str()))
        .count();
    let refused_t2 = usize::from(!matches!(successor, Successor::Held));
    assert_eq!(on_merits, decoys + refused_t2, "{report:?}");
    assert!(!holds(&mut t.admin, c1, &t2.hash()));
    assert!(!t.admin.signatures.contains_key(&t1.hash()));
    if let Successor::Discarded = successor {
        t.admin.discard_quarantined(c1, &t2.hash()).unwrap();
    }
    (t1, t2)
}

/// Regression: an author sent its change T1 with only the signature of a
/// successor T2 that every device refuses (or holds for ever). The first
/// recipient took T1 on T2's signature but kept no signature of T1 to
/// pass on, so every device it relayed T1 to refused it as unsigned, with
/// all later work built on it. Now T2 is kept as a proof, apart from the
/// quarantine, and travels beside T1, in bundles and in sessions; each
/// recipient takes T1 and judges T2 on its own merits. Neither a held
/// successor, nor the admin discarding it, nor refused changes of the
/// author that do not reach T1 stop it.
#[test]
fn a_change_taken_on_a_successors_signature_travels_with_that_successor() {
    let cases = [
        (Successor::Refused, 0),
        (Successor::Held, 0),
        (Successor::Discarded, 0),
        (Successor::Refused, 300),
    ];
    for (successor, decoys) in cases {
        let what = format!("{successor:?} with {decoys} decoys");
        let (mut t, c1) = shared();
        let (t1, _) = strand_attempt(&mut t, &c1, successor, decoys);
        // The proof is stored with the rest of the state, in its own row.
        let rows = t.admin.state_diff(&crate::StoredRows::default()).put;
        let proofs = rows.iter().filter(|(k, _, _)| *k == crate::RowKind::Proof);
        assert_eq!(proofs.count(), 1, "{what}");
        let (stored, _) = crate::stored_state::state_from_rows(rows).unwrap();
        assert_eq!(stored.proofs, t.admin.state().proofs, "{what}");
        // A bundle from the admin carries T1 with its proof.
        let report = send(&mut t.admin, &mut t.prosecutor);
        assert!(
            !codes(&report).contains(&"sync.bad_change_signature"),
            "{what}: {report:?}"
        );
        assert!(holds(&mut t.prosecutor, &c1, &t1.hash()), "{what}");
        assert_eq!(title(&t.prosecutor, &c1), "Renamed by B", "{what}");
        // So does a session, from the prosecutor, who took T1 the same
        // way: A builds on T1, and A's work reaches the admin.
        let (at_a, _) = super::session::sync(&mut t.inv_a, &mut t.prosecutor);
        assert!(
            !codes(&at_a).contains(&"sync.bad_change_signature"),
            "{what}: {at_a:?}"
        );
        assert!(holds(&mut t.inv_a, &c1, &t1.hash()), "{what}");
        add_victim(&mut t.inv_a, &c1, "v9", "Built on T1");
        let report = send(&mut t.inv_a, &mut t.admin);
        assert!(report.quarantined.is_empty(), "{what}: {report:?}");
        assert!(case_of(&t.admin, &c1).victims.contains_key("v9"), "{what}");
        for r in [&t.admin, &t.prosecutor, &t.inv_a] {
            assert!(
                r.quarantine()
                    .iter()
                    .all(|q| q.reason.code != "sync.bad_change_signature"),
                "{what}: T1 was refused as unsigned somewhere"
            );
        }
    }
}

/// The same, when the change T1 is held first for a dependency D and taken
/// only when D arrives in a later input, by which time its successor T2
/// (which also builds on a refused change Z) sits in the quarantine: the
/// proof is built from the quarantine.
#[test]
fn a_change_taken_later_on_a_quarantined_successors_signature_travels_with_it() {
    let (mut t, c1) = shared();
    let actor = t.inv_b.device().actor();
    let d = title_change(&mut t.inv_b, &c1, "D");
    t.inv_b
        .cases
        .get_mut(&c1)
        .unwrap()
        .apply_changes([d.clone()])
        .unwrap();
    let t1 = made_by_b(&mut t, &c1, "Renamed by B");
    // Z: A's overwrite that names nothing, refused, not built on D.
    let z = craft(&mut t.inv_a, &c1, overwrite_approvals, no_preds);
    // T2 builds on T1 and Z.
    let doc = t.inv_b.cases.get_mut(&c1).unwrap();
    let mut top = doc.fork().with_actor(actor);
    top.apply_changes([z.clone()]).unwrap();
    put(&mut top, &["header", "title"], "T2");
    top.commit_with(at_t0());
    let t2 = top.get_last_local_change().unwrap().clone();
    assert_eq!(t2.deps().len(), 2);
    let mut first = changes_entry(&t.inv_b, &c1, &[&t1, &z, &t2], &[&t2]);
    first.signatures.push(AuthorSignature {
        change: z.hash().0,
        signature: sign_as(&t.inv_a, &c1, &z.hash()).to_vec(),
    });
    let bundle = sealed(&mut t.inv_b, vec![first]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(
        codes(&report),
        ["sync.hidden_overwrite", "sync.depends_on_quarantined"],
        "Z refused, T2 with it"
    );
    assert!(!holds(&mut t.admin, &c1, &t1.hash()), "T1 waits for D");
    let second = changes_entry(&t.inv_b, &c1, &[&d], &[&d]);
    let bundle = sealed(&mut t.inv_b, vec![second]);
    t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(holds(&mut t.admin, &c1, &t1.hash()));
    assert!(!holds(&mut t.admin, &c1, &t2.hash()));
    let report = send(&mut t.admin, &mut t.prosecutor);
    assert!(
        !codes(&report).contains(&"sync.bad_change_signature"),
        "{report:?}"
    );
    assert!(holds(&mut t.prosecutor, &c1, &t1.hash()));
}

/// When the proof cannot be kept (here the author's allowance is set to
/// nothing), the change is not taken on its successor's signature: it is
/// refused as unsigned where it arrived, so no device holds it without
/// being able to pass it on, and nothing built on it travels stranded.
#[test]
fn a_change_whose_proof_cannot_be_kept_is_not_taken_on_its_successors_signature() {
    let (mut t, c1) = shared();
    keeps_no_proofs(&mut t.admin);
    let t1 = made_by_b(&mut t, &c1, "Renamed by B");
    let t2 = craft(&mut t.inv_b, &c1, overwrite_approvals, no_preds);
    let entry = changes_entry(&t.inv_b, &c1, &[&t1, &t2], &[&t2]);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    let mut codes = codes(&report);
    codes.sort();
    assert_eq!(
        codes,
        ["sync.bad_change_signature", "sync.depends_on_quarantined"]
    );
    assert!(!holds(&mut t.admin, &c1, &t1.hash()));
    assert!(t.admin.state().proofs.is_empty());
    // Once B's own signature of T1 arrives, it is taken.
    let entry = changes_entry(&t.inv_b, &c1, &[&t1], &[&t1]);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(holds(&mut t.admin, &c1, &t1.hash()));
}

/// The same when the change is released from the quarantine: T1 waited
/// there on X (whose copy came with a junk signature) with only T2's
/// signature; when X arrives signed, T1 is judged again, and since its
/// proof cannot be kept it is not taken on T2's signature either.
#[test]
fn a_released_change_whose_proof_cannot_be_kept_is_not_taken_either() {
    let (mut t, c1) = shared();
    keeps_no_proofs(&mut t.admin);
    let x = made_by_b(&mut t, &c1, "X");
    let t1 = made_by_b(&mut t, &c1, "Renamed by B");
    let t2 = craft(&mut t.inv_b, &c1, overwrite_approvals, no_preds);
    let mut junk = changes_entry(&t.inv_b, &c1, &[&x], &[&x]);
    junk.signatures[0].signature = vec![7; 64];
    let bundle = sealed(&mut t.inv_b, vec![junk]);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.bad_change_signature"]);
    let entry = changes_entry(&t.inv_b, &c1, &[&t1, &t2], &[&t2]);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(!holds(&mut t.admin, &c1, &t1.hash()), "T1 waits on X");
    let entry = changes_entry(&t.inv_b, &c1, &[&x], &[&x]);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(holds(&mut t.admin, &c1, &x.hash()));
    assert!(
        !holds(&mut t.admin, &c1, &t1.hash()),
        "T1 is not taken without its proof"
    );
    assert!(t.admin.state().proofs.is_empty());
}

/// A proof is dropped once the change it kept is applied here after all
/// (its dependency arrived): that change's own signature vouches from then
/// on, and the proof no longer costs its author's allowance.
#[test]
fn a_proof_is_dropped_once_its_successor_is_applied() {
    let (mut t, c1) = shared();
    let d = title_change(&mut t.inv_a, &c1, "D by A");
    let t1 = made_by_b(&mut t, &c1, "Renamed by B");
    let actor = t.inv_b.device().actor();
    let mut fork = t.inv_b.cases.get_mut(&c1).unwrap().fork().with_actor(actor);
    fork.apply_changes([d.clone()]).unwrap();
    put(&mut fork, &["header", "reference"], "T2 on D");
    fork.commit_with(at_t0());
    let t2 = fork.get_last_local_change().unwrap().clone();
    let entry = changes_entry(&t.inv_b, &c1, &[&t1, &t2], &[&t2]);
    let bundle = sealed(&mut t.inv_b, vec![entry]);
    t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(holds(&mut t.admin, &c1, &t1.hash()));
    assert!(!holds(&mut t.admin, &c1, &t2.hash()), "T2 waits for D");
    assert_eq!(t.admin.state().proofs.len(), 1);
    let entry = changes_entry(&t.inv_a, &c1, &[&d], &[&d]);
    let bundle = sealed(&mut t.inv_a, vec![entry]);
    t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(holds(&mut t.admin, &c1, &t2.hash()));
    assert!(t.admin.state().proofs.is_empty());
    assert!(t.admin.proof_bytes.values().all(|b| *b == 0));
}
