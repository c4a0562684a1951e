//! List fields added to records after records were made: the HTCDS fields
//! of several values (a victim's methods of recruitment, citizenships,
//! types of sexual exploitation, websites and apps; a suspect's
//! citizenships).
//!
//! Two of them replace a single field that older records and releases
//! hold (`recruitment`, `citizenship`). That field is never changed in
//! type: an older release would fail to read the record. The list is a
//! field of its own, and a record is read as the values of its list and,
//! where the earlier field holds a value the list lacks, that value too:
//! a record made before the list reads as a list of one, and a value an
//! older release writes into the earlier field is shown, not lost. A
//! write of the list keeps the earlier field in step with it (its first
//! value the earlier field accepts, or null), so an older release still
//! shows the first value and the two readings agree.
//!
//! An older record lacks the list until it is first written, and that
//! write makes it. Two devices writing it at once, offline, each make a
//! list at the same key: Automerge keeps both as a conflict and shows one.
//! Read plainly, the other device's values would vanish. So, as a later
//! collection's maps are (`crate::later`), the lists at the key are read
//! as one: the union of their values, each once. An edit of the list
//! writes what is wanted into the list Automerge shows and empties the
//! others, so the union is what was wanted.

use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Hydrate, HydrateError};

use crate::case::Case;
use crate::path::{DocPath, Seg};

pub use crate::validate::STATELESS;

/// A list field added to a kind of record after records were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaterList {
    /// The collection whose records hold it.
    pub collection: &'static str,
    /// Its key in the record.
    pub key: &'static str,
    /// The single field of the record it stands for, which older records
    /// and releases hold.
    pub replaces: Option<&'static str>,
}

const fn list(
    collection: &'static str,
    key: &'static str,
    replaces: Option<&'static str>,
) -> LaterList {
    LaterList {
        collection,
        key,
        replaces,
    }
}

/// Every list field added later, with the single field it stands for.
pub const LATER_LISTS: &[LaterList] = &[
    list("victims", "recruitment_methods", Some("recruitment")),
    list("victims", "citizenships", Some("citizenship")),
    list("victims", "sex_exploitation", None),
    list("victims", "recruitment_websites", None),
    list("victims", "exploitation_websites", None),
    list("suspects", "citizenships", Some("citizenship")),
];

/// The later list at `path` (`<collection>/<id>/<key>`), if it is one.
pub fn find(path: &DocPath) -> Option<&'static LaterList> {
    match path.segments() {
        [Seg::Key(collection), Seg::Key(_), Seg::Key(key)] => LATER_LISTS
            .iter()
            .find(|l| l.collection == collection && l.key == key),
        _ => None,
    }
}

/// Every list at `key` of the record `record`: the one Automerge shows
/// first, then any made concurrently with it.
pub fn lists<D: ReadDoc>(doc: &D, record: &ObjId, key: &str) -> Vec<ObjId> {
    let shown = match doc.get(record, key) {
        Ok(Some((Value::Object(ObjType::List), id))) => Some(id),
        _ => None,
    };
    let mut out: Vec<ObjId> = shown.iter().cloned().collect();
    for (value, id) in doc.get_all(record, key).unwrap_or_default() {
        if matches!(value, Value::Object(ObjType::List)) && Some(&id) != shown.as_ref() {
            out.push(id);
        }
    }
    out
}

/// Adds `value` to `list` unless it is there.
fn push_once<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// `values` (a later list as autosurgeon read it: the list Automerge
/// shows, or none) with the values of every list made concurrently with
/// it, each once.
fn union<T: Hydrate + PartialEq>(
    doc: &AutoCommit,
    record: &ObjId,
    key: &str,
    values: &mut Vec<T>,
) -> Result<(), HydrateError> {
    let mut out = Vec::with_capacity(values.len());
    for v in values.drain(..) {
        push_once(&mut out, v);
    }
    for list in lists(doc, record, key).into_iter().skip(1) {
        for v in <Vec<T> as Hydrate>::hydrate_seq(doc, &list)? {
            push_once(&mut out, v);
        }
    }
    *values = out;
    Ok(())
}

/// The map of each record of `collection`, by id.
fn record<D: ReadDoc>(doc: &D, collection: &str, id: &str) -> Option<ObjId> {
    let Ok(Some((Value::Object(ObjType::Map), records))) = doc.get(ROOT, collection) else {
        return None;
    };
    match doc.get(&records, id) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    }
}

/// A citizenship as the earlier field may hold it (any case) or a list
/// holds it (capitals).
fn citizenship(code: &str) -> String {
    code.to_ascii_uppercase()
}

/// Reads each later list of a case as autosurgeon read it as every list
/// at its key together, with the earlier single field's value where the
/// lists lack it (see the module's comment).
pub(crate) fn fold(doc: &AutoCommit, case: &mut Case) -> Result<(), HydrateError> {
    for (id, v) in case.victims.iter_mut() {
        let Some(obj) = record(doc, "victims", id) else {
            continue;
        };
        union(doc, &obj, "recruitment_methods", &mut v.recruitment_methods)?;
        if let Some(method) = v.recruitment {
            push_once(&mut v.recruitment_methods, method);
        }
        union(doc, &obj, "citizenships", &mut v.citizenships)?;
        if let Some(code) = &v.citizenship {
            push_once(&mut v.citizenships, citizenship(code));
        }
        union(doc, &obj, "sex_exploitation", &mut v.sex_exploitation)?;
        union(
            doc,
            &obj,
            "recruitment_websites",
            &mut v.recruitment_websites,
        )?;
        union(
            doc,
            &obj,
            "exploitation_websites",
            &mut v.exploitation_websites,
        )?;
    }
    for (id, s) in case.suspects.iter_mut() {
        let Some(obj) = record(doc, "suspects", id) else {
            continue;
        };
        union(doc, &obj, "citizenships", &mut s.citizenships)?;
        if let Some(code) = &s.citizenship {
            push_once(&mut s.citizenships, citizenship(code));
        }
    }
    Ok(())
}
