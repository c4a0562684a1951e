//! End to end: a team of two works a case by files.

use crate::common::*;
use serde_json::json;

#[test]
fn investigator_case_reaches_admin_masked_and_reveal_is_audited() {
    let t = team();
    let members = t.admin.json(&["team", "members"]);
    assert_eq!(members["members"].as_array().unwrap().len(), 2);

    let inv = &t.inv;
    let case = new_case(inv, "2026-014");
    let person = inv.json(&person_add(
        &case,
        "victim",
        "V1",
        "Gulnara Akhmedova",
        &[
            "--sex",
            "feminine",
            "--age",
            "19",
            "--citizenship",
            "UZ",
            "--citizenship",
            "kz",
            "--recruitment",
            "at_work",
            "--recruitment",
            "through_online_social_networks",
            "--sex-exploitation",
            "prostitution",
            "--recruitment-website",
            "telegram",
            "--exploitation-website",
            "4sale",
            "--exploitation",
            "forced_labour",
            "--birth-date",
            "2006-03-01",
            "--control",
            "debt_bondage",
        ],
    ));
    let person = person["id"].as_str().unwrap().to_string();

    // Tick the first two items of the first checklist: one done, one N/A.
    let lists = inv.json(&["checklist", "show", &case]);
    let first = &lists[0];
    let template = first["template_id"].as_str().unwrap();
    let item0 = first["items"][0]["id"].as_str().unwrap();
    let item1 = first["items"][1]["id"].as_str().unwrap();
    inv.ok(&[
        "checklist",
        "tick",
        &case,
        template,
        item0,
        "--note",
        "done at intake",
    ]);
    inv.ok(&[
        "checklist",
        "tick",
        &case,
        template,
        item1,
        "--na",
        "walk-in",
    ]);
    let lists = inv.json(&["checklist", "show", &case]);
    assert_eq!(lists[0]["items"][0]["status"], "done");
    assert_eq!(lists[0]["items"][1]["status"], "not_applicable");
    assert_eq!(lists[0]["items"][1]["reason"], "walk-in");
    // Russian texts with --lang ru.
    let ru = inv.json(&["--lang", "ru", "checklist", "show", &case]);
    assert_ne!(ru[0]["items"][0]["text"], lists[0]["items"][0]["text"]);

    let ev = inv.json(&[
        "evidence",
        "add",
        &case,
        "--label",
        "Phone A",
        "--kind",
        "phone",
        "--seal",
        "S-1",
        "--seized-by",
        "Timur",
        "--seized-at",
        "2026-03-01T10:00+05:00",
    ]);
    let ev = ev["id"].as_str().unwrap().to_string();
    // A hand-over before the seizure is refused, by its code.
    let (_, refused) = inv.fail(&[
        "evidence",
        "transfer",
        &case,
        &ev,
        "--from",
        "Timur",
        "--to",
        "Lab",
        "--place",
        "Almaty",
        "--at",
        "2026-03-01T09:00+05:00",
    ]);
    assert!(refused.contains("custody.before_seizure"), "{refused}");
    inv.ok(&[
        "evidence",
        "transfer",
        &case,
        &ev,
        "--at",
        "2026-03-01T14:30+05:00",
        "--from",
        "Timur",
        "--to",
        "Lab",
        "--place",
        "Almaty",
        "--seal",
        "S-2",
        "--purpose",
        "extraction",
    ]);
    let file = inv.path("photo.txt");
    std::fs::write(&file, b"hello").unwrap();
    let att = inv.json(&["attach", &case, s(&file), "--evidence", &ev]);
    assert_eq!(
        att["sha256"],
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(
        (&att["file_name"], &att["media_type"], &att["size"]),
        (&json!("photo.txt"), &json!("text/plain"), &json!(5))
    );
    let copy = inv.path("photo-copy.txt");
    let out = inv.json(&["evidence", "export", &case, &ev, s(&copy)]);
    assert_eq!(out["sha256"], att["sha256"]);
    assert_eq!(std::fs::read(&copy).unwrap(), b"hello");
    let shown = inv.json(&["case", "show", &case]);
    let item = &shown["evidence"][0];
    assert_eq!(item["custody"][0]["at"], 1_772_357_400_000_i64);
    assert_eq!(item["holder"], "Lab");
    let victim = &shown["people"][0];
    assert_eq!(victim["citizenships"], serde_json::json!(["UZ", "KZ"]));
    assert_eq!(
        victim["recruitment_methods"],
        serde_json::json!(["at_work", "through_online_social_networks"])
    );
    assert_eq!(
        victim["sex_exploitation"],
        serde_json::json!(["prostitution"])
    );
    assert_eq!(
        victim["recruitment_websites"],
        serde_json::json!(["telegram"])
    );
    assert_eq!(
        victim["exploitation_websites"],
        serde_json::json!(["4sale"])
    );

    let bundle = inv.path("to-admin.bundle");
    inv.ok(&["sync", "export", "--to", &t.admin_id, "--out", s(&bundle)]);

    let admin = &t.admin;
    let report = admin.json(&["sync", "import", s(&bundle)]);
    assert!(report["applied"].as_u64().unwrap() > 0, "{report}");
    assert!(report["quarantined"].as_array().unwrap().is_empty());
    let list = admin.json(&["case", "list"]);
    let cases = list["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["id"], case.as_str());

    let show = admin.ok(&["--json", "case", "show", &case[..8]]);
    assert!(!show.contains("Gulnara"), "identity leaked: {show}");
    assert!(!show.contains("2006-03-01"));
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert!(v["people"][0].get("identity").is_none(), "{v}");
    assert_eq!(v["people"][0]["control_methods"][0], "debt_bondage");
    assert_eq!(v["evidence"][0]["holder"], "Lab");
    let human = admin.ok(&["case", "show", &case]);
    assert!(!human.contains("Gulnara"));
    assert!(human.contains("V1"));

    let id = admin.json(&["person", "reveal", &case, &person]);
    assert_eq!(id["full_name"], "Gulnara Akhmedova");
    let log = admin.json(&["audit", "log"]);
    assert_logged(&log, "person.reveal");
    let check = admin.json(&["audit", "verify"]);
    assert!(check["entries"].as_u64().unwrap() > 0);
    inv.ok(&["audit", "verify"]);

    // The admin's report sees the case.
    let rep = admin.json(&["report", "progress"]);
    assert_eq!(rep["cases"].as_array().unwrap().len(), 1);
    // Human tables print without a terminal.
    let table = admin.ok(&["case", "list"]);
    assert!(table.contains("2026-014"));
}

#[test]
fn passphrase_change_with_recovery_code() {
    let d = Device::new();
    let init = d.json(&["init", "--team", "T", "--name", "A"]);
    let code = init["recovery_code"].as_str().unwrap().to_string();
    d.cmd()
        .args(["passphrase", "change", "--recovery-code", &code])
        .env("CARAVAN_NEW_PASSPHRASE", "a completely new passphrase 99")
        .assert()
        .success();
    d.cmd()
        .args(["team", "members"])
        .env("CARAVAN_PASSPHRASE", "a completely new passphrase 99")
        .assert()
        .success();
    let (code, err) = d.fail(&["team", "members"]);
    assert_eq!(code, 3, "{err}");
}

#[test]
fn completions_and_man_need_no_vault() {
    let d = Device::new();
    let out = d.ok(&["completions", "bash"]);
    assert!(out.contains("caravan"));
    let man = d.ok(&["man"]);
    assert!(man.contains(".TH"));
    assert!(!d.vault().exists());
}

#[test]
fn the_other_commands_run() {
    let t = team();
    let w = &t.inv;
    let case = new_case(w, "2026-050");
    w.ok(&["case", "edit", &case, "header/title", "Brick kilns"]);
    w.ok(&[
        "case",
        "edit",
        &case,
        "narrative",
        "Found at the kiln.",
        "--text",
    ]);
    let p = w.json(&person_add(
        &case,
        "witness",
        "W1",
        "Some One",
        &["--relation", "neighbour"],
    ));
    let p = p["id"].as_str().unwrap().to_string();
    w.ok(&["note", "add", &case, "First note"]);
    let task = w.json(&[
        "task",
        "add",
        &case,
        "--title",
        "Visit",
        "--due",
        "2030-01-01",
    ]);
    w.ok(&["task", "done", &case, task["id"].as_str().unwrap()]);
    w.ok(&[
        "interview",
        "add",
        &case,
        "--person",
        &p,
        "--date",
        "2030-02-01",
        "--consent",
    ]);
    w.ok(&["case", "stage", "open", &case, "identification"]);
    let v = w.json(&person_add(&case, "victim", "V1", "Name", &[]));
    w.ok(&[
        "checklist",
        "start",
        &case,
        "identification-labour",
        "--person",
        v["id"].as_str().unwrap(),
    ]);
    let v = w.json(&["case", "show", &case]);
    assert_eq!(v["title"], "Brick kilns");
    assert_eq!(v["narrative"], "Found at the kiln.");
    assert_eq!(v["tasks"][0]["done"], true);
    let none = w.json(&["case", "list", "--search", "nothing like this"]);
    assert!(none["cases"].as_array().unwrap().is_empty());
    assert!(w.json(&["conflicts"]).as_array().unwrap().is_empty());
    let b = w.path("b.bundle");
    w.ok(&["sync", "export", "--to", "Aigul", "--out", s(&b)]);

    let a = &t.admin;
    a.ok(&["sync", "import", s(&b)]);
    // An admin is no supervisor: the unit's supervisor approves and assigns.
    let (code, err) = a.fail(&["approve", &case, "--subject", "plan"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("policy.denied"), "{err}");
    let (sup, _) = enrol(a, "supervisor", "Yerlan");
    let to_sup = a.path("to-sup.bundle");
    a.ok(&["sync", "export", "--to", "Yerlan", "--out", s(&to_sup)]);
    sup.ok(&["sync", "import", s(&to_sup)]);
    sup.ok(&["approve", &case, "--subject", "plan", "--comment", "fine"]);
    sup.ok(&["case", "assign", &case, "Timur"]);
    let filtered = sup.json(&[
        "case",
        "list",
        "--assignee",
        "Timur",
        "--stage",
        "identification",
    ]);
    assert_eq!(filtered["cases"].as_array().unwrap().len(), 1);
    let v = sup.json(&["case", "show", &case]);
    assert_eq!(v["approvals"].as_array().unwrap().len(), 1);
    // The legal qualification: offered articles, add one, remove it.
    let offered = a.json(&["case", "qualify", &case]);
    let key = offered[0]["key"].as_str().unwrap().to_string();
    a.ok(&["case", "qualify", &case, &key]);
    let v = a.json(&["case", "show", &case]);
    assert_eq!(v["qualification"].as_array().unwrap().len(), 1);
    a.ok(&["case", "qualify", &case, &key, "--remove"]);
    // A part and paragraph of the article: п. 2 ч. 3.
    a.ok(&[
        "case",
        "qualify",
        &case,
        &key,
        "--part",
        "3",
        "--paragraph",
        "2",
    ]);
    let v = a.json(&["case", "show", &case]);
    assert_eq!(v["qualification"][0]["key"], json!(format!("{key}:3:2")));
    assert_eq!(v["qualification"][0]["article"]["part"], "3");
    // Agreeing with it is the prosecutor's.
    let (code, err) = a.fail(&["case", "qualify", &case, "--agree"]);
    assert_eq!(code, 5, "{err}");
    let (code, err) = a.fail(&["case", "qualify", &case, "XX-1-1"]);
    assert_eq!(code, 5, "{err}");
    a.ok(&["team", "grant", &case, "Timur"]);
    a.ok(&["team", "role", "Timur", "supervisor"]);
    let revoked = a.json(&["team", "revoke", "Timur", "--reason", "lost laptop"]);
    assert_eq!(revoked["revoked"].as_array().unwrap().len(), 1);
    a.ok(&["sync", "quarantine"]);
    let any = a.path("any.bundle");
    a.ok(&["sync", "export", "--any", "--out", s(&any)]);
    assert!(any.exists());
    let log = a.json(&["audit", "log", "--limit", "3"]);
    assert_eq!(log.as_array().unwrap().len(), 3);
}

/// A safety item marked not applicable is named in the case as awaiting a
/// supervisor's sign-off.
#[test]
fn case_show_names_a_safety_item_awaiting_a_supervisors_signoff() {
    let t = team();
    let case = new_case(&t.inv, "2026-015");
    t.inv.ok(&[
        "checklist",
        "tick",
        &case,
        "intake",
        "urgent-safety-check",
        "--na",
        "events two years ago",
    ]);
    let view = t.inv.json(&["case", "show", &case]);
    let intake = view["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "intake")
        .unwrap();
    assert_eq!(
        intake["gate"]["not_applicable_unsigned"],
        json!([{ "item": "intake/urgent-safety-check", "role": "supervisor" }])
    );
    let text = t.inv.ok(&["case", "show", &case]);
    assert!(
        text.contains(
            "Marked not applicable, counts for the gate once signed off by the supervisor: intake/urgent-safety-check (intake)"
        ),
        "{text}"
    );
}

/// A template kept per victim is started for each victim and worked with
/// `--person`; the case names who still lacks it.
#[test]
fn each_victim_has_their_own_initial_actions() {
    let t = team();
    let case = new_case(&t.inv, "2026-016");
    let ids: Vec<String> = ["V1", "V2"]
        .iter()
        .map(|p| {
            let v = t.inv.json(&person_add(&case, "victim", p, "Name", &[]));
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    t.inv
        .ok(&["case", "stage", "open", &case, "initial_response"]);
    // Not for the case as a whole.
    let (_, refused) = t
        .inv
        .fail(&["checklist", "start", &case, "initial-actions"]);
    assert!(refused.contains("case.invalid"), "{refused}");
    t.inv.ok(&[
        "checklist",
        "start",
        &case,
        "initial-actions",
        "--person",
        &ids[0],
    ]);
    let text = t.inv.ok(&["case", "show", &case]);
    assert!(
        text.contains("Not started for V2 (initial_response): initial-actions"),
        "{text}"
    );
    let started = t.inv.json(&[
        "checklist",
        "start",
        &case,
        "initial-actions",
        "--every-victim",
    ]);
    assert_eq!(started, json!([ids[1]]));
    t.inv.ok(&[
        "checklist",
        "tick",
        &case,
        "initial-actions",
        "immediate-safety",
        "--person",
        &ids[1],
    ]);
    let lists = t
        .inv
        .json(&["checklist", "show", &case, "--stage", "initial_response"]);
    let of = |id: &str| {
        lists
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["person_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(of(&ids[1])["items"][0]["status"], "done");
    assert_eq!(of(&ids[0])["items"][0]["status"], "open");
    assert_eq!(of(&ids[1])["person"], "V2");
}
