//! The graph: what two cases share is one node linked to both; what they
//! do not share stays apart; no value is in the graph.

use caravan_links::sample::{account, blank_case, generate, identifier, suspect, victim};
use caravan_links::*;
use caravan_model::{Case, Date, IdentifierKind};

fn info(id: &str, case: &Case) -> CaseInfo {
    CaseInfo {
        id: id.into(),
        reference: case.header.reference.clone(),
        title: case.header.title.clone(),
    }
}

fn graph_of(cases: &[(&str, &Case)], opts: &LinkOptions) -> LinkGraph {
    let infos: Vec<CaseInfo> = cases.iter().map(|(id, c)| info(id, c)).collect();
    let found = cases.iter().flat_map(|(id, c)| extract(id, c)).collect();
    build(&infos, found, opts)
}

fn day(y: u16, m: u8, d: u8) -> Option<Date> {
    Date::new(y, m, d)
}

/// Two cases: one victim written in Cyrillic in the first and in Latin in
/// the second, one phone in two formats, and people of their own.
fn two_cases() -> (Case, Case) {
    let mut a = blank_case("KZ-2026-0001");
    a.victims.insert(
        "v1".into(),
        victim("V-1", "Жанар Абдуллаева", day(1999, 4, 2)),
    );
    a.suspects.insert(
        "s1".into(),
        suspect("S-1", "Ерлан Касымов", day(1980, 1, 1)),
    );
    a.identifiers.insert(
        "i1".into(),
        identifier(IdentifierKind::Phone, "8 (701) 123-45-67", Some("s1")),
    );
    a.financial_flows
        .insert("f1".into(), account("KZ86 125K ZT50 0410 0100", Some("s1")));
    let mut b = blank_case("KG-2026-0007");
    b.victims.insert(
        "v9".into(),
        victim("Aigerim", "Janar Abdullayeva", day(1999, 4, 2)),
    );
    b.witnesses.insert(
        "w1".into(),
        caravan_model::Witness {
            identity: caravan_model::Identity {
                full_name: "Nurlan Bekov".into(),
                ..Default::default()
            },
            pseudonym: "W-1".into(),
            relation: None,
            recorded_at: 0,
            recorded_by: "m".into(),
        },
    );
    b.identifiers.insert(
        "x".into(),
        identifier(IdentifierKind::Phone, "+7 701 123 45 67", None),
    );
    b.financial_flows
        .insert("f2".into(), account("KZ00 999 0000 1111", None));
    (a, b)
}

#[test]
fn a_victim_written_in_two_scripts_links_two_cases() {
    let (a, b) = two_cases();
    let g = graph_of(&[("aaaa", &a), ("bbbb", &b)], &LinkOptions::default());
    let person = g
        .nodes
        .iter()
        .find(|n| n.kind == EntityKind::Person && n.cases.len() == 2)
        .expect("the victim is one person in both cases");
    assert_eq!(person.cases, ["aaaa", "bbbb"]);
    assert_eq!(person.label, "V-1 / Aigerim");
    assert_eq!(person.roles, [PersonRole::Victim]);
    for case in ["c:aaaa", "c:bbbb"] {
        assert!(
            g.edges.iter().any(|e| e.source == person.id
                && e.target == case
                && e.kind == EdgeKind::PersonCase
                && e.role == Some(PersonRole::Victim)),
            "{case}"
        );
    }
}

#[test]
fn a_phone_in_two_formats_links_two_cases() {
    let (a, b) = two_cases();
    let g = graph_of(&[("aaaa", &a), ("bbbb", &b)], &LinkOptions::default());
    let phone = g
        .nodes
        .iter()
        .find(|n| n.kind == EntityKind::Phone)
        .unwrap();
    assert_eq!(phone.cases, ["aaaa", "bbbb"]);
    assert_eq!(
        g.nodes
            .iter()
            .filter(|n| n.kind == EntityKind::Phone)
            .count(),
        1
    );
    // Held by the suspect in one case, by no one in the other.
    let suspect = g.nodes.iter().find(|n| n.label == "S-1").unwrap();
    assert!(g.edges.iter().any(|e| e.source == phone.id
        && e.target == suspect.id
        && e.kind == EdgeKind::EntityPerson));
    assert!(
        g.edges.iter().any(|e| e.source == phone.id
            && e.target == "c:bbbb"
            && e.kind == EdgeKind::EntityCase)
    );
    assert_eq!(phone.label, "S-1");
    assert_eq!(g.shared, 2, "the victim and the phone");
}

#[test]
fn unrelated_records_do_not_link() {
    let (a, b) = two_cases();
    let g = graph_of(&[("aaaa", &a), ("bbbb", &b)], &LinkOptions::default());
    for n in &g.nodes {
        let shared = n.kind != EntityKind::Case && n.cases.len() > 1;
        let expected = matches!(n.kind, EntityKind::Phone)
            || (n.kind == EntityKind::Person && n.roles == [PersonRole::Victim]);
        assert_eq!(shared, expected, "{n:?}");
    }
    // Two accounts, one in each case, each its own node.
    assert_eq!(
        g.nodes
            .iter()
            .filter(|n| n.kind == EntityKind::Account)
            .count(),
        2
    );
    // The same name born on another day is another person.
    let mut c = blank_case("KZ-2026-0002");
    c.victims.insert(
        "v".into(),
        victim("V", "Zhanar Abdullaeva", day(2001, 4, 2)),
    );
    let g = graph_of(&[("aaaa", &a), ("cccc", &c)], &LinkOptions::default());
    assert_eq!(g.shared, 0);
}

