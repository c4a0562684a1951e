//! The route of a case from the command line: an event with its place and
//! border crossing, an identifier whose value stays masked until an
//! audited reveal, and a group of suspects.

use crate::common::*;

#[test]
fn an_event_an_identifier_and_a_group_are_recorded_and_the_number_shows_only_when_revealed() {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "2026-014");
    let boss = inv.json(&person_add(&case, "suspect", "S-1", "Rustam K.", &[]));
    let boss = boss["id"].as_str().unwrap().to_string();
    let driver = inv.json(&person_add(&case, "suspect", "S-2", "Oleg T.", &[]));
    let driver = driver["id"].as_str().unwrap().to_string();

    inv.ok(&[
        "event",
        "add",
        &case,
        "--kind",
        "transit",
        "--place",
        "Zhibek Zholy",
        "--country",
        "kz",
        "--latitude",
        "41.366389",
        "--longitude",
        "-69.113611",
        "--crosses-border",
        "--border-point",
        "Zhibek Zholy checkpoint",
        "--transport",
        "road",
        "--person",
        &driver,
    ]);
    let number = "+998 90 123 45 67";
    let id = inv.json(&[
        "identifier",
        "add",
        &case,
        "--kind",
        "phone",
        "--value",
        number,
        "--platform",
        "WhatsApp",
        "--person",
        &boss,
    ]);
    let id = id["id"].as_str().unwrap().to_string();
    inv.ok(&[
        "group",
        "add",
        &case,
        "--name",
        "Jizzakh recruiters",
        "--member",
        &format!("{boss}:leader"),
        "--member",
        &format!("{driver}:accomplice:{boss}"),
        "--country",
        "UZ",
        "--country",
        "KZ",
    ]);

    let shown = inv.ok(&["case", "show", &case]);
    assert!(shown.contains("41.366389, -69.113611"), "{shown}");
    assert!(
        shown.contains("crossed at Zhibek Zholy checkpoint"),
        "{shown}"
    );
    assert!(shown.contains("Jizzakh recruiters"), "{shown}");
    assert!(!shown.contains("123 45 67"), "{shown}");
    let view = inv.json(&["case", "show", &case]);
    assert!(!view.to_string().contains("123 45 67"));
    assert_eq!(view["identifiers"][0]["platform"], "WhatsApp");
    assert_eq!(view["groups"][0]["members"][0]["role"], "leader");
    assert_eq!(view["timeline"][0]["transport"], "road");

    let revealed = inv.json(&["identifier", "reveal", &case, &id]);
    assert_eq!(revealed["value"], number);
    assert_logged(&inv.json(&["audit", "log"]), "identifier.reveal");

    // Half a position, a member who is not a suspect, a bad member spec.
    let (_, err) = inv.fail(&[
        "event",
        "add",
        &case,
        "--kind",
        "transit",
        "--place",
        "Korday",
        "--latitude",
        "43.2",
    ]);
    assert!(err.contains("latitude and longitude"), "{err}");
    let (_, err) = inv.fail(&[
        "group",
        "add",
        &case,
        "--name",
        "X",
        "--member",
        "nobody:member",
    ]);
    assert!(err.contains("not a suspect"), "{err}");
    let (_, err) = inv.fail(&["group", "add", &case, "--name", "X", "--member", "s1:chief"]);
    assert!(err.contains("<suspect-id>:<role>"), "{err}");
}
