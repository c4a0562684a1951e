//! A record's history: the changes that touched it, by whom and when, with
//! identity values shown only through the audited reveal; and a person's
//! fields edited, lists included.

use std::time::Instant;

use caravan_core::model::{Exploitation, Role};
use caravan_core::*;

use crate::util::*;

/// A real name, which must never show unrevealed.
const NAME: &str = "Гульнара Ахмедова";
const NEW_NAME: &str = "Гульнара Ахмедова-Каримова";

fn victim() -> PersonInput {
    let mut p = PersonInput::new(PersonKind::Victim, "V-1", NAME);
    p.exploitation = vec![Exploitation::ForcedLabour];
    p.languages = vec!["uzb".into()];
    p
}

fn values(entry: &HistoryEntry) -> Vec<(&str, &FieldValue)> {
    entry
        .fields
        .iter()
        .map(|f| (f.field.as_str(), &f.value))
        .collect()
}

fn value(s: &str) -> FieldValue {
    FieldValue::Value(s.into())
}

#[test]
fn edits_by_two_members_show_in_order_with_their_names_and_identity_masked() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut aibek) = admin_and_investigator(dirs.path());
    let mut dana = enrol(
        &mut admin,
        &dirs.path().join("dana"),
        "Dana",
        Role::Investigator,
    );
    let case = open_case(&mut aibek, "KZ-31", "Farm");
    let v = aibek.add_person(&case, victim()).unwrap();
    let record = format!("victims/{v}");
    aibek
        .set_field(&case, &format!("{record}/identity/full_name"), NEW_NAME)
        .unwrap();
    aibek
        .set_list(
            &case,
            &format!("{record}/exploitation"),
            vec!["forced_labour".into(), "forced_begging".into()],
        )
        .unwrap();
    swap(&mut aibek, &mut admin);
    let (dana_id, _) = dana.me().unwrap();
    admin.grant(&case, &dana_id, true).unwrap();
    swap(&mut admin, &mut dana);
    dana.set_field(
        &case,
        &format!("{record}/status"),
        "actual_victim_of_trafficking",
    )
    .unwrap();
    dana.set_list(
        &case,
        &format!("{record}/languages"),
        vec!["uzb".into(), " rus ".into(), "".into(), "uzb".into()],
    )
    .unwrap();

    let audit_before = dana.audit_log(None).unwrap().len();
    let history = dana.record_history(&case, &record, false).unwrap();
    // Nothing revealed, nothing audited.
    assert_eq!(dana.audit_log(None).unwrap().len(), audit_before);
    let text = serde_json::to_string(&history).unwrap();
    assert!(!text.contains("Гульнара"), "{text}");
    let who: Vec<(&str, bool)> = history
        .iter()
        .map(|e| (e.by.name.as_str(), e.created))
        .collect();
    assert_eq!(
        who,
        [
            ("Aibek", true),
            ("Aibek", false),
            ("Aibek", false),
            ("Dana", false),
            ("Dana", false)
        ]
    );
    // In the order the changes build on each other; each with its author's
    // time (each laptop's own clock, so not necessarily rising).
    assert!(history.iter().all(|e| e.at >= T0 - 1000));
    let created = values(&history[0]);
    assert!(
        created.contains(&("pseudonym", &value("V-1"))),
        "{created:?}"
    );
    assert!(created.contains(&("identity/full_name", &FieldValue::Hidden)));
    assert!(created.contains(&(
        "exploitation",
        &FieldValue::List(vec!["forced_labour".into()])
    )));
    assert!(created.iter().all(|(f, _)| !f.starts_with("recorded_")));
    assert_eq!(
        values(&history[1]),
        [("identity/full_name", &FieldValue::Hidden)]
    );
    assert!(history[1].fields[0].sensitive);
    assert_eq!(
        values(&history[2]),
        [(
            "exploitation",
            &FieldValue::List(vec!["forced_labour".into(), "forced_begging".into()])
        )]
    );
    assert_eq!(
        values(&history[3]),
        [("status", &value("actual_victim_of_trafficking"))]
    );
    assert_eq!(
        values(&history[4]),
        [(
            "languages",
            &FieldValue::List(vec!["uzb".into(), "rus".into()])
        )]
    );

    // Revealed: the values, and the reveal is in the audit log first.
    let revealed = dana.record_history(&case, &record, true).unwrap();
    assert_eq!(
        values(&revealed[1]),
        [("identity/full_name", &value(NEW_NAME))]
    );
    assert!(values(&revealed[0]).contains(&("identity/full_name", &value(NAME))));
    let log = dana.audit_log(None).unwrap();
    assert_eq!(log.len(), audit_before + 1);
    assert!(
        log.iter()
            .any(|r| r.action == "person.reveal" && r.detail.contains(&record)),
        "{log:?}"
    );
    assert!(log.iter().all(|r| !r.detail.contains("Гульнара")));
}

#[test]
fn a_record_that_is_not_there_or_not_a_record_is_refused() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-32", "Farm");
    for (record, code) in [
        ("victims/nobody", "core.not_found"),
        ("header", "core.invalid"),
        ("checklists/intake", "core.invalid"),
        ("victims/a/identity", "core.invalid"),
    ] {
        assert_eq!(
            inv.record_history(&case, record, false).unwrap_err().code(),
            code,
            "{record}"
        );
    }
}

#[test]
fn list_edits_are_typed_by_vocabulary_and_refused_outside_it() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-33", "Farm");
    let v = inv.add_person(&case, victim()).unwrap();
    let path = format!("victims/{v}/exploitation");
    let err = inv
        .set_list(&case, &path, vec!["slavery".into()])
        .unwrap_err();
    assert_eq!(err.code(), "core.invalid");
    assert!(!err.to_string().is_empty());
    // The same list again changes nothing.
    assert_eq!(
        inv.set_list(&case, &path, vec!["forced_labour".into()])
            .unwrap_err()
            .code(),
        "case.no_change"
    );
    inv.set_list(&case, &path, vec![]).unwrap();
    let shown = inv.show_case(&case).unwrap();
    assert!(shown.people[0].exploitation.is_empty());
}

/// The history of one record of a case with a thousand edits, measured
/// (printed, never asserted: speed is the benchmarks' business).
#[test]
fn history_of_a_case_with_a_thousand_edits() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-34", "Farm");
    let v = inv.add_person(&case, victim()).unwrap();
    let other = inv.add_person(&case, victim()).unwrap();
    let started = Instant::now();
    for i in 0..1000u32 {
        let (who, field) = if i % 10 == 0 {
            (&v, "pseudonym")
        } else {
            (&other, "pseudonym")
        };
        inv.set_field(&case, &format!("victims/{who}/{field}"), &format!("P-{i}"))
            .unwrap();
    }
    let edits = started.elapsed();
    let record = format!("victims/{v}");
    let mut timings = Vec::new();
    let mut history = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        history = inv.record_history(&case, &record, false).unwrap();
        timings.push(started.elapsed());
    }
    timings.sort();
    assert_eq!(history.len(), 101);
    assert_eq!(
        values(history.last().unwrap()),
        [("pseudonym", &value("P-990"))]
    );
    eprintln!(
        "history of 1 record in a case of 1,000 edits: median {:?}, min {:?}, max {:?} (1,000 edits took {edits:?})",
        timings[2], timings[0], timings[4]
    );
}
