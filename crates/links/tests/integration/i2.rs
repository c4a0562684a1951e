//! The i2 Analyst's Notebook files: their columns, one row per node and
//! per edge, values masked, CSV quoting.

use caravan_links::i2::{ENTITY_COLUMNS, LINK_COLUMNS, MASKED, write};
use caravan_links::sample::{blank_case, identifier};
use caravan_links::*;
use caravan_model::IdentifierKind;

fn rows(text: &str) -> Vec<&str> {
    text.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn entities_and_links_as_i2_reads_them() {
    let mut a = blank_case("KZ-2026-0001");
    a.header.title = "Workshop, \"Almaty\"".into();
    a.identifiers.insert(
        "i".into(),
        identifier(IdentifierKind::Imei, "49015420323751", None),
    );
    let mut b = blank_case("KG-2026-0002");
    b.identifiers.insert(
        "j".into(),
        identifier(IdentifierKind::Imei, "490154203237518", None),
    );
    let infos = [
        CaseInfo {
            id: "aaaa".into(),
            reference: "KZ-2026-0001".into(),
            title: a.header.title.clone(),
        },
        CaseInfo {
            id: "bbbb".into(),
            reference: "KG-2026-0002".into(),
            title: "B".into(),
        },
    ];
    let found = extract("aaaa", &a)
        .into_iter()
        .chain(extract("bbbb", &b))
        .collect();
    let g = build(&infos, found, &LinkOptions::default());
    let (entities, links) = write(&g, None);
    assert!(entities.starts_with('\u{feff}'));
    let e = rows(&entities);
    assert_eq!(e[0], ENTITY_COLUMNS.join(","));
    assert_eq!(e.len(), 1 + g.nodes.len());
    assert_eq!(
        e[1],
        "c:aaaa,Operation,KZ-2026-0001,\"Workshop, \"\"Almaty\"\"\",KZ-2026-0001,1,"
    );
    assert_eq!(
        e[3],
        format!(
            "e1,Mobile Handset,Mobile Handset e1,{MASKED},KZ-2026-0001; KG-2026-0002,2,KZ-2026-0001:identifiers/i/value; KG-2026-0002:identifiers/j/value"
        )
    );
    let l = rows(&links);
    assert_eq!(l[0], LINK_COLUMNS.join(","));
    assert_eq!(
        &l[1..],
        [
            "e1,c:aaaa,Recorded In,Recorded In,KZ-2026-0001",
            "e1,c:bbbb,Recorded In,Recorded In,KG-2026-0002"
        ]
    );
}
