//! Collections added after cases were made (`caravan_model::later`): an
//! older case lacks them until its first record, and two devices that add
//! the first record of a kind at once, offline, each make the collection.
//! Neither device's records may disappear.

use crate::common::*;
use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use caravan_model::*;

/// A case as a release before `links` made it: the collection absent.
fn case_without_links() -> CaseDoc {
    let mut doc = new_case();
    let am = doc.automerge_mut();
    am.delete(ROOT, "links").unwrap();
    am.commit();
    assert!(am.get(ROOT, "links").unwrap().is_none());
    doc
}

fn link(case_id: &str, reference: &str) -> Record {
    Record::CaseLink(CaseLink {
        case_id: case_id.into(),
        reference: reference.into(),
        relation: CaseLinkKind::SameSuspect,
        note: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    })
}

#[test]
fn an_older_case_reads_with_no_links_and_takes_its_first() {
    let mut doc = case_without_links();
    assert!(doc.case().unwrap().links.is_empty());
    doc.apply(
        insert("l1", link("c2", "KZ-2026-0007")),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let links = doc.case().unwrap().links;
    assert_eq!(links["l1"].reference, "KZ-2026-0007");
    assert!(
        doc.apply(
            insert("l1", link("c3", "KZ-2026-0008")),
            &investigator(),
            catalog()
        )
        .is_err(),
        "an id is used once"
    );
}

#[test]
fn first_links_made_on_two_devices_at_once_are_all_kept() {
    let origin = case_without_links();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(
        insert("a-l1", link("c2", "KZ-2026-0007")),
        &investigator(),
        catalog(),
    )
    .unwrap();
    b.apply(
        insert("b-l1", link("c3", "KZ-2026-0009")),
        &investigator(),
        catalog(),
    )
    .unwrap();
    b.apply(
        insert("b-l2", link("c4", "KZ-2026-0011")),
        &investigator(),
        catalog(),
    )
    .unwrap();

    let [mut ab, mut ba] = merged_both_ways(&a, &b);
    // Automerge holds two maps at `links`: both are read.
    assert_eq!(ab.automerge().get_all(ROOT, "links").unwrap().len(), 2);
    for merged in [&ab, &ba] {
        let links = merged.case().unwrap().links;
        assert_eq!(
            links.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a-l1", "b-l1", "b-l2"]
        );
        assert!(
            merged.conflicts().is_empty(),
            "one collection, not a conflict"
        );
    }

    // A record in either map is edited in place, and an id taken in
    // either map is refused.
    for id in ["a-l1", "b-l1"] {
        let path: DocPath = format!("links/{id}/note").parse().unwrap();
        ab.apply(
            Edit::Set {
                path,
                value: Scalar::Str(format!("checked {id}")),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
        assert!(
            ab.apply(
                insert(id, link("c9", "KZ-2026-0099")),
                &investigator(),
                catalog()
            )
            .is_err()
        );
    }
    ab.apply(
        insert("c-l1", link("c5", "KZ-2026-0013")),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let links = CaseDoc::load(&ab.save(), actor(0xE))
        .unwrap()
        .case()
        .unwrap()
        .links;
    assert_eq!(links.len(), 4);
    assert_eq!(links["a-l1"].note.as_deref(), Some("checked a-l1"));
    assert_eq!(links["b-l1"].note.as_deref(), Some("checked b-l1"));

    // A conflict inside a record of the map Automerge does not show is
    // still found, and decided.
    let mut x = ba.fork(actor(0x1A));
    let mut y = ba.fork(actor(0x1B));
    let hidden = if ba
        .automerge()
        .get(ROOT, "links")
        .unwrap()
        .is_some_and(|(_, m)| ba.automerge().get(&m, "a-l1").unwrap().is_some())
    {
        "b-l1"
    } else {
        "a-l1"
    };
    let path: DocPath = format!("links/{hidden}/reference").parse().unwrap();
    for (doc, value) in [(&mut x, "KZ-1"), (&mut y, "KZ-2")] {
        doc.apply(
            Edit::Set {
                path: path.clone(),
                value: Scalar::Str(value.into()),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    x.merge(&mut y).unwrap();
    let conflicts = x.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].path, path);
    let choice = conflicts[0].values[0].id.clone();
    x.resolve(&path, &choice, &investigator()).unwrap();
    assert!(x.conflicts().is_empty());
}

/// Regression: a member who made their own `links` map holding a record
/// under an id another member's first record took (their map made at once
/// with the other's, as in an older case) hid that record — reading showed
/// one copy and listed no conflict. Now the two copies are a conflict, and
/// deciding it writes the chosen copy into every map that holds the id.
#[test]
fn a_record_under_one_id_in_two_concurrent_maps_is_a_conflict_to_decide() {
    let origin = case_without_links();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(
        insert("l1", link("c2", "KZ-2026-0007")),
        &investigator(),
        catalog(),
    )
    .unwrap();
    b.apply(
        insert("l1", link("c3", "KZ-2026-0666")),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let [mut ab, mut ba] = merged_both_ways(&a, &b);
    let path: DocPath = "links/l1".parse().unwrap();
    for merged in [&ab, &ba] {
        let conflicts = merged.conflicts();
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert_eq!(conflicts[0].path, path);
        assert_eq!(conflicts[0].values.len(), 2);
        assert_eq!(conflicts[0].values.iter().filter(|v| v.current).count(), 1);
    }
    // Deciding for the copy Automerge does not show.
    let hidden = ab.conflicts()[0]
        .values
        .iter()
        .find(|v| !v.current)
        .unwrap()
        .id
        .clone();
    let shown_before = ab.case().unwrap().links["l1"].reference.clone();
    ab.resolve(&path, &hidden, &investigator()).unwrap();
    let after = ab.case().unwrap().links["l1"].reference.clone();
    assert_ne!(after, shown_before, "the hidden copy is now the record");
    assert!(ab.conflicts().is_empty(), "{:?}", ab.conflicts());
    // Every device that takes the decision agrees, and sees no conflict.
    ba.merge(&mut ab.clone()).unwrap();
    assert_eq!(ba.case().unwrap().links["l1"].reference, after);
    assert!(ba.conflicts().is_empty());

    // Two maps holding one id with the same content (one device's record
    // written twice) are no conflict.
    let mut c = origin.clone().fork(actor(0x1C));
    let mut d = origin.clone().fork(actor(0x1D));
    for doc in [&mut c, &mut d] {
        doc.apply(
            insert("l1", link("c2", "KZ-2026-0007")),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    c.merge(&mut d).unwrap();
    assert_eq!(c.automerge().get_all(ROOT, "links").unwrap().len(), 2);
    assert!(c.conflicts().is_empty());
}

/// Every device checks each write of an incoming change against the
/// policy, the map a case's first record of a later kind makes included:
/// whoever may add that record must be allowed to make the map, or the
/// first record of an older case would be refused everywhere else.
#[test]
fn whoever_may_add_a_later_record_may_make_its_collection() {
    for coll in later::LATER_COLLECTIONS {
        let record: DocPath = format!("{coll}/r1").parse().unwrap();
        let map = DocPath::keys([*coll]);
        let mut anyone = false;
        for role in Role::ALL {
            let adds = policy::check(DocKind::Case, *role, &record, WriteKind::Create).is_ok();
            let makes = policy::check(DocKind::Case, *role, &map, WriteKind::Create).is_ok();
            assert_eq!(adds, makes, "{coll}: {role}");
            anyone |= adds;
            assert!(
                policy::check(DocKind::Case, *role, &map, WriteKind::Delete).is_err(),
                "{coll}: no one removes a collection"
            );
        }
        assert!(anyone, "{coll}: someone adds its records");
    }
}
