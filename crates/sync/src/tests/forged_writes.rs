//! Findings 1 and 2 of the trust review: a forged first change that made
//! its author a case's opener, and writes that overwrote a value without
//! naming it (empty `pred`) or numbered their operations to win conflicts.
//! Every attack here is a raw change crafted from `ExpandedChange` and
//! signed with the attacker's real device key, sent in an ordinary bundle.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Change, ObjType, ROOT, ReadDoc};
use caravan_model::{CustodyEntry, Edit, Role, Stage, StageStatus};

use super::fixture::*;
use crate::replica::Replica;

/// A has opened c1 with a victim's name in it; the admin and a supervisor
/// hold it; B is in the team but was never granted c1.
fn opened() -> Supervised {
    let (mut t, mut sup) = with_supervisor();
    let c1 = a_opens(&mut t, "Secret Name");
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    assert!(t.inv_b.case(&c1).is_none(), "B has no access to c1");
    Supervised { t, sup, c1 }
}

/// A change without dependencies by `r` that lays out a case of its own
/// under `case`'s id: a new `header` naming `r`'s member as the opener.
fn forged_first_change(r: &mut Replica) -> Change {
    let header = caravan_model::CaseHeader {
        reference: "REF-c1".into(),
        title: "taken over".into(),
        jurisdiction: "KZ".into(),
        qualification: Default::default(),
        status: caravan_model::CaseStatus::Active,
        created_at: T0,
        created_by: member(r),
        registry_number: None,
    };
    let mut doc = AutoCommit::new().with_actor(r.device().actor());
    autosurgeon::reconcile_prop(&mut doc, ROOT, "header", &header).unwrap();
    doc.commit();
    let change = doc.get_last_local_change().unwrap();
    assert!(change.deps().is_empty());
    change
}

/// Nothing of the case reached B: B's copy under its id holds only B's own
/// forgery, and no quarantined change carries the victim's name.
fn assert_nothing_of_c1_reached(b: &mut Replica, c1: &str) {
    let mine = b.device().actor();
    if let Some(doc) = b.cases.get_mut(c1) {
        assert!(
            doc.get_changes(&[]).iter().all(|c| *c.actor_id() == mine),
            "a change of c1 reached B"
        );
    }
    for q in b.quarantine() {
        let c = Change::from_bytes(q.bytes.clone()).unwrap();
        assert!(
            !format!("{:?}", c.decode()).contains("Secret Name"),
            "a change of c1 reached B's quarantine"
        );
    }
}

#[test]
fn finding_1_a_second_first_change_is_refused_and_the_opener_keeps_the_case() {
    let Supervised { mut t, mut sup, c1 } = opened();
    let before = sup.heads(&c1).unwrap();
    let forged = forged_first_change(&mut t.inv_b);
    plant(&mut t.inv_b, &c1, &forged);
    // B holds no key of c1: it seals one of its own to the supervisor.
    t.inv_b.force_case_key(&c1, &[sup.keys().public()]);

    let report = craft_send(&mut t.inv_b, &mut sup);
    assert_eq!(codes(&report), ["sync.forged_case_root"]);
    assert_eq!(
        report.applied, 1,
        "only B's team change, its key wraps, lands"
    );
    assert_eq!(sup.heads(&c1).unwrap(), before, "c1 unchanged");
    let team = sup.team().unwrap();
    assert_eq!(
        Replica::creator_of(&team, &c1, &sup.cases[&c1]),
        Some(member(&t.inv_a)),
        "A still opened c1"
    );

    // The supervisor never sends c1 to B, and A's next edit still lands.
    send(&mut sup, &mut t.inv_b);
    assert_nothing_of_c1_reached(&mut t.inv_b, &c1);
    add_victim(&mut t.inv_a, &c1, "v2", "Later");
    let report = send(&mut t.inv_a, &mut sup);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    assert!(case_of(&sup, &c1).victims.contains_key("v2"));
}

