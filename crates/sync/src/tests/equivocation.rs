//! Finding 5 of the trust review: two different changes under one actor
//! and sequence number made Automerge refuse a whole batch, so every later
//! import between two devices aborted for good.

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
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", "Name");
    send(&mut t.inv_a, &mut t.admin);
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
        !t.admin
            .case(&c1)
            .unwrap()
            .case()
            .unwrap()
            .victims
            .is_empty(),
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
