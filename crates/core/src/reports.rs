//! Progress across cases and investigators, and overdue work.

use caravan_model::lifecycle;
use caravan_model::{CaseStatus, Stage};
use serde::Serialize;

use crate::case_view::stage_progress;
use crate::error::Result;
use crate::index::current_stage;
use crate::view::StageProgressView;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgressRow {
    pub case_id: String,
    pub reference: String,
    pub title: String,
    pub stage: Stage,
    pub status: CaseStatus,
    pub percent: u8,
    pub required: usize,
    pub required_resolved: usize,
    pub overdue_tasks: usize,
    pub open_requests: usize,
    pub conflicts: usize,
    pub stages: Vec<StageProgressView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverdueRow {
    pub case_id: String,
    pub reference: String,
    pub task_id: String,
    pub title: String,
    pub due: String,
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
}

/// How many of something there are, for a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Count {
    pub key: String,
    pub count: usize,
}

/// The supervisor's report: every case this device holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgressReport {
    pub today: String,
    pub cases: Vec<ProgressRow>,
    pub overdue: Vec<OverdueRow>,
    /// Cases by their current stage (key: the stage id), in stage order.
    pub by_stage: Vec<Count>,
    /// Overdue tasks per assignee (key: the member's name).
    pub overdue_by_assignee: Vec<Count>,
    pub quarantined_changes: usize,
}

impl Workspace {
    pub fn progress_report(&mut self) -> Result<ProgressReport> {
        let today = self.clock.today();
        let names = self.names()?;
        let r = self.replica()?;
        let mut cases = Vec::new();
        let mut overdue = Vec::new();
        for id in r.case_ids() {
            let Some(doc) = r.case(id) else { continue };
            let Ok(case) = doc.case() else { continue };
            let p = lifecycle::progress(&case, self.catalog);
            let late = lifecycle::overdue_tasks(&case, today);
            for (tid, t) in &late {
                overdue.push(OverdueRow {
                    case_id: id.clone(),
                    reference: case.header.reference.clone(),
                    task_id: tid.to_string(),
                    title: t.title.clone(),
                    due: t.due.map(|d| d.to_string()).unwrap_or_default(),
                    assignee: t.assignee.clone(),
                    assignee_name: t.assignee.as_deref().map(|a| names.name_of(a)),
                });
            }
            cases.push(ProgressRow {
                case_id: id.clone(),
                reference: case.header.reference.clone(),
                title: case.header.title.clone(),
                stage: current_stage(&case),
                status: case.header.status,
                percent: p.percent(),
                required: p.required,
                required_resolved: p.required_resolved,
                overdue_tasks: late.len(),
                open_requests: case
                    .review
                    .values()
                    .filter(|v| v.kind == caravan_model::ReviewKind::Request)
                    .count(),
                conflicts: doc.conflicts().len(),
                stages: p.stages.iter().map(stage_progress).collect(),
            });
        }
        cases.sort_by(|a, b| a.reference.cmp(&b.reference));
        overdue.sort_by(|a, b| a.due.cmp(&b.due).then(a.reference.cmp(&b.reference)));
        let by_stage = caravan_model::Stage::ALL
            .iter()
            .map(|s| Count {
                key: s.id().to_string(),
                count: cases.iter().filter(|c| c.stage == *s).count(),
            })
            .filter(|c| c.count > 0)
            .collect();
        let mut per: std::collections::BTreeMap<String, usize> = Default::default();
        for o in &overdue {
            *per.entry(o.assignee_name.clone().unwrap_or_else(|| "-".into()))
                .or_default() += 1;
        }
        let quarantined_changes = r.quarantine().len();
        self.audit("report.progress", &format!("{} cases", cases.len()))?;
        Ok(ProgressReport {
            today: today.to_string(),
            cases,
            overdue,
            by_stage,
            overdue_by_assignee: per
                .into_iter()
                .map(|(key, count)| Count { key, count })
                .collect(),
            quarantined_changes,
        })
    }
}