#[test]
fn finding_1_a_forged_first_change_cannot_claim_a_case_a_device_has_not_seen() {
    // The supervisor has not received c1 yet when B's forgery arrives (B
    // could learn the id from a grant in the team document).
    let mut t = team();
    let mut sup = enrol(&mut t.admin, "Supervisor Sabina", Role::Supervisor);
    send(&mut t.admin, &mut t.inv_b);
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", "Secret Name");
    let forged = forged_first_change(&mut t.inv_b);
    plant(&mut t.inv_b, &c1, &forged);
    // B holds no key of c1: it seals one of its own to the supervisor.
    t.inv_b.force_case_key(&c1, &[sup.keys().public()]);

    let report = craft_send(&mut t.inv_b, &mut sup);
    assert_eq!(codes(&report), ["sync.forged_case_root"]);
    assert!(sup.case(&c1).is_none(), "nothing stored for c1");

    // The real case then arrives whole, opened by A.
    send(&mut t.inv_a, &mut t.admin);
    let report = send(&mut t.admin, &mut sup);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    let team = sup.team().unwrap();
    assert_eq!(
        Replica::creator_of(&team, &c1, &sup.cases[&c1]),
        Some(member(&t.inv_a))
    );
    send(&mut sup, &mut t.inv_b);
    assert_nothing_of_c1_reached(&mut t.inv_b, &c1);
}

#[test]
fn finding_1_no_role_lays_out_a_new_header_later() {
    // A, the opener, replaces the header object naming the old one, or
    // makes a second header without naming it.
    for (edit, code) in [
        (keep as fn(&mut automerge::ExpandedChange), "policy.denied"),
        (no_preds, "sync.hidden_overwrite"),
    ] {
        let Supervised { mut t, mut sup, c1 } = opened();
        let heads = sup.heads(&c1).unwrap();
        let forged = craft(
            &mut t.inv_a,
            &c1,
            |d| {
                d.put_object(ROOT, "header", ObjType::Map).unwrap();
            },
            edit,
        );
        plant(&mut t.inv_a, &c1, &forged);
        // A's copy no longer shows A as the opener (its header is the new
        // one): A sends under the key it already holds.
        let report = craft_send(&mut t.inv_a, &mut sup);
        assert_eq!(codes(&report), [code]);
        assert_eq!(sup.heads(&c1).unwrap(), heads);
        let team = sup.team().unwrap();
        assert_eq!(
            Replica::creator_of(&team, &c1, &sup.cases[&c1]),
            Some(member(&t.inv_a))
        );
    }
}

fn keep(_: &mut automerge::ExpandedChange) {}

/// One overwrite attempt: who writes, where, and what the supervisor's
/// copy must still show afterwards.
struct Overwrite {
    what: &'static str,
    write: fn(&mut AutoCommit),
}

fn custody_entry(d: &AutoCommit) -> automerge::ObjId {
    let (_, ev) = d.get(ROOT, "evidence").unwrap().unwrap();
    let (_, e1) = d.get(&ev, "e1").unwrap().unwrap();
    let (_, cu) = d.get(&e1, "custody").unwrap().unwrap();
    d.get(&cu, 0).unwrap().unwrap().1
}

fn custody_list(d: &AutoCommit) -> automerge::ObjId {
    let (_, ev) = d.get(ROOT, "evidence").unwrap().unwrap();
    let (_, e1) = d.get(&ev, "e1").unwrap().unwrap();
    d.get(&e1, "custody").unwrap().unwrap().1
}

/// A case with an evidence item and one custody hand-over, held by A, B
/// (granted) and the admin.
/// B's change on c1, made by `write` and rewritten by `edit`, sent to the
/// admin: the import's report, once the admin's copy of c1 is checked
/// unmoved by it.
fn refused_from_b(
    t: &mut Team,
    c1: &str,
    write: impl FnOnce(&mut AutoCommit),
    edit: impl FnOnce(&mut automerge::ExpandedChange),
) -> crate::import::ImportReport {
    let heads = t.admin.heads(c1).unwrap();
    let forged = craft(&mut t.inv_b, c1, write, edit);
    plant(&mut t.inv_b, c1, &forged);
    let report = send(&mut t.inv_b, &mut t.admin);
    assert_eq!(t.admin.heads(c1).unwrap(), heads, "{:?}", codes(&report));
    report
}

