//! Edits that correct a record after it was added: several fields of one
//! record at once ([`Edit::SetFields`]), and an organised group's members
//! ([`Edit::SetGroupMember`]); and [`recheck`], which holds every
//! correction to the checks a record passes when it is added.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ReadDoc, Value};

use super::edits::{By, validate_record};
use crate::case::{Case, GroupMember};
use crate::doc::CaseDoc;
use crate::edit::{Edit, Record};
use crate::error::{ModelError, am, rec};
use crate::network;
use crate::path::{DocPath, Seg};
use crate::policy::{self, WriteKind};
use crate::scalar::Scalar;
use crate::schema::Written;
use crate::vocab::Role;

/// The record (its collection and id) an edit corrects field by field,
/// whose checks must hold again once the edit is written.
pub(super) fn corrected_record(edit: &Edit) -> Option<(String, String)> {
    match edit {
        Edit::Set { path, .. } | Edit::SetText { path, .. } | Edit::SetList { path, .. } => {
            record_of(path)
        }
        Edit::SetFields { edits } => edits.first().and_then(corrected_record),
        Edit::SetGroupMember { group_id, .. } => Some(("groups".into(), group_id.clone())),
        _ => None,
    }
}

fn record_of(path: &DocPath) -> Option<(String, String)> {
    match path.segments() {
        [Seg::Key(coll), Seg::Key(id), _, ..] => Some((coll.clone(), id.clone())),
        _ => None,
    }
}

/// Checks record `id` of `coll` as the case now holds it: once added, and
/// again after every correction, so a correction may not leave what adding
/// refuses (an acquittal
/// with a sentence, a measure that ends before it starts, a group member
/// answering to no member of the group).
///
/// A group's members change one at a time, so a group left with two
/// faults (two devices' concurrent edits can make two loops) could never be
/// corrected if every edit had to leave none: there, an edit is refused
/// only for a fault it adds (`before` is the case before the edit).
pub(super) fn recheck(
    before: Option<&Case>,
    case: &Case,
    (coll, id): &(String, String),
) -> Result<(), ModelError> {
    let Some(record) = Record::of(case, coll, id) else {
        return Ok(());
    };
    if let (Record::Group(g), Some(before)) = (&record, before) {
        let had: Vec<String> = before
            .groups
            .get(id)
            .map(|old| network::group_faults(before, old))
            .unwrap_or_default()
            .into_iter()
            .map(|(about, _)| about)
            .collect();
        return match network::group_faults(case, g)
            .into_iter()
            .find(|(about, _)| !had.contains(about))
        {
            Some((_, fault)) => Err(fault),
            None => Ok(()),
        };
    }
    validate_record(&record)?;
    in_case(case, &record)
}

/// Checks what record `id` of `coll`, just added, names in the case as it
/// now holds it (what the record itself must hold was checked before it was
/// written).
pub(super) fn check_in_case(case: &Case, (coll, id): &(String, String)) -> Result<(), ModelError> {
    match Record::of(case, coll, id) {
        Some(record) => in_case(case, &record),
        None => Ok(()),
    }
}

/// The people and records of the case a record names are there, and of
/// the kind it needs.
fn in_case(case: &Case, record: &Record) -> Result<(), ModelError> {
    crate::court::check_parties(case, record)?;
    match record {
        Record::Identifier(i) => network::check_identifier(case, i),
        Record::Group(g) => network::check_group(case, g),
        Record::Victim(v) => crate::support::check_victim(v),
        Record::Support(s) => crate::support::check_service(case, s),
        Record::FinancialFlow(f) => crate::finance::check_financial_flow(case, f),
        _ => Ok(()),
    }
}

