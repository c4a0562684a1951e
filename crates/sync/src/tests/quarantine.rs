//! Finding 6 of the trust review, "quarantine as a weapon": a junk
//! signature relayed on another author's genuine change quarantined that
//! change by hash for ever, with everything built on it, and the signature
//! of a change covered by a newer one of its author was stored unverified
//! and passed on. The attacker here is a member (investigator B) who holds
//! A's genuine changes and relays them with signatures made by its own real
//! device key.

use std::collections::BTreeSet;

use automerge::{Change, ChangeHash};
use caravan_model::Role;

use super::fixture::*;
use crate::bundle::{Limits, Recipient};
use crate::replica::Replica;
use crate::stored_state::ReplicaState;
use crate::team::TEAM_DOC_ID;
use crate::trust::signature_valid;
use crate::vouch::Voucher;

/// (change, reason code) of every entry in a device's quarantine.
fn listed(r: &Replica) -> BTreeSet<(String, String)> {
    r.quarantine()
        .iter()
        .map(|q| (q.hash.clone(), q.reason.code.clone()))
        .collect()
}

fn entry(hash: &ChangeHash, code: &str) -> (String, String) {
    (hash.to_string(), code.to_string())
}

/// B replaces its signature of A's change `hash` with one made by its own
/// real device key: well formed, and not the author's.
fn b_resigns(t: &mut Team, case: &str, hash: ChangeHash) {
    let forged = sign_as(&t.inv_b, case, &hash);
    t.inv_b.signatures.insert(hash, forged);
}

/// A adds victims to a case, one change each; returns their hashes, oldest
/// first.
fn a_adds_victims<const N: usize>(t: &mut Team, case: &str, names: [&str; N]) -> [ChangeHash; N] {
    names.map(|n| {
        add_victim(&mut t.inv_a, case, n, "Genuine");
        t.inv_a.heads(case).unwrap()[0]
    })
}

/// A adds victim "x" to c1 in change X; B relays X to the admin with its
/// own signature, before A's copy arrives. Returns X's hash.
fn junk_copy_at_admin() -> (Team, String, ChangeHash) {
    let (mut t, c1) = shared();
    let [x] = a_adds_victims(&mut t, &c1, ["x"]);
    send(&mut t.inv_a, &mut t.inv_b);
    b_resigns(&mut t, &c1, x);
    send(&mut t.inv_b, &mut t.admin);
    (t, c1, x)
}

