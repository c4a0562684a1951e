//! Correcting records after they were added: the fields an edit dialog
//! saves together, as one change, and an organised group's members.

use caravan_model::{DocPath, Edit, GroupMember};

use crate::error::{CoreError, Result};
use crate::inputs::{FieldEdit, GroupMemberInput, MAX_LONG_TEXT, bounded};
use crate::workspace::Workspace;

/// At most this many fields are saved together: more than any record has.
const MAX_FIELDS: usize = 64;

fn field_path(path: &str) -> Result<DocPath> {
    path.parse()
        .map_err(|_| CoreError::invalid("field", format!("'{path}' is not a field path")))
}

impl Workspace {
    /// Saves several fields of one record (`fields`' paths all name it) as
    /// one change: the record's checks run once, on the record as all of
    /// them leave it, and if they refuse, none is written.
    pub fn set_fields(&mut self, case: &str, fields: Vec<FieldEdit>) -> Result<()> {
        if fields.len() > MAX_FIELDS {
            return Err(CoreError::invalid(
                "fields",
                format!("at most {MAX_FIELDS} fields are saved at once"),
            ));
        }
        let case_id = self.find_case(case)?;
        let mut edits = Vec::with_capacity(fields.len());
        let mut what = Vec::with_capacity(fields.len());
        for field in fields {
            let edit = match field {
                FieldEdit::Value { path, value } => {
                    bounded("value", &value, MAX_LONG_TEXT)?;
                    let path = field_path(&path)?;
                    let value = self.typed_value(&case_id, &path, &value)?;
                    Edit::Set { path, value }
                }
                FieldEdit::Text { path, text } => {
                    bounded("text", &text, MAX_LONG_TEXT)?;
                    Edit::SetText {
                        path: field_path(&path)?,
                        text,
                    }
                }
                FieldEdit::List { path, values } => {
                    let path = field_path(&path)?;
                    let values = self.typed_list(&path, values)?;
                    Edit::SetList { path, values }
                }
            };
            if let Edit::Set { path, .. }
            | Edit::SetText { path, .. }
            | Edit::SetList { path, .. } = &edit
            {
                what.push(crate::cases::audited_field(path));
            }
            edits.push(edit);
        }
        self.edit(
            &case_id,
            Edit::SetFields { edits },
            "case.edit",
            format!("set {}", what.join(", ")),
        )
    }

    /// Adds suspect `m.person_id` to group `group`, or changes their role
    /// or superior there.
    pub fn set_group_member(&mut self, case: &str, group: &str, m: GroupMemberInput) -> Result<()> {
        let case_id = self.find_case(case)?;
        let (_, c) = self.case_doc(&case_id)?;
        crate::case_records::a_suspect(&c, &m.person_id)?;
        let detail = format!("group {group}: member {}", m.person_id);
        let edit = Edit::SetGroupMember {
            group_id: group.to_string(),
            suspect_id: m.person_id.to_string(),
            member: Some(GroupMember {
                role: m.role,
                superior: m.superior.map(|s| s.to_string()),
            }),
        };
        self.edit(&case_id, edit, "group.member", detail)
    }

    /// Takes suspect `suspect` out of group `group`.
    pub fn remove_group_member(&mut self, case: &str, group: &str, suspect: &str) -> Result<()> {
        let case_id = self.find_case(case)?;
        let edit = Edit::SetGroupMember {
            group_id: group.to_string(),
            suspect_id: suspect.to_string(),
            member: None,
        };
        let detail = format!("group {group}: member {suspect} removed");
        self.edit(&case_id, edit, "group.member", detail)
    }
}
