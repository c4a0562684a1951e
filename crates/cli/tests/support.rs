//! A victim's support plan from the command line: a service added with
//! its HTCDS type, the victim's reflection period and return set through
//! `case edit`, and a child's return refused until the family assessment.

use crate::common::*;

#[test]
fn a_support_service_and_a_victims_return_are_recorded_and_a_childs_return_waits_for_the_assessment()
 {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "2026-051");
    let v = inv.json(&person_add(&case, "victim", "V-1", "Malika R.", &[]));
    let v = v["id"].as_str().unwrap().to_string();
    let child = inv.json(&person_add(
        &case,
        "victim",
        "V-2",
        "Dilnoza R.",
        &["--age", "15"],
    ));
    let child = child["id"].as_str().unwrap().to_string();

    let id = inv.json(&[
        "support",
        "add",
        &case,
        "--victim",
        &v,
        "--type",
        "sexual_exploitation_rehabilitation",
        "--provider",
        "Sana Sezim",
        "--status",
        "in_progress",
        "--from",
        "2026-11-01",
    ]);
    let id = id["id"].as_str().unwrap().to_string();
    for (field, value) in [
        ("reflection_from", "2026-11-01"),
        ("reflection_until", "2026-12-01"),
        ("residence_decision", "voluntary_return"),
        ("return_country", "uz"),
    ] {
        inv.ok(&[
            "case",
            "edit",
            &case,
            &format!("victims/{v}/{field}"),
            value,
        ]);
    }
    let shown = inv.json(&["support", "show", &case]);
    assert_eq!(shown["services"][0]["id"], id.as_str());
    assert_eq!(
        shown["services"][0]["kind"],
        "sexual_exploitation_rehabilitation"
    );
    let victim = shown["victims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == v.as_str())
        .unwrap();
    assert_eq!(victim["support"]["residence_decision"], "voluntary_return");
    assert_eq!(victim["support"]["return_country"], "UZ");
    let table = inv.ok(&["support", "show", &case]);
    assert!(table.contains("Sana Sezim"), "{table}");

    // A child's return waits for the family and risk assessment.
    let decision = format!("victims/{child}/residence_decision");
    let (_, err) = inv.fail(&["case", "edit", &case, &decision, "repatriated"]);
    assert!(err.contains("family"), "{err}");
    inv.ok(&[
        "case",
        "edit",
        &case,
        &format!("victims/{child}/family_assessment_done"),
        "true",
    ]);
    inv.ok(&["case", "edit", &case, &decision, "repatriated"]);
    // A service for no victim of the case is refused.
    inv.fail(&[
        "support", "add", &case, "--victim", "nobody", "--type", "health",
    ]);
}
