//! Checklists through the application core: one that follows a template
//! version this copy of Caravan does not know (a device with a newer
//! Caravan adopted it) is shown with what to do, holds its stage's gate,
//! and cannot be worked on until Caravan is updated.

use std::collections::BTreeSet;

use caravan_core::model::{ItemStatus, Role, Stage};
use caravan_core::*;

use crate::util::*;

#[test]
fn a_checklist_of_a_newer_template_version_is_shown_and_holds_the_gate() {
    let dirs = tempfile::tempdir().unwrap();
    let mut sup = create(&dirs.path().join("sup"));
    sup.found_team("Almaty TIP unit", "Saule", "office laptop")
        .unwrap();
    let mut inv = create(&dirs.path().join("a"));
    let request = inv.join_request("Aibek", "Aibek's laptop").unwrap();
    let package = sup.approve_join(&request, Role::Investigator).unwrap();
    inv.accept_join(&package, &sup.team_view().unwrap().fingerprint)
        .unwrap();
    let case = inv
        .create_case(NewCaseInput {
            reference: "KG-2026-0007".into(),
            title: "Sewing workshop, Osh".into(),
            jurisdiction: "KG".into(),
        })
        .unwrap();
    inv.open_stage(&case, Stage::Identification).unwrap();
    let v1 = inv
        .add_person(&case, PersonInput::new(PersonKind::Victim, "V-1", "Name"))
        .unwrap();
    inv.start_checklist(&case, "identification-general", Some(&v1))
        .unwrap();
    let key = format!("identification-general~{v1}");
    // What a newer Caravan writes when it adopts version 9.
    inv.set_field(&case, &format!("checklists/{key}/version"), "9")
        .unwrap();

    let lists = inv
        .checklists(&case, Some(Stage::Identification), "en")
        .unwrap();
    let list = lists
        .iter()
        .find(|l| l.template_id == "identification-general")
        .expect("the checklist is shown, not left out");
    assert!(list.template_unknown);
    assert_eq!((list.version, list.stage), (9, Some(Stage::Identification)));
    assert!(list.items.is_empty() && !list.title.is_empty());

    let view = inv.show_case(&case).unwrap();
    let stage = view
        .stages
        .iter()
        .find(|s| s.stage == Stage::Identification)
        .unwrap();
    assert!(!stage.gate.ready);
    assert_eq!(stage.gate.unknown_templates, ["identification-general@9"]);

    let tick = ItemUpdate {
        status: ItemStatus::Done,
        reason: None,
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    };
    let err = inv
        .set_item(&case, &key, "works-against-will", tick)
        .unwrap_err();
    assert_eq!(err.code(), "checklist.unknown_template");
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.to_string().contains("update Caravan"), "{err}");
    let err = inv.adopt_template(&case, &key).unwrap_err();
    assert_eq!(err.code(), "checklist.unknown_template");

    // The supervisor cannot close the stage, and is told why.
    let saule = inv.find_member("Saule").unwrap();
    let (bundle, _) = inv.export_bundle(Some(&saule), &mut |_| {}).unwrap();
    sup.import_bundle(&bundle, &mut |_| {}).unwrap();
    let err = sup.close_stage(&case, Stage::Identification).unwrap_err();
    assert_eq!(err.code(), "stage.gate_not_ready");
    assert!(
        err.to_string().contains(
            "made with a newer template version (identification-general version 9): update Caravan"
        ),
        "{err}"
    );
}

/// A team whose admin, Saule, is no supervisor; Yerlan supervises and
/// Aibek investigates. Returns (admin, supervisor, investigator) and keeps
/// the folders alive.
fn unit(dirs: &std::path::Path) -> (Workspace, Workspace, Workspace) {
    let mut admin = founder(&dirs.join("admin"), "Almaty TIP unit");
    let mut sup = enrol(&mut admin, &dirs.join("sup"), "Yerlan", Role::Supervisor);
    let mut inv = enrol(&mut admin, &dirs.join("inv"), "Aibek", Role::Investigator);
    swap(&mut admin, &mut sup);
    swap(&mut admin, &mut inv);
    (admin, sup, inv)
}

fn done() -> ItemUpdate {
    ItemUpdate {
        status: ItemStatus::Done,
        reason: None,
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    }
}

