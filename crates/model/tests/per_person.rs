//! Checklists kept for each victim: started for a person under a key that
//! names the template and the person, counted per victim by the stage
//! gates, and read as one when two devices start the same one at once.

use crate::common::*;
use caravan_model::checklist::{checklist_key, parse_checklist_key};
use caravan_model::lifecycle::{self, MissingChecklist};
use caravan_model::*;

const IA: &str = "initial-actions";

/// Every required item of `person`'s initial actions done.
fn complete_initial_actions(doc: &mut CaseDoc, person: &str) {
    for item in required_items(IA) {
        doc.apply(
            tick(&key_for(IA, person), &item),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
}

fn start(doc: &mut CaseDoc, template: &str, person: &str) -> Result<(), ModelError> {
    let version = catalog().latest(template).unwrap().version;
    doc.apply(
        Edit::StartPersonChecklist {
            template_id: template.into(),
            version,
            person_id: person.into(),
        },
        &investigator(),
        catalog(),
    )
    .map(drop)
}

fn victim_record(id: &str, status: TraffickingStatus) -> Edit {
    let mut v = victim(&format!("V-{id}"), "Name");
    v.status = status;
    insert(id, Record::Victim(v))
}

#[test]
fn keys_name_the_template_and_the_person() {
    for (template, person, key) in [
        ("initial-actions", None, "initial-actions"),
        ("initial-actions", Some("v1"), "initial-actions~v1"),
        ("risk-assessment", Some("a~b"), "risk-assessment~a~b"),
    ] {
        assert_eq!(checklist_key(template, person), key);
        assert_eq!(parse_checklist_key(key), (template, person));
    }
    // Different people, different keys; the same person, the same key.
    assert_ne!(key_for(IA, "v1"), key_for(IA, "v2"));
    assert_ne!(key_for(IA, "v1"), key_for("risk-assessment", "v1"));
    assert_eq!(key_for(IA, "v1"), key_for(IA, "v1"));
}

#[test]
fn the_templates_done_for_each_victim_are_per_victim() {
    let per_victim: Vec<&str> = catalog()
        .latest_all()
        .into_iter()
        .filter(|t| t.is_per_person())
        .map(|t| t.id.as_str())
        .collect();
    for id in [
        "initial-actions",
        "identification-general",
        "identification-children",
        "identification-sexual",
        "risk-assessment",
        "victim-protection",
        "victim-interview",
        "victim-centred-measures",
        "child-procedures",
        "trial-protection",
        "compensation",
    ] {
        assert!(per_victim.contains(&id), "{id} is kept for each victim");
    }
    for id in [
        "intake",
        "crime-scene-evidence",
        "prosecution-review",
        "closure",
    ] {
        assert!(!per_victim.contains(&id), "{id} is kept for the case");
    }
    // A new case starts none of them: it has no victim yet.
    let case = new_case().case().unwrap();
    for id in per_victim {
        assert!(!case.checklists.contains_key(id), "{id}");
    }
}

/// Each row: victims (id, status, whether their initial actions are
/// started, whether completed), then whether the initial-response gate is
/// ready and who it says has no checklist.
#[test]
fn the_gate_counts_every_victim() {
    use TraffickingStatus::{
        ActualVictimOfTrafficking as Actual, NotAVictimOfTrafficking as NotAVictim,
        PossibleVictimOfTrafficking as Possible,
    };
    type Row = (
        &'static str,
        &'static [(&'static str, TraffickingStatus, bool, bool)],
        bool,
        &'static [&'static str],
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("no victim: nothing kept per victim holds the gate", &[], true, &[]),
        ("one victim, not started", &[("v1", Possible, false, false)], false, &["v1"]),
        ("one victim, started, items open", &[("v1", Possible, true, false)], false, &[]),
        ("one victim, completed", &[("v1", Actual, true, true)], true, &[]),
        ("three victims, all completed", &[("v1", Actual, true, true), ("v2", Possible, true, true), ("v3", Actual, true, true)], true, &[]),
        ("three victims, one not started", &[("v1", Actual, true, true), ("v2", Possible, false, false), ("v3", Actual, true, true)], false, &["v2"]),
        ("three victims, one with items open", &[("v1", Actual, true, true), ("v2", Possible, true, true), ("v3", Actual, true, false)], false, &[]),
        ("three victims, one decided not to be one", &[("v1", Actual, true, true), ("v2", NotAVictim, false, false), ("v3", Actual, true, true)], true, &[]),
    ];
    let inv = investigator();
    for (what, victims, ready, not_started) in rows {
        let mut doc = new_case();
        for (id, status, started, completed) in *victims {
            doc.apply(victim_record(id, *status), &inv, catalog())
                .unwrap();
            if *started {
                start(&mut doc, IA, id).unwrap();
            }
            if *completed {
                complete_initial_actions(&mut doc, id);
            }
        }
        let gate = lifecycle::gate(&doc.case().unwrap(), Stage::InitialResponse, catalog());
        assert_eq!(gate.is_ready(), *ready, "{what}: {gate:?}");
        let expected: Vec<MissingChecklist> = not_started
            .iter()
            .map(|p| MissingChecklist {
                template_id: IA.into(),
                person_id: (*p).into(),
            })
            .collect();
        assert_eq!(gate.missing_checklists, expected, "{what}");
        // Open items name the person whose checklist holds them.
        for m in &gate.missing_items {
            let person = m.person_id.as_deref().expect("a person's item");
            let (_, _, started, completed) = victims.iter().find(|v| v.0 == person).unwrap();
            assert!(*started && !*completed, "{what}: {m:?}");
        }
    }
}

