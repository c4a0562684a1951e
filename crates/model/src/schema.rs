//! The schema of the case document: for every path, what may be written
//! there.
//!
//! The role policy (`policy.rs`) says who may write where; the schema says
//! what. The sync layer checks every operation of every incoming change
//! against it, and refuses a change that writes what the document does not
//! hold: a case that cannot be read back (hydrated) must never be the
//! result of an accepted change. The verdict is a function of the change
//! alone — the path of each write, the value it writes, and the objects the
//! change makes — never of the merged document, so every device reaches it
//! whatever else it holds and in whatever order changes arrive.
//!
//! What is accepted is exactly the form in which the model's types are
//! written with autosurgeon and read back:
//! - a struct is a map ("record") holding every one of its fields, `Option`
//!   fields included (null while unset: autosurgeon reads a missing key as
//!   an error). A change that makes a record gives it all its fields, and no
//!   field is ever removed;
//! - a `BTreeMap` is a map of entries, whose keys are added and removed;
//! - a `Vec` is a list; `Text` is a text object whose characters are
//!   strings (inserted, or deleted);
//! - `String` is a string, `u64` an unsigned integer, `i64` (times, in
//!   milliseconds) a signed integer, `bool` a boolean, `Date` a string
//!   `YYYY-MM-DD` naming a day that exists, and a vocabulary value its
//!   document name ([`crate::vocab`]'s `doc_name`, e.g. `Closed`, never
//!   its id `closed`).
//!
//! Counters, floating-point numbers, bytes, timestamps, text marks and
//! tables are never written.
//!
//! Rules are patterns as in the policy table; `*` is one segment. The
//! schema names every level, so it needs no `**`. No two rules match one
//! path, so their order does not matter. A table is compiled once into a
//! tree: a lookup walks a path's segments and never splits a pattern.

use automerge::{ObjType, ScalarValue};

use crate::date::Date;
use crate::path::{DocPath, Seg};
use crate::scalar::Scalar;
use crate::vocab::Stage;

mod case;
mod compiled;

pub use case::{CASE_RULES, case};
pub use compiled::{ChangeCheck, Schema};

/// Kept here too: the schema is where callers meet vocabularies.
pub use crate::vocab::Vocabulary;

/// What one operation writes at its path.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// A new object.
    Make(ObjType),
    /// A scalar value.
    Put(ScalarValue),
    /// Removes a key, a list element or a character.
    Delete,
    /// Adds to a counter.
    Increment,
    /// Begins or ends a mark on a text.
    Mark,
}

impl Written {
    /// What kind of value this is, for messages. Never the value itself:
    /// that is case content.
    pub fn describe(&self) -> &'static str {
        match self {
            Written::Make(ObjType::Map) => "a map",
            Written::Make(ObjType::Table) => "a table",
            Written::Make(ObjType::List) => "a list",
            Written::Make(ObjType::Text) => "a text",
            Written::Put(s) => match s {
                ScalarValue::Null => "null",
                ScalarValue::Boolean(_) => "a boolean",
                ScalarValue::Int(_) => "a signed integer",
                ScalarValue::Uint(_) => "an unsigned integer",
                ScalarValue::F64(_) => "a floating-point number",
                ScalarValue::Counter(_) => "a counter",
                ScalarValue::Timestamp(_) => "a timestamp",
                ScalarValue::Bytes(_) => "bytes",
                ScalarValue::Str(_) => "a string",
                ScalarValue::Unknown { .. } => "a value of an unknown type",
            },
            Written::Delete => "a removal",
            Written::Increment => "a counter increment",
            Written::Mark => "a text mark",
        }
    }
}

