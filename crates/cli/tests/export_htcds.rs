//! `caravan export htcds`: an admin writes the anonymised statistics of
//! the cases an investigator sent, with no identity in any file; the
//! investigator is refused with the stable code.

use crate::common::*;

#[test]
fn an_admin_writes_anonymised_statistics_and_an_investigator_is_refused() {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "CANARY-REF-7");
    for n in 0..3 {
        inv.ok(&person_add(
            &case,
            "victim",
            &format!("CANARY-P{n}"),
            &format!("CANARY-NAME-{n}"),
            &[
                "--sex",
                "feminine",
                "--age",
                "16",
                "--citizenship",
                "stateless",
                "--contact",
                "CANARY-PHONE",
            ],
        ));
    }
    let out = inv.path("stats");
    let (code, err) = inv.fail(&["export", "htcds", "--out", s(&out)]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("core.denied"), "{err}");
    assert!(!out.exists());

    let bundle = inv.path("to-admin.bundle");
    inv.ok(&["sync", "export", "--to", &t.admin_id, "--out", s(&bundle)]);
    let admin = &t.admin;
    admin.ok(&["sync", "import", s(&bundle)]);
    let out = admin.path("stats");
    let report = admin.json(&["export", "htcds", "--out", s(&out), "--k", "3"]);
    assert_eq!(report["report"]["k"], 3);
    assert_eq!(report["report"]["victims"]["exported"], 3);
    assert_eq!(report["files"].as_array().unwrap().len(), 6);
    let victims = std::fs::read_to_string(out.join("victims.csv")).unwrap();
    assert!(victims.contains(",Feminine,9--17,,true,"), "{victims}");
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("CANARY"));
    }
    // People read what was written and what was suppressed: with the
    // default k the three rows are withheld.
    let text = admin.ok(&["export", "htcds", "--out", s(&out)]);
    assert!(text.contains("Victim rows withheld:"), "{text}");
    assert!(text.contains("suppression.json"), "{text}");
    assert!(!text.contains("CANARY"), "{text}");
    let log = admin.json(&["audit", "log"]);
    assert_logged(&log, "htcds.export");
    assert!(!log.to_string().contains("CANARY-NAME"));

    let (code, err) = admin.fail(&["export", "htcds", "--out", s(&out), "--k", "1"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("core.invalid"), "{err}");
}
