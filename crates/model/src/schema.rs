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

use std::collections::HashMap;
use std::sync::LazyLock;

use automerge::{ObjType, ScalarValue};

use crate::date::Date;
use crate::path::{DocPath, Seg};
use crate::scalar::Scalar;
use crate::vocab::*;

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
    /// An unsigned integer (`u64`).
    Uint,
    Bool,
    /// A vocabulary value, by its document name.
    Vocab(Vocabulary),
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
}

impl Key {
    fn accepts(self, key: &str) -> bool {
        match self {
            Key::Any => true,
            Key::Stage => Stage::from_id(key).is_some(),
            Key::Kebab => crate::checklist::is_kebab(key),
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
}

impl Form {
    fn accepts(self, s: &str, path: &DocPath) -> bool {
        match self {
            Form::Any => true,
            Form::Date => s.parse::<Date>().is_ok(),
            Form::Country => crate::validate::validate_jurisdiction(s).is_ok(),
            Form::KeyAt(n) => matches!(path.segments().get(n), Some(Seg::Key(k)) if k == s),
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
            Expect::Int => "a signed integer".into(),
            Expect::Uint => "an unsigned integer".into(),
            Expect::Bool => "a boolean".into(),
            Expect::Vocab(v) => format!("one of {}", v.doc_names.join(", ")),
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
    /// to the document's form after documents were made, and read by no
    /// model type (the team document's case keys, read by the sync layer).
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

/// A compiled schema.
#[derive(Debug)]
pub struct Schema {
    /// The kind of document, for messages ("case", "team").
    doc: &'static str,
    rules: &'static [Rule],
    nodes: Vec<Node>,
    root: usize,
}

#[derive(Debug, Default, Clone)]
struct Node {
    parent: Option<usize>,
    /// A record's fields, in table order.
    fields: Vec<(&'static str, usize)>,
    /// Entries, list elements or characters.
    any: Option<usize>,
    /// This node's position among its record's fields.
    bit: u8,
}

/// A record has at most this many fields (one bit each while a change is
/// checked).
const MAX_FIELDS: usize = 64;

impl Schema {
    /// Compiles a table; an error names the rule that is wrong.
    pub fn compile(doc: &'static str, rules: &'static [Rule]) -> Result<Schema, String> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            if r.pattern.split('/').any(|s| s == "**") {
                return Err(format!("'{}': the schema names every level", r.pattern));
            }
            if index.insert(r.pattern, i).is_some() {
                return Err(format!("'{}' has two rules", r.pattern));
            }
        }
        let root = *index
            .get("")
            .ok_or_else(|| "no rule for the document itself ('')".to_string())?;
        if !matches!(rules[root].expect, Expect::Record) {
            return Err("the document itself is a record".into());
        }
        let mut nodes = vec![Node::default(); rules.len()];
        for (i, r) in rules.iter().enumerate() {
            if i == root {
                continue;
            }
            let (parent, last) = r.pattern.rsplit_once('/').unwrap_or(("", r.pattern));
            let p = *index
                .get(parent)
                .ok_or_else(|| format!("'{}': no rule for '{parent}'", r.pattern))?;
            nodes[i].parent = Some(p);
            let wrong = |why: &str| Err(format!("'{}': {why}", r.pattern));
            match (rules[p].expect, last) {
                (Expect::Record, "*") => return wrong("a record's fields are named"),
                (Expect::Record, name) => {
                    if nodes[p].fields.len() == MAX_FIELDS {
                        return wrong("a record has too many fields");
                    }
                    nodes[i].bit = nodes[p].fields.len() as u8;
                    nodes[p].fields.push((name, i));
                }
                (Expect::Entries(_) | Expect::List | Expect::Text, "*") => {
                    let is_char = matches!(r.expect, Expect::Char);
                    if is_char != matches!(rules[p].expect, Expect::Text) {
                        return wrong("characters are what a text holds, and all it holds");
                    }
                    nodes[p].any = Some(i);
                }
                (Expect::Entries(_) | Expect::List | Expect::Text, _) => {
                    return wrong("entries, list elements and characters are '*'");
                }
                _ => return wrong("its parent holds a value, not fields"),
            }
        }
        for (i, r) in rules.iter().enumerate() {
            let n = &nodes[i];
            let holds = !n.fields.is_empty() || n.any.is_some();
            match r.expect {
                Expect::Record if n.fields.is_empty() => {
                    return Err(format!("'{}': a record without fields", r.pattern));
                }
                Expect::Entries(_) | Expect::List | Expect::Text if n.any.is_none() => {
                    return Err(format!("'{}': no rule for what it holds", r.pattern));
                }
                e if !e.is_container() && holds => {
                    return Err(format!("'{}': a value holds nothing", r.pattern));
                }
                _ => {}
            }
        }
        Ok(Schema {
            doc,
            rules,
            nodes,
            root,
        })
    }

    /// The table the schema was compiled from.
    pub fn rules(&self) -> &'static [Rule] {
        self.rules
    }

    /// The rule for `path` and the rule of its parent, if any.
    fn find(&self, path: &DocPath) -> Option<(usize, Option<usize>)> {
        let mut at = self.root;
        let mut parent = None;
        for seg in path.segments() {
            let node = &self.nodes[at];
            let next = match (self.rules[at].expect, seg) {
                (Expect::Record, Seg::Key(k)) => node
                    .fields
                    .iter()
                    .find(|(name, _)| name == k)
                    .map(|(_, i)| *i),
                (Expect::Entries(_), Seg::Key(_)) | (Expect::List | Expect::Text, _) => node.any,
                _ => None,
            }?;
            parent = Some(at);
            at = next;
        }
        Some((at, parent))
    }

    /// The rule that decides what `path` holds.
    pub fn rule(&self, path: &DocPath) -> Option<&'static Rule> {
        self.find(path).map(|(i, _)| &self.rules[i])
    }

    /// Whether `written` may be written at `path`.
    pub fn check(&self, path: &DocPath, written: &Written) -> Result<(), BadValue> {
        self.judge(path, written).map(drop)
    }

    /// Checks one write; returns its rule's index.
    fn judge(&self, path: &DocPath, written: &Written) -> Result<usize, BadValue> {
        let Some((i, parent)) = self.find(path) else {
            return Err(BadValue::Unknown {
                doc: self.doc,
                path: path.to_string(),
            });
        };
        let rule = &self.rules[i];
        let parent = parent.map(|p| self.rules[p].expect);
        if *written == Written::Delete {
            return match parent {
                Some(Expect::Entries(_) | Expect::List | Expect::Text) => Ok(i),
                _ => Err(BadValue::Removed {
                    path: path.to_string(),
                }),
            };
        }
        if let Some(Expect::Entries(key)) = parent
            && let Some(Seg::Key(k)) = path.segments().last()
            && !key.accepts(k)
        {
            return Err(BadValue::Wrong {
                path: path.to_string(),
                expected: key.describe(),
                found: "another key",
            });
        }
        let fits = match (rule.expect, written) {
            (_, Written::Put(ScalarValue::Null)) => rule.optional,
            (Expect::Record | Expect::Entries(_), Written::Make(ObjType::Map))
            | (Expect::List, Written::Make(ObjType::List))
            | (Expect::Text, Written::Make(ObjType::Text))
            | (Expect::Char, Written::Put(ScalarValue::Str(_)))
            | (Expect::Int, Written::Put(ScalarValue::Int(_)))
            | (Expect::Uint, Written::Put(ScalarValue::Uint(_)))
            | (Expect::Bool, Written::Put(ScalarValue::Boolean(_))) => true,
            (Expect::Str(form), Written::Put(ScalarValue::Str(s))) => {
                if !form.accepts(s, path) {
                    return Err(BadValue::Wrong {
                        path: path.to_string(),
                        expected: rule.describe(),
                        found: "a string of another form",
                    });
                }
                true
            }
            (Expect::Vocab(v), Written::Put(ScalarValue::Str(s))) => {
                if !(v.accepts)(s) {
                    return Err(BadValue::Wrong {
                        path: path.to_string(),
                        expected: rule.describe(),
                        found: "a name outside that vocabulary",
                    });
                }
                true
            }
            _ => false,
        };
        if fits {
            Ok(i)
        } else {
            Err(BadValue::Wrong {
                path: path.to_string(),
                expected: rule.describe(),
                found: written.describe(),
            })
        }
    }

    /// Starts checking the writes of one change. `first` is a document's
    /// first change, which makes the document's root record: it must give
    /// the root every field, as any change that makes a record must.
    pub fn change(&self, first: bool) -> ChangeCheck<'_> {
        let mut check = ChangeCheck {
            schema: self,
            made: Vec::new(),
        };
        if first {
            check.made.push(Made {
                write: None,
                path: DocPath::root(),
                missing: self.all_fields(self.root),
            });
        }
        check
    }

    /// The fields a record must be made with: all but the `later` ones.
    fn all_fields(&self, rule: usize) -> u64 {
        self.nodes[rule]
            .fields
            .iter()
            .filter(|(_, child)| !self.rules[*child].later)
            .fold(0u64, |mask, (_, child)| {
                mask | (1u64 << self.nodes[*child].bit)
            })
    }
}

/// Checks the writes of one change in order, and at the end that every
/// record the change made holds all its fields.
#[derive(Debug)]
pub struct ChangeCheck<'s> {
    schema: &'s Schema,
    made: Vec<Made>,
}

