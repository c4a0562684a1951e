//! Places of a route (coordinates, border crossings, transport), the
//! communication identifiers and the organised groups of a case: stored as
//! made, merged from two devices, and only what the schema, the checks
//! and the policy allow is accepted.

use automerge::ScalarValue as S;
use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use caravan_model::schema::{self, Written};
use caravan_model::*;

use crate::common::*;

fn event(lat: Option<i64>, lon: Option<i64>) -> TimelineEvent {
    TimelineEvent {
        kind: EventKind::Transit,
        date: Some("2025-10-01".parse().unwrap()),
        place: "Korday".into(),
        country: Some("KZ".into()),
        description: "crossed by bus".into(),
        person_ids: vec![],
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        latitude_microdeg: lat,
        longitude_microdeg: lon,
        crosses_border: Some(true),
        border_point: Some("Korday checkpoint".into()),
        transport: Some(TransportMode::Road),
    }
}

fn suspect(pseudonym: &str) -> Record {
    Record::Suspect(Suspect {
        identity: Identity {
            full_name: "Secret Name".into(),
            ..Default::default()
        },
        pseudonym: pseudonym.into(),
        roles: vec![PerpetratorRole::RecruiterOrIntermediary],
        citizenship: None,
        public_official: false,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    })
}

fn identifier(kind: IdentifierKind, value: &str) -> Identifier {
    Identifier {
        kind,
        value: value.into(),
        platform: Some("WhatsApp".into()),
        person_id: Some("s1".into()),
        source: Some("seized phone".into()),
        note: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    }
}

fn phone() -> Record {
    Record::Identifier(identifier(IdentifierKind::Phone, "+996 555 123 456"))
}

fn member(role: GroupRole, superior: Option<&str>) -> GroupMember {
    GroupMember {
        role,
        superior: superior.map(Into::into),
    }
}

fn group(members: &[(&str, GroupMember)]) -> Group {
    Group {
        name: "Osh network".into(),
        description: Some("moves workers to Kazakhstan".into()),
        members: members
            .iter()
            .map(|(id, m)| (id.to_string(), m.clone()))
            .collect(),
        countries: vec!["KG".into(), "KZ".into()],
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    }
}

fn two_suspect_group() -> Record {
    Record::Group(group(&[
        ("s1", member(GroupRole::Leader, None)),
        ("s2", member(GroupRole::Organiser, Some("s1"))),
    ]))
}

/// A case with a victim, two suspects, an event, an identifier and a group.
fn seeded() -> CaseDoc {
    let mut doc = new_case();
    for edit in [
        insert("v1", Record::Victim(victim("V-1", "Secret Name"))),
        insert("s1", suspect("S-1")),
        insert("s2", suspect("S-2")),
        insert(
            "ev1",
            Record::Timeline(event(Some(43_238_949), Some(76_889_709))),
        ),
        insert("id1", phone()),
        insert("g1", two_suspect_group()),
    ] {
        doc.apply(edit, &investigator(), catalog()).unwrap();
    }
    doc
}

#[test]
fn an_event_keeps_its_coordinates_crossing_and_transport_and_an_older_event_reads_without_them() {
    let mut doc = seeded();
    let loaded = CaseDoc::load(&doc.save(), actor(9)).unwrap();
    let e = &loaded.case().unwrap().timeline["ev1"];
    assert_eq!(e, &event(Some(43_238_949), Some(76_889_709)));
    assert_eq!(places::degrees(e.latitude_microdeg.unwrap()), 43.238949);
    assert_eq!(
        places::microdegrees(-33.8688, places::MAX_LATITUDE),
        Some(-33_868_800)
    );
    assert_eq!(places::microdegrees(90.000001, places::MAX_LATITUDE), None);
    assert_eq!(places::microdegrees(f64::NAN, places::MAX_LATITUDE), None);

    // An event written by a release before these fields: they read unset.
    let am = doc.automerge_mut();
    let ev = am.get(ROOT, "timeline").unwrap().unwrap().1;
    let ev = am.get(&ev, "ev1").unwrap().unwrap().1;
    for key in [
        "latitude_microdeg",
        "longitude_microdeg",
        "crosses_border",
        "border_point",
        "transport",
    ] {
        am.delete(&ev, key).unwrap();
    }
    am.commit();
    let e = &doc.case().unwrap().timeline["ev1"];
    assert_eq!(e.latitude_microdeg, None);
    assert_eq!(e.transport, None);
    assert_eq!(e.place, "Korday");

    // The team sees the coordinates: they are no identity field.
    let lat: DocPath = "timeline/ev1/latitude_microdeg".parse().unwrap();
    assert!(!lat.is_sensitive());
}

