//! Cases made by a release before the later collections existed (see
//! `caravan_model::later`): their first change lays out none of them, so
//! the first record of a kind makes its map, and two members may each make
//! one at once. Every forged change is crafted with raw Automerge and
//! signed with the member's real device key.

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT};
use caravan_model::*;

use super::court::{charge, insert, put_record, refused};
use super::fixture::*;

/// A's case as a release before the later collections opened it: the
/// first change without the collections it lays out last (every one added
/// since the court phase, `charges` among them). The admin, B and the
/// prosecutor hold it.
fn older_case() -> (Team, String) {
    let mut t = team();
    let newer = open_case(&mut t.inv_a, "older");
    let mut doc = t.inv_a.cases.remove(&newer).unwrap();
    let mut e = doc.get_changes(&[]).remove(0).decode();
    let dropped = drop_later_collections(&mut e);
    assert!(
        dropped.iter().any(|k| k == "charges"),
        "a first change lays out the court's collections: {dropped:?}"
    );
    let genesis = automerge::Change::from(e);
    let c1 = crate::team::case_id_of(&genesis.hash());
    plant(&mut t.inv_a, &c1, &genesis);
    assert!(case_of(&t.inv_a, &c1).charges.is_empty());
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.inv_b);
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.prosecutor);
    (t, c1)
}

/// Removes from a case's first change the operations that make its later
/// collections, renumbering the rest so that the references among its own
/// operations still hold; returns the keys removed.
fn drop_later_collections(e: &mut automerge::ExpandedChange) -> Vec<String> {
    use automerge::legacy::{ElementId, Key, ObjectId, OpId};
    let me = e.actor_id.clone();
    let start = e.start_op.get();
    let mut removed = Vec::new();
    let mut dropped = Vec::new();
    for (i, op) in e.operations.iter().enumerate() {
        if let (ObjectId::Root, Key::Map(k)) = (&op.obj, &op.key)
            && later::is_later(k)
        {
            removed.push(start + i as u64);
            dropped.push(k.to_string());
        }
    }
    let shift = |id: &OpId| {
        if id.actor() == &me {
            let below = removed.iter().filter(|r| **r < id.counter()).count() as u64;
            OpId::new(id.counter() - below, &me)
        } else {
            id.clone()
        }
    };
    let mut ops = std::mem::take(&mut e.operations);
    let mut i = 0u64;
    ops.retain(|_| {
        i += 1;
        !removed.contains(&(start + i - 1))
    });
    for op in &mut ops {
        if let ObjectId::Id(id) = &op.obj {
            op.obj = ObjectId::Id(shift(id));
        }
        if let Key::Seq(ElementId::Id(id)) = &op.key {
            op.key = Key::Seq(ElementId::Id(shift(id)));
        }
        op.pred = op.pred.iter().map(shift).collect::<Vec<_>>().into();
    }
    e.operations = ops;
    dropped
}

/// Regression: B, offline, made its own `charges` map holding a record
/// under the id of A's first charge, with a higher operation counter so
/// its map won Automerge's conflict: A's charge vanished from every view,
/// its history and editing, and no conflict said so.
#[test]
fn a_concurrent_collection_does_not_silently_replace_a_record_under_its_id() {
    let (mut t, c1) = older_case();
    let (a, b) = (member(&t.inv_a), member(&t.inv_b));
    add_victim(&mut t.inv_b, &c1, "v9", "Someone");
    let mut dropped = charge(&b);
    dropped.status = ChargeStatus::Dropped;
    forge(&mut t.inv_b, &c1, |d| {
        d.put_object(ROOT, "charges", ObjType::Map).unwrap();
        put_record(d, "charges", "ch1", &dropped);
    });
    insert(&mut t.inv_a, &c1, "ch1", Record::Charge(charge(&a)));
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.inv_b, &mut t.admin);

    let ch1: DocPath = "charges/ch1".parse().unwrap();
    let held = t.admin.case(&c1).unwrap();
    let conflict = held
        .conflicts()
        .into_iter()
        .find(|c| c.path == ch1)
        .expect("the two records under ch1 are a conflict to decide");
    assert_eq!(conflict.values.len(), 2);

    // A, seeing the conflict, keeps its own charge; every device takes the
    // decision, and the conflict is gone.
    send(&mut t.admin, &mut t.inv_a);
    let mine = t.inv_a.case(&c1).unwrap().conflicts()[0]
        .values
        .iter()
        .find(|v| v.actor == t.inv_a.device().actor().to_hex_string())
        .unwrap()
        .id
        .clone();
    t.inv_a.resolve(&c1, &ch1, &mine, T0).unwrap();
    let report = send(&mut t.inv_a, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    let held = t.admin.case(&c1).unwrap();
    assert!(held.conflicts().is_empty(), "{:?}", held.conflicts());
    assert_eq!(
        held.case().unwrap().charges["ch1"].status,
        ChargeStatus::Brought
    );
}

/// In an older case the investigation's first charge makes the `charges`
/// map on every device; a prosecutor's crafted first charge is refused.
#[test]
fn the_first_charge_of_an_older_case_is_the_investigations() {
    let (mut t, c1) = older_case();
    let p = member(&t.prosecutor);
    forge(&mut t.prosecutor, &c1, |d| {
        d.put_object(ROOT, "charges", ObjType::Map).unwrap();
        put_record(d, "charges", "ch9", &charge(&p));
    });
    refused(&send(&mut t.prosecutor, &mut t.admin), "policy.denied");
    assert!(case_of(&t.admin, &c1).charges.is_empty());

    let b = member(&t.inv_b);
    insert(&mut t.inv_b, &c1, "ch1", Record::Charge(charge(&b)));
    let report = send(&mut t.inv_b, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    assert_eq!(case_of(&t.admin, &c1).charges.len(), 1);
}
