//! Link analysis across the cases this member may see: the graph of
//! cases, people and what they share (`caravan_links`), its export for
//! i2 Analyst's Notebook, and the audited reveal of one entity's value.
//!
//! The graph reads every case the member may see (the team's case
//! access, as `show_case` is judged), one at a time within the residency
//! cap; a case the device holds but the member may no longer see gives
//! nothing. Values are matched here and never leave masked: a node says
//! where it was read, and [`Workspace::reveal_link_entity`] returns one
//! value, audited first.

use std::path::PathBuf;

use caravan_links::{CaseInfo, Found, LinkGraph, LinkOptions, build, build_revealing, extract};
use caravan_model::{Case, Identity};
use caravan_vault::VaultError;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::view::RevealedValue;
use crate::workspace::Workspace;

/// An export of the link graph for i2 Analyst's Notebook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct I2ExportInput {
    /// An existing folder: `entities.csv` and `links.csv` are written
    /// into it (replacing files of those names).
    pub dir: String,
    /// Write the values of people and identifiers instead of "(masked)"
    /// (audited before anything is written).
    #[serde(default)]
    pub reveal: bool,
    #[serde(default)]
    pub options: LinkOptions,
}

/// What an i2 export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct I2Export {
    pub entities_file: String,
    pub links_file: String,
    pub entities: u32,
    pub links: u32,
    pub revealed: bool,
}

impl Workspace {
    /// What every case this member may see holds, read one case at a time.
    fn link_sources(&mut self, opts: &LinkOptions) -> Result<(Vec<CaseInfo>, Vec<Found>)> {
        let (member, _) = self.me()?;
        let mut wanted = Vec::new();
        for id in &opts.cases {
            wanted.push(self.find_case(id)?);
        }
        let ids: Vec<String> = if wanted.is_empty() {
            self.replica()?.case_ids().cloned().collect()
        } else {
            wanted
        };
        let team = self.replica()?.team()?;
        let (mut infos, mut found) = (Vec::new(), Vec::new());
        for id in ids {
            match self.load_case(&id) {
                Ok(()) => {}
                // A damaged case is named in the case list; the others are read.
                Err(CoreError::Vault(
                    VaultError::CorruptRecord(_) | VaultError::DocumentIncomplete { .. },
                )) => continue,
                Err(e) => return Err(e),
            }
            let case: Option<Case> = self
                .replica_mut()?
                .read_case(&id, |doc| doc.case().ok())
                .flatten();
            self.trim_resident();
            let Some(case) = case else { continue };
            if !team.may_access(&member, &id, Some(&case.header.created_by)) {
                continue;
            }
            infos.push(CaseInfo {
                id: id.clone(),
                reference: case.header.reference.clone(),
                title: case.header.title.clone(),
            });
            found.extend(extract(&id, &case));
        }
        Ok((infos, found))
    }

    /// The graph of the cases this member may see, values masked.
    /// Audited: how many cases were read (never what was found).
    pub fn link_graph(&mut self, opts: &LinkOptions) -> Result<LinkGraph> {
        let (infos, found) = self.link_sources(opts)?;
        let graph = build(&infos, found, opts);
        self.audit(
            "links.open",
            &format!(
                "link analysis of {} cases: {} shared entities",
                graph.cases.len(),
                graph.shared
            ),
        )?;
        Ok(graph)
    }

    /// Writes the graph as i2 Analyst's Notebook's `entities.csv` and
    /// `links.csv` into an existing folder. Values are masked unless the
    /// export reveals them; a revealing export is audited as such before
    /// a file is written.
    pub fn export_i2(&mut self, input: &I2ExportInput) -> Result<I2Export> {
        let dir = PathBuf::from(input.dir.trim());
        if input.dir.trim().is_empty() || !dir.is_dir() {
            return Err(CoreError::invalid(
                "folder",
                "is not an existing folder: choose or create the folder the two files go in",
            ));
        }
        let (infos, found) = self.link_sources(&input.options)?;
        let (graph, revealed) = if input.reveal {
            let (g, r) = build_revealing(&infos, found, &input.options);
            (g, Some(r))
        } else {
            (build(&infos, found, &input.options), None)
        };
        let action = if input.reveal {
            "links.export_revealed"
        } else {
            "links.export"
        };
        self.audit(
            action,
            &format!(
                "i2 export of {} cases: {} entities, {} links{}",
                graph.cases.len(),
                graph.nodes.len(),
                graph.edges.len(),
                if input.reveal {
                    ", values revealed"
                } else {
                    ", values masked"
                }
            ),
        )?;
        let (entities, links) = caravan_links::i2::write(&graph, revealed.as_ref());
        let entities_file = dir.join("entities.csv");
        let links_file = dir.join("links.csv");
        std::fs::write(&entities_file, entities)
            .map_err(|e| CoreError::file(&entities_file, &e))?;
        std::fs::write(&links_file, links).map_err(|e| CoreError::file(&links_file, &e))?;
        Ok(I2Export {
            entities_file: entities_file.display().to_string(),
            links_file: links_file.display().to_string(),
            entities: graph.nodes.len() as u32,
            links: graph.edges.len() as u32,
            revealed: input.reveal,
        })
    }

