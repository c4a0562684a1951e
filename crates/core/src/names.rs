//! Member id → display name, for views: the one place a view turns an id
//! into what people read.

use std::collections::BTreeMap;

use caravan_sync::TeamDoc;

use crate::ids::MemberId;
use crate::view::MemberRef;

#[derive(Debug, Clone, Default)]
pub struct Names(BTreeMap<String, String>);

impl Names {
    pub(crate) fn of(team: &TeamDoc) -> Names {
        Names(
            team.members
                .iter()
                .map(|(id, m)| (id.clone(), m.name.clone()))
                .collect(),
        )
    }

    pub fn name_of(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    pub(crate) fn member(&self, id: &str) -> MemberRef {
        MemberRef {
            id: MemberId::from(id),
            name: self.name_of(id),
        }
    }
}
