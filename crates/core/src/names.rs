//! Member id → display name, for views: the one place a view turns an id
//! into what people read.

use std::collections::BTreeMap;

use caravan_sync::TeamDoc;

use crate::ids::MemberId;
use crate::view::MemberRef;

#[derive(Debug, Clone, Default)]
pub struct Names(BTreeMap<String, String>);

impl Names {
    /// Members by their ids, and devices (the audit log names a device
    /// before it joined a team) by their member's name.
    pub(crate) fn of(team: &TeamDoc) -> Names {
        let mut names: BTreeMap<String, String> = team
            .members
            .iter()
            .map(|(id, m)| (id.clone(), m.name.clone()))
            .collect();
        for (device, d) in &team.devices {
            if let Some(m) = team.members.get(&d.member) {
                names.insert(device.clone(), m.name.clone());
            }
        }
        Names(names)
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
