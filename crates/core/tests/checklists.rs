//! Checklists through the application core: one that follows a template
//! version this copy of Caravan does not know (a device with a newer
//! Caravan adopted it) is shown with what to do, holds its stage's gate,
//! and cannot be worked on until Caravan is updated.

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
    // What a newer Caravan writes when it adopts version 9.
    inv.set_field(&case, "checklists/identification-general/version", "9")
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
        .set_item(&case, "identification-general", "works-against-will", tick)
        .unwrap_err();
    assert_eq!(err.code(), "checklist.unknown_template");
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.to_string().contains("update Caravan"), "{err}");
    let err = inv
        .adopt_template(&case, "identification-general")
        .unwrap_err();
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
