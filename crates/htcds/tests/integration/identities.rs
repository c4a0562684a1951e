//! No identity, free text, id, place or coordinate reaches any byte of any
//! file: canary strings are written into every such field of cases whose
//! rows are exported, and searched for in every file.

use caravan_model::vocab::*;
use caravan_model::*;

use crate::common::*;

/// Coordinates of the canary events, and how they could be written.
const LATITUDE: i64 = 43_123_457;
const LONGITUDE: i64 = 76_987_653;
const COORDINATE_FORMS: &[&str] = &[
    "43123457",
    "76987653",
    "43.123457",
    "76.987653",
    "43.12",
    "76.98",
];

fn identity(tag: &str) -> Identity {
    Identity {
        full_name: format!("CANARY-{tag}-NAME"),
        other_names: Some(format!("CANARY-{tag}-ALIAS")),
        birth_date: Some("1999-04-27".parse().unwrap()),
        document_numbers: Some(format!("CANARY-{tag}-PASSPORT N0998877")),
        contact: Some(format!("CANARY-{tag}-PHONE +77015550199")),
        address: Some(format!("CANARY-{tag}-ADDRESS 12 Abay street")),
    }
}

/// A case whose every free-text and identity field holds a canary.
pub fn canary_case(n: usize) -> Case {
    let mut c = base();
    c.header.reference = "CANARY-REFERENCE".into();
    c.header.title = "CANARY-TITLE".into();
    c.header.registry_number = Some("CANARY-REGISTRY".into());
    c.header.created_by = "CANARY-MEMBER".into();
    c.narrative = autosurgeon_text("CANARY-NARRATIVE");
    for i in 0..n {
        let mut v = victim();
        v.identity = identity(&format!("V{i}"));
        v.pseudonym = format!("CANARY-PSEUDONYM-{i}");
        v.recorded_by = "CANARY-MEMBER".into();
        v.languages = vec!["CANARY-LANGUAGE".into()];
        v.return_country = Some("CANARY-RETURN".into());
        v.citizenships = vec!["UZ".into(), "CANARY-CITIZENSHIP".into()];
        c.victims.insert(format!("CANARYID-victim-{i}"), v);
        let mut s = suspect();
        s.identity = identity(&format!("S{i}"));
        s.pseudonym = format!("CANARY-SUSPECT-{i}");
        c.suspects.insert(format!("CANARYID-suspect-{i}"), s);
    }
    c.witnesses.insert(
        "CANARYID-witness".into(),
        Witness {
            identity: identity("W"),
            pseudonym: "CANARY-WITNESS".into(),
            relation: Some("CANARY-RELATION".into()),
            recorded_at: CREATED,
            recorded_by: "CANARY-MEMBER".into(),
        },
    );
    let mut e = event(EventKind::Exploitation, "KZ", &[]);
    e.place = "CANARY-PLACE".into();
    e.description = "CANARY-EVENT-DESCRIPTION".into();
    e.latitude_microdeg = Some(LATITUDE);
    e.longitude_microdeg = Some(LONGITUDE);
    e.border_point = Some("CANARY-BORDER-POINT".into());
    c.timeline.insert("CANARYID-event".into(), e);
    let mut free = event(EventKind::Recruitment, "CANARY-COUNTRY", &[]);
    free.place = "CANARY-PLACE-2".into();
    c.timeline.insert("CANARYID-event-2".into(), free);
    c.notes.insert(
        "CANARYID-note".into(),
        Note {
            body: autosurgeon_text("CANARY-NOTE"),
            recorded_at: CREATED,
            recorded_by: "CANARY-MEMBER".into(),
        },
    );
    c
}

fn autosurgeon_text(s: &str) -> autosurgeon::Text {
    autosurgeon::Text::with_value(s)
}

pub fn assert_no_identity(e: &caravan_htcds::Export) {
    for f in e.files() {
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        assert!(!text.contains("CANARY"), "{} holds a canary", f.name);
        for form in COORDINATE_FORMS {
            assert!(!text.contains(form), "{} holds a coordinate", f.name);
        }
        for digits in ["1999", "04-27", "0998877", "5550199", "Abay"] {
            assert!(!text.contains(digits), "{} holds {digits}", f.name);
        }
    }
}

#[test]
fn no_identity_free_text_id_place_or_coordinate_reaches_any_file() {
    let cases = vec![canary_case(12), canary_case(12)];
    let e = run(&cases, 11);
    assert_eq!(e.report.victims.exported, 24, "the rows were exported");
    assert_eq!(e.report.perpetrators.exported, 24);
    assert_no_identity(&e);
    // What may leave did: the country of the event, not its place.
    let rows = json_rows(&e, "victims.json");
    assert_eq!(
        rows[0]["vic_CountryOfExploitation"],
        serde_json::json!(["KZ"])
    );
    assert_eq!(rows[0]["vic_CountryOfRecruitment"], serde_json::json!([]));
    assert_eq!(rows[0]["prs_Citizenship"], serde_json::json!(["UZ"]));
}

#[test]
fn ids_are_row_numbers_not_record_ids() {
    let e = run(&[canary_case(12)], 11);
    let ids: Vec<String> = json_rows(&e, "victims.json")
        .iter()
        .map(|r| r["vic_Id"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (1..=12).map(|n| format!("V{n}")).collect();
    assert_eq!(ids, expected);
}
