//! Link analysis through the workspace: cases that share a victim or a
//! phone are linked, whatever script or format each was written in; no
//! value is in the graph; a reveal is audited; a member gets nothing of a
//! case they may not see.

use caravan_core::link_graph::{EdgeKind, EntityKind, LinkOptions};
use caravan_core::model::{IdentifierKind, Role};
use caravan_core::view::PersonKind;
use caravan_core::*;

use crate::util::*;

fn victim(pseudonym: &str, name: &str, born: &str) -> PersonInput {
    PersonInput {
        birth_date: Some(born.parse().unwrap()),
        ..PersonInput::new(PersonKind::Victim, pseudonym, name)
    }
}

fn phone(value: &str, person: Option<RecordId>) -> IdentifierInput {
    IdentifierInput {
        kind: IdentifierKind::Phone,
        value: value.into(),
        platform: None,
        person_id: person,
        source: None,
        note: None,
    }
}

#[test]
fn cases_sharing_a_victim_and_a_phone_are_linked_values_masked_and_a_reveal_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut ws) = admin_and_investigator(dir.path());
    let a = open_case(&mut ws, "KZ-2026-0101", "Shymkent cafe");
    let b = open_case(&mut ws, "KG-2026-0202", "Osh market");
    let c = open_case(&mut ws, "KZ-2026-0303", "Unrelated");
    let va = ws
        .add_person(
            &a,
            PersonInput {
                document_numbers: Some("N CANARY1234".into()),
                ..victim("V-1", "Жанар Canaryeva", "1999-04-02")
            },
        )
        .unwrap();
    ws.add_person(&b, victim("Aigerim", "Janar Canarieva", "1999-04-02"))
        .unwrap();
    ws.add_person(&c, victim("V-7", "Dana Other", "1999-04-02"))
        .unwrap();
    ws.add_identifier(&a, phone("8 (701) 555-01-99", Some(va.clone())))
        .unwrap();
    ws.add_identifier(&b, phone("+7 701 555 0199", None))
        .unwrap();
    ws.add_identifier(&c, phone("+7 701 555 0100", None))
        .unwrap();

    let g = ws.link_graph(&LinkOptions::default()).unwrap();
    assert_eq!(g.cases.len(), 3);
    let shared = g.cross_case();
    let kinds: Vec<EntityKind> = shared.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [EntityKind::Person, EntityKind::Phone]);
    for n in &shared {
        assert_eq!(n.cases, {
            let mut v = vec![a.to_string(), b.to_string()];
            v.sort();
            v
        });
    }
    let person = shared[0];
    assert_eq!(person.label, "V-1 / Aigerim");
    // The unrelated case's victim and phone stay on their own.
    let unrelated: Vec<_> = g
        .nodes
        .iter()
        .filter(|n| n.cases == [c.to_string()] && n.kind != EntityKind::Case)
        .collect();
    assert_eq!(unrelated.len(), 2);
    assert!(g.edges.iter().any(|e| e.source == shared[1].id
        && e.target == person.id
        && e.kind == EdgeKind::EntityPerson));

    let json = serde_json::to_string(&g).unwrap();
    for canary in ["Canary", "canary", "CANARY", "0199", "5550199", "Жанар"] {
        assert!(!json.contains(canary), "{canary} in the graph");
    }
    let log = ws.audit_log(None).unwrap();
    let open = log.iter().find(|r| r.action == "links.open").unwrap();
    assert!(!open.detail.to_lowercase().contains("canary"));

    // The reveal of one occurrence: audited, then returned.
    let occurrence = person
        .occurrences
        .iter()
        .find(|o| o.case_id == a.as_str())
        .unwrap();
    let before = ws.audit_log(None).unwrap().len();
    let value = ws
        .reveal_link_entity(&occurrence.case_id, &occurrence.path)
        .unwrap();
    assert_eq!(value.value(), "Жанар Canaryeva (1999-04-02)");
    let log = ws.audit_log(None).unwrap();
    assert_eq!(log.len(), before + 1);
    let entry = log.iter().find(|r| r.action == "links.reveal").unwrap();
    assert_eq!(entry.detail, format!("case {a}: victims/{va}"));
    // A path that is no record of the graph is refused, nothing audited.
    for bad in [
        "",
        "header/title",
        "victims",
        "victims/nobody/identity/full_name",
        "../x",
    ] {
        let e = ws.reveal_link_entity(a.as_str(), bad).unwrap_err();
        assert!(
            matches!(e.code(), "core.invalid" | "core.not_found"),
            "{bad}: {}",
            e.code()
        );
    }
    assert_eq!(ws.audit_log(None).unwrap().len(), before + 1);
}

