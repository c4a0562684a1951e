//! What a dossier holds: plain owned data, built by the core from a case
//! and handed to [`crate::render`]. Labels are catalogue keys, resolved
//! in the dossier's language when it is typeset; values are the case's
//! own text (shown exactly as written, never read as markup), vocabulary
//! keys, times and days.

use serde::{Deserialize, Serialize};

use crate::binding::Binding;

/// A whole dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierContent {
    /// The shipped language tag the document is written in (`en`, `ru`,
    /// `kk`, …); labels a catalogue lacks fall back to Russian, then
    /// English.
    pub lang: String,
    /// Whether people are shown with their identities (an audited reveal)
    /// rather than their pseudonyms alone.
    pub revealed: bool,
    pub cover: Cover,
    /// The body, in order: qualification and charges, persons,
    /// chronology, evidence, interviews, checklists, review and sign-offs.
    pub sections: Vec<Section>,
    /// What ties the document to the case's state.
    pub binding: Binding,
}

/// The cover page: what identifies the case in a registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    /// The case number (the case's reference).
    pub case_number: String,
    pub title: String,
    /// Further lines of the cover: registry number, jurisdiction, status,
    /// dates.
    pub fields: Vec<Field>,
}

/// One section of the body: a heading and its entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Catalogue key of the heading.
    pub title: String,
    /// Catalogue key of the line shown when there are no entries.
    pub empty: String,
    pub entries: Vec<Entry>,
}

/// One record of a section: a heading line, its fields and, where the
/// record has rows (a chain of custody, a checklist's items), a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub heading: Vec<Value>,
    pub fields: Vec<Field>,
    pub table: Option<Table>,
}

/// A labelled value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Catalogue key of the label.
    pub label: String,
    pub value: Value,
}

/// Rows under column headings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Catalogue keys of the column headings.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// A value as the case holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Value {
    /// The case's own text, shown exactly as written.
    Text(String),
    /// A catalogue key (a vocabulary value, a yes or no), shown in the
    /// dossier's language.
    Key(String),
    /// A moment, milliseconds since the Unix epoch (UTC).
    Time(i64),
    /// A calendar day, `YYYY-MM-DD`.
    Day(String),
    /// A SHA-256 digest or a change hash, in hex.
    Hash(String),
    /// Several values, one after another.
    List(Vec<Value>),
    /// Nothing recorded.
    Empty,
}

impl Field {
    pub fn new(label: &str, value: Value) -> Field {
        Field {
            label: label.to_string(),
            value,
        }
    }

    /// A field of text, or of nothing where the text is absent or blank.
    pub fn text(label: &str, text: Option<&str>) -> Field {
        Field::new(label, Value::text(text))
    }
}

impl Value {
    /// Text, or [`Value::Empty`] where it is absent or blank.
    pub fn text(text: Option<&str>) -> Value {
        match text {
            Some(t) if !t.trim().is_empty() => Value::Text(t.to_string()),
            _ => Value::Empty,
        }
    }

    /// `common.yes` or `common.no`.
    pub fn yes_no(b: bool) -> Value {
        Value::Key(if b { "common.yes" } else { "common.no" }.into())
    }
}
