//! The product's sync scenarios, end to end between replicas.

use caravan_model::{DocPath, Edit, ItemStatus, Record, ReviewItem, ReviewKind, Stage};

use super::fixture::*;
use crate::bundle::{Limits, Recipient};

fn tick(item: &str) -> Edit {
    item_done("intake", item)
}

#[test]
fn two_investigators_offline_then_prosecutor_via_supervisor() {
    let (mut t, c1) = opened_by_a("Гульнара");
    grant(&mut t.admin, &c1, &t.inv_b);
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    assert!(
        t.inv_b.case(&c1).is_some(),
        "B received the case through the supervisor"
    );

    // A week apart, offline.
    add_victim(&mut t.inv_a, &c1, "v2", "Aigul");
    let open = Edit::OpenStage {
        stage: Stage::Identification,
    };
    t.inv_a.edit_case(&c1, open, T0, catalog()).unwrap();
    t.inv_a
        .edit_case(&c1, tick("urgent-safety-check"), T0, catalog())
        .unwrap();
    t.inv_a
        .edit_case(
            &c1,
            Edit::Set {
                path: "header/title".parse().unwrap(),
                value: "Title from A".into(),
            },
            T0,
            catalog(),
        )
        .unwrap();
    let phone = phone(&member(&t.inv_b));
    t.inv_b
        .edit_case(
            &c1,
            Edit::Insert {
                id: "e1".into(),
                record: Record::Evidence(phone),
            },
            T0,
            catalog(),
        )
        .unwrap();
    let hand_over = caravan_model::CustodyEntry {
        id: "k1".into(),
        from: "Bakyt".into(),
        to: "Forensic lab".into(),
        at: T0,
        place: "Almaty".into(),
        seal_number: None,
        purpose: None,
        attachment_sha256: None,
        recorded_by: member(&t.inv_b),
        recorded_at: Some(T0),
    };
    t.inv_b
        .edit_case(
            &c1,
            Edit::AppendCustody {
                evidence_id: "e1".into(),
                entry: hand_over,
            },
            T0,
            catalog(),
        )
        .unwrap();
    t.inv_b
        .edit_case(
            &c1,
            Edit::Set {
                path: "header/title".parse().unwrap(),
                value: "Title from B".into(),
            },
            T0,
            catalog(),
        )
        .unwrap();

    // Back in the car: swap bundles both ways.
    let ab = send(&mut t.inv_a, &mut t.inv_b);
    let ba = send(&mut t.inv_b, &mut t.inv_a);
    assert!(
        ab.quarantined.is_empty() && ba.quarantined.is_empty(),
        "{ab:?} {ba:?}"
    );
    let mut a = t.inv_a.case(&c1).unwrap();
    let mut b = t.inv_b.case(&c1).unwrap();
    assert_eq!(a.heads(), b.heads());
    let case = a.case().unwrap();
    assert_eq!(case, b.case().unwrap());
    assert!(case.victims.contains_key("v1") && case.victims.contains_key("v2"));
    assert_eq!(case.evidence["e1"].custody.len(), 1);
    assert_eq!(
        case.checklists["intake"].items["urgent-safety-check"].status,
        ItemStatus::Done
    );
    let conflicts = a.conflicts();
    assert_eq!(conflicts.len(), 1);
    let authors: Vec<String> = conflicts[0]
        .values
        .iter()
        .map(|v| v.actor.clone())
        .collect();
    assert!(
        authors.contains(&t.inv_a.device().actor().to_hex_string())
            && authors.contains(&t.inv_b.device().actor().to_hex_string())
    );
    // One of them decides.
    let pick = conflicts[0]
        .values
        .iter()
        .find(|v| v.shown == "Title from B")
        .unwrap()
        .id
        .clone();
    t.inv_a
        .resolve(&c1, &DocPath::keys(["header", "title"]), &pick, T0)
        .unwrap();

    // The supervisor relays to the prosecutor, who reviews.
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.inv_b, &mut t.admin);
    let to_p = send(&mut t.admin, &mut t.prosecutor);
    assert!(to_p.quarantined.is_empty(), "{to_p:?}");
    let seen = case_of(&t.prosecutor, &c1);
    assert_eq!(seen.header.title, "Title from B");
    let p = member(&t.prosecutor);
    for (id, kind, text) in [
        ("r1", ReviewKind::Request, "Interview the landlord"),
        ("r2", ReviewKind::Request, "Interview the driver"),
        ("r3", ReviewKind::SignOff, "Identification reviewed"),
    ] {
        let item = ReviewItem {
            kind,
            stage: (kind == ReviewKind::SignOff).then_some(Stage::Identification),
            text: text.into(),
            by: p.clone(),
            at: T0,
            withdraws: None,
            qualification: None,
        };
        t.prosecutor
            .edit_case(
                &c1,
                Edit::Insert {
                    id: id.into(),
                    record: Record::Review(item),
                },
                T0,
                catalog(),
            )
            .unwrap();
    }
    send(&mut t.prosecutor, &mut t.admin);
    let back = send(&mut t.admin, &mut t.inv_a);
    assert!(back.quarantined.is_empty());
    assert_eq!(case_of(&t.inv_a, &c1).review.len(), 3);
    // Nothing new: a second exchange sends nothing and changes nothing.
    let again = send(&mut t.admin, &mut t.inv_a);
    assert_eq!(
        (again.applied, again.held, again.quarantined.len()),
        (0, 0, 0)
    );
}

