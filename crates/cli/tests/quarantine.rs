//! `caravan sync quarantine`: the list, and a supervisor's or admin's
//! release (judged again, never a bypass) and discard (audited).

use crate::common::*;

/// The investigator writes in a case while the admin has made them a
/// prosecutor: the admin's device refuses the case's first change on its
/// merits, and what builds on it waits in quarantine.
fn quarantined_at_admin(t: &Team) -> (String, String) {
    let case = new_case(&t.inv, "2026-031");
    t.inv.ok(&["note", "add", &case, "First visit"]);
    t.admin.ok(&["team", "role", "Timur", "prosecutor"]);
    let bundle = t.inv.path("to-admin.bundle");
    t.inv
        .ok(&["sync", "export", "--to", "Aigul", "--out", s(&bundle)]);
    let report = t.admin.json(&["sync", "import", s(&bundle)]);
    // Only the team changes land: the case key's wraps and the sender's
    // audit log head.
    assert_eq!(report["applied"], 2, "{report}");
    assert_eq!(
        report["docs_changed"],
        serde_json::json!(["team"]),
        "{report}"
    );
    (case, s(&bundle).to_string())
}

#[test]
fn a_supervisor_releases_and_discards_quarantined_changes() {
    let t = team();
    let (case, bundle) = quarantined_at_admin(&t);
    let list = t.admin.json(&["sync", "quarantine"]);
    let rows = list["quarantined"].as_array().unwrap();
    let codes: Vec<&str> = rows.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["policy.denied", "sync.depends_on_quarantined"],
        "{list}"
    );
    assert_eq!(rows[0]["author_name"], "Timur");
    assert_eq!(rows[0]["relayed_by_name"], "Timur");
    assert!(rows[0]["arrived_at_ms"].is_number());
    let genesis = rows[0]["change"].as_str().unwrap().to_string();
    let human = t.admin.ok(&["sync", "quarantine", "list"]);
    assert!(
        human.contains("policy.denied") && human.contains("Timur"),
        "{human}"
    );

    // Only a supervisor or an admin reviews.
    let (code, err) = t.inv.fail(&["sync", "quarantine", "release", &genesis]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("core.denied"), "{err}");
    let (code, err) = t.admin.fail(&["sync", "quarantine", "discard", "ffffffff"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("core.not_found"), "{err}");

    // A release judges again: while the role forbids it, it stays.
    let r = t.admin.json(&[
        "sync",
        "quarantine",
        "release",
        &genesis[..10],
        "--case",
        &case[..8],
    ]);
    assert_eq!(r["applied"], false, "{r}");
    assert_eq!(r["reasons"][0]["code"], "policy.denied");
    let out = t
        .admin
        .ok(&["--lang", "ru", "sync", "quarantine", "release", &genesis]);
    assert!(out.contains("остаётся в карантине"), "{out}");

    // With the role given back, the release applies the case and its note.
    t.admin.ok(&["team", "role", "Timur", "investigator"]);
    let out = t.admin.ok(&["sync", "quarantine", "release", &genesis]);
    assert!(out.contains("applied (2 changes in all)"), "{out}");
    let list = t.admin.json(&["sync", "quarantine"]);
    assert!(list["quarantined"].as_array().unwrap().is_empty(), "{list}");
    let cases = t.admin.json(&["case", "list"]);
    assert_eq!(cases["cases"][0]["id"], case.as_str());

    // A prosecutor's note is refused on its merits; the admin discards it.
    t.admin.ok(&["team", "role", "Timur", "prosecutor"]);
    t.inv.ok(&["note", "add", &case, "Second visit"]);
    let second = t.inv.path("second.bundle");
    t.inv
        .ok(&["sync", "export", "--to", "Aigul", "--out", s(&second)]);
    t.admin.ok(&["sync", "import", s(&second)]);
    let list = t.admin.json(&["sync", "quarantine"]);
    let note = list["quarantined"][0]["change"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(list["quarantined"][0]["code"], "policy.denied", "{list}");
    let d = t.admin.json(&["sync", "quarantine", "discard", &note]);
    assert_eq!(d["codes"][0], "policy.denied");
    let log = t.admin.json(&["audit", "log", "--limit", "5"]);
    assert_logged(&log, "sync.quarantine_discard");
    // The same bundle again does not bring it back; the first bundle is
    // already applied.
    t.admin.ok(&["sync", "import", s(&second)]);
    t.admin.ok(&["sync", "import", &bundle]);
    let list = t.admin.json(&["sync", "quarantine"]);
    assert!(list["quarantined"].as_array().unwrap().is_empty(), "{list}");
    let (code, err) = t.admin.fail(&["sync", "quarantine", "discard", &note]);
    assert_eq!(code, 5, "{err}");
}