    /// The value a node of the link graph was read from: one of its
    /// occurrences, a case and a record path (`victims/<id>`,
    /// `identifiers/<id>/value`, …). For a member who may see the case;
    /// audited (the case and the path, never the value) before it is
    /// returned.
    pub fn reveal_link_entity(&mut self, case: &str, path: &str) -> Result<RevealedValue> {
        let (case_id, c) = self.case_doc(case)?;
        let (member, _) = self.me()?;
        if !self
            .replica()?
            .team()?
            .may_access(&member, &case_id, Some(&c.header.created_by))
        {
            return Err(CoreError::NoCaseAccess);
        }
        let value = value_at(&c, path.trim())?;
        self.audit("links.reveal", &format!("case {case_id}: {}", path.trim()))?;
        Ok(RevealedValue::of(&value))
    }
}

fn bad_path() -> CoreError {
    CoreError::invalid(
        "path",
        "is not a record of the link graph: give one of a node's occurrences, e.g. identifiers/<id>/value",
    )
}

fn missing(what: &'static str, id: &str) -> CoreError {
    CoreError::not_found(what, id)
}

/// The value at one of the paths the graph gives as an occurrence.
fn value_at(c: &Case, path: &str) -> Result<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let identity = |coll: &str, id: &str| -> Option<&Identity> {
        match coll {
            "victims" => c.victims.get(id).map(|v| &v.identity),
            "suspects" => c.suspects.get(id).map(|s| &s.identity),
            "witnesses" => c.witnesses.get(id).map(|w| &w.identity),
            _ => None,
        }
    };
    let some = |v: Option<&String>, what: &'static str, id: &str| {
        v.cloned().ok_or_else(|| missing(what, id))
    };
    match parts.as_slice() {
        [coll @ ("victims" | "suspects" | "witnesses"), id] => {
            let i = identity(coll, id).ok_or_else(|| missing("person", id))?;
            Ok(match i.birth_date {
                Some(d) => format!("{} ({d})", i.full_name),
                None => i.full_name.clone(),
            })
        }
        [
            coll @ ("victims" | "suspects" | "witnesses"),
            id,
            "identity",
            field,
        ] => {
            let i = identity(coll, id).ok_or_else(|| missing("person", id))?;
            match *field {
                "document_numbers" => some(i.document_numbers.as_ref(), "documents of person", id),
                "contact" => some(i.contact.as_ref(), "contact of person", id),
                "address" => some(i.address.as_ref(), "address of person", id),
                _ => Err(bad_path()),
            }
        }
        ["identifiers", id, "value"] => c
            .identifiers
            .get(*id)
            .map(|i| i.value.clone())
            .ok_or_else(|| missing("identifier", id)),
        ["financial_flows", id, field] => {
            let f = c
                .financial_flows
                .get(*id)
                .ok_or_else(|| missing("financial flow", id))?;
            match *field {
                "account" => some(f.account.as_ref(), "account number of financial flow", id),
                "from_party" => some(f.from_party.as_ref(), "party of financial flow", id),
                "to_party" => some(f.to_party.as_ref(), "party of financial flow", id),
                _ => Err(bad_path()),
            }
        }
        ["groups", id, "name"] => c
            .groups
            .get(*id)
            .map(|g| g.name.clone())
            .ok_or_else(|| missing("group", id)),
        ["referrals", id, "organisation"] => c
            .referrals
            .get(*id)
            .map(|r| r.organisation.clone())
            .ok_or_else(|| missing("referral", id)),
        ["evidence", id, "label"] => c
            .evidence
            .get(*id)
            .map(|e| e.label.clone())
            .ok_or_else(|| missing("evidence item", id)),
        _ => Err(bad_path()),
    }
}
