//! Collections added to the case document after cases were made.
//!
//! A case made by [`crate::CaseDoc::create`] holds every collection from
//! its first change, so later concurrent additions land in the same maps.
//! A case made before a collection existed lacks it, and the first record
//! of that kind makes the map. Two devices adding the first record of a
//! kind at once, offline, each make a map at the same key: Automerge keeps
//! both as a conflict and shows one. Reading only the one shown would hide
//! the other device's records — an edit that silently disappears.
//!
//! So a later collection is read as the union of the entries of every map
//! at its key, and a record is found, edited and its conflicts listed in
//! whichever of those maps holds it. An honest device picks a fresh id for
//! each record, but a member may write a map holding an id another member
//! took: reading then shows the copy in the map Automerge shows, and the
//! copies, where they differ, are a conflict to decide
//! (`conflicts::walk_later`), never a silent replacement. A new record goes into the map
//! Automerge shows. The team document's `case_keys` is read the same way.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Hydrate, HydrateError};

use crate::case::Case;
use crate::path::{DocPath, Seg};

/// Root keys of the case document's collections that older cases lack.
/// Each is a map of records keyed by record id, like `victims`; read by
/// [`add_concurrent`], written where [`object_at`] leads.
pub const LATER_COLLECTIONS: &[&str] = &[
    "links",
    "international_requests",
    "identifiers",
    "groups",
    "procedural_decisions",
    "measures",
    "charges",
    "indictments",
    "hearings",
    "verdicts",
    "compensation",
    "support",
    "financial_flows",
];

/// Whether `key` is the root key of a later collection.
pub fn is_later(key: &str) -> bool {
    LATER_COLLECTIONS.contains(&key)
}

/// Every map at root key `key`: the one Automerge shows first, then any
/// made concurrently with it.
pub fn maps<D: ReadDoc>(doc: &D, key: &str) -> Vec<ObjId> {
    let shown = match doc.get(ROOT, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    };
    let mut out: Vec<ObjId> = shown.iter().cloned().collect();
    for (value, id) in doc.get_all(ROOT, key).unwrap_or_default() {
        if matches!(value, Value::Object(ObjType::Map)) && Some(&id) != shown.as_ref() {
            out.push(id);
        }
    }
    out
}

/// The map of later collection `key` that holds entry `id`, if any does.
pub fn map_holding<D: ReadDoc>(doc: &D, key: &str, id: &str) -> Option<ObjId> {
    maps(doc, key)
        .into_iter()
        .find(|map| matches!(doc.get(map, id), Ok(Some(_))))
}

/// The object at `path`, following the map that holds the record where
/// the path enters a later collection. `None` where nothing is there.
pub fn object_at<D: ReadDoc>(doc: &D, path: &DocPath) -> Option<ObjId> {
    let segs = path.segments();
    let mut obj = ROOT;
    let mut i = 0;
    if let [Seg::Key(coll), rest @ ..] = segs
        && is_later(coll)
    {
        obj = match rest.first() {
            Some(Seg::Key(id)) => map_holding(doc, coll, id)?,
            _ => maps(doc, coll).into_iter().next()?,
        };
        i = 1;
    }
    for seg in &segs[i..] {
        let got = match seg {
            Seg::Key(k) => doc.get(&obj, k.as_str()),
            Seg::Index(n) => doc.get(&obj, *n),
        };
        match got.ok()? {
            Some((Value::Object(_), id)) => obj = id,
            _ => return None,
        }
    }
    Some(obj)
}

/// Adds to `entries` (a later collection as autosurgeon read it: the map
/// Automerge shows, or none) the records of every map made concurrently
/// with it (see the module's comment).
pub fn extend<T: Hydrate>(
    doc: &AutoCommit,
    key: &str,
    entries: &mut BTreeMap<String, T>,
) -> Result<(), HydrateError> {
    for map in maps(doc, key).into_iter().skip(1) {
        let more = <BTreeMap<String, T> as Hydrate>::hydrate_map(doc, &map)?;
        for (id, record) in more {
            entries.entry(id).or_insert(record);
        }
    }
    Ok(())
}

/// Adds to a case as autosurgeon read it the records of its later
/// collections that sit in maps made concurrently with the one shown.
pub(crate) fn add_concurrent(doc: &AutoCommit, case: &mut Case) -> Result<(), HydrateError> {
    extend(doc, "links", &mut case.links)?;
    extend(
        doc,
        "international_requests",
        &mut case.international_requests,
    )?;
    extend(doc, "identifiers", &mut case.identifiers)?;
    extend(doc, "groups", &mut case.groups)?;
    extend(doc, "procedural_decisions", &mut case.procedural_decisions)?;
    extend(doc, "measures", &mut case.measures)?;
    extend(doc, "charges", &mut case.charges)?;
    extend(doc, "indictments", &mut case.indictments)?;
    extend(doc, "hearings", &mut case.hearings)?;
    extend(doc, "verdicts", &mut case.verdicts)?;
    extend(doc, "compensation", &mut case.compensation)?;
    extend(doc, "support", &mut case.support)?;
    extend(doc, "financial_flows", &mut case.financial_flows)?;
    Ok(())
}
