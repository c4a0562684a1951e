//! What the encrypted case index holds for a case (the case list and the
//! search read it without loading documents), projected from its document.

use caravan_model::search::fold;
use caravan_model::{Case, Catalog, ReviewKind, Stage, StageStatus, lifecycle};
use caravan_sync::Replica;
use std::collections::HashSet;

use caravan_vault::{CaseIndexEntry, DashboardFacts, DocId, IndexStage, IndexTask};

use crate::ids::doc_id_for;

/// The most advanced stage that is active (or the last closed one).
pub(crate) fn current_stage(case: &Case) -> Stage {
    let active = Stage::ALL
        .iter()
        .rev()
        .find(|s| {
            case.stages
                .get(s.id())
                .is_some_and(|st| st.status == StageStatus::Active)
        })
        .copied();
    active
        .or_else(|| {
            Stage::ALL
                .iter()
                .rev()
                .find(|s| case.stages.contains_key(s.id()))
                .copied()
        })
        .unwrap_or(Stage::Intake)
}

/// Search terms of a case: title, reference, pseudonyms, names (all folded).
fn search_terms(case: &Case) -> Vec<String> {
    let mut raw: Vec<&str> = vec![&case.header.title, &case.header.reference];
    let identities = case
        .victims
        .values()
        .map(|v| (&v.identity, &v.pseudonym))
        .chain(case.suspects.values().map(|s| (&s.identity, &s.pseudonym)))
        .chain(case.witnesses.values().map(|w| (&w.identity, &w.pseudonym)));
    for (identity, pseudonym) in identities {
        raw.push(&identity.full_name);
        raw.push(pseudonym);
        if let Some(o) = &identity.other_names {
            raw.push(o);
        }
    }
    let mut terms: Vec<String> = raw
        .into_iter()
        .map(fold)
        .filter(|t| !t.is_empty())
        .collect();
    terms.sort();
    terms.dedup();
    terms
}

/// What the index entries hold today: an entry of an older layout lacks
/// the dashboard's facts (layout 0), the international requests'
/// deadlines (layout 1) or the preventive measures' last days (layout 2),
/// and is rebuilt from its document at unlock.
pub(crate) const INDEX_LAYOUT: u32 = 3;

/// The deadlines of the case's open international requests (their own
/// alert, apart from the tasks').
fn open_international_deadlines(case: &Case) -> Vec<String> {
    case.international_requests
        .values()
        .filter(|r| r.is_open())
        .filter_map(|r| r.deadline.map(|d| d.to_string()))
        .collect()
}

fn dashboard_facts(case: &Case, progress: &lifecycle::CaseProgress) -> DashboardFacts {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    DashboardFacts {
        required: count(progress.required),
        required_resolved: count(progress.required_resolved),
        open_requests: count(
            case.review
                .values()
                .filter(|r| r.kind == ReviewKind::Request)
                .count(),
        ),
        stages: progress
            .stages
            .iter()
            .map(|s| IndexStage {
                stage: s.stage.id().to_string(),
                status: s.status.id().to_string(),
                items: count(s.items),
                done: count(s.done),
                not_applicable: count(s.not_applicable),
                required: count(s.required),
                required_resolved: count(s.required_resolved),
            })
            .collect(),
        open_tasks: case
            .tasks
            .iter()
            .filter(|(_, t)| !t.done)
            .map(|(id, t)| IndexTask {
                id: id.to_string(),
                title: t.title.clone(),
                due: t.due.map(|d| d.to_string()),
                assignee: t.assignee.clone(),
            })
            .collect(),
    }
}

/// The index entry of a case, from its document. `None` if the document
/// cannot be read as a case (it is then left out of the list, not lost).
/// `known_conflicts`: the case's count of conflicts when it is known not to
/// have changed (walking the whole document for it is the costliest part
/// of an entry).
pub(crate) fn index_entry(
    replica: &mut Replica,
    catalog: &Catalog,
    case_id: &str,
    known_conflicts: Option<u32>,
) -> Option<CaseIndexEntry> {
    replica.read_case(case_id, |doc| {
        entry_of(doc, catalog, case_id, known_conflicts)
    })?
}

fn entry_of(
    doc: &mut caravan_model::CaseDoc,
    catalog: &Catalog,
    case_id: &str,
    known_conflicts: Option<u32>,
) -> Option<CaseIndexEntry> {
    let case = doc.case().ok()?;
    let updated = doc.updated_at().unwrap_or(case.header.created_at);
    let progress = lifecycle::progress(&case, catalog);
    Some(CaseIndexEntry {
        case_id: doc_id_for(case_id),
        title: case.header.title.clone(),
        reference: case.header.reference.clone(),
        stage: current_stage(&case).id().to_string(),
        status: case.header.status.id().to_string(),
        assignees: case
            .assignment
            .investigators
            .iter()
            .filter(|(_, on)| **on)
            .map(|(m, _)| m.clone())
            .collect(),
        updated_at_ms: updated,
        search_terms: search_terms(&case),
        jurisdiction: case.header.jurisdiction.clone(),
        open_task_dues: case
            .tasks
            .values()
            .filter(|t| !t.done)
            .filter_map(|t| t.due.map(|d| d.to_string()))
            .collect(),
        open_international_deadlines: open_international_deadlines(&case),
        measure_ends: case
            .measures
            .values()
            .filter(|m| m.lifted_on.is_none())
            .filter_map(|m| m.until.map(|d| d.to_string()))
            .collect(),
        progress_percent: progress.percent(),
        conflicts: known_conflicts.unwrap_or_else(|| doc.conflicts().len() as u32),
        dashboard: dashboard_facts(&case, &progress),
        layout: INDEX_LAYOUT,
    })
}

impl crate::workspace::Workspace {
    /// Rewrites the index entries of an older layout from their documents,
    /// in one transaction, so that what reads only the index (the
    /// dashboard) finds what it needs. Runs at unlock; a vault whose
    /// entries are current pays one read of the index.
    pub(crate) fn rebuild_stale_index(&mut self) -> crate::error::Result<()> {
        if self.replica.is_none() {
            return Ok(());
        }
        let current: HashSet<DocId> = self.vault.with_case_index(|entries, _| {
            entries
                .iter()
                .filter(|e| e.layout >= INDEX_LAYOUT)
                .map(|e| e.case_id)
                .collect()
        })?;
        // A case with an entry of an older layout, or none (stored before
        // the index kept it), is read once and indexed.
        let cases: Vec<String> = self
            .names
            .iter()
            .filter(|(name, id)| *name != "team" && !current.contains(id))
            .map(|(name, _)| name.clone())
            .collect();
        let mut stale = Vec::new();
        for case in cases {
            if self.load_case(&case).is_err() {
                continue;
            }
            let catalog = self.catalog;
            if let Some(entry) = index_entry(self.replica_mut()?, catalog, &case, None) {
                stale.push(entry);
            }
        }

        if stale.is_empty() {
            return Ok(());
        }
        self.vault.transaction(|tx| {
            for entry in &stale {
                tx.put_case_index(entry)?;
            }
            Ok(())
        })?;
        tracing::info!(entries = stale.len(), "case index entries rebuilt");
        Ok(())
    }
}
