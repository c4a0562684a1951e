//! Conflicts: fields where concurrent edits left more than one value.
//! Automerge keeps every concurrent value; this lists them with their authors
//! so a person can decide, and writes the decision.

use automerge::{
    AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use serde::Serialize;

use crate::error::ModelError;
use crate::later;
use crate::path::{DocPath, Seg};

/// One field with several concurrent values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub path: DocPath,
    /// Front ends mask the values of identity fields until revealed.
    pub sensitive: bool,
    pub values: Vec<ConflictValue>,
}

/// One of the concurrent values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictValue {
    /// Opaque id to pass to `CaseDoc::resolve`.
    pub id: String,
    /// The value as text ("{…}" for a nested record).
    pub shown: String,
    /// Hex actor id of the device that wrote it; the team document maps it to a member.
    pub actor: String,
    /// Whether Automerge currently shows this value.
    pub current: bool,
}

fn show(value: &Value<'_>) -> String {
    match value {
        Value::Object(ObjType::Map) | Value::Object(ObjType::Table) => "{…}".into(),
        Value::Object(ObjType::List) => "[…]".into(),
        Value::Object(ObjType::Text) => "text".into(),
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            ScalarValue::Null => String::new(),
            other => other.to_string(),
        },
    }
}

fn actor_of(id: &automerge::ObjId) -> String {
    match id {
        automerge::ObjId::Id(_, actor, _) => actor.to_hex_string(),
        automerge::ObjId::Root => String::new(),
    }
}

/// Walks the whole document and lists every conflict, in path order.
pub fn find(doc: &AutoCommit) -> Vec<Conflict> {
    let mut out = Vec::new();
    walk(doc, &ROOT, &DocPath::root(), &mut out);
    out
}

fn walk(doc: &AutoCommit, obj: &ObjId, path: &DocPath, out: &mut Vec<Conflict>) {
    let props: Vec<Seg> = match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => doc.keys(obj).map(Seg::Key).collect(),
        Ok(ObjType::List) => (0..doc.length(obj)).map(Seg::Index).collect(),
        // Concurrent text edits interleave; text never conflicts.
        _ => return,
    };
    for seg in props {
        let all = match &seg {
            Seg::Key(k) => doc.get_all(obj, k.as_str()),
            Seg::Index(i) => doc.get_all(obj, *i),
        }
        .unwrap_or_default();
        let winner = match &seg {
            Seg::Key(k) => doc.get(obj, k.as_str()),
            Seg::Index(i) => doc.get(obj, *i),
        }
        .ok()
        .flatten()
        .map(|(_, id)| id);
        let here = path.child(seg);
        if obj == &ROOT
            && let Seg::Key(k) = &here.segments()[0]
            && later::is_later(k)
        {
            // Maps two devices made at once for a later collection are one
            // collection, read as their union: not a conflict to decide.
            for map in later::maps(doc, k) {
                walk(doc, &map, &here, out);
            }
            continue;
        }
        if all.len() > 1 && !merged_on_read(&here, &all) {
            out.push(Conflict {
                sensitive: here.is_sensitive(),
                values: all
                    .iter()
                    .map(|(v, id)| ConflictValue {
                        id: id.to_string(),
                        shown: show(v),
                        actor: actor_of(id),
                        current: Some(id) == winner.as_ref(),
                    })
                    .collect(),
                path: here.clone(),
            });
        }
        if let Some((Value::Object(_), id)) = all.iter().find(|(_, id)| Some(id) == winner.as_ref())
        {
            walk(doc, id, &here, out);
        }
    }
}

/// Checklists two devices started at once under one key are read as one
/// (see `CaseDoc::case`): choosing one would drop the other's work.
/// So are the lists two devices made at once for a list field added to a
/// record later (`crate::later_lists`): their values are read together.
pub(crate) fn merged_on_read(path: &DocPath, values: &[(Value<'_>, ObjId)]) -> bool {
    (path.matches("checklists/*") && values.iter().all(|(v, _)| matches!(v, Value::Object(_))))
        || (crate::later_lists::find(path).is_some()
            && values
                .iter()
                .all(|(v, _)| matches!(v, Value::Object(ObjType::List))))
}

/// Writes the chosen value over all concurrent ones (uncommitted). When the
/// chosen value is a map, its copy takes `overrides` for those keys (the
/// decider's attribution, see `CaseDoc::resolve`).
pub(crate) fn resolve(
    doc: &mut AutoCommit,
    path: &DocPath,
    choice: &str,
    overrides: &[(&str, ScalarValue)],
) -> Result<(), ModelError> {
    let not_found = || ModelError::NotFound {
        what: "conflict",
        id: path.to_string(),
    };
    let (last, parent_path) = path.segments().split_last().ok_or_else(not_found)?;
    let parent = later::object_at(doc, &DocPath(parent_path.to_vec())).ok_or_else(not_found)?;
    let all = match last {
        Seg::Key(k) => doc.get_all(&parent, k.as_str()),
        Seg::Index(i) => doc.get_all(&parent, *i),
    }
    .map_err(|e| ModelError::Document(e.to_string()))?;
    if all.len() < 2 || merged_on_read(path, &all) {
        return Err(not_found());
    }
    let (value, id) = all
        .into_iter()
        .find(|(_, id)| id.to_string() == choice)
        .ok_or_else(|| ModelError::NotFound {
            what: "conflicting value",
            id: choice.to_string(),
        })?;
    let prop: automerge::Prop = match last {
        Seg::Key(k) => k.clone().into(),
        Seg::Index(i) => (*i).into(),
    };
    match value {
        Value::Scalar(s) => doc.put(&parent, prop, s.into_owned()),
        Value::Object(kind) => {
            let copy = doc
                .put_object(&parent, prop, kind)
                .map_err(|e| ModelError::Document(e.to_string()))?;
            deep_copy(doc, &id, &copy, overrides)
        }
    }
    .map_err(|e| ModelError::Document(e.to_string()))
}

/// Copies the visible content of object `from` into the empty object `to`;
/// a map takes `overrides` for those of its keys.
fn deep_copy(
    doc: &mut AutoCommit,
    from: &ObjId,
    to: &ObjId,
    overrides: &[(&str, ScalarValue)],
) -> Result<(), automerge::AutomergeError> {
    match doc.object_type(from)? {
        ObjType::Text => {
            let text = doc.text(from)?;
            doc.splice_text(to, 0, 0, &text)?;
        }
        ObjType::List => {
            for i in 0..doc.length(from) {
                match doc.get(from, i)? {
                    Some((Value::Scalar(s), _)) => doc.insert(to, i, s.into_owned())?,
                    Some((Value::Object(kind), id)) => {
                        let child = doc.insert_object(to, i, kind)?;
                        deep_copy(doc, &id, &child, &[])?;
                    }
                    None => {}
                }
            }
        }
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = doc.keys(from).collect();
            for k in keys {
                if overrides.iter().any(|(o, _)| *o == k) {
                    continue;
                }
                match doc.get(from, k.as_str())? {
                    Some((Value::Scalar(s), _)) => doc.put(to, k.as_str(), s.into_owned())?,
                    Some((Value::Object(kind), id)) => {
                        let child = doc.put_object(to, k.as_str(), kind)?;
                        deep_copy(doc, &id, &child, &[])?;
                    }
                    None => {}
                }
            }
            for (k, v) in overrides {
                doc.put(to, *k, v.clone())?;
            }
        }
    }
    Ok(())
}
