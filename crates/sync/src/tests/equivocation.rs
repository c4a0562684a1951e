//! Finding 5 of the trust review: two different changes under one actor
//! and sequence number made Automerge refuse a whole batch, so every later
//! import between two devices aborted for good; and a device restored from
//! a copy must not go on reusing its sequence numbers.

use caravan_model::{Edit, Record};

use super::fixture::*;
use crate::import::ImportReport;

/// The import went through, with the equivocating change set aside.
fn assert_equivocation_set_aside(report: &ImportReport) {
    let codes: Vec<&str> = report.quarantined.iter().map(|q| q.code.as_str()).collect();
    assert!(
        codes.contains(&"sync.equivocation"),
        "quarantined: {codes:?}"
    );
}

#[test]
fn finding_5_an_equivocating_change_is_quarantined_and_the_rest_arrives() {
    let (mut t, c1) = opened_by_a("Name");
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.inv_a);

    // A signs two different changes with the same actor and seq, and gives
    // one to the admin and the other to B.
    let base = t.inv_a.cases[&c1].clone();
    let x = craft(
        &mut t.inv_a,
        &c1,
        |d| put(d, &["victims", "v1", "pseudonym"], "X"),
        |_| {},
    );
    let y = craft(
        &mut t.inv_a,
        &c1,
        |d| put(d, &["victims", "v1", "pseudonym"], "Y"),
        |_| {},
    );
    assert_eq!((x.seq(), x.actor_id()), (y.seq(), y.actor_id()));
    assert_ne!(x.hash(), y.hash());
    plant(&mut t.inv_a, &c1, &x);
    assert_eq!(send(&mut t.inv_a, &mut t.admin).applied, 1);
    t.inv_a.cases.insert(c1.clone(), base);
    plant(&mut t.inv_a, &c1, &y);
    assert_eq!(send(&mut t.inv_a, &mut t.inv_b).applied, 1);

    // B does honest work in c1 (on top of Y) and opens a case of its own.
    add_victim(&mut t.inv_b, &c1, "v2", "Honest");
    let c2 = open_case(&mut t.inv_b, C2);
    assert_equivocation_set_aside(&send(&mut t.inv_b, &mut t.admin));
    assert!(
        t.admin.cases.contains_key(&c2),
        "B's unrelated case arrived"
    );
    assert!(
        !case_of(&t.admin, &c1).victims.is_empty(),
        "the admin's copy of c1 is intact"
    );

    // The other way round: the admin's revocation of A reaches B.
    let a = t.inv_a.device();
    t.admin.revoke(&a, None, T0).unwrap();
    assert_equivocation_set_aside(&send(&mut t.admin, &mut t.inv_b));
    assert!(
        !t.inv_b.team().unwrap().revocations.is_empty(),
        "the revocation arrived"
    );
    // And a retry is a no-op, not an abort.
    send(&mut t.inv_b, &mut t.admin);
}

#[test]
fn finding_5_a_copy_of_a_device_stops_writing_once_it_sees_the_other_copy() {
    let (mut t, c1) = opened_by_a("Name");
    // A's vault is copied (or restored from a backup); both copies edit.
    let mut copy = copy_of(&mut t.inv_a);
    add_victim(&mut t.inv_a, &c1, "v2", "From the original");
    add_victim(&mut copy, &c1, "v3", "From the copy");
    send(&mut t.inv_a, &mut t.admin);
    // The admin holds the original's change; the copy's, under the same
    // sequence number, is set aside.
    let report = send(&mut copy, &mut t.admin);
    assert_equivocation_set_aside(&report);

    // The copy receives the original's change: signed with its own key,
    // never made by it. It refuses it, and makes no more changes.
    let report = send(&mut t.admin, &mut copy);
    assert!(
        codes(&report).contains(&"sync.own_actor_forged"),
        "{:?}",
        codes(&report)
    );
    let err = copy
        .edit_case(
            &c1,
            Edit::Insert {
                id: "v4".into(),
                record: Record::Victim(victim("v4", "Later", &member(&copy))),
            },
            T0,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "sync.device_copied");
    assert!(
        copy.state().copied,
        "the stop is stored with the replica's state"
    );
    assert!(
        copy.take_audit_events()
            .iter()
            .any(|e| e.action == "sync.device_copied"),
        "and audited"
    );
    // It still receives the team's other work.
    let c2 = open_case(&mut t.admin, C2);
    grant(&mut t.admin, &c2, &t.inv_a);
    let report = send(&mut t.admin, &mut copy);
    assert!(report.docs_changed.contains(&c2), "{report:?}");
}

#[test]
fn finding_5_a_change_under_this_devices_key_with_a_bad_signature_does_not_stop_it() {
    // Anyone can name this device as a change's author; only its key can
    // sign. A junk signature must not stop the device from writing.
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_b);
    let a_actor = t.inv_a.device().actor();
    let forged = craft(
        &mut t.inv_b,
        &c1,
        |d| put(d, &["header", "title"], "under A's name"),
        |e| {
            // A's next sequence number in the case, under A's actor.
            e.actor_id = a_actor.clone();
            e.seq = 2;
        },
    );
    plant(&mut t.inv_b, &c1, &forged);
    let report = send(&mut t.inv_b, &mut t.inv_a);
    assert_eq!(codes(&report), ["sync.bad_change_signature"]);
    assert!(!t.inv_a.state().copied);
    add_victim(&mut t.inv_a, &c1, "v1", "Still writing");
}
