//! The case view's communication identifiers and organised groups.

use caravan_model::{Case, GroupRole};

use super::ViewContext;
use crate::ids::RecordId;
use crate::view::{GroupMemberView, GroupView, IdentifierView};

fn pseudonym(case: &Case, id: &str) -> Option<String> {
    case.victims
        .get(id)
        .map(|v| v.pseudonym.clone())
        .or_else(|| case.suspects.get(id).map(|s| s.pseudonym.clone()))
        .or_else(|| case.witnesses.get(id).map(|w| w.pseudonym.clone()))
}

pub(super) fn identifiers(case: &Case, cx: &ViewContext<'_>) -> Vec<IdentifierView> {
    case.identifiers
        .iter()
        .map(|(id, i)| IdentifierView {
            id: RecordId::from(id),
            kind: i.kind,
            platform: i.platform.clone(),
            person_id: i.person_id.as_deref().map(RecordId::from),
            person: i.person_id.as_deref().and_then(|p| pseudonym(case, p)),
            source: i.source.clone(),
            note: i.note.clone(),
            recorded_at: i.recorded_at,
            recorded_by: cx.names.member(&i.recorded_by),
        })
        .collect()
}

fn rank(role: GroupRole) -> usize {
    GroupRole::ALL
        .iter()
        .position(|r| *r == role)
        .unwrap_or(usize::MAX)
}

pub(super) fn groups(case: &Case, cx: &ViewContext<'_>) -> Vec<GroupView> {
    case.groups
        .iter()
        .map(|(id, g)| {
            let mut members: Vec<GroupMemberView> = g
                .members
                .iter()
                .map(|(person, m)| GroupMemberView {
                    person_id: RecordId::from(person),
                    pseudonym: pseudonym(case, person).unwrap_or_else(|| person.clone()),
                    role: m.role,
                    superior: m.superior.as_deref().map(RecordId::from),
                })
                .collect();
            members.sort_by(|a, b| (rank(a.role), &a.pseudonym).cmp(&(rank(b.role), &b.pseudonym)));
            GroupView {
                id: RecordId::from(id),
                name: g.name.clone(),
                description: g.description.clone(),
                members,
                countries: g.countries.clone(),
                recorded_at: g.recorded_at,
                recorded_by: cx.names.member(&g.recorded_by),
            }
        })
        .collect()
}