#[test]
fn an_event_with_half_a_position_a_position_off_the_globe_or_a_stray_crossing_point_is_refused() {
    let stray_point = TimelineEvent {
        crosses_border: Some(false),
        ..event(None, None)
    };
    let pro = author(Role::Prosecutor, "pro-1");
    assert_all_refused(
        vec![
            (
                "latitude without longitude",
                insert("ev2", Record::Timeline(event(Some(1), None))),
                investigator(),
                "case.invalid",
            ),
            (
                "latitude past the pole",
                insert("ev2", Record::Timeline(event(Some(90_000_001), Some(0)))),
                investigator(),
                "case.invalid",
            ),
            (
                "longitude past the date line",
                insert("ev2", Record::Timeline(event(Some(0), Some(-180_000_001)))),
                investigator(),
                "case.invalid",
            ),
            (
                "crossing point on an event that crosses no border",
                insert("ev2", Record::Timeline(stray_point)),
                investigator(),
                "case.invalid",
            ),
            (
                "latitude edited past the pole",
                set("timeline/ev1/latitude_microdeg", Scalar::Int(-95_000_000)),
                investigator(),
                "case.invalid",
            ),
            (
                "latitude as a float",
                set("timeline/ev1/latitude_microdeg", Scalar::Str("43.2".into())),
                investigator(),
                "case.invalid",
            ),
            (
                "transport outside the list",
                set("timeline/ev1/transport", "Camel".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "prosecutor moves an event",
                set("timeline/ev1/latitude_microdeg", Scalar::Int(0)),
                pro,
                "policy.denied",
            ),
        ],
        seeded,
    );
    let case = schema::case();
    let at = |p: &str| -> DocPath { p.parse().unwrap() };
    for (path, written) in [
        ("timeline/ev1/latitude_microdeg", Written::Put(S::F64(43.2))),
        (
            "timeline/ev1/latitude_microdeg",
            Written::Put(S::Int(90_000_001)),
        ),
        (
            "timeline/ev1/longitude_microdeg",
            Written::Put(S::Int(i64::MIN)),
        ),
        (
            "timeline/ev1/crosses_border",
            Written::Put(S::Str("yes".into())),
        ),
        ("timeline/ev1/transport", Written::Put(S::Str("air".into()))),
    ] {
        assert!(case.check(&at(path), &written).is_err(), "{path}");
    }
    for (path, written) in [
        (
            "timeline/ev1/latitude_microdeg",
            Written::Put(S::Int(-90_000_000)),
        ),
        (
            "timeline/ev1/longitude_microdeg",
            Written::Put(S::Int(180_000_000)),
        ),
        (
            "timeline/ev1/transport",
            Written::Put(S::Str("OnFoot".into())),
        ),
        ("timeline/ev1/border_point", Written::Put(S::Null)),
    ] {
        assert!(case.check(&at(path), &written).is_ok(), "{path}");
    }
}

#[test]
fn every_kind_of_identifier_reads_back_and_its_value_is_an_identity_field() {
    let mut doc = seeded();
    let values = [
        "+7 (701) 123-45-67",
        "356938035643809",
        "recruiter@example.org",
        "@osh_jobs",
        "facebook.com/osh.jobs",
        "https://jobs.example",
        "other",
    ];
    for (kind, value) in IdentifierKind::ALL.iter().zip(values) {
        let i = identifier(*kind, value);
        let id = format!("id-{}", kind.id());
        doc.apply(
            insert(&id, Record::Identifier(i.clone())),
            &investigator(),
            catalog(),
        )
        .unwrap();
        let loaded = CaseDoc::load(&doc.save(), actor(9)).unwrap();
        assert_eq!(loaded.case().unwrap().identifiers[&id], i);
    }
    let value: DocPath = "identifiers/id1/value".parse().unwrap();
    let platform: DocPath = "identifiers/id1/platform".parse().unwrap();
    assert!(value.is_sensitive());
    assert!(!platform.is_sensitive());
    // A supervisor keeps them too.
    let sup = author(Role::Supervisor, "sup-1");
    doc.apply(
        set("identifiers/id1/note", "switched off since March".into()),
        &sup,
        catalog(),
    )
    .unwrap();
}

#[test]
fn an_identifier_of_the_wrong_form_of_no_person_of_the_case_or_by_a_prosecutor_is_refused() {
    let pro = author(Role::Prosecutor, "pro-1");
    let of = |kind, value: &str| Record::Identifier(identifier(kind, value));
    let nobody = Record::Identifier(Identifier {
        person_id: Some("s9".into()),
        ..identifier(IdentifierKind::Phone, "+7 701 123 45 67")
    });
    assert_all_refused(
        vec![
            (
                "empty value",
                insert("id2", of(IdentifierKind::Email, "  ")),
                investigator(),
                "case.invalid",
            ),
            (
                "letters in a phone",
                insert("id2", of(IdentifierKind::Phone, "call me")),
                investigator(),
                "case.invalid",
            ),
            (
                "short IMEI",
                insert("id2", of(IdentifierKind::Imei, "3569380356")),
                investigator(),
                "case.invalid",
            ),
            (
                "e-mail without @",
                insert("id2", of(IdentifierKind::Email, "recruiter.example.org")),
                investigator(),
                "case.invalid",
            ),
            (
                "person not in the case",
                insert("id2", nobody),
                investigator(),
                "case.not_found",
            ),
            (
                "kind outside the list",
                set("identifiers/id1/kind", "Pager".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "kind by its id",
                set("identifiers/id1/kind", "phone".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "value as a number",
                set("identifiers/id1/value", Scalar::Int(996555)),
                investigator(),
                "case.invalid",
            ),
            (
                "prosecutor adds",
                insert("id2", phone()),
                pro.clone(),
                "policy.denied",
            ),
            (
                "prosecutor writes a value",
                set("identifiers/id1/value", "+996 700 000 000".into()),
                pro,
                "policy.denied",
            ),
            (
                "admin writes a value",
                set("identifiers/id1/value", "x".into()),
                author(Role::Admin, "adm-1"),
                "policy.denied",
            ),
        ],
        seeded,
    );
    // The message of a refused value never repeats it.
    let mut doc = seeded();
    let err = doc
        .apply(
            insert("id3", of(IdentifierKind::Phone, "SECRET-NUMBER")),
            &investigator(),
            catalog(),
        )
        .unwrap_err();
    assert!(!err.to_string().contains("SECRET"), "{err}");
    let case = schema::case();
    let at = |p: &str| -> DocPath { p.parse().unwrap() };
    for (path, written) in [
        ("identifiers/id1/kind", Written::Put(S::Str("Sms".into()))),
        ("identifiers/id1/value", Written::Put(S::Int(7))),
        ("identifiers/id1/person_id", Written::Put(S::F64(1.0))),
        ("identifiers/id1/extra", Written::Put(S::Str("x".into()))),
    ] {
        assert!(case.check(&at(path), &written).is_err(), "{path}");
    }
}

#[test]
fn a_group_holds_suspects_in_a_hierarchy_without_loops() {
    let mut doc = seeded();
    let loaded = CaseDoc::load(&doc.save(), actor(9)).unwrap();
    let Record::Group(g) = two_suspect_group() else {
        unreachable!()
    };
    assert_eq!(loaded.case().unwrap().groups["g1"], g);

    let with_victim = Record::Group(group(&[("v1", member(GroupRole::Member, None))]));
    let outsider = Record::Group(group(&[("s9", member(GroupRole::Member, None))]));
    let superior_outside = Record::Group(group(&[("s1", member(GroupRole::Member, Some("s2")))]));
    let looped = Record::Group(group(&[
        ("s1", member(GroupRole::Leader, Some("s2"))),
        ("s2", member(GroupRole::Member, Some("s1"))),
    ]));
    let own_boss = Record::Group(group(&[("s1", member(GroupRole::Leader, Some("s1")))]));
    let bad_country = Record::Group(Group {
        countries: vec!["Kyrgyzstan".into()],
        ..group(&[])
    });
    let pro = author(Role::Prosecutor, "pro-1");
    assert_all_refused(
        vec![
            (
                "a victim as a member",
                insert("g2", with_victim),
                investigator(),
                "case.invalid",
            ),
            (
                "no such suspect",
                insert("g2", outsider),
                investigator(),
                "case.invalid",
            ),
            (
                "superior outside the group",
                insert("g2", superior_outside),
                investigator(),
                "case.invalid",
            ),
            (
                "a loop",
                insert("g2", looped),
                investigator(),
                "case.invalid",
            ),
            (
                "own superior",
                insert("g2", own_boss),
                investigator(),
                "case.invalid",
            ),
            (
                "country not a code",
                insert("g2", bad_country),
                investigator(),
                "case.invalid",
            ),
            (
                "role outside the list",
                set("groups/g1/members/s2/role", "Boss".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "prosecutor adds",
                insert("g2", two_suspect_group()),
                pro.clone(),
                "policy.denied",
            ),
            (
                "prosecutor changes a role",
                set("groups/g1/members/s2/role", GroupRole::Leader.into()),
                pro,
                "policy.denied",
            ),
        ],
        seeded,
    );
    let case = schema::case();
    let at = |p: &str| -> DocPath { p.parse().unwrap() };
    for (path, written) in [
        (
            "groups/g1/members/s2/role",
            Written::Put(S::Str("leader".into())),
        ),
        ("groups/g1/countries/0", Written::Put(S::Str("kg".into()))),
        ("groups/g1/name", Written::Put(S::Uint(1))),
    ] {
        assert!(case.check(&at(path), &written).is_err(), "{path}");
    }
}

/// A case as a release before identifiers and groups made it.
fn older_case() -> CaseDoc {
    let mut doc = seeded();
    let am = doc.automerge_mut();
    am.delete(ROOT, "identifiers").unwrap();
    am.delete(ROOT, "groups").unwrap();
    am.commit();
    let case = doc.case().unwrap();
    assert!(case.identifiers.is_empty() && case.groups.is_empty());
    doc
}

#[test]
fn first_identifiers_and_groups_made_on_two_devices_of_an_older_case_are_all_kept() {
    let origin = older_case();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(insert("a-id", phone()), &investigator(), catalog())
        .unwrap();
    a.apply(
        insert("a-g", two_suspect_group()),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let sup = author(Role::Supervisor, "sup-1");
    let Record::Identifier(mut by_sup) = phone() else {
        unreachable!()
    };
    by_sup.recorded_by = "sup-1".into();
    b.apply(insert("b-id", Record::Identifier(by_sup)), &sup, catalog())
        .unwrap();
    b.apply(
        insert("b-g", two_suspect_group()),
        &investigator(),
        catalog(),
    )
    .unwrap();

    let [mut ab, ba] = merged_both_ways(&a, &b);
    for merged in [&ab, &ba] {
        let case = merged.case().unwrap();
        assert_eq!(
            case.identifiers
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["a-id", "b-id"]
        );
        assert_eq!(
            case.groups.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a-g", "b-g"]
        );
        assert!(merged.conflicts().is_empty());
    }
    // A record in the map Automerge does not show is edited in place.
    for id in ["a-id", "b-id"] {
        ab.apply(
            set(
                &format!("identifiers/{id}/note"),
                Scalar::Str(format!("checked {id}")),
            ),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    let case = CaseDoc::load(&ab.save(), actor(0xE))
        .unwrap()
        .case()
        .unwrap();
    assert_eq!(
        case.identifiers["b-id"].note.as_deref(),
        Some("checked b-id")
    );
    assert_eq!(
        case.identifiers["a-id"].note.as_deref(),
        Some("checked a-id")
    );
}

/// Members join a group after it is recorded, change role or superior, and
/// leave it; the group's checks hold after each change.
#[test]
fn a_groups_members_change_after_it_is_recorded() {
    let mut doc = seeded();
    doc.apply(insert("s3", suspect("S-3")), &investigator(), catalog())
        .unwrap();
    let join = |suspect: &str, m: Option<GroupMember>| Edit::SetGroupMember {
        group_id: "g1".into(),
        suspect_id: suspect.into(),
        member: m,
    };
    doc.apply(
        join("s3", Some(member(GroupRole::Member, Some("s2")))),
        &investigator(),
        catalog(),
    )
    .unwrap();
    doc.apply(
        join("s3", Some(member(GroupRole::Accomplice, Some("s1")))),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let g = &doc.case().unwrap().groups["g1"];
    assert_eq!(g.members.len(), 3);
    assert_eq!(g.members["s3"], member(GroupRole::Accomplice, Some("s1")));

    let before = doc.case().unwrap();
    let refused = [
        (
            "a victim is no member",
            join("v1", Some(member(GroupRole::Member, None))),
            investigator(),
        ),
        (
            "a superior outside the group",
            join("s3", Some(member(GroupRole::Member, Some("s9")))),
            investigator(),
        ),
        (
            "the leader leaves while members answer to them",
            join("s1", None),
            investigator(),
        ),
        ("no such member", join("s9", None), investigator()),
        (
            "a prosecutor does not keep the group",
            join("s3", None),
            author(Role::Prosecutor, "pro-1"),
        ),
    ];
    for (why, edit, by) in refused {
        assert!(doc.apply(edit, &by, catalog()).is_err(), "{why}");
        assert_eq!(doc.case().unwrap(), before, "{why}");
    }
    doc.apply(join("s3", None), &investigator(), catalog())
        .unwrap();
    assert_eq!(doc.case().unwrap().groups["g1"].members.len(), 2);
}