#[test]
fn filters_keep_what_is_shared_of_the_kinds_and_cases_asked() {
    let (a, b) = two_cases();
    let cases = [("aaaa", &a), ("bbbb", &b)];
    let shared = graph_of(
        &cases,
        &LinkOptions {
            shared_only: true,
            ..Default::default()
        },
    );
    let kinds: Vec<EntityKind> = shared.nodes.iter().map(|n| n.kind).collect();
    // Both cases, the victim, the phone and the suspect who holds it.
    assert_eq!(
        kinds,
        [
            EntityKind::Case,
            EntityKind::Case,
            EntityKind::Person,
            EntityKind::Person,
            EntityKind::Phone
        ]
    );
    let phones = graph_of(
        &cases,
        &LinkOptions {
            kinds: vec![EntityKind::Phone],
            ..Default::default()
        },
    );
    assert!(
        phones
            .nodes
            .iter()
            .all(|n| matches!(n.kind, EntityKind::Phone | EntityKind::Case))
    );
    // The suspect is filtered out: the phone links to the case instead.
    assert!(phones.edges.iter().all(|e| e.kind == EdgeKind::EntityCase));
    assert_eq!(phones.edges.len(), 2);
    let one = graph_of(
        &cases,
        &LinkOptions {
            cases: vec!["bbbb".into()],
            ..Default::default()
        },
    );
    assert!(one.nodes.iter().all(|n| n.cases == ["bbbb"]));
    assert_eq!(one.cases.len(), 1);
    assert_eq!(one.shared, 0);
}

#[test]
fn no_identity_value_is_in_the_serialised_graph() {
    let canaries = [
        "CANARY-NAME-Qzxv",
        "CANARYDOC77123",
        "+7 701 999 88 77",
        "77019998877",
        "canary@example.org",
        "KZ99CANARY0000000001",
        "ул. Канарейки 7",
    ];
    let mut a = blank_case("KZ-2026-0001");
    let mut v = victim("V-1", canaries[0], day(1990, 1, 1));
    v.identity.document_numbers = Some(canaries[1].into());
    v.identity.contact = Some(format!("{}, {}", canaries[2], canaries[4]));
    v.identity.address = Some(canaries[6].into());
    a.victims.insert("v1".into(), v);
    a.identifiers.insert(
        "i".into(),
        identifier(IdentifierKind::Phone, canaries[3], Some("v1")),
    );
    a.financial_flows
        .insert("f".into(), account(canaries[5], Some("v1")));
    let b = a.clone();
    let g = graph_of(&[("aaaa", &a), ("bbbb", &b)], &LinkOptions::default());
    assert!(g.nodes.len() > 6, "everything was found: {:?}", g.nodes);
    let json = serde_json::to_string(&g).unwrap();
    let debug = format!("{g:?}");
    let found = extract("aaaa", &a);
    let found_debug = format!("{found:?}");
    let (entities, links) = i2::write(&g, None);
    for text in [&json, &debug, &found_debug, &entities, &links] {
        for canary in canaries {
            let folded: String = canary.chars().filter(char::is_ascii_alphanumeric).collect();
            assert!(!text.contains(canary), "{canary} in {text}");
            assert!(!text.contains(&folded), "{folded} in {text}");
            assert!(!text.to_lowercase().contains("canary"), "{text}");
        }
    }
}

#[test]
fn node_ids_follow_reading_order_not_values() {
    let mut a = blank_case("A");
    a.identifiers.insert(
        "1".into(),
        identifier(IdentifierKind::Phone, "+7 999 000 00 01", None),
    );
    a.identifiers.insert(
        "2".into(),
        identifier(IdentifierKind::Phone, "+7 111 000 00 01", None),
    );
    let g = graph_of(&[("aaaa", &a)], &LinkOptions::default());
    let paths: Vec<&str> = g
        .nodes
        .iter()
        .filter(|n| n.kind == EntityKind::Phone)
        .map(|n| n.occurrences[0].path.as_str())
        .collect();
    assert_eq!(paths, ["identifiers/1/value", "identifiers/2/value"]);
}

#[test]
fn generated_cases_give_shared_entities_at_scale() {
    let cases = generate(200, 10_000, 7);
    let infos: Vec<CaseInfo> = cases.iter().map(|(id, c)| info(id, c)).collect();
    let found: Vec<Found> = cases.iter().flat_map(|(id, c)| extract(id, c)).collect();
    assert_eq!(found.len(), 10_000);
    let g = build(&infos, found, &LinkOptions::default());
    assert!(g.shared > 100, "{}", g.shared);
    assert!(g.nodes.len() > 8_000);
    let ids: std::collections::BTreeSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), g.nodes.len(), "ids are unique");
    assert!(
        g.edges
            .iter()
            .all(|e| ids.contains(e.source.as_str()) && ids.contains(e.target.as_str()))
    );
}

#[test]
fn revealing_gives_the_values_by_node() {
    let (a, b) = two_cases();
    let infos = vec![info("aaaa", &a), info("bbbb", &b)];
    let found = extract("aaaa", &a)
        .into_iter()
        .chain(extract("bbbb", &b))
        .collect();
    let (g, values) = build_revealing(&infos, found, &LinkOptions::default());
    let phone = g
        .nodes
        .iter()
        .find(|n| n.kind == EntityKind::Phone)
        .unwrap();
    assert_eq!(values.get(&phone.id), Some("+77011234567"));
    assert_eq!(
        format!("{values:?}"),
        format!("Revealed({} values)", g.nodes.len() - 2)
    );
    let (entities, _) = i2::write(&g, Some(&values));
    assert!(entities.contains("'+77011234567"));
    assert!(entities.contains("Жанар Абдуллаева (1999-04-02)"));
}