#[test]
fn a_victim_added_after_the_gate_was_ready_holds_it_again() {
    let inv = investigator();
    let mut doc = new_case();
    doc.apply(
        victim_record("v1", TraffickingStatus::ActualVictimOfTrafficking),
        &inv,
        catalog(),
    )
    .unwrap();
    start(&mut doc, IA, "v1").unwrap();
    complete_initial_actions(&mut doc, "v1");
    let gate =
        |doc: &CaseDoc| lifecycle::gate(&doc.case().unwrap(), Stage::InitialResponse, catalog());
    assert!(gate(&doc).is_ready());

    doc.apply(
        victim_record("v2", TraffickingStatus::PossibleVictimOfTrafficking),
        &inv,
        catalog(),
    )
    .unwrap();
    let held = gate(&doc);
    assert!(!held.is_ready());
    assert_eq!(
        held.missing_checklists,
        [MissingChecklist {
            template_id: IA.into(),
            person_id: "v2".into()
        }]
    );
    start(&mut doc, IA, "v2").unwrap();
    assert!(!gate(&doc).is_ready(), "started is not done");
    complete_initial_actions(&mut doc, "v2");
    assert!(gate(&doc).is_ready());
}

#[test]
fn a_safety_items_not_applicable_is_signed_off_per_person() {
    let inv = investigator();
    let sup = author(Role::Supervisor, "sup-1");
    let mut doc = new_case();
    for v in ["v1", "v2"] {
        doc.apply(
            victim_record(v, TraffickingStatus::ActualVictimOfTrafficking),
            &inv,
            catalog(),
        )
        .unwrap();
        start(&mut doc, IA, v).unwrap();
        complete_initial_actions(&mut doc, v);
        // The age check left no doubt for either.
        doc.apply(
            not_applicable(&key_for(IA, v), "presume-child", Some("passport seen, 34")),
            &inv,
            catalog(),
        )
        .unwrap();
    }
    let gate =
        |doc: &CaseDoc| lifecycle::gate(&doc.case().unwrap(), Stage::InitialResponse, catalog());
    let persons = |doc: &CaseDoc| -> Vec<Option<String>> {
        gate(doc)
            .unsigned_not_applicable
            .into_iter()
            .map(|m| m.person_id)
            .collect()
    };
    assert_eq!(persons(&doc), [Some("v1".into()), Some("v2".into())]);
    doc.apply(
        Edit::SignOffItem {
            template_id: key_for(IA, "v1"),
            item_id: "presume-child".into(),
        },
        &sup,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        persons(&doc),
        [Some("v2".into())],
        "v1's sign-off is not v2's"
    );
    doc.apply(
        Edit::SignOffItem {
            template_id: key_for(IA, "v2"),
            item_id: "presume-child".into(),
        },
        &sup,
        catalog(),
    )
    .unwrap();
    assert!(gate(&doc).is_ready());
}

