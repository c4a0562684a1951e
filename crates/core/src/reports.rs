//! Progress across cases and investigators, and overdue work.

use caravan_model::lifecycle::StageProgress;
use caravan_model::{CaseStatus, Stage, StageStatus};
use caravan_vault::{CaseIndexEntry, IndexStage};
use serde::Serialize;

use crate::case_view::stage_progress;
use crate::error::Result;
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
    /// Open international requests past their deadline.
    pub overdue_international: usize,
    /// Preventive measures that end within a week or have ended.
    pub measure_alerts: usize,
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
    /// Every case this device holds, from the encrypted index: no case
    /// document is loaded (the index is rebuilt at unlock where it lacks
    /// what this reads).
    pub fn progress_report(&mut self) -> Result<ProgressReport> {
        let today = self.clock.today().to_string();
        let names = self.names()?;
        let quarantined_changes = self.replica()?.quarantine().len();
        let (mut cases, mut overdue) = self
            .vault
            .with_case_index(|entries, _| rows(entries, &today, &names))?;
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
        self.audit("report.progress", &format!("{} cases", cases.len()))?;
        Ok(ProgressReport {
            today,
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

/// The dashboard's rows and overdue tasks, from the index entries.
fn rows(
    entries: &[&CaseIndexEntry],
    today: &str,
    names: &crate::names::Names,
) -> (Vec<ProgressRow>, Vec<OverdueRow>) {
    let mut cases = Vec::new();
    let mut overdue = Vec::new();
    for e in entries {
        let (Some(stage), Some(status)) =
            (Stage::from_id(&e.stage), CaseStatus::from_id(&e.status))
        else {
            continue;
        };
        let case_id = e.case_id.to_hex();
        let f = &e.dashboard;
        let late: Vec<_> = f
            .open_tasks
            .iter()
            .filter(|t| t.due.as_deref().is_some_and(|d| d < today))
            .collect();
        for t in &late {
            overdue.push(OverdueRow {
                case_id: case_id.clone(),
                reference: e.reference.clone(),
                task_id: t.id.clone(),
                title: t.title.clone(),
                due: t.due.clone().unwrap_or_default(),
                assignee: t.assignee.clone(),
                assignee_name: t.assignee.as_deref().map(|a| names.name_of(a)),
            });
        }
        cases.push(ProgressRow {
            case_id,
            reference: e.reference.clone(),
            title: e.title.clone(),
            stage,
            status,
            percent: e.progress_percent,
            required: f.required as usize,
            required_resolved: f.required_resolved as usize,
            overdue_tasks: late.len(),
            overdue_international: crate::cases::overdue_international(e, today) as usize,
            measure_alerts: crate::cases::measure_alerts(e, today) as usize,
            open_requests: f.open_requests as usize,
            conflicts: e.conflicts as usize,
            stages: f.stages.iter().filter_map(stage_of).collect(),
        });
    }
    (cases, overdue)
}

/// A stage's progress as the index holds it; `None` for a stage or status
/// this build does not know.
fn stage_of(s: &IndexStage) -> Option<StageProgressView> {
    let n = |x: u32| x as usize;
    Some(stage_progress(&StageProgress {
        stage: Stage::from_id(&s.stage)?,
        status: StageStatus::from_id(&s.status)?,
        items: n(s.items),
        done: n(s.done),
        not_applicable: n(s.not_applicable),
        required: n(s.required),
        required_resolved: n(s.required_resolved),
    }))
}