impl CaseDoc {
    pub(super) fn set_fields(&mut self, edits: Vec<Edit>, by: &By<'_>) -> Result<(), ModelError> {
        let record =
            edits
                .first()
                .and_then(corrected_record)
                .ok_or_else(|| ModelError::Invalid {
                    field: "fields".into(),
                    message: "name at least one field of a record to change".into(),
                })?;
        for edit in edits {
            if corrected_record(&edit).as_ref() != Some(&record) {
                return Err(ModelError::Invalid {
                    field: "fields".into(),
                    message: "the fields saved together belong to one record".into(),
                });
            }
            let written = match edit {
                Edit::Set { path, value } => self.set(&path, &value, by),
                Edit::SetText { path, text } => self.set_text(&path, &text, by),
                Edit::SetList { path, values } => self.set_list(&path, &values, by),
                _ => Err(ModelError::Invalid {
                    field: "fields".into(),
                    message: "only field values, texts and lists are saved together".into(),
                }),
            };
            // A field that already holds its value is no change; the others
            // are still written (and if none is, the change is empty).
            match written {
                Ok(()) | Err(ModelError::NoChange) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub(super) fn set_group_member(
        &mut self,
        group_id: &str,
        suspect_id: &str,
        member: Option<&GroupMember>,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let members_path = DocPath::keys(["groups", group_id, "members"]);
        let members = self
            .obj_at(&members_path)
            .map_err(|_| ModelError::NotFound {
                what: "group",
                id: group_id.to_string(),
            })?;
        let path = members_path.key(suspect_id);
        let present = self.doc.get(&members, suspect_id).map_err(am)?.is_some();
        match member {
            Some(m) => {
                let kind = if present {
                    WriteKind::Update
                } else {
                    WriteKind::Create
                };
                by.allow_in_place(&path, kind)?;
                autosurgeon::reconcile_prop(&mut self.doc, &members, suspect_id, m).map_err(rec)
            }
            None if present => {
                by.allow_in_place(&path, WriteKind::Delete)?;
                self.doc.delete(&members, suspect_id).map_err(am)
            }
            None => Err(ModelError::NotFound {
                what: "group member",
                id: suspect_id.to_string(),
            }),
        }
    }
}

/// Deciding a conflict between two copies of a record (or of a checklist
/// item) writes the chosen copy afresh: every value in it is written again,
/// by the decider. Every other device judges each of those values as it
/// judges any write: against the schema and against the values reserved
/// to a role (an approved indictment is the prosecutor's). A decision that
/// writes what the decider may not would be refused there, and every
/// later change of theirs with it; so it is refused here, before it is
/// made, with the reason.
pub(super) fn check_decided_copy(
    doc: &AutoCommit,
    path: &DocPath,
    role: Role,
) -> Result<(), ModelError> {
    let Some(copy) = crate::later::object_at(doc, path) else {
        // A scalar decided: the policy row judged it already.
        return Ok(());
    };
    check_values(doc, &copy, path, role)
}

fn check_values(
    doc: &AutoCommit,
    obj: &ObjId,
    path: &DocPath,
    role: Role,
) -> Result<(), ModelError> {
    let children: Vec<(Seg, Option<(Value<'_>, ObjId)>)> = match doc.object_type(obj) {
        Ok(automerge::ObjType::Map | automerge::ObjType::Table) => doc
            .keys(obj)
            .map(|k| {
                let got = doc.get(obj, k.as_str()).ok().flatten();
                (Seg::Key(k), got)
            })
            .collect(),
        Ok(automerge::ObjType::List) => (0..doc.length(obj))
            .map(|i| (Seg::Index(i), doc.get(obj, i).ok().flatten()))
            .collect(),
        _ => return Ok(()),
    };
    for (seg, got) in children {
        let here = path.child(seg);
        match got {
            Some((Value::Scalar(s), _)) => {
                crate::schema::case()
                    .check(&here, &Written::Put(s.clone().into_owned()))
                    .map_err(|bad| ModelError::Invalid {
                        field: here.to_string(),
                        message: bad.reason(),
                    })?;
                if let Some(value) = Scalar::from_automerge(&s) {
                    policy::may_write_value(role, &here, &value)?;
                }
            }
            Some((Value::Object(_), id)) => check_values(doc, &id, &here, role)?,
            None => {}
        }
    }
    Ok(())
}