fn with_custody() -> (Team, String) {
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    phone_in_custody(&mut t.inv_a, &c1);
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_b);
    (t, c1)
}

#[test]
fn finding_2_an_overwrite_that_names_nothing_is_refused() {
    let intake = Stage::Intake.id();
    let cases: [Overwrite; 5] = [
        Overwrite {
            what: "a supervisor's stage gate",
            write: |d| put(d, &["stages", Stage::Intake.id(), "status"], "Closed"),
        },
        Overwrite {
            what: "a field of a custody entry",
            write: |d| {
                let k = custody_entry(d);
                d.put(&k, "to", "Attacker's car").unwrap();
            },
        },
        Overwrite {
            what: "a custody entry itself",
            write: |d| {
                let list = custody_list(d);
                d.put_object(&list, 0, ObjType::Map).unwrap();
            },
        },
        Overwrite {
            what: "the prosecutor's review, as a whole",
            write: |d| {
                d.put_object(ROOT, "review", ObjType::Map).unwrap();
            },
        },
        Overwrite {
            what: "the approvals, as a whole",
            write: |d| {
                d.put_object(ROOT, "approvals", ObjType::Map).unwrap();
            },
        },
    ];
    for case in cases {
        let (mut t, c1) = with_custody();
        let before = case_of(&t.admin, &c1);
        let report = refused_from_b(&mut t, &c1, case.write, no_preds);
        assert_eq!(codes(&report), ["sync.hidden_overwrite"], "{}", case.what);
        let after = t.admin.case(&c1).unwrap();
        assert_eq!(after.case().unwrap(), before, "{}", case.what);
        assert!(after.conflicts().is_empty(), "{}", case.what);
        assert_eq!(
            after.case().unwrap().stages[intake].status,
            StageStatus::Active
        );
    }
}

#[test]
fn finding_2_a_change_numbered_to_win_conflicts_is_refused() {
    // B's edit names what it replaces, but claims a far higher operation
    // number than its dependencies reach: Automerge would let it win every
    // concurrent write, made later by anyone.
    let (mut t, c1) = with_custody();
    let report = refused_from_b(
        &mut t,
        &c1,
        |d| put(d, &["evidence", "e1", "description"], "swapped"),
        |e| renumber(e, 1_000_000),
    );
    assert_eq!(codes(&report), ["sync.bad_op_counter"]);
}

#[test]
fn finding_2_custody_entries_are_written_whole() {
    // A key the entry does not have yet, added later: not an overwrite, but
    // an append-only entry changing after it was written.
    let (mut t, c1) = with_custody();
    let report = refused_from_b(
        &mut t,
        &c1,
        |d| {
            let k = custody_entry(d);
            d.put(&k, "note", "moved to my car").unwrap();
        },
        keep,
    );
    assert_eq!(codes(&report), ["policy.denied"]);
    assert!(report.quarantined[0].message.contains("custody"));
    // An honest hand-over, by someone who never held the forgery, still
    // lands.
    let me = member(&t.inv_a);
    t.inv_a
        .edit_case(
            &c1,
            Edit::AppendCustody {
                evidence_id: "e1".into(),
                entry: CustodyEntry {
                    from: "Evidence room".into(),
                    to: "Laboratory".into(),
                    purpose: Some("examination".into()),
                    ..hand_over("k2", &me, T0)
                },
            },
            T0,
            catalog(),
        )
        .unwrap();
    let report = send(&mut t.inv_a, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    let case = case_of(&t.admin, &c1);
    assert_eq!(case.evidence["e1"].custody.len(), 2);
}
