//! Link analysis from the command line: what two cases share, in a table
//! and as JSON, values masked; the i2 files, masked unless revealed (and
//! then audited); a bad kind or folder refused with its code.

use crate::common::*;

#[test]
fn links_lists_what_cases_share_and_export_i2_writes_masked_files() {
    let t = team();
    let inv = &t.inv;
    let a = new_case(inv, "KZ-2026-0101");
    let b = new_case(inv, "KG-2026-0202");
    let v = inv.json(&person_add(
        &a,
        "victim",
        "V-1",
        "Жанар Canaryeva",
        &["--birth-date", "1999-04-02"],
    ));
    let v = v["id"].as_str().unwrap().to_string();
    inv.ok(&person_add(
        &b,
        "victim",
        "Aigerim",
        "Janar Canarieva",
        &["--birth-date", "1999-04-02"],
    ));
    inv.ok(&[
        "identifier",
        "add",
        &a,
        "--kind",
        "phone",
        "--value",
        "8 (701) 555-01-99",
        "--person",
        &v,
    ]);
    inv.ok(&[
        "identifier",
        "add",
        &b,
        "--kind",
        "phone",
        "--value",
        "+7 701 555 0199",
    ]);

    let out = inv.json(&["links"]);
    let shared = out["shared"].as_array().unwrap();
    let kinds: Vec<&str> = shared.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["person", "phone"]);
    // Each case's pseudonym, in the order the cases were read (their
    // random ids).
    let mut names: Vec<&str> = shared[0]["label"].as_str().unwrap().split(" / ").collect();
    names.sort_unstable();
    assert_eq!(names, ["Aigerim", "V-1"]);
    assert_eq!(shared[1]["cases"].as_array().unwrap().len(), 2);
    let table = inv.ok(&["links"]);
    assert!(
        table.contains("Phone number") && table.contains("KZ-2026-0101"),
        "{table}"
    );
    let all = inv.ok(&["--json", "links", "--all"]);
    let ru = inv.ok(&["--lang", "ru", "links", "--kind", "phone"]);
    assert!(ru.contains("Номер телефона"), "{ru}");
    for text in [out.to_string(), table, all, ru] {
        for canary in ["Canary", "canary", "0199", "Жанар"] {
            assert!(!text.contains(canary), "{canary} in {text}");
        }
    }

    let dir = inv.path("i2");
    std::fs::create_dir(&dir).unwrap();
    let done = inv.json(&["export", "i2", "--out", s(&dir)]);
    assert_eq!(done["revealed"], false);
    let entities = std::fs::read_to_string(dir.join("entities.csv")).unwrap();
    assert!(entities.contains("Identity,Type,Label,Value"));
    assert!(!entities.contains("0199") && !entities.contains("Canary"));
    let links = std::fs::read_to_string(dir.join("links.csv")).unwrap();
    assert!(links.contains("End 1 Identity,End 2 Identity,Link Type"));
    // Every value in one plain file is for the analysts' roles: refused
    // to the investigator, made by the admin once the cases reach them.
    let (code, err) = inv.fail(&["export", "i2", "--out", s(&dir), "--reveal"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("core.denied"), "{err}");
    let bundle = inv.path("to-admin.bundle");
    inv.ok(&["sync", "export", "--to", "Aigul", "--out", s(&bundle)]);
    let admin = &t.admin;
    admin.json(&["sync", "import", s(&bundle)]);
    let revealed = admin.path("i2-revealed");
    std::fs::create_dir(&revealed).unwrap();
    let said = admin.ok(&[
        "export",
        "i2",
        "--out",
        s(&revealed),
        "--reveal",
        "--shared-only",
    ]);
    assert!(said.contains("recorded in the audit log"), "{said}");
    let entities = std::fs::read_to_string(revealed.join("entities.csv")).unwrap();
    // The person's value as the case read first wrote it.
    assert!(entities.contains("'+77015550199"), "{entities}");
    assert!(
        entities.contains("Жанар Canaryeva (1999-04-02)")
            || entities.contains("Janar Canarieva (1999-04-02)"),
        "{entities}"
    );
    let log = inv.json(&["audit", "log"]);
    assert_logged(&log, "links.open");
    assert_logged(&log, "links.export");
    assert_logged(&admin.json(&["audit", "log"]), "links.export_revealed");

    let (code, err) = inv.fail(&["links", "--kind", "spaceship"]);
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("core.invalid") || err.contains("not valid"),
        "{err}"
    );
    let (code, err) = inv.fail(&["export", "i2", "--out", s(&inv.path("absent"))]);
    assert_eq!(code, 5, "{err}");
}