#[test]
fn starting_is_for_a_recorded_victim_and_per_victim_templates_only() {
    let inv = investigator();
    let seeded = || {
        let mut doc = new_case();
        doc.apply(
            victim_record("v1", TraffickingStatus::PossibleVictimOfTrafficking),
            &investigator(),
            catalog(),
        )
        .unwrap();
        start(&mut doc, IA, "v1").unwrap();
        doc
    };
    let person = |template: &str, version: u64, person: &str| Edit::StartPersonChecklist {
        template_id: template.into(),
        version,
        person_id: person.into(),
    };
    let ia_version = catalog().latest(IA).unwrap().version;
    #[rustfmt::skip]
    assert_all_refused(
        vec![
            ("for no recorded victim", person(IA, ia_version, "v9"), &inv, "case.not_found"),
            ("twice for one victim", person(IA, ia_version, "v1"), &inv, "case.duplicate_id"),
            ("a case's checklist for a person", person("intake", 1, "v1"), &inv, "case.invalid"),
            ("a per-victim checklist for the case", Edit::StartChecklist { template_id: "risk-assessment".into(), version: 1 }, &inv, "case.invalid"),
            ("by a prosecutor", person("risk-assessment", 1, "v1"), &author(Role::Prosecutor, "pro-1"), "policy.denied"),
        ],
        seeded,
    );
    let mut doc = seeded();
    start(&mut doc, "risk-assessment", "v1").unwrap();
    let case = doc.case().unwrap();
    let inst = &case.checklists["risk-assessment~v1"];
    assert_eq!(inst.template_id, "risk-assessment");
}

