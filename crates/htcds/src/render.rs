//! The bytes of each file: CSV (RFC 4180, CRLF, a header of field names),
//! JSON (an array of objects, keys in the table's field order), the data
//! dictionary and the report. Several values are `;`-separated in CSV, as
//! HTCDS's multi-select spreadsheet stores a multi-select picklist, and an
//! array in JSON.

use serde_json::Value;

use crate::fields::{PERPETRATOR_FIELDS, VICTIM_FIELDS, allowed_values};
use crate::rows::Cell;
use crate::{Report, Table};

/// The separator of several values in one CSV cell.
pub const SEPARATOR: &str = ";";

fn quote(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv_line(cells: impl IntoIterator<Item = String>, out: &mut String) {
    let line: Vec<String> = cells.into_iter().map(|c| quote(&c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::One(v) => v.clone(),
        Cell::Many(v) => v.join(SEPARATOR),
        Cell::Flag(b) => b.to_string(),
    }
}

pub(crate) fn csv(table: &Table) -> Vec<u8> {
    let mut out = String::new();
    csv_line(table.fields().iter().map(|f| f.name.to_string()), &mut out);
    for row in &table.rows {
        csv_line(row.cells.iter().map(text), &mut out);
    }
    out.into_bytes()
}

fn json_value(cell: &Cell, multiple: bool) -> Value {
    match cell {
        Cell::Empty if multiple => Value::Array(Vec::new()),
        Cell::Empty => Value::Null,
        Cell::One(v) => Value::String(v.clone()),
        Cell::Many(v) => Value::Array(v.iter().cloned().map(Value::String).collect()),
        Cell::Flag(b) => Value::Bool(*b),
    }
}

/// `key: value` pairs as a JSON object in the order given (whatever map
/// serde_json was built with).
fn object(pairs: impl IntoIterator<Item = (String, Value)>) -> String {
    let inner: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{}:{}", Value::String(k), v))
        .collect();
    format!("{{{}}}", inner.join(","))
}

pub(crate) fn json(table: &Table) -> Vec<u8> {
    let fields = table.fields();
    let rows: Vec<String> = table
        .rows
        .iter()
        .map(|row| {
            object(
                fields
                    .iter()
                    .zip(&row.cells)
                    .map(|(f, c)| (f.name.to_string(), json_value(c, f.multiple))),
            )
        })
        .collect();
    format!("[{}]\n", rows.join(",\n")).into_bytes()
}

pub(crate) fn dictionary() -> Vec<u8> {
    let mut out = String::new();
    csv_line(
        [
            "table",
            "field",
            "origin",
            "multiple",
            "quasi_identifier",
            "allowed_values",
            "description",
        ]
        .map(String::from),
        &mut out,
    );
    for (table, kind, fields) in [
        ("victims", crate::TableKind::Victims, VICTIM_FIELDS),
        (
            "perpetrators",
            crate::TableKind::Perpetrators,
            PERPETRATOR_FIELDS,
        ),
    ] {
        let qi: Vec<&str> = kind.quasi_identifiers().concat();
        for f in fields {
            csv_line(
                [
                    table.to_string(),
                    f.name.to_string(),
                    f.origin.label().to_string(),
                    f.multiple.to_string(),
                    qi.contains(&f.name).to_string(),
                    allowed_values(f).join(SEPARATOR),
                    f.description.to_string(),
                ],
                &mut out,
            );
        }
    }
    out.into_bytes()
}

pub(crate) fn report(report: &Report) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}
