//! The communication identifiers and organised groups of a case, and the
//! coordinates of its timeline events, through the workspace.

use std::collections::BTreeMap;

use caravan_model::*;

use crate::error::{CoreError, Result};
use crate::field_text::country_code;
use crate::ids::RecordId;
use crate::inputs::*;
use crate::view::RevealedValue;
use crate::workspace::Workspace;

impl Workspace {
    /// Records a communication identifier; its value is masked in every
    /// view from then on.
    pub fn add_identifier(&mut self, case: &str, i: IdentifierInput) -> Result<RecordId> {
        let i = i.normalised()?;
        if i.value.is_empty() {
            return Err(CoreError::invalid(
                "value",
                "must not be empty: give the number, address or account",
            ));
        }
        self.people_of(case, i.person_id.as_ref())?;
        let (member, _) = self.me()?;
        let record = Record::Identifier(Identifier {
            kind: i.kind,
            value: i.value,
            platform: i.platform,
            person_id: i.person_id.map(RecordId::into_string),
            source: i.source,
            note: i.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        let (_, id) = self.insert_noted(case, record, "identifier.add", None)?;
        Ok(RecordId::from(id))
    }

    /// Shows an identifier's value. Every reveal is written to the audit
    /// log (who, which case, which identifier) before the value is
    /// returned, as a person's reveal is.
    pub fn reveal_identifier(&mut self, case: &str, identifier_id: &str) -> Result<RevealedValue> {
        let (case_id, c) = self.case_doc(case)?;
        let i = c
            .identifiers
            .get(identifier_id)
            .ok_or_else(|| CoreError::not_found("identifier", identifier_id))?;
        let view = RevealedValue::of(&i.value);
        self.audit(
            "identifier.reveal",
            &format!("case {case_id}: identifier {identifier_id}"),
        )?;
        Ok(view)
    }

    /// Records an organised group with its members, who are suspects of
    /// the case.
    pub fn add_group(&mut self, case: &str, g: GroupInput) -> Result<RecordId> {
        let g = g.normalised()?;
        if g.name.is_empty() {
            return Err(CoreError::invalid(
                "name",
                "must not be empty: give the group's name or a label for it",
            ));
        }
        let (_, c) = self.case_doc(case)?;
        let mut members = BTreeMap::new();
        for m in &g.members {
            a_suspect(&c, &m.person_id)?;
            let member = GroupMember {
                role: m.role,
                superior: m.superior.as_ref().map(|s| s.to_string()),
            };
            if members.insert(m.person_id.to_string(), member).is_some() {
                return Err(CoreError::invalid(
                    "members",
                    format!("'{}' is listed twice", m.person_id),
                ));
            }
        }
        let mut countries = Vec::new();
        for code in &g.countries {
            if let Some(code) = country_code("countries", Some(code))?
                && !countries.contains(&code)
            {
                countries.push(code);
            }
        }
        let (member, _) = self.me()?;
        let record = Record::Group(Group {
            name: g.name,
            description: g.description,
            members,
            countries,
            recorded_at: self.now(),
            recorded_by: member,
        });
        let (_, id) = self.insert_noted(case, record, "group.add", None)?;
        Ok(RecordId::from(id))
    }
}

/// Refuses `id` unless it is a suspect of `case`: a group's members are.
pub(crate) fn a_suspect(case: &caravan_model::Case, id: &str) -> Result<()> {
    if case.suspects.contains_key(id) {
        return Ok(());
    }
    Err(CoreError::invalid(
        "members",
        format!("'{id}' is not a suspect of this case: a group's members are suspects"),
    ))
}