#[test]
fn the_i2_export_is_masked_unless_revealed_and_each_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut ws) = admin_and_investigator(&dir.path().join("v"));
    let a = open_case(&mut ws, "KZ-1", "One");
    let b = open_case(&mut ws, "KZ-2", "Two");
    ws.add_identifier(&a, phone("+7 701 555 0199", None))
        .unwrap();
    ws.add_identifier(&b, phone("87015550199", None)).unwrap();
    let out = dir.path().join("i2");
    std::fs::create_dir(&out).unwrap();
    let input = I2ExportInput {
        dir: out.display().to_string(),
        ..Default::default()
    };
    let done = ws.export_i2(&input).unwrap();
    assert_eq!((done.entities, done.links, done.revealed), (3, 2, false));
    let entities = std::fs::read_to_string(out.join("entities.csv")).unwrap();
    assert!(entities.contains("(masked)") && !entities.contains("0199"));
    let links = std::fs::read_to_string(out.join("links.csv")).unwrap();
    assert_eq!(links.lines().count(), 3);
    let revealed = ws
        .export_i2(&I2ExportInput {
            reveal: true,
            ..input.clone()
        })
        .unwrap();
    assert!(revealed.revealed);
    let entities = std::fs::read_to_string(out.join("entities.csv")).unwrap();
    assert!(entities.contains("'+77015550199"));
    let actions: Vec<String> = ws
        .audit_log(None)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .filter(|a| a.starts_with("links."))
        .collect();
    assert_eq!(actions, ["links.export", "links.export_revealed"]);
    // No folder, no files, nothing audited.
    let missing = I2ExportInput {
        dir: dir.path().join("absent").display().to_string(),
        ..Default::default()
    };
    assert_eq!(ws.export_i2(&missing).unwrap_err().code(), "core.invalid");
}

#[test]
fn a_member_gets_nothing_of_a_case_they_may_not_see() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let mine = open_case(&mut inv, "KZ-10", "Aibek's case");
    inv.add_person(&mine, victim("V-1", "Жанар Абдуллаева", "1999-04-02"))
        .unwrap();
    let mut dana = enrol(
        &mut admin,
        &dir.path().join("dana"),
        "Dana",
        Role::Investigator,
    );
    swap(&mut admin, &mut dana);
    let theirs = open_case(&mut dana, "KZ-20", "Dana's case");
    dana.add_person(&theirs, victim("V-9", "Zhanar Abdullayeva", "1999-04-02"))
        .unwrap();
    dana.add_identifier(&theirs, phone("+7 701 000 0000", None))
        .unwrap();
    swap(&mut inv, &mut admin);
    swap(&mut dana, &mut admin);
    // The admin sees both cases, and the victim they share.
    let g = admin.link_graph(&LinkOptions::default()).unwrap();
    assert_eq!(g.shared, 1);
    // Aibek is given Dana's case, then it is taken from him: his device
    // still holds it, but the graph reads nothing of it.
    let (aibek, _) = inv.me().unwrap();
    admin.grant(&theirs, &aibek, true).unwrap();
    swap(&mut admin, &mut inv);
    assert_eq!(inv.link_graph(&LinkOptions::default()).unwrap().shared, 1);
    admin.grant(&theirs, &aibek, false).unwrap();
    swap(&mut admin, &mut inv);
    let g = inv.link_graph(&LinkOptions::default()).unwrap();
    assert_eq!(g.shared, 0);
    assert!(g.cases.iter().all(|c| c.id == mine.as_str()));
    assert!(g.nodes.iter().all(|n| n.cases == [mine.to_string()]));
    let occurrence = format!("victims/{}", "x");
    assert_eq!(
        inv.reveal_link_entity(theirs.as_str(), &occurrence)
            .unwrap_err()
            .code(),
        "core.no_case_access"
    );
}
