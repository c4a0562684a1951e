//! Conflicts: fields where concurrent edits left more than one value.
//! Automerge keeps every concurrent value; this lists them with their authors
//! so a person can decide, and writes the decision.

use automerge::{
    AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use std::collections::BTreeMap;

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
            walk_later(doc, k, &here, out);
            continue;
        }
        if merged_on_read(&here, &all) {
            walk_concurrent_checklist(doc, &here, &all, winner.as_ref(), out);
        }
        visit(doc, &here, &all, winner.as_ref(), out);
    }
}

/// A checklist two devices started at once is read as one (see
/// `CaseDoc::case`): the instance Automerge shows, filled in with the items
/// only the other holds. An item both instances hold, in different
/// states, is a conflict to decide: reading shows the state in the
/// instance shown, and without this the other state would vanish unseen.
/// (Where the instance shown holds a conflict of its own at that item,
/// that conflict is listed by the walk into it.)
fn walk_concurrent_checklist(
    doc: &AutoCommit,
    here: &DocPath,
    instances: &[(Value<'_>, ObjId)],
    winner: Option<&ObjId>,
    out: &mut Vec<Conflict>,
) {
    let Some(shown) = winner.and_then(|w| items_of(doc, w)) else {
        return;
    };
    let others: Vec<ObjId> = instances
        .iter()
        .filter(|(_, id)| Some(id) != winner)
        .filter_map(|(_, id)| items_of(doc, id))
        .collect();
    for item in doc.keys(&shown) {
        let own = doc.get_all(&shown, item.as_str()).unwrap_or_default();
        let [(_, current)] = own.as_slice() else {
            continue;
        };
        let mut values = own.clone();
        for items in &others {
            for (value, id) in doc.get_all(items, item.as_str()).unwrap_or_default() {
                if !same_content(doc, &id, current) {
                    values.push((value, id));
                }
            }
        }
        if values.len() > 1 {
            let path = here.child(Seg::Key("items".into())).child(Seg::Key(item));
            out.push(Conflict {
                sensitive: path.is_sensitive(),
                values: values
                    .iter()
                    .map(|(v, id)| ConflictValue {
                        id: id.to_string(),
                        shown: show(v),
                        actor: actor_of(id),
                        current: id == current,
                    })
                    .collect(),
                path,
            });
        }
    }
}

/// The `items` map of checklist instance `instance`.
fn items_of(doc: &AutoCommit, instance: &ObjId) -> Option<ObjId> {
    match doc.get(instance, "items") {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

/// Lists the conflict at `here` (values `all`, of which Automerge shows
/// `winner`) and walks on into the value shown.
fn visit(
    doc: &AutoCommit,
    here: &DocPath,
    all: &[(Value<'_>, ObjId)],
    winner: Option<&ObjId>,
    out: &mut Vec<Conflict>,
) {
    if all.len() > 1 && !merged_on_read(here, all) {
        out.push(Conflict {
            sensitive: here.is_sensitive(),
            values: all
                .iter()
                .map(|(v, id)| ConflictValue {
                    id: id.to_string(),
                    shown: show(v),
                    actor: actor_of(id),
                    current: Some(id) == winner,
                })
                .collect(),
            path: here.clone(),
        });
    }
    if let Some((Value::Object(_), id)) = all.iter().find(|(_, id)| Some(id) == winner) {
        walk(doc, id, here, out);
    }
}

/// Maps two devices made at once for later collection `coll` are one
/// collection, read as their union (see [`later`]): that alone is no
/// conflict to decide. But a record id held by more than one of them with
/// different content is: reading shows the copy in the map Automerge
/// shows, and without this the other copy would vanish unseen — a member
/// could make a map of their own to hide another member's record under its
/// id.
fn walk_later(doc: &AutoCommit, coll: &str, here: &DocPath, out: &mut Vec<Conflict>) {
    for (key, (all, winner)) in later_entries(doc, coll) {
        let distinct = all.iter().any(|(_, id)| !same_content(doc, id, &winner));
        let here = here.child(Seg::Key(key));
        if distinct {
            visit(doc, &here, &all, Some(&winner), out);
        } else {
            let shown: Vec<_> = all.into_iter().filter(|(_, id)| id == &winner).collect();
            visit(doc, &here, &shown, Some(&winner), out);
        }
    }
}

/// Every value at each record id of later collection `coll`, across all
/// its maps, and the one reading shows: the first map's.
fn later_entries<'a>(doc: &'a AutoCommit, coll: &str) -> BTreeMap<String, LaterEntry<'a>> {
    let mut entries: BTreeMap<String, LaterEntry<'a>> = BTreeMap::new();
    for map in later::maps(doc, coll) {
        for key in doc.keys(&map) {
            let Ok(Some((_, shown))) = doc.get(&map, key.as_str()) else {
                continue;
            };
            let entry = entries
                .entry(key.clone())
                .or_insert_with(|| (Vec::new(), shown));
            for (value, id) in doc.get_all(&map, key.as_str()).unwrap_or_default() {
                entry.0.push((value, id));
            }
        }
    }
    entries
}

/// Whether objects (or scalars) `a` and `b` hold the same visible content.
fn same_content(doc: &AutoCommit, a: &ObjId, b: &ObjId) -> bool {
    if a == b {
        return true;
    }
    let (Ok(ta), Ok(tb)) = (doc.object_type(a), doc.object_type(b)) else {
        return false;
    };
    if ta != tb {
        return false;
    }
    match ta {
        ObjType::Text => doc.text(a).ok() == doc.text(b).ok(),
        ObjType::List => {
            let n = doc.length(a);
            n == doc.length(b) && (0..n).all(|i| same_value(doc, doc.get(a, i), doc.get(b, i)))
        }
        ObjType::Map | ObjType::Table => {
            let ka: Vec<String> = doc.keys(a).collect();
            ka == doc.keys(b).collect::<Vec<_>>()
                && ka
                    .iter()
                    .all(|k| same_value(doc, doc.get(a, k.as_str()), doc.get(b, k.as_str())))
        }
    }
}

type LaterEntry<'a> = (Vec<(Value<'a>, ObjId)>, ObjId);

type Got<'a> = Result<Option<(Value<'a>, ObjId)>, automerge::AutomergeError>;

fn same_value(doc: &AutoCommit, a: Got<'_>, b: Got<'_>) -> bool {
    match (a, b) {
        (Ok(Some((Value::Scalar(x), _))), Ok(Some((Value::Scalar(y), _)))) => x == y,
        (Ok(Some((Value::Object(_), x))), Ok(Some((Value::Object(_), y)))) => {
            same_content(doc, &x, &y)
        }
        (Ok(None), Ok(None)) => true,
        _ => false,
    }
}

/// Checklists two devices started at once under one key are read as one
/// (see `CaseDoc::case`): choosing one would drop the other's work.
pub(crate) fn merged_on_read(path: &DocPath, values: &[(Value<'_>, ObjId)]) -> bool {
    path.matches("checklists/*") && values.iter().all(|(v, _)| matches!(v, Value::Object(_)))
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
    let doc_error = |e: automerge::AutomergeError| ModelError::Document(e.to_string());
    let (last, parent_path) = path.segments().split_last().ok_or_else(not_found)?;
    let prop: automerge::Prop = match last {
        Seg::Key(k) => k.clone().into(),
        Seg::Index(i) => (*i).into(),
    };
    // A record of a later collection may sit in several of its maps (see
    // `walk_later`), and an item in several instances of a checklist two
    // devices started at once (see `walk_concurrent_checklist`): the
    // decision is written into each of them.
    let parents = match parent_path {
        [Seg::Key(root), Seg::Key(key), Seg::Key(items)]
            if root == "checklists" && items == "items" =>
        {
            let Seg::Key(item) = last else {
                return Err(not_found());
            };
            let checklists =
                later::object_at(doc, &DocPath::keys(["checklists"])).ok_or_else(not_found)?;
            doc.get_all(&checklists, key.as_str())
                .map_err(doc_error)?
                .into_iter()
                .filter_map(|(_, instance)| items_of(doc, &instance))
                .filter(|items| matches!(doc.get(items, item.as_str()), Ok(Some(_))))
                .collect()
        }
        [Seg::Key(coll)] if later::is_later(coll) => {
            let Seg::Key(id) = last else {
                return Err(not_found());
            };
            later::maps(doc, coll)
                .into_iter()
                .filter(|map| matches!(doc.get(map, id.as_str()), Ok(Some(_))))
                .collect()
        }
        _ => vec![later::object_at(doc, &DocPath(parent_path.to_vec())).ok_or_else(not_found)?],
    };
    let mut all = Vec::new();
    for parent in &parents {
        all.extend(doc.get_all(parent, prop.clone()).map_err(doc_error)?);
    }
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
    let value = match value {
        Value::Scalar(s) => Value::Scalar(std::borrow::Cow::Owned(s.into_owned())),
        Value::Object(kind) => Value::Object(kind),
    };
    for parent in &parents {
        match &value {
            Value::Scalar(s) => doc.put(parent, prop.clone(), s.clone().into_owned()),
            Value::Object(kind) => {
                let copy = doc
                    .put_object(parent, prop.clone(), *kind)
                    .map_err(doc_error)?;
                deep_copy(doc, &id, &copy, overrides)
            }
        }
        .map_err(doc_error)?;
    }
    Ok(())
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