/// What a path holds.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// A struct: a map holding every field its rules name, and no other.
    Record,
    /// A map of entries (a `BTreeMap`) under keys of the given form; the
    /// entries are the rule `<pattern>/*`.
    Entries(Key),
    /// A list (a `Vec`); its elements are the rule `<pattern>/*`.
    List,
    /// Collaborative text; its characters are the rule `<pattern>/*`.
    Text,
    /// A character of a text: a string.
    Char,
    /// A string of the given form.
    Str(Form),
    /// A signed integer (`i64`).
    Int,
    /// A signed integer (`i64`) from the first bound to the second, both
    /// included: a coordinate in microdegrees, say.
    IntIn(i64, i64),
    /// An unsigned integer (`u64`).
    Uint,
    Bool,
    /// A vocabulary value, by its document name.
    Vocab(Vocabulary),
    /// An unsigned integer (`u64`) above zero: an amount of money.
    Positive,
}

/// The form of the keys of a map of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Ids chosen by callers.
    Any,
    /// A stage's id ([`Stage::id`]), e.g. `intake`.
    Stage,
    /// A checklist template or item id: lower-case kebab-case, as templates
    /// are validated. Not checked against the built-in templates: newer
    /// releases add templates, and devices of different releases must reach
    /// the same verdict.
    Kebab,
    /// A checklist's key ([`crate::checklist::checklist_key`]): a
    /// template id in kebab-case, or one followed by `~` and a person's id.
    Checklist,
}

impl Key {
    fn accepts(self, key: &str) -> bool {
        match self {
            Key::Any => true,
            Key::Stage => Stage::from_id(key).is_some(),
            Key::Kebab => crate::checklist::is_kebab(key),
            Key::Checklist => crate::checklist::is_checklist_key(key),
        }
    }

    fn describe(self) -> String {
        match self {
            Key::Any => "any key".into(),
            Key::Stage => format!(
                "a stage id as its key ({})",
                Stage::ALL
                    .iter()
                    .map(|s| s.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Key::Kebab => "an id in lower-case kebab-case as its key".into(),
            Key::Checklist => {
                "a template id in lower-case kebab-case, optionally followed by ~ and a person's id, as its key".into()
            }
        }
    }
}

/// The form of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Any,
    /// `YYYY-MM-DD`, a day that exists ([`Date`]).
    Date,
    /// Two capital Latin letters (ISO 3166-1 alpha-2), as the model checks
    /// a case's jurisdiction.
    Country,
    /// The key the enclosing entry is stored under: segment `n` of the path.
    KeyAt(usize),
    /// The template id the checklist key at segment `n` names: the whole
    /// key, or what precedes its person's id.
    TemplateOfKey(usize),
    /// Three capital Latin letters (ISO 4217).
    Currency,
    /// A part or paragraph of an article: a number or a letter, no spaces.
    Subdivision,
    /// A citizenship: a country code as [`Form::Country`], or
    /// `XXA` ([`crate::later_lists::STATELESS`]) for a person who has none.
    Citizenship,
}

impl Form {
    fn accepts(self, s: &str, path: &DocPath) -> bool {
        match self {
            Form::Any => true,
            Form::Date => s.parse::<Date>().is_ok(),
            Form::Country => crate::validate::validate_jurisdiction(s).is_ok(),
            Form::Currency => crate::validate::is_currency(s),
            Form::Subdivision => crate::validate::is_subdivision(s),
            Form::Citizenship => crate::validate::is_citizenship(s),
            Form::KeyAt(n) => matches!(path.segments().get(n), Some(Seg::Key(k)) if k == s),
            Form::TemplateOfKey(n) => matches!(
                path.segments().get(n),
                Some(Seg::Key(k)) if crate::checklist::parse_checklist_key(k).0 == s
            ),
        }
    }
}

impl Expect {
    fn describe(self) -> String {
        match self {
            Expect::Record => "a record (a map of its fields)".into(),
            Expect::Entries(_) => "a map of entries".into(),
            Expect::List => "a list".into(),
            Expect::Text => "a text".into(),
            Expect::Char => "a character of text (a string)".into(),
            Expect::Str(Form::Any) => "a string".into(),
            Expect::Str(Form::Date) => "a date as a string YYYY-MM-DD".into(),
            Expect::Str(Form::Country) => "a two-letter country code such as KZ".into(),
            Expect::Str(Form::KeyAt(_)) => "the id the entry is stored under".into(),
            Expect::Str(Form::Currency) => "a three-letter currency code such as KZT".into(),
            Expect::Str(Form::Subdivision) => "a part or paragraph such as 3 or а".into(),
            Expect::Str(Form::Citizenship) => {
                "a two-letter country code such as KZ, or XXA for a stateless person".into()
            }
            Expect::Str(Form::TemplateOfKey(_)) => {
                "the template id of the key the checklist is stored under".into()
            }
            Expect::Int => "a signed integer".into(),
            Expect::IntIn(lo, hi) => format!("a signed integer from {lo} to {hi}"),
            Expect::Uint => "an unsigned integer".into(),
            Expect::Bool => "a boolean".into(),
            Expect::Vocab(v) => format!("one of {}", v.doc_names.join(", ")),
            Expect::Positive => "an unsigned integer above zero".into(),
        }
    }