/// Each victim has their own initial actions: started for one or for
/// every victim at once, worked by its key, counted by the gate per victim
/// and shown as one progress row per victim.
#[test]
fn each_victim_has_their_own_checklists() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut sup, mut inv) = unit(dirs.path());
    let case = open_case(&mut inv, "KZ-2026-0009", "Brick kiln");
    inv.open_stage(&case, Stage::InitialResponse).unwrap();
    let victims: Vec<RecordId> = (1..=3)
        .map(|n| {
            let p = PersonInput::new(PersonKind::Victim, &format!("V-{n}"), "Name");
            inv.add_person(&case, p).unwrap()
        })
        .collect();
    let witness = inv
        .add_person(&case, PersonInput::new(PersonKind::Witness, "W-1", "Name"))
        .unwrap();

    // Kept per victim: not for the case, nor for a witness.
    let err = inv
        .start_checklist(&case, "initial-actions", None)
        .unwrap_err();
    assert_eq!(err.code(), "case.invalid");
    let err = inv
        .start_checklist(&case, "initial-actions", Some(&witness))
        .unwrap_err();
    assert_eq!(err.code(), "case.not_found");
    inv.start_checklist(&case, "initial-actions", Some(&victims[0]))
        .unwrap();
    let started: BTreeSet<RecordId> = inv
        .start_checklist_for_every_victim(&case, "initial-actions")
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(started, victims[1..].iter().cloned().collect());
    assert!(
        inv.start_checklist_for_every_victim(&case, "initial-actions")
            .unwrap()
            .is_empty(),
        "nobody lacks it any more"
    );
    let err = inv
        .start_checklist_for_every_victim(&case, "intake")
        .unwrap_err();
    assert_eq!(err.code(), "core.invalid");

    // Every required item of the first victim's checklist done.
    let lists = inv
        .checklists(&case, Some(Stage::InitialResponse), "en")
        .unwrap();
    // One per victim, in the order of their ids.
    let persons: BTreeSet<(Option<&RecordId>, Option<&str>)> = lists
        .iter()
        .map(|l| (l.person_id.as_ref(), l.person.as_deref()))
        .collect();
    let expected: BTreeSet<(Option<&RecordId>, Option<&str>)> = victims
        .iter()
        .zip(["V-1", "V-2", "V-3"])
        .map(|(v, p)| (Some(v), Some(p)))
        .collect();
    assert_eq!((lists.len(), persons), (3, expected));
    let first = lists
        .iter()
        .find(|l| l.person_id.as_ref() == Some(&victims[0]))
        .unwrap();
    for item in first.items.iter().filter(|i| i.required) {
        inv.set_item(&case, &first.key, &item.id, done()).unwrap();
    }

    let view = inv.show_case(&case).unwrap();
    let rows: BTreeSet<(&RecordId, &str, u8)> = view
        .person_progress
        .iter()
        .filter(|r| r.template_id == "initial-actions")
        .map(|r| (&r.person_id, r.person.as_str(), r.percent))
        .collect();
    let expected: BTreeSet<(&RecordId, &str, u8)> = victims
        .iter()
        .zip([("V-1", 100), ("V-2", 0), ("V-3", 0)])
        .map(|(v, (p, pct))| (v, p, pct))
        .collect();
    assert_eq!(rows, expected);
    let gate = &view
        .stages
        .iter()
        .find(|s| s.stage == Stage::InitialResponse)
        .unwrap()
        .gate;
    assert!(!gate.ready);
    assert!(gate.missing_items.is_empty(), "the case's own have none");
    let waiting: Vec<&RecordId> = gate.people.iter().map(|p| &p.person_id).collect();
    assert_eq!(waiting.len(), 2);
    assert!(!waiting.contains(&&victims[0]));
    assert!(gate.people.iter().all(|p| {
        p.missing_items
            .contains(&"initial-actions/immediate-safety".to_string())
    }));

    // The supervisor, not the admin, closes the gate once all are done.
    for list in &lists[..] {
        if list.person_id.as_ref() == Some(&victims[0]) {
            continue;
        }
        for item in list.items.iter().filter(|i| i.required) {
            inv.set_item(&case, &list.key, &item.id, done()).unwrap();
        }
    }
    let yerlan = inv.find_member("Yerlan").unwrap();
    let (bundle, _) = inv.export_bundle(Some(&yerlan), &mut |_| {}).unwrap();
    sup.import_bundle(&bundle, &mut |_| {}).unwrap();
    sup.close_stage(&case, Stage::InitialResponse).unwrap();
}

/// An admin manages the team and is no supervisor: the core refuses her
/// an approval, an assignment and a gate decision, and offers her none.
#[test]
fn an_admin_does_not_act_as_supervisor() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, _sup, mut inv) = unit(dirs.path());
    let case = open_case(&mut inv, "KZ-2026-0010", "Sauna");
    swap(&mut inv, &mut admin);
    let p = Permissions::of(Role::Admin);
    assert!(p.team_admin && p.case_access);
    assert!(!p.approve && !p.assign && !p.close_stage && !p.sign_off);
    let aibek = admin.find_member("Aibek").unwrap();
    for (what, code) in [
        (
            admin
                .approve(
                    &case,
                    Some(Stage::Intake),
                    "intake",
                    caravan_core::model::Decision::Approved,
                    None,
                )
                .map(drop),
            "policy.denied",
        ),
        (admin.assign(&case, &aibek, true), "policy.denied"),
    ] {
        assert_eq!(what.unwrap_err().code(), code);
    }
    // She still decides who sees the case.
    admin.grant(&case, &aibek, true).unwrap();
}
