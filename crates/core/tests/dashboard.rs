//! The supervisor's dashboard is answered from the encrypted case index,
//! without loading a case document; what it shows is what the cases say.

use caravan_core::model::{Date, ItemStatus, Stage};
use caravan_core::*;

use crate::util::*;

fn task(title: &str, due: &str, assignee: &str) -> TaskInput {
    TaskInput {
        title: title.into(),
        assignee: Some(assignee.into()),
        due: Some(due.parse::<Date>().unwrap()),
        stage: None,
    }
}

#[test]
fn the_dashboard_from_the_index_agrees_with_the_cases() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let kiln = open_case(&mut inv, "KZ-1", "Kiln");
    let farm = open_case(&mut inv, "KZ-2", "Farm");
    inv.add_task(&kiln, task("Visit the kiln", "2020-01-01", "Aibek"))
        .unwrap();
    let done = inv
        .add_task(&kiln, task("Call the lab", "2020-01-02", "Aibek"))
        .unwrap();
    inv.set_task_done(&kiln, &done, true).unwrap();
    inv.add_task(&farm, task("Later", "2999-01-01", "Aibek"))
        .unwrap();
    inv.open_stage(&farm, Stage::Identification).unwrap();
    let lists = inv.checklists(&farm, None, "en").unwrap();
    let list = &lists[0];
    inv.set_item(
        &farm,
        &list.template_id,
        &list.items[0].id,
        ItemUpdate {
            status: ItemStatus::Done,
            reason: None,
            note: None,
            evidence_ids: vec![],
            interview_ids: vec![],
        },
    )
    .unwrap();

    let mut ws = inv;
    for _ in 0..2 {
        let report = ws.progress_report().unwrap();
        assert_eq!(report.cases.len(), 2);
        for row in &report.cases {
            let view = ws.show_case(&row.case_id).unwrap();
            assert_eq!(
                (row.stages.clone(), row.percent),
                (view.stage_progress.clone(), view.progress_percent),
                "{}",
                row.reference
            );
            let overdue = view.tasks.iter().filter(|t| t.overdue).count();
            assert_eq!(row.overdue_tasks, overdue, "{}", row.reference);
        }
        let late: Vec<(&str, &str, Option<&str>)> = report
            .overdue
            .iter()
            .map(|o| {
                (
                    o.reference.as_str(),
                    o.title.as_str(),
                    o.assignee_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(late, [("KZ-1", "Visit the kiln", Some("Aibek"))]);
        assert_eq!(report.by_stage.iter().map(|c| c.count).sum::<usize>(), 2);
        // The same after locking and unlocking: the index is what is read.
        ws = reopen(ws);
    }
}
