//! A table compiled into a tree of paths, and the checks of one change's
//! writes against it.

use std::collections::HashMap;

use automerge::{ObjType, ScalarValue};

use super::{BadValue, Expect, Rule, Written};
use crate::path::{DocPath, Seg};

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
            (Expect::Positive, Written::Put(ScalarValue::Uint(n))) => {
                if *n == 0 {
                    return Err(BadValue::Wrong {
                        path: path.to_string(),
                        expected: rule.describe(),
                        found: "zero",
                    });
                }
                true
            }
            (Expect::IntIn(lo, hi), Written::Put(ScalarValue::Int(n))) => {
                if !(lo..=hi).contains(n) {
                    return Err(BadValue::Wrong {
                        path: path.to_string(),
                        expected: rule.describe(),
                        found: "a signed integer out of that range",
                    });
                }
                true
            }
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

#[cfg(test)]
mod tests {
    use super::super::case::{STR, rule};
    use super::*;
    use crate::schema::Expect::{Bool, Char, Entries, Int, List, Record, Text};
    use crate::schema::Key;

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