    fn is_container(self) -> bool {
        matches!(
            self,
            Expect::Record | Expect::Entries(_) | Expect::List | Expect::Text
        )
    }
}

/// One row of a schema: a path pattern and what it holds.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub pattern: &'static str,
    pub expect: Expect,
    /// Null is accepted too (an `Option` field).
    pub optional: bool,
    /// A field of a record that the record may be made without: one added
    /// to the document's form after documents were made, so older records
    /// (and devices that do not know it yet) lack it. A model type reads it
    /// as an `Option` (absent is none: a review item's withdrawn sign-off,
    /// an evidence item's seizer), or not at all (the team document's case
    /// keys, read by the sync layer).
    pub later: bool,
}

impl Rule {
    /// What the rule accepts, for messages and docs.
    pub fn describe(&self) -> String {
        let what = self.expect.describe();
        if self.optional {
            format!("{what}, or null")
        } else {
            what
        }
    }
}

/// Why a write does not fit the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadValue {
    /// No rule names the path.
    Unknown { doc: &'static str, path: String },
    /// The path holds something else.
    Wrong {
        path: String,
        expected: String,
        found: &'static str,
    },
    /// A field of a record removed.
    Removed { path: String },
    /// A record made without one of its fields.
    Incomplete { path: String, field: &'static str },
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.path();
        if path.is_empty() {
            write!(f, "the document {}", self.reason())
        } else {
            write!(f, "'{path}' {}", self.reason())
        }
    }
}

impl std::error::Error for BadValue {}

impl BadValue {
    /// What is wrong at the path, as a phrase that follows it.
    pub fn reason(&self) -> String {
        match self {
            BadValue::Unknown { doc, .. } => format!("is not a field of a {doc} document"),
            BadValue::Wrong {
                expected, found, ..
            } => format!("holds {expected}, not {found}"),
            BadValue::Removed { .. } => {
                "is a field of a record and is never removed (an unset field holds null)".into()
            }
            BadValue::Incomplete { field, .. } => format!("is made without its field '{field}'"),
        }
    }

    /// The path the write was refused at.
    pub fn path(&self) -> &str {
        match self {
            BadValue::Unknown { path, .. }
            | BadValue::Wrong { path, .. }
            | BadValue::Removed { path }
            | BadValue::Incomplete { path, .. } => path,
        }
    }
}

impl From<&Scalar> for Written {
    /// The value an [`crate::Edit::Set`] writes.
    fn from(value: &Scalar) -> Written {
        Written::Put(match value {
            Scalar::Null => ScalarValue::Null,
            Scalar::Bool(b) => ScalarValue::Boolean(*b),
            Scalar::Int(i) => ScalarValue::Int(*i),
            Scalar::Uint(u) => ScalarValue::Uint(*u),
            Scalar::Str(s) => ScalarValue::Str(s.as_str().into()),
        })
    }
}