/// A record the change made: the write that made it (`None`: the root, by
/// a document's first change) and the fields not written yet, one bit each.
#[derive(Debug)]
struct Made {
    write: Option<usize>,
    path: DocPath,
    missing: u64,
}

impl ChangeCheck<'_> {
    /// Checks write number `index` of the change. `into` is the number of
    /// the write (of this change) that made the object written into, or
    /// `None` for an object that existed before the change (or the root).
    pub fn write(
        &mut self,
        index: usize,
        path: &DocPath,
        written: &Written,
        into: Option<usize>,
    ) -> Result<(), BadValue> {
        let schema = self.schema;
        let rule = schema.judge(path, written)?;
        let node = &schema.nodes[rule];
        let parent_is_record = node
            .parent
            .is_some_and(|p| matches!(schema.rules[p].expect, Expect::Record));
        if parent_is_record && let Some(m) = self.made.iter_mut().rev().find(|m| m.write == into) {
            m.missing &= !(1u64 << node.bit);
        }
        if matches!(schema.rules[rule].expect, Expect::Record)
            && matches!(written, Written::Make(_))
        {
            self.made.push(Made {
                write: Some(index),
                path: path.clone(),
                missing: schema.all_fields(rule),
            });
        }
        Ok(())
    }

    /// Every record the change made holds all its fields.
    pub fn finish(self) -> Result<(), BadValue> {
        for m in &self.made {
            if m.missing != 0 {
                let rule = match m.write {
                    None => Some(self.schema.root),
                    Some(_) => self.schema.find(&m.path).map(|(i, _)| i),
                };
                let field = rule
                    .and_then(|r| {
                        let bit = m.missing.trailing_zeros() as usize;
                        self.schema.nodes[r].fields.get(bit).map(|(name, _)| *name)
                    })
                    .unwrap_or("?");
                return Err(BadValue::Incomplete {
                    path: m.path.to_string(),
                    field,
                });
            }
        }
        Ok(())
    }
}