#[test]
fn changes_wait_for_their_dependencies() {
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    send(&mut t.inv_a, &mut t.inv_b);
    send(&mut t.inv_b, &mut t.inv_a);
    add_victim(&mut t.inv_a, &c1, "x", "First");
    let first = export_to(&mut t.inv_a, &t.inv_b);
    // Pretend B confirmed the first bundle, so the next one carries only the second change.
    let b = member(&t.inv_b);
    let heads = t.inv_a.heads(&c1).unwrap();
    t.inv_a.peer_heads.insert((b.clone(), c1.clone()), heads);
    add_victim(&mut t.inv_a, &c1, "y", "Second");
    let second = t.inv_a.export(&Recipient::Member(b), T0).unwrap();

    let out_of_order = t.inv_b.import(&second, &Limits::default()).unwrap();
    assert_eq!((out_of_order.applied, out_of_order.held), (0, 1));
    assert!(!case_of(&t.inv_b, &c1).victims.contains_key("y"));
    let then = t.inv_b.import(&first, &Limits::default()).unwrap();
    assert_eq!((then.applied, then.held), (2, 0));
    let victims = case_of(&t.inv_b, &c1).victims;
    assert!(victims.contains_key("x") && victims.contains_key("y"));
}

#[test]
fn a_case_reaches_only_those_who_may_see_it() {
    let mut t = team();
    let secret = open_case(&mut t.inv_a, SECRET);
    send(&mut t.inv_a, &mut t.admin);
    let to_b = send(&mut t.admin, &mut t.inv_b);
    assert_eq!(to_b.not_permitted, 0, "the exporter leaves it out");
    assert!(t.inv_b.case(&secret).is_none());
    // Even a bundle meant for anyone leaves out cases not everyone may see.
    let any = t.admin.export(&Recipient::AnyMember, T0).unwrap();
    t.prosecutor.import(&any, &Limits::default()).unwrap();
    assert!(t.prosecutor.case(&secret).is_none());
}

#[test]
fn bundles_under_an_old_key_epoch_stay_readable_after_rotation() {
    let mut t = team();
    let _ = open_case(&mut t.inv_a, C1);
    let old = export_to(&mut t.inv_a, &t.admin);
    t.admin.rotate(T0).unwrap();
    assert_eq!(t.admin.team().unwrap().current_epoch(), 2);
    let report = t.admin.import(&old, &Limits::default()).unwrap();
    assert!(report.applied > 0);
    // The investigator learns the new key from the admin's next bundle.
    send(&mut t.admin, &mut t.inv_a);
    assert!(t.inv_a.team_key(2).is_some());
    let fresh = export_to(&mut t.inv_a, &t.admin);
    assert_eq!(t.admin.open_docs(&fresh).0.epoch, 2);
}

#[test]
fn what_a_device_does_is_handed_to_the_audit_log_without_case_content() {
    let mut t = team();
    let enrolled = t.admin.take_audit_events();
    assert_eq!(
        enrolled.iter().map(|e| e.action).collect::<Vec<_>>(),
        ["team.enrol", "team.enrol", "team.enrol"]
    );
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", "Гульнара Secretname");
    send(&mut t.inv_a, &mut t.admin);
    let exported = t.inv_a.take_audit_events();
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].action, "sync.export");
    let imported = t.admin.take_audit_events();
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].action, "sync.import");
    assert!(
        imported[0].detail.contains("applied"),
        "{}",
        imported[0].detail
    );
    for e in exported.iter().chain(&imported) {
        assert!(
            !e.detail.contains("Secretname") && !e.detail.contains("Garment"),
            "{e:?}"
        );
    }
    t.admin.revoke(&t.inv_b.device(), None, T0).unwrap();
    let revoked = t.admin.take_audit_events();
    assert_eq!(
        revoked.iter().map(|e| e.action).collect::<Vec<_>>(),
        ["team.revoke"]
    );
    assert!(
        t.admin.take_audit_events().is_empty(),
        "events are handed over once"
    );
}