fn victims(r: &Replica, case: &str) -> BTreeSet<String> {
    r.case(case)
        .map(|c| c.case().unwrap().victims.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every (document, change, signature) a bundle carries, opened with
/// `reader`'s team key.
fn carried(reader: &mut Replica, bundle: &[u8]) -> Vec<(String, Change, Voucher)> {
    let (_, _, docs) = reader.open_docs(bundle);
    let team_id = reader.team_id;
    docs.into_iter()
        .flat_map(|mut d| {
            let changes = d.changes();
            let verifier = crate::trust::Verifier::new(&team_id, &d.doc_id);
            crate::vouch::vouch(&verifier, changes)
                .into_iter()
                .map(|(c, v)| (d.doc_id.clone(), c, v))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether `voucher` shows that `c` is its author's.
fn vouched(team_id: &crate::team::TeamId, doc_id: &str, c: &Change, voucher: &Voucher) -> bool {
    crate::vouch::vouches(&crate::trust::Verifier::new(team_id, doc_id), c, voucher)
}

/// Every signature a device holds for a document's changes is its
/// author's, and they vouch for every change it holds.
fn stored_signatures_verify(r: &mut Replica, doc_id: &str) {
    let team_id = r.team_id;
    let changes = r.doc_mut(doc_id).unwrap().get_changes(&[]);
    for c in &changes {
        if let Some(sig) = r.signatures.get(&c.hash()) {
            assert!(
                signature_valid(&team_id, doc_id, c, sig),
                "the stored signature of {} is not its author's",
                c.hash()
            );
        }
    }
    let (_, bare) = crate::vouch::covering(doc_id, &changes, &r.signatures);
    assert!(bare.is_empty(), "no stored signature vouches for {bare:?}");
}

#[test]
fn finding_6_a_genuine_change_relayed_first_with_a_junk_signature_lands_when_its_signature_arrives()
{
    let (mut t, c1) = shared();
    let [x, y] = a_adds_victims(&mut t, &c1, ["x", "y"]);
    // B receives A's changes honestly, then relays them to the admin with
    // its own signature on Y, A's newest change, in place of A's: nothing
    // vouches for X and Y.
    send(&mut t.inv_a, &mut t.inv_b);
    b_resigns(&mut t, &c1, y);
    let report = send(&mut t.inv_b, &mut t.admin);
    assert_eq!(
        codes(&report),
        ["sync.bad_change_signature", "sync.bad_change_signature"]
    );
    assert_eq!(report.applied, 0);
    assert_eq!(
        listed(&t.admin),
        BTreeSet::from([
            entry(&x, "sync.bad_change_signature"),
            entry(&y, "sync.bad_change_signature")
        ])
    );
    let kept = t.admin.quarantine();
    assert!(
        kept.iter()
            .all(|q| q.relayed_by.as_deref() == Some(t.inv_b.device().to_hex().as_str())),
        "the quarantine names the device that relayed the junk"
    );
    assert!(!t.admin.signatures.contains_key(&y));

    // A's own copy arrives: X and Y are judged afresh and applied.
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!(report.applied, 2, "{report:?}");
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert!(
        t.admin.quarantine().is_empty(),
        "{:?}",
        t.admin.quarantine()
    );
    assert_eq!(
        victims(&t.admin, &c1),
        BTreeSet::from(["v1", "x", "y"].map(String::from))
    );
    assert_eq!(t.admin.signatures[&y], t.inv_a.signatures[&y]);
    stored_signatures_verify(&mut t.admin, &c1);

    // The junk copy again changes nothing, and the admin passes on only
    // A's signature.
    let again = send(&mut t.inv_b, &mut t.admin);
    assert_eq!(again.applied, 0);
    assert!(t.admin.quarantine().is_empty());
    let bundle = export_to(&mut t.admin, &t.prosecutor);
    let (doc, change, voucher) = carried(&mut t.prosecutor, &bundle)
        .into_iter()
        .find(|(_, c, _)| c.hash() == x)
        .expect("X travels on");
    assert!(vouched(&t.admin.team_id, &doc, &change, &voucher));
}

#[test]
fn finding_6_a_junk_copy_after_the_genuine_change_is_refused_and_changes_nothing() {
    let (mut t, c1) = shared();
    let [x, y] = a_adds_victims(&mut t, &c1, ["x", "y"]);
    send(&mut t.inv_a, &mut t.inv_b);
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!((report.applied, report.quarantined.len()), (2, 0));
    let heads = t.admin.heads(&c1).unwrap();
    let genuine = t.admin.signatures[&y];

    // B relays X with its own signature, and Y with a signature of random
    // bytes: Y's vouches for both, and is the one that travels.
    b_resigns(&mut t, &c1, x);
    t.inv_b.signatures.insert(y, [0x5a; 64]);
    let report = send(&mut t.inv_b, &mut t.admin);
    assert_eq!(
        codes(&report),
        ["sync.bad_change_signature"],
        "the junk copy is counted"
    );
    assert_eq!(report.applied, 0);
    assert!(report.docs_changed.is_empty());
    assert!(
        t.admin.quarantine().is_empty(),
        "a junk copy never displaces a valid one"
    );
    assert_eq!(t.admin.heads(&c1).unwrap(), heads);
    assert_eq!(t.admin.signatures[&y], genuine);
    stored_signatures_verify(&mut t.admin, &c1);
}

#[test]
fn finding_6_a_covered_changes_junk_signature_is_never_stored_nor_passed_on() {
    let (mut t, c1) = shared();
    let [x1, x2, x3] = a_adds_victims(&mut t, &c1, ["x1", "x2", "x3"]);
    send(&mut t.inv_a, &mut t.inv_b);
    // X2 is covered: X3, A's newest change, builds on it and carries A's
    // valid signature. B's modified client attaches its own signature to
    // X2 as well.
    let honest = export_to(&mut t.inv_b, &t.admin);
    let (meta, key, mut docs) = t.inv_b.open_docs(&honest);
    let case = docs.iter_mut().find(|d| d.doc_id == c1).unwrap();
    case.change_list();
    case.signatures.push(crate::bundle::AuthorSignature {
        change: x2.0,
        signature: sign_as(&t.inv_b, &c1, &x2).to_vec(),
    });
    let relayed = t.inv_b.seal_docs(&meta, docs, &key, Vec::new());
    let newest = carried(&mut t.admin, &relayed)
        .into_iter()
        .find(|(_, c, _)| c.hash() == x3)
        .unwrap();
    assert!(
        vouched(&t.admin.team_id, &c1, &newest.1, &newest.2),
        "the newest change's signature is A's"
    );
    // A's valid signature of X3 vouches for X2: the junk is set aside.
    let report = t.admin.import(&relayed, &Limits::default()).unwrap();
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert_eq!(report.applied, 3);
    assert!(
        !t.admin.signatures.contains_key(&x2),
        "the junk is not stored"
    );
    assert_eq!(t.admin.signatures[&x3], t.inv_a.signatures[&x3]);
    stored_signatures_verify(&mut t.admin, &c1);

    // What the admin passes on to a third device carries only valid
    // signatures, and the third device applies all of it.
    let to_prosecutor = export_to(&mut t.admin, &t.prosecutor);
    let sent = carried(&mut t.prosecutor, &to_prosecutor);
    for x in [x1, x2, x3] {
        assert!(sent.iter().any(|(_, c, _)| c.hash() == x));
    }
    for (doc, c, voucher) in &sent {
        assert!(
            vouched(&t.admin.team_id, doc, c, voucher),
            "{} leaves with a signature that is not its author's",
            c.hash()
        );
    }
    let at_p = t
        .prosecutor
        .import(&to_prosecutor, &Limits::default())
        .unwrap();
    assert!(at_p.quarantined.is_empty(), "{at_p:?}");
    assert!(t.prosecutor.quarantine().is_empty());
    let all = BTreeSet::from(["v1", "x1", "x2", "x3"].map(String::from));
    assert_eq!(victims(&t.admin, &c1), all);
    assert_eq!(victims(&t.prosecutor, &c1), all);
    assert_eq!(t.admin.heads(&c1), t.prosecutor.heads(&c1));
    stored_signatures_verify(&mut t.prosecutor, &c1);
}

#[test]
fn finding_6_a_verdict_on_the_merits_holds_whatever_signature_comes_later() {
    let (mut t, c1) = shared();
    // The prosecutor rewrites a victim's record: refused on the merits,
    // under its own valid signature.
    let p = prosecutor_renames_v1(&mut t, &c1, "changed by prosecutor");
    assert_eq!(
        codes(&send(&mut t.prosecutor, &mut t.admin)),
        ["policy.denied"]
    );
    // B's modified client relays it under B's own signature, and the
    // prosecutor sends it again under its valid one: the verdict stands.
    let change = t
        .prosecutor
        .cases
        .get_mut(&c1)
        .unwrap()
        .get_change_by_hash(&p)
        .unwrap();
    plant(&mut t.inv_b, &c1, &change);
    for relay in [&mut t.inv_b, &mut t.prosecutor] {
        let again = send(relay, &mut t.admin);
        assert!(again.quarantined.is_empty(), "{again:?}");
        assert_eq!((again.applied, again.already_had), (0, 1));
    }
    assert_eq!(
        listed(&t.admin),
        BTreeSet::from([entry(&p, "policy.denied")])
    );
    assert_eq!(case_of(&t.admin, &c1).victims["v1"].pseudonym, "V-v1");
}

#[test]
fn finding_6_only_a_supervisor_or_admin_releases_or_discards_and_release_rejudges() {
    let (mut t, c1) = shared();
    let mut sup = enrol(&mut t.admin, "Supervisor Saule", Role::Supervisor);
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.prosecutor);
    send(&mut t.admin, &mut t.inv_a);
    // The prosecutor writes to a victim's record: a policy violation.
    let p = prosecutor_renames_v1(&mut t, &c1, "by prosecutor");
    assert_eq!(
        codes(&send(&mut t.prosecutor, &mut t.admin)),
        ["policy.denied"]
    );
    assert_eq!(codes(&send(&mut t.prosecutor, &mut sup)), ["policy.denied"]);
    assert_eq!(
        codes(&send(&mut t.prosecutor, &mut t.inv_a)),
        ["policy.denied"]
    );

    // An investigator may neither release nor discard.
    for result in [
        t.inv_a.release_quarantined(&c1, &p).map(|_| ()),
        t.inv_a.discard_quarantined(&c1, &p).map(|_| ()),
    ] {
        assert_eq!(result.unwrap_err().code(), "sync.denied");
    }
    assert_eq!(
        listed(&t.inv_a),
        BTreeSet::from([entry(&p, "policy.denied")])
    );

    // Release is no bypass: judged again, the change still breaks the policy.
    t.admin.take_audit_events();
    let heads = t.admin.heads(&c1).unwrap();
    let r = t.admin.release_quarantined(&c1, &p).unwrap();
    assert!(!r.applied && !r.held);
    assert_eq!(
        r.reasons
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>(),
        ["policy.denied"]
    );
    assert_eq!(
        listed(&t.admin),
        BTreeSet::from([entry(&p, "policy.denied")])
    );
    assert_eq!(t.admin.heads(&c1).unwrap(), heads);
    let events = t.admin.take_audit_events();
    assert!(
        events
            .iter()
            .any(|e| e.action == "sync.quarantine_release" && e.detail.contains(&p.to_string())),
        "{events:?}"
    );

    // Judged against the team as it stands now: once the member may make
    // the change, a release applies it.
    let m = member(&t.prosecutor);
    t.admin
        .edit_team(|team, k| team.set_role(k, &m, Role::Investigator, T0))
        .unwrap();
    let r = t.admin.release_quarantined(&c1, &p).unwrap();
    assert!(r.applied && r.reasons.is_empty(), "{r:?}");
    assert!(t.admin.quarantine().is_empty());
    assert_eq!(
        case_of(&t.admin, &c1).victims["v1"].pseudonym,
        "by prosecutor"
    );
    stored_signatures_verify(&mut t.admin, &c1);

    // The supervisor discards its copy: off the list, in the audit log,
    // nothing applied touched.
    let heads = sup.heads(&c1).unwrap();
    sup.take_audit_events();
    assert_eq!(sup.discard_quarantined(&c1, &p).unwrap(), ["policy.denied"]);
    assert!(sup.quarantine().is_empty());
    assert_eq!(sup.heads(&c1).unwrap(), heads);
    let events = sup.take_audit_events();
    assert!(
        events
            .iter()
            .any(|e| e.action == "sync.quarantine_discard" && e.detail.contains(&p.to_string())),
        "{events:?}"
    );
    // The prosecutor sends it again: the discarded verdict is not listed again.
    let again = send(&mut t.prosecutor, &mut sup);
    assert!(again.quarantined.is_empty(), "{again:?}");
    assert!(sup.quarantine().is_empty());
    assert_eq!(sup.heads(&c1).unwrap(), heads);
    // Neither action applies to a change that is not in quarantine.
    assert_eq!(
        sup.release_quarantined(&c1, &p).unwrap_err().code(),
        "sync.not_quarantined"
    );
    assert_eq!(
        sup.discard_quarantined(&c1, &p).unwrap_err().code(),
        "sync.not_quarantined"
    );
}

#[test]
fn finding_6_discarding_a_junk_copy_never_blocks_the_genuine_change() {
    let (mut t, c1, x) = junk_copy_at_admin();
    assert_eq!(
        listed(&t.admin),
        BTreeSet::from([entry(&x, "sync.bad_change_signature")])
    );
    // A release re-judges the copy it holds: its signature is still junk.
    let r = t.admin.release_quarantined(&c1, &x).unwrap();
    assert!(!r.applied);
    assert_eq!(
        listed(&t.admin),
        BTreeSet::from([entry(&x, "sync.bad_change_signature")])
    );
    // The supervisor discards it; B's junk again is not listed again.
    t.admin.discard_quarantined(&c1, &x).unwrap();
    send(&mut t.inv_b, &mut t.admin);
    assert!(t.admin.quarantine().is_empty());
    // A's valid copy is still judged, and applied.
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!(report.applied, 1);
    assert!(victims(&t.admin, &c1).contains("x"));
    stored_signatures_verify(&mut t.admin, &c1);
}

#[test]
fn finding_6_devices_that_receive_the_same_changes_in_different_orders_agree() {
    let (mut t, c1) = shared();
    let mut sup = enrol(&mut t.admin, "Supervisor Saule", Role::Supervisor);
    send(&mut t.admin, &mut sup);
    for r in [&mut t.inv_a, &mut t.inv_b, &mut t.prosecutor] {
        send(&mut t.admin, r);
    }
    let [x, _y, z] = a_adds_victims(&mut t, &c1, ["x", "y", "z"]);
    send(&mut t.inv_a, &mut t.inv_b);
    // B's relay: X with its own signature, Z with random bytes.
    b_resigns(&mut t, &c1, x);
    t.inv_b.signatures.insert(z, [0xa5; 64]);
    // The prosecutor's policy violation.
    prosecutor_renames_v1(&mut t, &c1, "by prosecutor");
    // Every input is written before anything is imported, for each receiver.
    let inputs = |to: String, t: &mut Team| -> Vec<Vec<u8>> {
        let m = Recipient::Member(to);
        vec![
            t.inv_b.export(&m, T0).unwrap(),
            t.inv_a.export(&m, T0).unwrap(),
            t.prosecutor.export(&m, T0).unwrap(),
        ]
    };
    let for_admin = inputs(member(&t.admin), &mut t);
    let for_sup = inputs(member(&sup), &mut t);
    for i in [0, 1, 2] {
        t.admin.import(&for_admin[i], &Limits::default()).unwrap();
    }
    for i in [2, 1, 0] {
        sup.import(&for_sup[i], &Limits::default()).unwrap();
    }
    let (mut one, mut two) = (t.admin, sup);
    for doc in [TEAM_DOC_ID, c1.as_str()] {
        assert_eq!(one.heads(doc), two.heads(doc), "{doc}");
    }
    assert_eq!(
        victims(&one, &c1),
        BTreeSet::from(["v1", "x", "y", "z"].map(String::from))
    );
    let p = t.prosecutor.heads(&c1).unwrap()[0];
    assert_eq!(listed(&one), BTreeSet::from([entry(&p, "policy.denied")]));
    assert_eq!(listed(&one), listed(&two));
    stored_signatures_verify(&mut one, &c1);
    stored_signatures_verify(&mut two, &c1);
}

#[test]
fn finding_6_the_quarantine_survives_a_restart_and_older_records_still_read() {
    let (mut t, c1, _) = junk_copy_at_admin();
    t.admin.date_quarantine(T0 + 5);
    assert_eq!(t.admin.quarantine()[0].arrived_at, Some(T0 + 5));

    // The admin's device restarts from what it stored.
    let restart = |r: &mut Replica, state: ReplicaState| -> Replica {
        let cases: Vec<(String, automerge::AutoCommit)> = r
            .cases
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Replica::restore(
            crate::identity::DeviceKeys::from_bytes(&r.keys.to_secret_bytes()),
            r.team.automerge().clone(),
            r.team_keys().cloned().collect::<Vec<_>>(),
            cases,
            r.signatures
                .iter()
                .map(|(h, s)| (*h, *s))
                .collect::<Vec<_>>(),
            state,
        )
        .unwrap()
    };
    let json = serde_json::to_vec(&t.admin.state()).unwrap();
    let mut back = restart(&mut t.admin, serde_json::from_slice(&json).unwrap());
    assert_eq!(listed(&back), listed(&t.admin));
    assert_eq!(back.quarantine()[0].arrived_at, Some(T0 + 5));
    assert_eq!(back.state().quarantine.len(), 1);

    // A record written before entries kept their signature, sender and
    // time, and before discarded verdicts were kept, still reads.
    let mut old: serde_json::Value = serde_json::from_slice(&json).unwrap();
    old.as_object_mut().unwrap().remove("discarded");
    for q in old["quarantine"].as_array_mut().unwrap() {
        let q = q.as_object_mut().unwrap();
        for field in ["signature", "relayed_by", "arrived_at"] {
            q.remove(field);
        }
    }
    let old: ReplicaState = serde_json::from_value(old).unwrap();
    let mut legacy = restart(&mut t.admin, old);
    assert_eq!(listed(&legacy), listed(&t.admin));
    assert_eq!(legacy.quarantine()[0].arrived_at, None);

    // On both, A's valid copy releases the change.
    for r in [&mut back, &mut legacy] {
        let report = send(&mut t.inv_a, r);
        assert_eq!(report.applied, 1, "{report:?}");
        assert!(r.quarantine().is_empty());
        stored_signatures_verify(r, &c1);
    }
}

#[test]
fn finding_6_over_an_online_session_the_genuine_change_lands_too() {
    genuine_change_lands_over_a_session();
}

/// Regression: a change held back for its copy's bad signature (and what
/// builds on it) was never asked for again in a session, so when the
/// peer's Bloom filter took it for one this device held (about one run in
/// fifty, by the changes' random hashes) its valid copy never came (8 of
/// 400 runs of the test above failed). Fifty runs here: the old behaviour
/// fails this test about two times in three.
#[test]
fn a_change_a_bloom_filter_mistakes_for_held_is_still_asked_for() {
    for _ in 0..50 {
        genuine_change_lands_over_a_session();
    }
}

fn genuine_change_lands_over_a_session() {
    let (mut t, c1) = shared();
    let [x, y] = a_adds_victims(&mut t, &c1, ["x", "y"]);
    super::session::sync(&mut t.inv_a, &mut t.inv_b);
    b_resigns(&mut t, &c1, y);
    let (_, at_admin) = super::session::sync(&mut t.inv_b, &mut t.admin);
    // X travels too unless the admin's Bloom filter took it for one the
    // admin holds; nothing vouches for it either way.
    let codes = codes(&at_admin);
    assert!(
        matches!(codes.len(), 1 | 2) && codes.iter().all(|c| *c == "sync.bad_change_signature"),
        "{codes:?}"
    );
    let listed = listed(&t.admin);
    assert!(listed.contains(&entry(&y, "sync.bad_change_signature")));
    assert!(
        listed.is_subset(&BTreeSet::from([
            entry(&x, "sync.bad_change_signature"),
            entry(&y, "sync.bad_change_signature")
        ])),
        "{listed:?}"
    );
    let (_, at_admin) = super::session::sync(&mut t.inv_a, &mut t.admin);
    assert_eq!(at_admin.applied, 2, "{at_admin:?}");
    assert!(t.admin.quarantine().is_empty());
    assert_eq!(t.admin.heads(&c1), t.inv_a.heads(&c1));
    stored_signatures_verify(&mut t.admin, &c1);
}
