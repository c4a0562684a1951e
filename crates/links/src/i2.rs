//! The graph as two CSV files that i2 Analyst's Notebook imports (its
//! import wizard, a "classic" specification: one entity per row of
//! `entities.csv`, one link per row of `links.csv`, entities matched by
//! their Identity). The columns are in docs/cli.md.
//!
//! Values are masked unless the caller passes [`Revealed`] (an export
//! the person asked to reveal, audited by the caller first).

use crate::graph::{EdgeKind, EntityKind, LinkGraph, PersonRole, Revealed};

/// The columns of `entities.csv`.
pub const ENTITY_COLUMNS: [&str; 7] = [
    "Identity",
    "Type",
    "Label",
    "Value",
    "Cases",
    "Case Count",
    "Records",
];
/// The columns of `links.csv`.
pub const LINK_COLUMNS: [&str; 5] = [
    "End 1 Identity",
    "End 2 Identity",
    "Link Type",
    "Label",
    "Case",
];

/// What stands in a masked value's place.
pub const MASKED: &str = "(masked)";

/// The i2 entity type of a node (the names of Analyst's Notebook's
/// standard template where it has one).
pub fn entity_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Case => "Operation",
        EntityKind::Person => "Person",
        EntityKind::Phone => "Telephone",
        EntityKind::Imei => "Mobile Handset",
        EntityKind::Email => "Email Address",
        EntityKind::Online => "Internet Account",
        EntityKind::Document => "Identity Document",
        EntityKind::Account => "Account",
        EntityKind::Vehicle => "Vehicle",
        EntityKind::Address => "Address",
        EntityKind::Organisation => "Organisation",
    }
}

fn link_type(kind: EdgeKind, role: Option<PersonRole>) -> &'static str {
    match (kind, role) {
        (EdgeKind::PersonCase, Some(PersonRole::Victim)) => "Victim In",
        (EdgeKind::PersonCase, Some(PersonRole::Suspect)) => "Suspect In",
        (EdgeKind::PersonCase, _) => "Witness In",
        (EdgeKind::EntityPerson, _) => "Used By",
        (EdgeKind::EntityCase, _) => "Recorded In",
    }
}

/// One CSV cell: quoted when it holds a separator, a quote or a line
/// break; a cell that a spreadsheet would read as a formula (`=`, `+`,
/// `-`, `@` first) is prefixed with an apostrophe.
fn cell(text: &str) -> String {
    let mut t = text.replace(['\r', '\n'], " ");
    if t.starts_with(['=', '+', '-', '@']) {
        t.insert(0, '\'');
    }
    if t.contains([',', '"']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

fn row(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The two files' text: `(entities.csv, links.csv)`, UTF-8 with a byte
/// order mark (so Windows programs read Cyrillic right) and CRLF lines.
pub fn write(graph: &LinkGraph, revealed: Option<&Revealed>) -> (String, String) {
    let references: std::collections::HashMap<&str, &str> = graph
        .cases
        .iter()
        .map(|c| (c.id.as_str(), c.reference.as_str()))
        .collect();
    let reference = |id: &str| references.get(id).copied().unwrap_or(id).to_string();
    let mut entities = String::from("\u{feff}");
    entities.push_str(&row(&ENTITY_COLUMNS.map(String::from)));
    for n in &graph.nodes {
        let value = if n.kind == EntityKind::Case {
            graph
                .cases
                .iter()
                .find(|c| format!("c:{}", c.id) == n.id)
                .map_or_else(String::new, |c| c.title.clone())
        } else if !n.kind.masked() {
            n.label.clone()
        } else {
            revealed
                .and_then(|r| r.get(&n.id))
                .unwrap_or(MASKED)
                .to_string()
        };
        let label = if n.label.is_empty() {
            format!("{} {}", entity_type(n.kind), n.id)
        } else {
            n.label.clone()
        };
        let cases: Vec<String> = n.cases.iter().map(|c| reference(c)).collect();
        let records: Vec<String> = n
            .occurrences
            .iter()
            .map(|o| format!("{}:{}", reference(&o.case_id), o.path))
            .collect();
        entities.push_str(&row(&[
            n.id.clone(),
            entity_type(n.kind).to_string(),
            label,
            value,
            cases.join("; "),
            n.cases.len().to_string(),
            records.join("; "),
        ]));
    }
    let mut links = String::from("\u{feff}");
    links.push_str(&row(&LINK_COLUMNS.map(String::from)));
    for e in &graph.edges {
        let kind = link_type(e.kind, e.role);
        links.push_str(&row(&[
            e.source.clone(),
            e.target.clone(),
            kind.to_string(),
            kind.to_string(),
            reference(&e.case_id),
        ]));
    }
    (entities, links)
}
