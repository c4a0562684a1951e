//! List fields edited whole (`Edit::SetList`): only the elements that
//! differ are written, concurrent edits merge element by element, and the
//! schema and the role policy judge them as they judge `Set`.

use automerge::ReadDoc;
use automerge::legacy::{Key as OpKey, ObjectId, OpType};
use automerge::transaction::Transactable;

use crate::common::*;
use caravan_model::schema::Written;
use caravan_model::*;

fn seeded() -> CaseDoc {
    let mut doc = new_case();
    let mut v = victim("Victim A", "Гульнара Ахмедова");
    v.exploitation = vec![Exploitation::ForcedLabour, Exploitation::Servitude];
    doc.apply(insert("v1", Record::Victim(v)), &investigator(), catalog())
        .unwrap();
    doc.apply(
        insert("s1", Record::Suspect(suspect("Recruiter"))),
        &investigator(),
        catalog(),
    )
    .unwrap();
    doc
}

fn suspect(pseudonym: &str) -> Suspect {
    Suspect {
        identity: Identity {
            full_name: "Азамат Нурланов".into(),
            ..Default::default()
        },
        pseudonym: pseudonym.into(),
        roles: vec![PerpetratorRole::RecruiterOrIntermediary],
        citizenship: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        public_official: false,
        citizenships: Vec::new(),
    }
}

fn set_list(path: &str, values: &[&str]) -> Edit {
    Edit::SetList {
        path: path.parse().unwrap(),
        values: values.iter().map(|v| Scalar::from(*v)).collect(),
    }
}

fn exploitation(doc: &CaseDoc) -> Vec<Exploitation> {
    doc.case().unwrap().victims["v1"].exploitation.clone()
}

/// The operations of the document's last change.
fn last_ops(doc: &mut CaseDoc) -> Vec<automerge::legacy::Op> {
    let heads = doc.heads();
    let change = doc
        .automerge_mut()
        .get_change_by_hash(&heads[0])
        .unwrap()
        .clone();
    change.decode().operations
}