use Expect::{Bool, Char, Entries, Int, List, Record, Text, Uint};

const STR: Expect = Expect::Str(Form::Any);
const DATE: Expect = Expect::Str(Form::Date);

const fn vocab(v: Vocabulary) -> Expect {
    Expect::Vocab(v)
}

const fn rule(pattern: &'static str, expect: Expect) -> Rule {
    Rule {
        pattern,
        expect,
        optional: false,
        later: false,
    }
}

/// An `Option` field: null while unset.
const fn opt(pattern: &'static str, expect: Expect) -> Rule {
    Rule {
        pattern,
        expect,
        optional: true,
        later: false,
    }
}

/// The case document (`crate::case::Case`), field by field.
#[rustfmt::skip]
pub static CASE_RULES: &[Rule] = &[
    rule("", Record),
    rule("schema", Uint),

    rule("header", Record),
    rule("header/reference", STR),
    rule("header/title", STR),
    rule("header/jurisdiction", Expect::Str(Form::Country)),
    rule("header/qualification", Entries(Key::Any)),
    rule("header/qualification/*", Record),
    rule("header/qualification/*/jurisdiction", STR),
    rule("header/qualification/*/code_year", Uint),
    rule("header/qualification/*/article", STR),
    rule("header/status", vocab(CaseStatus::VOCABULARY)),
    rule("header/created_at", Int),
    rule("header/created_by", STR),

    rule("narrative", Text),
    rule("narrative/*", Char),

    rule("stages", Entries(Key::Stage)),
    rule("stages/*", Record),
    rule("stages/*/status", vocab(StageStatus::VOCABULARY)),
    opt("stages/*/opened_at", Int),
    opt("stages/*/closed_at", Int),

    rule("assignment", Record),
    rule("assignment/investigators", Entries(Key::Any)),
    rule("assignment/investigators/*", Bool),
    opt("assignment/prosecutor", STR),
    opt("assignment/supervisor", STR),

    rule("victims", Entries(Key::Any)),
    rule("victims/*", Record),
    rule("victims/*/identity", Record),
    rule("victims/*/identity/full_name", STR),
    opt("victims/*/identity/other_names", STR),
    opt("victims/*/identity/birth_date", DATE),
    opt("victims/*/identity/document_numbers", STR),
    opt("victims/*/identity/contact", STR),
    opt("victims/*/identity/address", STR),
    rule("victims/*/pseudonym", STR),
    rule("victims/*/sex", vocab(Sex::VOCABULARY)),
    opt("victims/*/age_at_trafficking", Uint),
    opt("victims/*/citizenship", STR),
    rule("victims/*/languages", List),
    rule("victims/*/languages/*", STR),
    rule("victims/*/status", vocab(TraffickingStatus::VOCABULARY)),
    opt("victims/*/status_decided_by", vocab(StatusDecidedBy::VOCABULARY)),
    rule("victims/*/exploitation", List),
    rule("victims/*/exploitation/*", vocab(Exploitation::VOCABULARY)),
    rule("victims/*/control_methods", List),
    rule("victims/*/control_methods/*", vocab(ControlMethod::VOCABULARY)),
    opt("victims/*/recruitment", vocab(RecruitmentMethod::VOCABULARY)),
    rule("victims/*/recorded_at", Int),
    rule("victims/*/recorded_by", STR),

    rule("suspects", Entries(Key::Any)),
    rule("suspects/*", Record),
    rule("suspects/*/identity", Record),
    rule("suspects/*/identity/full_name", STR),
    opt("suspects/*/identity/other_names", STR),
    opt("suspects/*/identity/birth_date", DATE),
    opt("suspects/*/identity/document_numbers", STR),
    opt("suspects/*/identity/contact", STR),
    opt("suspects/*/identity/address", STR),
    rule("suspects/*/pseudonym", STR),
    rule("suspects/*/roles", List),
    rule("suspects/*/roles/*", vocab(PerpetratorRole::VOCABULARY)),
    opt("suspects/*/citizenship", STR),
    rule("suspects/*/recorded_at", Int),
    rule("suspects/*/recorded_by", STR),

    rule("witnesses", Entries(Key::Any)),
    rule("witnesses/*", Record),
    rule("witnesses/*/identity", Record),
    rule("witnesses/*/identity/full_name", STR),
    opt("witnesses/*/identity/other_names", STR),
    opt("witnesses/*/identity/birth_date", DATE),
    opt("witnesses/*/identity/document_numbers", STR),
    opt("witnesses/*/identity/contact", STR),
    opt("witnesses/*/identity/address", STR),
    rule("witnesses/*/pseudonym", STR),
    opt("witnesses/*/relation", STR),
    rule("witnesses/*/recorded_at", Int),
    rule("witnesses/*/recorded_by", STR),

    rule("evidence", Entries(Key::Any)),
    rule("evidence/*", Record),
    rule("evidence/*/label", STR),
    rule("evidence/*/kind", vocab(EvidenceKind::VOCABULARY)),
    rule("evidence/*/description", STR),
    opt("evidence/*/seized_at", Int),
    opt("evidence/*/seized_from", STR),
    opt("evidence/*/location", STR),
    opt("evidence/*/seal_number", STR),
    opt("evidence/*/attachment_sha256", STR),
    rule("evidence/*/custody", List),
    rule("evidence/*/custody/*", Record),
    rule("evidence/*/custody/*/id", STR),
    rule("evidence/*/custody/*/from", STR),
    rule("evidence/*/custody/*/to", STR),
    rule("evidence/*/custody/*/at", Int),
    rule("evidence/*/custody/*/place", STR),
    opt("evidence/*/custody/*/seal_number", STR),
    opt("evidence/*/custody/*/purpose", STR),
    opt("evidence/*/custody/*/attachment_sha256", STR),
    rule("evidence/*/custody/*/recorded_by", STR),
    rule("evidence/*/recorded_at", Int),
    rule("evidence/*/recorded_by", STR),

    rule("interviews", Entries(Key::Any)),
    rule("interviews/*", Record),
    rule("interviews/*/person_id", STR),
    rule("interviews/*/stage", vocab(PeaceStage::VOCABULARY)),
    opt("interviews/*/planned_for", DATE),
    opt("interviews/*/venue", STR),
    opt("interviews/*/interpreter", STR),
    rule("interviews/*/interpreter_vetted", Bool),
    rule("interviews/*/consent_given", Bool),
    rule("interviews/*/child_track", Bool),
    rule("interviews/*/plan", Text),
    rule("interviews/*/plan/*", Char),
    rule("interviews/*/recorded_at", Int),
    rule("interviews/*/recorded_by", STR),

    rule("tasks", Entries(Key::Any)),
    rule("tasks/*", Record),
    rule("tasks/*/title", STR),
    opt("tasks/*/assignee", STR),
    opt("tasks/*/due", DATE),
    opt("tasks/*/stage", vocab(Stage::VOCABULARY)),
    rule("tasks/*/done", Bool),
    rule("tasks/*/recorded_at", Int),
    rule("tasks/*/recorded_by", STR),

    rule("timeline", Entries(Key::Any)),
    rule("timeline/*", Record),
    rule("timeline/*/kind", vocab(EventKind::VOCABULARY)),
    opt("timeline/*/date", DATE),
    rule("timeline/*/place", STR),
    opt("timeline/*/country", STR),
    rule("timeline/*/description", STR),
    rule("timeline/*/person_ids", List),
    rule("timeline/*/person_ids/*", STR),
    rule("timeline/*/recorded_at", Int),
    rule("timeline/*/recorded_by", STR),

    rule("referrals", Entries(Key::Any)),
    rule("referrals/*", Record),
    rule("referrals/*/person_id", STR),
    rule("referrals/*/direction", vocab(ReferralDirection::VOCABULARY)),
    rule("referrals/*/organisation", STR),
    opt("referrals/*/date", DATE),
    rule("referrals/*/reason", STR),
    opt("referrals/*/outcome", STR),
    rule("referrals/*/recorded_at", Int),
    rule("referrals/*/recorded_by", STR),

    rule("risks", Entries(Key::Any)),
    rule("risks/*", Record),
    rule("risks/*/subject", vocab(RiskSubject::VOCABULARY)),
    opt("risks/*/person_id", STR),
    rule("risks/*/threat", STR),
    opt("risks/*/threat_source", STR),
    rule("risks/*/severity", Uint),
    rule("risks/*/likelihood", Uint),
    rule("risks/*/mitigation", STR),
    opt("risks/*/review_on", DATE),
    rule("risks/*/recorded_at", Int),
    rule("risks/*/recorded_by", STR),

    rule("notes", Entries(Key::Any)),
    rule("notes/*", Record),
    rule("notes/*/body", Text),
    rule("notes/*/body/*", Char),
    rule("notes/*/recorded_at", Int),
    rule("notes/*/recorded_by", STR),

    rule("checklists", Entries(Key::Kebab)),
    rule("checklists/*", Record),
    rule("checklists/*/template_id", Expect::Str(Form::KeyAt(1))),
    rule("checklists/*/version", Uint),
    rule("checklists/*/items", Entries(Key::Kebab)),
    rule("checklists/*/items/*", Record),
    rule("checklists/*/items/*/status", vocab(ItemStatus::VOCABULARY)),
    opt("checklists/*/items/*/reason", STR),
    opt("checklists/*/items/*/note", STR),
    rule("checklists/*/items/*/evidence_ids", List),
    rule("checklists/*/items/*/evidence_ids/*", STR),
    rule("checklists/*/items/*/interview_ids", List),
    rule("checklists/*/items/*/interview_ids/*", STR),
    rule("checklists/*/items/*/by", STR),
    rule("checklists/*/items/*/at", Int),
    rule("checklists/*/signoffs", Entries(Key::Kebab)),
    rule("checklists/*/signoffs/*", Record),
    rule("checklists/*/signoffs/*/role", vocab(Role::VOCABULARY)),
    rule("checklists/*/signoffs/*/status", vocab(ItemStatus::VOCABULARY)),
    rule("checklists/*/signoffs/*/by", STR),
    rule("checklists/*/signoffs/*/at", Int),

    rule("review", Entries(Key::Any)),
    rule("review/*", Record),
    rule("review/*/kind", vocab(ReviewKind::VOCABULARY)),
    opt("review/*/stage", vocab(Stage::VOCABULARY)),
    rule("review/*/text", STR),
    rule("review/*/by", STR),
    rule("review/*/at", Int),

    rule("approvals", Entries(Key::Any)),
    rule("approvals/*", Record),
    opt("approvals/*/stage", vocab(Stage::VOCABULARY)),
    rule("approvals/*/subject", STR),
    rule("approvals/*/decision", vocab(Decision::VOCABULARY)),
    opt("approvals/*/comment", STR),
    rule("approvals/*/by", STR),
    rule("approvals/*/at", Int),
];

