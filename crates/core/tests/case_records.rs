//! Places of the route, communication identifiers and organised groups
//! through the workspace: coordinates typed in degrees, identifier values
//! masked everywhere but an audited reveal, group members who are suspects.

use caravan_core::model::{EventKind, GroupRole, IdentifierKind, TransportMode};
use caravan_core::view::PersonKind;
use caravan_core::*;

use crate::util::*;

fn crossing(lat: Option<f64>, lon: Option<f64>) -> EventInput {
    EventInput {
        kind: EventKind::Transit,
        date: Some("2026-09-14".parse().unwrap()),
        place: " Zhibek Zholy ".into(),
        country: Some("kz".into()),
        description: "by minibus".into(),
        person_ids: vec![],
        latitude: lat,
        longitude: lon,
        crosses_border: Some(true),
        border_point: Some(" Zhibek Zholy checkpoint ".into()),
        transport: Some(TransportMode::Road),
    }
}

#[test]
fn an_event_keeps_its_place_in_degrees_and_its_crossing_and_a_half_or_stray_position_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let id = inv
        .add_event(&case, crossing(Some(41.366389), Some(69.113611)))
        .unwrap();
    let view = inv.show_case(&case).unwrap();
    let e = view.timeline.iter().find(|e| e.id == id).unwrap();
    assert_eq!(
        (e.latitude, e.longitude),
        (Some(41.366389), Some(69.113611))
    );
    assert_eq!(e.crosses_border, Some(true));
    assert_eq!(e.border_point.as_deref(), Some("Zhibek Zholy checkpoint"));
    assert_eq!(e.transport, Some(TransportMode::Road));
    assert_eq!(e.country.as_deref(), Some("KZ"));

    // Corrected in degrees, as typed; cleared; the flag set from unset.
    inv.set_field(
        &case,
        &format!("timeline/{id}/latitude_microdeg"),
        "-33.8688",
    )
    .unwrap();
    let plain = inv
        .add_event(
            &case,
            EventInput {
                crosses_border: None,
                border_point: None,
                transport: None,
                ..crossing(None, None)
            },
        )
        .unwrap();
    inv.set_field(&case, &format!("timeline/{plain}/crosses_border"), "true")
        .unwrap();
    inv.set_field(&case, &format!("timeline/{plain}/transport"), "on_foot")
        .unwrap();
    let view = inv.show_case(&case).unwrap();
    let e = view.timeline.iter().find(|e| e.id == id).unwrap();
    assert_eq!(e.latitude, Some(-33.8688));
    let p = view.timeline.iter().find(|e| e.id == plain).unwrap();
    assert_eq!(
        (p.crosses_border, p.transport),
        (Some(true), Some(TransportMode::OnFoot))
    );

    let refused = [
        inv.add_event(&case, crossing(Some(41.0), None)).map(drop),
        inv.add_event(&case, crossing(Some(91.0), Some(69.0)))
            .map(drop),
        inv.add_event(&case, crossing(Some(41.0), Some(f64::NAN)))
            .map(drop),
        inv.add_event(
            &case,
            EventInput {
                crosses_border: Some(false),
                ..crossing(None, None)
            },
        )
        .map(drop),
        inv.set_field(&case, &format!("timeline/{id}/latitude_microdeg"), "north"),
        inv.set_field(&case, &format!("timeline/{id}/longitude_microdeg"), "181"),
        inv.set_field(&case, &format!("timeline/{id}/transport"), "camel"),
    ];
    for (i, r) in refused.into_iter().enumerate() {
        let err = r.expect_err(&format!("refusal {i}"));
        assert!(
            ["core.invalid", "case.invalid"].contains(&err.code()),
            "refusal {i}: {} {err}",
            err.code()
        );
    }
}

fn phone(person: Option<RecordId>) -> IdentifierInput {
    IdentifierInput {
        kind: IdentifierKind::Phone,
        value: " +998 90 123 45 67 ".into(),
        platform: Some("WhatsApp".into()),
        person_id: person,
        source: Some("V-1's phone".into()),
        note: None,
    }
}

