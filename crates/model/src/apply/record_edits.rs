//! Edits that correct a record after it was added: several fields of one
//! record at once ([`Edit::SetFields`]), and an organised group's members
//! ([`Edit::SetGroupMember`]); and [`recheck`], which holds every
//! correction to the checks a record passes when it is added.

use automerge::ReadDoc;
use automerge::transaction::Transactable;

use super::edits::{By, validate_record};
use crate::case::{Case, GroupMember};
use crate::doc::CaseDoc;
use crate::edit::{Edit, Record};
use crate::error::{ModelError, am, rec};
use crate::network;
use crate::path::{DocPath, Seg};
use crate::policy::WriteKind;

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

/// Checks record `id` of `coll` as the case now holds it, as adding it
/// would: a correction may not leave what adding refuses (an acquittal
/// with a sentence, a measure that ends before it starts, a group member
/// answering to no member of the group).
pub(super) fn recheck(case: &Case, (coll, id): &(String, String)) -> Result<(), ModelError> {
    let Some(record) = Record::of(case, coll, id) else {
        return Ok(());
    };
    validate_record(&record)?;
    match &record {
        Record::Identifier(i) => network::check_identifier(case, i),
        Record::Group(g) => network::check_group(case, g),
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