/// The case document's schema, compiled once. The table is checked by the
/// test suite, so a failure here is a build defect, not bad input.
pub fn case() -> &'static Schema {
    static CASE: LazyLock<Schema> = LazyLock::new(|| {
        Schema::compile("case", CASE_RULES)
            .unwrap_or_else(|e| panic!("the case schema is invalid: {e}"))
    });
    &CASE
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

#[cfg(test)]
mod tests {
    use super::*;

    fn compiles(rules: Vec<Rule>) -> Result<(), String> {
        Schema::compile("test", Vec::leak(rules)).map(drop)
    }

    #[test]
    fn malformed_tables_do_not_compile() {
        let rows: Vec<(Vec<Rule>, &str)> = vec![
            (vec![rule("a", STR)], "no rule for the document itself"),
            (
                vec![rule("", Record), rule("a", STR), rule("a", Int)],
                "'a' has two rules",
            ),
            (
                vec![rule("", Record), rule("a/b", STR)],
                "'a/b': no rule for 'a'",
            ),
            (
                vec![rule("", Record), rule("*", STR)],
                "a record's fields are named",
            ),
            (
                vec![rule("", Record), rule("a", List)],
                "'a': no rule for what it holds",
            ),
            (
                vec![rule("", Record), rule("a", List), rule("a/b", STR)],
                "'*'",
            ),
            (
                vec![rule("", Record), rule("a", Text), rule("a/*", STR)],
                "characters",
            ),
            (
                vec![rule("", Record), rule("a", List), rule("a/*", Char)],
                "characters",
            ),
            (
                vec![rule("", Record), rule("a", STR), rule("a/b", STR)],
                "holds a value",
            ),
            (
                vec![rule("", Record), rule("a", Record)],
                "'a': a record without fields",
            ),
            (
                vec![
                    rule("", Record),
                    rule("a", Entries(Key::Any)),
                    rule("a/**", STR),
                ],
                "every level",
            ),
        ];
        for (rules, why) in rows {
            let err = compiles(rules).unwrap_err();
            assert!(err.contains(why), "{err} (expected: {why})");
        }
        compiles(vec![
            rule("", Record),
            rule("a", Entries(Key::Any)),
            rule("a/*", Bool),
        ])
        .unwrap();
    }
}
