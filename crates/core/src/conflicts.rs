//! Concurrent edits of one field: list them with their authors, decide.

use caravan_model::DocPath;
use caravan_sync::DeviceId;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictView {
    pub case_id: String,
    pub path: String,
    /// Identity fields: values are masked until revealed.
    pub sensitive: bool,
    pub values: Vec<ConflictValueView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictValueView {
    /// Pass to [`Workspace::resolve`] to keep this value.
    pub choice: String,
    /// The value, or `None` while masked.
    pub value: Option<String>,
    pub author: String,
    pub author_name: String,
    pub shown_now: bool,
}

impl Workspace {
    /// Every field of a case (or of all cases) with concurrent values.
    /// Values of identity fields are masked unless `reveal`, which is
    /// audited like any reveal.
    pub fn conflicts(&mut self, case: Option<&str>, reveal: bool) -> Result<Vec<ConflictView>> {
        let ids: Vec<String> = match case {
            Some(c) => vec![self.find_case(c)?],
            // The index counts each case's conflicts: only those with
            // some are read.
            None => {
                let with_conflicts: Vec<String> = self.vault.with_case_index(|entries, _| {
                    entries
                        .iter()
                        .filter(|e| e.conflicts > 0)
                        .map(|e| e.case_id.to_hex())
                        .collect()
                })?;
                let mut ids = Vec::new();
                for id in with_conflicts {
                    let name = self.case_name(&id);
                    if self.load_case(&name).is_ok() {
                        ids.push(name);
                    }
                }
                ids
            }
        };
        let team = self.replica()?.team()?;
        let names = self.names()?;
        let mut out = Vec::new();
        for id in ids {
            let Some(doc) = self.replica()?.case(&id) else {
                continue;
            };
            for c in doc.conflicts() {
                let show = !c.sensitive || reveal;
                out.push(ConflictView {
                    case_id: id.clone(),
                    path: c.path.to_string(),
                    sensitive: c.sensitive,
                    values: c
                        .values
                        .iter()
                        .map(|v| {
                            let member = DeviceId::from_hex(&v.actor)
                                .and_then(|d| team.devices.get(&d.to_hex()))
                                .map(|d| d.member.clone())
                                .unwrap_or_else(|| v.actor.clone());
                            ConflictValueView {
                                choice: v.id.clone(),
                                value: show.then(|| v.shown.clone()),
                                author_name: names.name_of(&member),
                                author: member,
                                shown_now: v.current,
                            }
                        })
                        .collect(),
                });
            }
        }
        if reveal && out.iter().any(|c| c.sensitive) {
            let detail = out
                .iter()
                .filter(|c| c.sensitive)
                .map(|c| format!("case {}: {}", c.case_id, c.path))
                .collect::<Vec<_>>()
                .join("; ");
            self.audit("person.reveal", &detail)?;
        }
        Ok(out)
    }

    /// Decides a conflict by keeping one of the values (its `choice`).
    pub fn resolve(&mut self, case: &str, path: &str, choice: &str) -> Result<()> {
        let case_id = self.find_case(case)?;
        let p: DocPath = path
            .parse()
            .map_err(|_| CoreError::invalid("field", format!("'{path}' is not a field path")))?;
        let now = self.now();
        self.replica_mut()?.resolve(&case_id, &p, choice, now)?;
        self.commit(&[(
            "case.resolve",
            format!("case {case_id}: conflict on {path} decided"),
        )])
    }
}