/// A case with victim `v1` on two devices, each of which has started the
/// victim's initial actions (offline, at once); and the checklist's key.
fn started_on_two_devices() -> (CaseDoc, CaseDoc, String) {
    let mut base = new_case();
    base.apply(
        victim_record("v1", TraffickingStatus::PossibleVictimOfTrafficking),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let mut a = base.fork(actor(2));
    let mut b = base.fork(actor(3));
    start(&mut a, IA, "v1").unwrap();
    start(&mut b, IA, "v1").unwrap();
    (a, b, key_for(IA, "v1"))
}

/// Two devices start the same victim's initial actions at once and each
/// marks items: after merging, in either order, the case has one
/// checklist for that victim holding both devices' work.
#[test]
fn concurrent_starts_for_one_person_converge_to_one_checklist() {
    let inv = investigator();
    let (mut a, mut b, key) = started_on_two_devices();
    a.apply(tick(&key, "immediate-safety"), &inv, catalog())
        .unwrap();
    b.apply(
        tick(&key, "medical-needs"),
        &author(Role::Investigator, "inv-2"),
        catalog(),
    )
    .unwrap();
    b.apply(
        not_applicable(&key, "presume-child", Some("passport seen, 34")),
        &author(Role::Investigator, "inv-2"),
        catalog(),
    )
    .unwrap();

    let mut ab = a.fork(actor(4));
    ab.merge(&mut b.fork(actor(5))).unwrap();
    let mut ba = b.fork(actor(6));
    ba.merge(&mut a.fork(actor(7))).unwrap();
    let (ab_case, ba_case) = (ab.case().unwrap(), ba.case().unwrap());
    assert_eq!(ab_case, ba_case, "both orders read the same");
    let ours: Vec<&String> = ab_case
        .checklists
        .keys()
        .filter(|k| parse_checklist_key(k) == (IA, Some("v1")))
        .collect();
    assert_eq!(ours, [&key], "one checklist for the victim");
    let items = &ab_case.checklists[&key].items;
    assert_eq!(items["immediate-safety"].by, "inv-1");
    assert_eq!(items["medical-needs"].by, "inv-2");
    assert_eq!(items["presume-child"].status, ItemStatus::NotApplicable);
    // Read as one, the two starts are no conflict to decide (deciding
    // would drop one device's work).
    assert!(
        ab.conflicts()
            .iter()
            .all(|c| c.path.to_string() != format!("checklists/{key}")),
        "{:?}",
        ab.conflicts()
    );

    // Work goes on in the merged checklist, and counts for the gate.
    for item in required_items(IA) {
        if !ab.case().unwrap().checklists[&key]
            .items
            .contains_key(&item)
        {
            ab.apply(tick(&key, &item), &inv, catalog()).unwrap();
        }
    }
    ab.apply(
        Edit::SignOffItem {
            template_id: key.clone(),
            item_id: "presume-child".into(),
        },
        &author(Role::Supervisor, "sup-1"),
        catalog(),
    )
    .unwrap();
    let gate = lifecycle::gate(&ab.case().unwrap(), Stage::InitialResponse, catalog());
    assert!(gate.is_ready(), "{gate:?}");
    // Marked again here, an item both held reads as marked last.
    ab.apply(
        not_applicable(&key, "medical-needs", Some("examined, no injuries")),
        &inv,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        ab.case().unwrap().checklists[&key].items["medical-needs"].status,
        ItemStatus::NotApplicable
    );
}

#[test]
fn starts_for_two_people_at_once_make_two_checklists() {
    let inv = investigator();
    let mut base = new_case();
    for v in ["v1", "v2"] {
        base.apply(
            victim_record(v, TraffickingStatus::PossibleVictimOfTrafficking),
            &inv,
            catalog(),
        )
        .unwrap();
    }
    let mut a = base.fork(actor(2));
    let mut b = base.fork(actor(3));
    start(&mut a, IA, "v1").unwrap();
    start(&mut b, IA, "v2").unwrap();
    a.merge(&mut b).unwrap();
    let case = a.case().unwrap();
    assert!(case.checklists.contains_key(&key_for(IA, "v1")));
    assert!(case.checklists.contains_key(&key_for(IA, "v2")));
    assert!(a.conflicts().is_empty());
}

/// Cases made before checklists were kept per victim hold one instance of
/// such a template for the whole case: it is read and worked as before,
/// and counts for the gate besides every victim's own.
#[test]
fn an_older_case_wide_instance_is_kept_and_counted() {
    let inv = investigator();
    let mut doc = new_case();
    // As an older release laid it out: under the template's own id.
    let v = catalog().latest(IA).unwrap().version;
    {
        use automerge::ReadDoc;
        let am = doc.automerge_mut();
        let checklists = am.get(automerge::ROOT, "checklists").unwrap().unwrap().1;
        autosurgeon::reconcile_prop(am, checklists, IA, ChecklistInstance::new(IA.into(), v))
            .unwrap();
        am.commit();
    }
    let gate =
        |doc: &CaseDoc| lifecycle::gate(&doc.case().unwrap(), Stage::InitialResponse, catalog());
    assert!(!gate(&doc).is_ready(), "its open items hold the gate");
    assert!(
        gate(&doc)
            .missing_items
            .iter()
            .all(|m| m.person_id.is_none())
    );
    for item in required_items(IA) {
        doc.apply(tick(IA, &item), &inv, catalog()).unwrap();
    }
    assert!(gate(&doc).is_ready());
    doc.apply(
        victim_record("v1", TraffickingStatus::ActualVictimOfTrafficking),
        &inv,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        gate(&doc).missing_checklists.len(),
        1,
        "the victim's own is needed"
    );
}

/// Whom a template's instances are for decides where they are kept, so
/// every version of a template says the same; and a template says it in
/// words the catalog knows.
#[test]
fn every_version_of_a_template_is_kept_for_the_same_people() {
    let version = |v: u64, per: &str| {
        format!(
            "id = \"x\"\nversion = {v}\nstage = \"intake\"\n{per}sources = [\"M2\"]\ntitle = {{ en = \"X\", ru = \"Икс\" }}\n\
             [[items]]\nid = \"a\"\nkind = \"action\"\nrequired = true\nsource = \"M2\"\ntext = {{ en = \"A\", ru = \"А\" }}\n"
        )
    };
    let (v1, v2_victim, v2_case) = (
        version(1, ""),
        version(2, "per = \"victim\"\n"),
        version(2, ""),
    );
    let err = checklist::Catalog::from_sources([
        ("x@1.toml", v1.as_str()),
        ("x@2.toml", v2_victim.as_str()),
    ])
    .unwrap_err();
    assert_eq!(err.code(), "template.invalid");
    assert!(err.to_string().contains("whom an instance is for"), "{err}");
    let catalog = checklist::Catalog::from_sources([
        ("x@1.toml", v1.as_str()),
        ("x@2.toml", v2_case.as_str()),
    ])
    .unwrap();
    assert!(!catalog.latest("x").unwrap().is_per_person());
    let unknown = version(1, "per = \"suspect\"\n");
    let err = checklist::Catalog::from_sources([("x.toml", unknown.as_str())]).unwrap_err();
    assert_eq!(err.code(), "template.parse");
}

/// The identification stage is decided by the supervisor's approval as a
/// whole: with no victim recorded yet it still needs it, and one approval
/// serves every victim's general indicators.
#[test]
fn the_identification_decision_is_needed_with_no_victim_and_asked_once() {
    let inv = investigator();
    let sup = author(Role::Supervisor, "sup-1");
    let mut doc = new_case();
    let gate =
        |doc: &CaseDoc| lifecycle::gate(&doc.case().unwrap(), Stage::Identification, catalog());
    let approvals = |doc: &CaseDoc| {
        gate(doc)
            .missing_signoffs
            .iter()
            .filter(|m| m.item_id.is_none())
            .map(|m| (m.role, m.template_id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        approvals(&doc),
        [(Role::Supervisor, "identification-general".to_string())]
    );
    for v in ["v1", "v2"] {
        doc.apply(
            victim_record(v, TraffickingStatus::ActualVictimOfTrafficking),
            &inv,
            catalog(),
        )
        .unwrap();
        start(&mut doc, "identification-general", v).unwrap();
    }
    assert_eq!(approvals(&doc).len(), 1, "asked once for both victims");
    doc.apply(
        insert(
            "a1",
            Record::Approval(Approval {
                stage: Some(Stage::Identification),
                subject: "identification".into(),
                decision: Decision::Approved,
                comment: None,
                by: "sup-1".into(),
                at: AT,
            }),
        ),
        &sup,
        catalog(),
    )
    .unwrap();
    assert!(approvals(&doc).is_empty());
    assert_eq!(
        gate(&doc).missing_items.len(),
        8,
        "both victims' required items"
    );
}

/// Regression: two devices started the same victim's checklist at once and
/// each marked one item differently; reading showed one state, the other
/// was kept in the document but offered nowhere. Now it is a conflict to
/// decide, and the decision holds on every device.
#[test]
fn one_item_marked_differently_in_two_starts_is_a_conflict_to_decide() {
    let inv = investigator();
    let (mut a, mut b, key) = started_on_two_devices();
    a.apply(tick(&key, "presume-child"), &inv, catalog())
        .unwrap();
    let other = author(Role::Investigator, "inv-2");
    b.apply(
        not_applicable(&key, "presume-child", Some("passport seen, 34")),
        &other,
        catalog(),
    )
    .unwrap();
    // The same state on both sides is no conflict.
    a.apply(tick(&key, "medical-needs"), &inv, catalog())
        .unwrap();
    b.apply(tick(&key, "medical-needs"), &inv, catalog())
        .unwrap();

    let [mut ab, mut ba] = merged_both_ways(&a, &b);
    let path: DocPath = format!("checklists/{key}/items/presume-child")
        .parse()
        .unwrap();
    for merged in [&ab, &ba] {
        let conflicts = merged.conflicts();
        let listed: Vec<&Conflict> = conflicts
            .iter()
            .filter(|c| c.path.to_string().starts_with(&format!("checklists/{key}")))
            .collect();
        assert_eq!(listed.len(), 1, "{conflicts:?}");
        assert_eq!(listed[0].path, path);
        assert_eq!(listed[0].values.len(), 2);
    }
    let shown = ab.case().unwrap().checklists[&key].items["presume-child"].status;
    let hidden = ab
        .conflicts()
        .into_iter()
        .find(|c| c.path == path)
        .unwrap()
        .values
        .into_iter()
        .find(|v| !v.current)
        .unwrap()
        .id;
    ab.resolve(&path, &hidden, &inv).unwrap();
    let decided = ab.case().unwrap().checklists[&key].items["presume-child"].status;
    assert_ne!(
        decided, shown,
        "the state that was hidden is now the item's"
    );
    assert!(ab.conflicts().is_empty(), "{:?}", ab.conflicts());
    ba.merge(&mut ab.clone()).unwrap();
    assert_eq!(
        ba.case().unwrap().checklists[&key].items["presume-child"].status,
        decided
    );
    assert!(ba.conflicts().is_empty());
}