#[test]
fn an_identifier_value_is_in_no_view_nor_history_and_each_reveal_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let s1 = inv
        .add_person(
            &case,
            PersonInput::new(PersonKind::Suspect, "S-1", "Рустам К."),
        )
        .unwrap();
    let id = inv.add_identifier(&case, phone(Some(s1.clone()))).unwrap();

    let view = inv.show_case(&case).unwrap();
    let i = &view.identifiers[0];
    assert_eq!(
        (i.kind, i.person.as_deref()),
        (IdentifierKind::Phone, Some("S-1"))
    );
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains("123 45 67"), "the value is in the case view");
    let history = inv
        .record_history(&case, &format!("identifiers/{id}"), false)
        .unwrap();
    let json = serde_json::to_string(&history).unwrap();
    assert!(!json.contains("123 45 67"), "the value is in the history");
    assert!(json.contains("hidden"), "{json}");

    let before = inv.audit_log(None).unwrap().len();
    let revealed = inv.reveal_identifier(&case, &id).unwrap();
    assert_eq!(revealed.value(), "+998 90 123 45 67");
    assert!(!format!("{revealed:?}").contains("998"));
    let log = inv.audit_log(None).unwrap();
    assert_eq!(log.len(), before + 1);
    let last = log.last().unwrap();
    assert_eq!(last.action, "identifier.reveal");
    assert!(last.detail.contains(id.as_str()) && !last.detail.contains("998"));

    // No such identifier, no such person, an empty value.
    let err = inv.reveal_identifier(&case, "nope").unwrap_err();
    assert_eq!(err.code(), "core.not_found");
    let err = inv
        .add_identifier(&case, phone(Some(RecordId::from("nobody"))))
        .unwrap_err();
    assert_eq!(err.code(), "core.not_found");
    let err = inv
        .add_identifier(
            &case,
            IdentifierInput {
                value: "  ".into(),
                ..phone(None)
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "core.invalid");
    let err = inv
        .add_identifier(
            &case,
            IdentifierInput {
                value: "not a number".into(),
                ..phone(None)
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.invalid");
    assert!(!err.to_string().contains("not a number"));
}

#[test]
fn a_group_holds_suspects_of_the_case_leaders_first() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let boss = inv
        .add_person(&case, PersonInput::new(PersonKind::Suspect, "S-1", "A"))
        .unwrap();
    let driver = inv
        .add_person(&case, PersonInput::new(PersonKind::Suspect, "S-2", "B"))
        .unwrap();
    let victim = inv
        .add_person(&case, PersonInput::new(PersonKind::Victim, "V-1", "C"))
        .unwrap();
    let member = |spec: String| spec.parse::<GroupMemberInput>().unwrap();
    let group = |members: Vec<GroupMemberInput>| GroupInput {
        name: " Jizzakh recruiters ".into(),
        description: None,
        members,
        countries: vec!["uz".into(), "KZ".into(), "UZ".into()],
    };
    let id = inv
        .add_group(
            &case,
            group(vec![
                member(format!("{driver}:accomplice:{boss}")),
                member(format!("{boss}:leader")),
            ]),
        )
        .unwrap();
    let view = inv.show_case(&case).unwrap();
    let g = view.groups.iter().find(|g| g.id == id).unwrap();
    assert_eq!(g.name, "Jizzakh recruiters");
    assert_eq!(g.countries, ["UZ", "KZ"]);
    assert_eq!(g.members[0].pseudonym, "S-1");
    assert_eq!(g.members[1].superior.as_ref(), Some(&boss));
    inv.set_field(
        &case,
        &format!("groups/{id}/members/{driver}/role"),
        "organiser",
    )
    .unwrap();
    let view = inv.show_case(&case).unwrap();
    assert_eq!(view.groups[0].members[1].role, GroupRole::Organiser);

    assert!("s1:chief".parse::<GroupMemberInput>().is_err());
    assert!("".parse::<GroupMemberInput>().is_err());
    let refused = [
        (
            group(vec![member(format!("{victim}:member"))]),
            "core.invalid",
        ),
        (group(vec![member("nobody:member".into())]), "core.invalid"),
        (
            group(vec![member(format!("{boss}:leader:{driver}"))]),
            "case.invalid",
        ),
        (
            GroupInput {
                name: " ".into(),
                ..group(vec![])
            },
            "core.invalid",
        ),
        (
            GroupInput {
                countries: vec!["Uzbekistan".into()],
                ..group(vec![])
            },
            "core.invalid",
        ),
    ];
    for (i, (input, code)) in refused.into_iter().enumerate() {
        let err = inv.add_group(&case, input).unwrap_err();
        assert_eq!(err.code(), code, "refusal {i}: {err}");
    }
}