#[test]
fn a_list_edit_writes_only_the_elements_that_differ() {
    let mut doc = seeded();
    let inv = investigator();
    doc.apply(
        set_list(
            "victims/v1/exploitation",
            &["ForcedLabour", "SexualExploitation"],
        ),
        &inv,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        exploitation(&doc),
        [Exploitation::ForcedLabour, Exploitation::SexualExploitation]
    );
    // One deletion (servitude), one insertion; forced labour stays
    // the element it was.
    let ops = last_ops(&mut doc);
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert!(matches!(ops[0].action, OpType::Delete));
    assert!(ops[1].insert);

    doc.apply(
        set_list("victims/v1/languages", &["kaz", "uzb"]),
        &inv,
        catalog(),
    )
    .unwrap();
    assert_eq!(doc.case().unwrap().victims["v1"].languages, ["kaz", "uzb"]);
    doc.apply(set_list("suspects/s1/roles", &[]), &inv, catalog())
        .unwrap();
    assert!(doc.case().unwrap().suspects["s1"].roles.is_empty());

    // The same list again is no change.
    let err = doc
        .apply(
            set_list("victims/v1/languages", &["kaz", "uzb"]),
            &inv,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.no_change");
}

/// Edits that a member's own device (or one that skips the app) could
/// craft: values outside the list's vocabulary, the wrong role, a list
/// inside an entry written whole, repeats, a scalar taken for a list.
#[test]
fn crafted_list_edits_are_refused_and_change_nothing() {
    let prosecutor = author(Role::Prosecutor, "pro-1");
    let supervisor = author(Role::Supervisor, "sup-1");
    let admin = author(Role::Admin, "adm-1");
    let inv = investigator();
    #[rustfmt::skip]
    let rows: Vec<(&str, Edit, &Author, &str)> = vec![
        ("a form of exploitation outside the vocabulary", set_list("victims/v1/exploitation", &["ForcedLabour", "Slavery"]), &inv, "case.invalid"),
        ("a vocabulary id where the document name belongs", set_list("victims/v1/exploitation", &["forced_labour"]), &inv, "case.invalid"),
        ("a control method from another vocabulary", set_list("victims/v1/control_methods", &["ForcedLabour"]), &inv, "case.invalid"),
        ("a role outside the vocabulary", set_list("suspects/s1/roles", &["Boss"]), &inv, "case.invalid"),
        ("a number in a list of languages", Edit::SetList { path: "victims/v1/languages".parse().unwrap(), values: vec![Scalar::Uint(7)] }, &inv, "case.invalid"),
        ("a repeated value", set_list("victims/v1/languages", &["kaz", "kaz"]), &inv, "case.invalid"),
        ("a scalar field as a list", set_list("victims/v1/pseudonym", &["x"]), &inv, "case.not_found"),
        ("a text as a list", set_list("narrative", &["x"]), &inv, "case.invalid"),
        ("a prosecutor rewrites a victim's exploitation", set_list("victims/v1/exploitation", &["SexualExploitation"]), &prosecutor, "policy.denied"),
        ("a supervisor adds a language", set_list("victims/v1/languages", &["uzb", "rus", "kaz"]), &supervisor, "policy.denied"),
        ("an admin removes a suspect's role", set_list("suspects/s1/roles", &[]), &admin, "policy.denied"),
        ("an item's evidence rewritten after it was marked", set_list(&format!("checklists/{}/items/immediate-safety/evidence_ids", key_for("initial-actions", "v1")), &["e1"]), &inv, "policy.denied"),
        ("an unknown person", set_list("victims/v9/languages", &["kaz"]), &inv, "case.not_found"),
    ];
    assert_all_refused(rows, || {
        let mut doc = seeded();
        let template = catalog().latest("initial-actions").unwrap();
        doc.apply(
            Edit::StartPersonChecklist {
                template_id: template.id.clone(),
                version: template.version,
                person_id: "v1".into(),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
        doc.apply(
            tick(&key_for("initial-actions", "v1"), "immediate-safety"),
            &investigator(),
            catalog(),
        )
        .unwrap();
        // The item's evidence list exists, so the refusal is the policy's.
        doc
    });
}

/// What every device checks in a change from another device, for each
/// write: a crafted change that inserts a value outside the vocabulary,
/// or a write by a role that may not touch a person, is refused.
#[test]
fn a_crafted_list_element_fails_the_checks_every_peer_makes() {
    let mut doc = seeded();
    let mut forged = doc.fork(actor(9));
    let am = forged.automerge_mut();
    let victims = am.get(automerge::ROOT, "victims").unwrap().unwrap().1;
    let v1 = am.get(&victims, "v1").unwrap().unwrap().1;
    let list = am.get(&v1, "exploitation").unwrap().unwrap().1;
    am.insert(&list, 0, "Slavery").unwrap();
    am.commit();
    let ops = last_ops(&mut forged);
    assert_eq!(ops.len(), 1);
    let op = &ops[0];
    assert!(matches!(op.obj, ObjectId::Id(_)) && matches!(op.key, OpKey::Seq(_)));
    let OpType::Put(value) = op.action.clone() else {
        panic!("an insertion of a value")
    };
    let path: DocPath = "victims/v1/exploitation/0".parse().unwrap();
    let bad = schema::case()
        .check(&path, &Written::Put(value))
        .unwrap_err();
    assert!(bad.reason().contains("ForcedLabour"), "{bad}");
    for role in [Role::Prosecutor, Role::Supervisor, Role::Admin] {
        for kind in [WriteKind::Create, WriteKind::Delete] {
            assert!(
                policy::check(DocKind::Case, role, &path, kind).is_err(),
                "{role} {kind:?}"
            );
        }
    }
    // The honest model never writes it in the first place.
    assert!(
        doc.apply(
            set_list("victims/v1/exploitation", &["Slavery"]),
            &investigator(),
            catalog()
        )
        .is_err()
    );
}

/// Two devices edit the same list at once: deletions and insertions merge
/// element by element; nothing is garbled, and a value both added is shown
/// once and stored once again after the next edit.
#[test]
fn concurrent_list_edits_merge_element_by_element() {
    let inv_a = author(Role::Investigator, "inv-a");
    let inv_b = author(Role::Investigator, "inv-b");
    let path = "victims/v1/exploitation";
    let mut a = seeded();
    let mut b = a.fork(actor(2));
    // A removes servitude and adds begging; B removes forced
    // labour and adds sexual exploitation.
    a.apply(
        set_list(path, &["ForcedLabour", "ForcedBegging"]),
        &inv_a,
        catalog(),
    )
    .unwrap();
    b.apply(
        set_list(path, &["Servitude", "SexualExploitation"]),
        &inv_b,
        catalog(),
    )
    .unwrap();
    a.merge(&mut b).unwrap();
    b.merge(&mut a).unwrap();
    let merged = exploitation(&a);
    assert_eq!(merged, exploitation(&b));
    let mut sorted = merged.clone();
    sorted.sort();
    let mut expected = vec![
        Exploitation::ForcedBegging,
        Exploitation::SexualExploitation,
    ];
    expected.sort();
    assert_eq!(sorted, expected, "{merged:?}");
    assert!(a.conflicts().is_empty());

    // Both add the same value: Automerge keeps both insertions.
    let mut c = a.fork(actor(3));
    a.apply(
        set_list(
            path,
            &["ForcedBegging", "SexualExploitation", "ForcedLabour"],
        ),
        &inv_a,
        catalog(),
    )
    .unwrap();
    c.apply(
        set_list(
            path,
            &["ForcedBegging", "SexualExploitation", "ForcedLabour"],
        ),
        &inv_b,
        catalog(),
    )
    .unwrap();
    a.merge(&mut c).unwrap();
    let twice = exploitation(&a);
    assert_eq!(
        twice
            .iter()
            .filter(|e| **e == Exploitation::ForcedLabour)
            .count(),
        2
    );
    // The next edit, whatever it changes, leaves each value once.
    a.apply(
        set_list(path, &["ForcedBegging", "ForcedLabour"]),
        &inv_a,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        exploitation(&a),
        [Exploitation::ForcedBegging, Exploitation::ForcedLabour]
    );
}
