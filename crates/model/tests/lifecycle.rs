//! Stage gates, sign-offs, progress, overdue tasks and template versions.

use crate::common::*;
use caravan_model::checklist::{Catalog, plan_adoption};
use caravan_model::lifecycle::{self, MissingSignOff};
use caravan_model::*;

fn approval(stage: Stage, decision: Decision) -> Record {
    Record::Approval(Approval {
        stage: Some(stage),
        subject: format!("gate {stage}"),
        decision,
        comment: None,
        by: "sup-1".into(),
        at: AT,
    })
}

fn signoff(stage: Stage) -> Record {
    Record::Review(ReviewItem {
        kind: ReviewKind::SignOff,
        stage: Some(stage),
        text: "Reviewed.".into(),
        by: "pro-1".into(),
        at: AT,
        withdraws: None,
        qualification: None,
    })
}

/// Each row: steps applied to a fresh case, then the identification gate.
#[test]
fn identification_gate_table() {
    let inv = investigator();
    let sup = author(Role::Supervisor, "sup-1");
    let req = required_items("identification-general");
    assert_eq!(req.len(), 4);
    let tick_all = || {
        req.iter()
            .map(|i| tick(&key_for("identification-general", P1), i))
            .collect::<Vec<_>>()
    };
    let na_first = || {
        let mut v = tick_all();
        v[0] = not_applicable(
            &key_for("identification-general", P1),
            &req[0],
            Some("no indicators present; recorded as a witness"),
        );
        v
    };
    #[rustfmt::skip]
    type Steps<'a> = Vec<(Edit, &'a Author)>;
    // Every item ticked, then the supervisor's decision on the stage.
    let ticked_then = |decision| -> Steps {
        tick_all()
            .into_iter()
            .map(|e| (e, &inv))
            .chain([(
                insert("a1", approval(Stage::Identification, decision)),
                &sup,
            )])
            .collect()
    };
    let rows: Vec<(&str, Steps, usize, usize)> = vec![
        ("nothing done", vec![], 4, 1),
        (
            "indicators only",
            vec![(
                tick(&key_for("identification-general", P1), "fear-anxiety"),
                &inv,
            )],
            4,
            1,
        ),
        (
            "all required done",
            tick_all().into_iter().map(|e| (e, &inv)).collect(),
            0,
            1,
        ),
        (
            "one N/A with reason",
            na_first().into_iter().map(|e| (e, &inv)).collect(),
            0,
            1,
        ),
        ("done and rejected", ticked_then(Decision::Rejected), 0, 1),
        ("done and approved", ticked_then(Decision::Approved), 0, 0),
        (
            "approved early",
            vec![(
                insert("a1", approval(Stage::Identification, Decision::Approved)),
                &sup,
            )],
            4,
            0,
        ),
    ];
    for (name, steps, items, signoffs) in rows {
        let mut doc = new_case_with_victim();
        for (edit, who) in steps {
            doc.apply(edit, who, catalog())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let gate = lifecycle::gate(&doc.case().unwrap(), Stage::Identification, catalog());
        assert_eq!(
            (gate.missing_items.len(), gate.missing_signoffs.len()),
            (items, signoffs),
            "{name}: {gate:?}"
        );
    }
}

#[test]
fn a_ready_gate_closes_and_an_unready_one_does_not() {
    let inv = investigator();
    let sup = author(Role::Supervisor, "sup-1");
    let mut doc = new_case_with_victim();
    doc.apply(
        Edit::OpenStage {
            stage: Stage::Identification,
        },
        &inv,
        catalog(),
    )
    .unwrap();
    let err = doc
        .apply(
            Edit::CloseStage {
                stage: Stage::Identification,
            },
            &sup,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "stage.gate_not_ready");
    assert_eq!(
        err.to_string(),
        "the identification gate is not ready: 4 required item(s) open, 1 sign-off(s) missing"
    );
    for i in required_items("identification-general") {
        doc.apply(
            tick(&key_for("identification-general", P1), &i),
            &inv,
            catalog(),
        )
        .unwrap();
    }
    doc.apply(
        insert("a1", approval(Stage::Identification, Decision::Approved)),
        &sup,
        catalog(),
    )
    .unwrap();
    doc.apply(
        Edit::CloseStage {
            stage: Stage::Identification,
        },
        &sup,
        catalog(),
    )
    .unwrap();
    let case = doc.case().unwrap();
    assert_eq!(case.stages["identification"].status, StageStatus::Closed);
    assert_eq!(case.stages["identification"].closed_at, Some(sup.at));
}

#[test]
fn prosecution_review_needs_the_prosecutors_item_signoffs() {
    let inv = investigator();
    let pro = author(Role::Prosecutor, "pro-1");
    let sup = author(Role::Supervisor, "sup-1");
    let mut doc = new_case_with_victim();
    let open = Edit::OpenStage {
        stage: Stage::ProsecutionReview,
    };
    doc.apply(open, &inv, catalog()).unwrap();
    for i in required_items("prosecution-review") {
        doc.apply(tick("prosecution-review", &i), &inv, catalog())
            .unwrap();
    }
    let gate = lifecycle::gate(&doc.case().unwrap(), Stage::ProsecutionReview, catalog());
    let roles: Vec<(Role, Option<&str>)> = gate
        .missing_signoffs
        .iter()
        .map(|m: &MissingSignOff| (m.role, m.item_id.as_deref()))
        .collect();
    assert_eq!(
        roles,
        [
            (Role::Prosecutor, Some("act-proven")),
            (Role::Prosecutor, Some("means-proven")),
            (Role::Prosecutor, Some("purpose-proven")),
            (Role::Prosecutor, Some("national-article")),
            (Role::Prosecutor, None),
        ]
    );
    // A supervisor cannot sign off what needs a prosecutor.
    let err = doc
        .apply(
            Edit::SignOffItem {
                template_id: "prosecution-review".into(),
                item_id: "act-proven".into(),
            },
            &sup,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.invalid");
    for i in [
        "act-proven",
        "means-proven",
        "purpose-proven",
        "national-article",
    ] {
        doc.apply(
            Edit::SignOffItem {
                template_id: "prosecution-review".into(),
                item_id: i.into(),
            },
            &pro,
            catalog(),
        )
        .unwrap();
    }
    doc.apply(
        insert("r1", signoff(Stage::ProsecutionReview)),
        &pro,
        catalog(),
    )
    .unwrap();
    assert!(lifecycle::gate(&doc.case().unwrap(), Stage::ProsecutionReview, catalog()).is_ready());
    // Re-marking a signed item (status change) needs a fresh sign-off.
    doc.apply(
        not_applicable(
            "prosecution-review",
            "means-proven",
            Some("victim is a child"),
        ),
        &inv,
        catalog(),
    )
    .unwrap();
    let gate = lifecycle::gate(&doc.case().unwrap(), Stage::ProsecutionReview, catalog());
    assert_eq!(gate.missing_signoffs.len(), 1);
}

#[test]
fn progress_counts_required_items_per_stage() {
    let inv = investigator();
    let mut doc = new_case_with_victim();
    let req = required_items("initial-actions");
    for i in &req[..3] {
        doc.apply(tick(&key_for("initial-actions", P1), i), &inv, catalog())
            .unwrap();
    }
    doc.apply(
        not_applicable(&key_for("initial-actions", P1), &req[3], Some("adult")),
        &inv,
        catalog(),
    )
    .unwrap();
    let p = lifecycle::progress(&doc.case().unwrap(), catalog());
    let ir = p
        .stages
        .iter()
        .find(|s| s.stage == Stage::InitialResponse)
        .unwrap();
    assert_eq!(
        (
            ir.items,
            ir.done,
            ir.not_applicable,
            ir.required,
            ir.required_resolved
        ),
        (14, 3, 1, 14, 4)
    );
    assert_eq!(ir.percent(), 28);
    assert_eq!(
        p.stages
            .iter()
            .find(|s| s.stage == Stage::Intake)
            .unwrap()
            .status,
        StageStatus::Active
    );
    assert_eq!(
        p.required,
        // The case's own checklists, and the victim's.
        catalog()
            .latest_all()
            .into_iter()
            .filter(|t| t.is_default())
            .flat_map(|t| &t.items)
            .filter(|i| i.required)
            .count()
    );
    assert_eq!(p.required_resolved, 4);
}

#[test]
fn overdue_tasks_as_of_a_date() {
    let inv = investigator();
    let mut doc = new_case_with_victim();
    let task = |title: &str, due: Option<&str>, done: bool| {
        Record::Task(Task {
            title: title.into(),
            assignee: Some("inv-1".into()),
            due: due.map(|d| d.parse().unwrap()),
            stage: None,
            done,
            recorded_at: AT,
            recorded_by: "inv-1".into(),
        })
    };
    for (id, rec) in [
        ("t1", task("Interview witness", Some("2026-11-20"), false)),
        (
            "t2",
            task("Request bank records", Some("2026-11-01"), false),
        ),
        ("t3", task("Seize phone", Some("2026-11-02"), true)),
        ("t4", task("Write report", Some("2026-11-27"), false)),
        ("t5", task("Undated", None, false)),
    ] {
        doc.apply(insert(id, rec), &inv, catalog()).unwrap();
    }
    let case = doc.case().unwrap();
    let today: Date = "2026-11-27".parse().unwrap();
    let ids: Vec<&str> = lifecycle::overdue_tasks(&case, today)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["t2", "t1"]);
}

/// A case opened by the investigator on device `device`, with checklists
/// from `catalog`.
fn open_case(
    device: u8,
    nonce: u8,
    jurisdiction: &str,
    catalog: &Catalog,
) -> Result<CaseDoc, ModelError> {
    CaseDoc::create(
        actor(device),
        NewCase {
            nonce: [nonce; 16],
            reference: "r".into(),
            title: "t".into(),
            jurisdiction: jurisdiction.into(),
        },
        &investigator(),
        catalog,
    )
}

/// Version 1 of a template `demo` of `stage`, citing manual `source`,
/// whose items are required actions `(id, English, Russian)`.
fn demo_template(stage: &str, source: &str, items: &[(&str, &str, &str)]) -> String {
    let mut toml = format!(
        "id = \"demo\"\nversion = 1\nstage = \"{stage}\"\nsources = [\"UNODC manual {source}\"]\ntitle = {{ en = \"Demo\", ru = \"Демо\" }}\n"
    );
    for (id, en, ru) in items {
        toml.push_str(&template_item(id, source, en, ru));
    }
    toml
}

/// One required action of a template, as TOML.
fn template_item(id: &str, source: &str, en: &str, ru: &str) -> String {
    format!(
        "[[items]]\nid = \"{id}\"\nkind = \"action\"\nrequired = true\nsource = \"{source}\"\ntext = {{ en = \"{en}\", ru = \"{ru}\" }}\n"
    )
}

#[test]
fn adopting_a_newer_template_keeps_every_ticked_item() {
    let v1 = demo_template(
        "intake",
        "M2",
        &[("keep", "Keep", "Оставить"), ("drop", "Drop", "Убрать")],
    );
    let v1 = v1.as_str();
    let v2 = v1
        .replace("version = 1", "version = 2")
        .replace("id = \"drop\"", "id = \"new\"");
    let cat = Catalog::from_sources([("demo@1.toml", v1), ("demo@2.toml", v2.as_str())]).unwrap();
    let inv = investigator();
    let doc = open_case(1, 2, "UZ", &cat).unwrap();
    // A new case starts with the newest version...
    assert_eq!(doc.case().unwrap().checklists["demo"].version, 2);
    // ...while one that started on v1 keeps v1 until it adopts v2.
    let mut old = open_case(
        2,
        3,
        "UZ",
        &Catalog::from_sources([("demo@1.toml", v1)]).unwrap(),
    )
    .unwrap();
    old.apply(tick("demo", "keep"), &inv, &cat).unwrap();
    old.apply(tick("demo", "drop"), &inv, &cat).unwrap();
    let case = old.case().unwrap();
    let plan = plan_adoption(
        &case.checklists["demo"],
        cat.get("demo", 1).unwrap(),
        cat.get("demo", 2).unwrap(),
    );
    assert_eq!(
        (plan.kept.clone(), plan.retired.clone(), plan.added.clone()),
        (
            vec!["keep".to_string()],
            vec!["drop".to_string()],
            vec!["new".to_string()]
        )
    );
    old.apply(
        Edit::AdoptTemplate {
            template_id: "demo".into(),
            version: 2,
        },
        &inv,
        &cat,
    )
    .unwrap();
    let case = old.case().unwrap();
    assert_eq!(case.checklists["demo"].version, 2);
    assert_eq!(
        case.checklists["demo"].items.len(),
        2,
        "the retired item's state is kept"
    );
    let gate = lifecycle::gate(&case, Stage::Intake, &cat);
    assert_eq!(
        gate.missing_items,
        [lifecycle::MissingItem {
            template_id: "demo".into(),
            person_id: None,
            item_id: "new".into()
        }]
    );
    let err = old
        .apply(
            Edit::AdoptTemplate {
                template_id: "demo".into(),
                version: 1,
            },
            &inv,
            &cat,
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.invalid");
}

/// A device with a newer Caravan moved a checklist to a template version
/// this copy does not know, and started a list it has never heard of. Both
/// hold the gate, with a message that says what to do, and neither passes
/// it unseen.
#[test]
fn a_checklist_of_an_unknown_template_version_holds_the_gate() {
    let v1 = demo_template("identification", "M5", &[("only", "Only", "Единственный")]);
    let v1 = v1.as_str();
    let v2 = format!(
        "{}{}",
        v1.replace("version = 1", "version = 2"),
        template_item("added", "M5", "Added", "Добавлен")
    );
    let later = v1
        .replace("id = \"demo\"", "id = \"later\"")
        .replace("stage = \"identification\"", "stage = \"closure\"");
    let older = Catalog::from_sources([("demo@1.toml", v1)]).unwrap();
    let newer = Catalog::from_sources([
        ("demo@1.toml", v1),
        ("demo@2.toml", v2.as_str()),
        ("later.toml", later.as_str()),
    ])
    .unwrap();
    let inv = investigator();
    let sup = author(Role::Supervisor, "sup-1");
    let mut doc = open_case(1, 4, "KG", &older).unwrap();
    doc.apply(
        Edit::OpenStage {
            stage: Stage::Identification,
        },
        &inv,
        &older,
    )
    .unwrap();
    doc.apply(tick("demo", "only"), &inv, &older).unwrap();
    let case = doc.case().unwrap();
    assert!(lifecycle::gate(&case, Stage::Identification, &older).is_ready());

    // The newer Caravan adopts version 2 and starts `later`.
    doc.apply(
        Edit::AdoptTemplate {
            template_id: "demo".into(),
            version: 2,
        },
        &inv,
        &newer,
    )
    .unwrap();
    doc.apply(
        Edit::StartChecklist {
            template_id: "later".into(),
            version: 1,
        },
        &inv,
        &newer,
    )
    .unwrap();
    let case = doc.case().unwrap();
    let unknown = |template_id: &str, version| lifecycle::UnknownTemplate {
        template_id: template_id.into(),
        version,
    };

    // Here, the identification gate is held by both; a list whose template
    // is unknown altogether holds every stage's gate.
    let gate = lifecycle::gate(&case, Stage::Identification, &older);
    assert!(!gate.is_ready());
    assert_eq!(
        gate.unknown_templates,
        [unknown("demo", 2), unknown("later", 1)]
    );
    assert!(gate.missing_items.is_empty() && gate.missing_signoffs.is_empty());
    assert_eq!(
        lifecycle::gate(&case, Stage::Intake, &older).unknown_templates,
        [unknown("later", 1)]
    );
    let err = doc
        .apply(
            Edit::CloseStage {
                stage: Stage::Identification,
            },
            &sup,
            &older,
        )
        .unwrap_err();
    assert_eq!(err.code(), "stage.gate_not_ready");
    assert_eq!(
        err.to_string(),
        "the identification gate is not ready: 0 required item(s) open, 0 sign-off(s) missing, \
         2 checklist(s) made with a newer template version (demo version 2, later version 1): update Caravan"
    );
    // Its items cannot be worked on here either, with the same advice.
    let err = doc.apply(tick("demo", "only"), &inv, &older).unwrap_err();
    assert_eq!(err.code(), "checklist.unknown_template");
    assert!(err.to_string().contains("update Caravan"), "{err}");

    // With the newer Caravan the gate is judged again: version 2 added a
    // required item.
    let gate = lifecycle::gate(&case, Stage::Identification, &newer);
    assert!(gate.unknown_templates.is_empty());
    assert_eq!(
        gate.missing_items,
        [lifecycle::MissingItem {
            template_id: "demo".into(),
            person_id: None,
            item_id: "added".into()
        }]
    );
}

const SAFETY: &str = "urgent-safety-check";
const NO_DANGER: &str = "the report concerns events two years ago; no one is in danger now";

fn sign_off_safety() -> Edit {
    Edit::SignOffItem {
        template_id: "intake".into(),
        item_id: SAFETY.into(),
    }
}

/// A case whose intake items are all done except the safety item, marked
/// not applicable with a reason.
fn intake_with_safety_not_applicable() -> CaseDoc {
    let inv = investigator();
    let mut doc = new_case_with_victim();
    for i in required_items("intake") {
        let edit = if i == SAFETY {
            not_applicable("intake", &i, Some(NO_DANGER))
        } else {
            tick("intake", &i)
        };
        doc.apply(edit, &inv, catalog()).unwrap();
    }
    doc
}

/// Each row: who signs off the safety item (if anyone) and how its state is
/// changed afterwards, then the intake gate: ready, and the items whose
/// "not applicable" still awaits a sign-off.
#[test]
fn a_safety_item_is_not_applicable_only_with_a_supervisors_signoff() {
    let inv = investigator();
    let sup = author(Role::Supervisor, "sup-1");
    type Row<'a> = (&'a str, Vec<(Edit, Author)>, bool, Vec<(Role, &'a str)>);
    let awaiting = vec![(Role::Supervisor, SAFETY)];
    let rows: Vec<Row> = vec![
        (
            "not applicable, not signed off",
            vec![],
            false,
            awaiting.clone(),
        ),
        (
            "not applicable, signed off by a supervisor",
            vec![(sign_off_safety(), sup.clone())],
            true,
            vec![],
        ),
        (
            "done: no sign-off needed",
            vec![(tick("intake", SAFETY), inv.clone())],
            true,
            vec![],
        ),
        (
            "signed off, then re-marked done",
            vec![
                (sign_off_safety(), sup.clone()),
                (tick("intake", SAFETY), inv.clone()),
            ],
            true,
            vec![],
        ),
        (
            "a non-safety item not applicable with a reason, as before",
            vec![
                (tick("intake", SAFETY), inv.clone()),
                (
                    not_applicable("intake", "child-possible", Some("adults only")),
                    inv.clone(),
                ),
            ],
            true,
            vec![],
        ),
    ];
    let mut failures = Vec::new();
    for (name, steps, ready, unsigned) in rows {
        let mut doc = intake_with_safety_not_applicable();
        for (edit, who) in steps {
            doc.apply(edit, &who, catalog()).unwrap();
        }
        let gate = lifecycle::gate(&doc.case().unwrap(), Stage::Intake, catalog());
        let got: Vec<(Role, &str)> = gate
            .unsigned_not_applicable
            .iter()
            .map(|m| (m.role, m.item_id.as_deref().unwrap()))
            .collect();
        if gate.is_ready() != ready || got != unsigned || !gate.missing_items.is_empty() {
            failures.push(format!("{name}: {gate:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unsigned_safety_item_holds_the_gate_for_its_own_reason() {
    let gate = lifecycle::gate(
        &intake_with_safety_not_applicable().case().unwrap(),
        Stage::Intake,
        catalog(),
    );
    assert!(gate.missing_items.is_empty() && gate.missing_signoffs.is_empty());
    assert_eq!(
        gate.unsigned_not_applicable,
        [MissingSignOff {
            role: Role::Supervisor,
            template_id: "intake".into(),
            person_id: None,
            item_id: Some(SAFETY.into()),
        }]
    );
    assert!(
        gate.what_is_missing()
            .ends_with("1 item(s) not applicable awaiting sign-off"),
        "{}",
        gate.what_is_missing()
    );
    let mut doc = intake_with_safety_not_applicable();
    let err = doc
        .apply(
            Edit::CloseStage {
                stage: Stage::Intake,
            },
            &author(Role::Supervisor, "sup-1"),
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "stage.gate_not_ready");
}

/// No one but a supervisor signs off a safety item's "not applicable": not
/// a prosecutor, not an admin (an admin is not a supervisor), and not the
/// investigator who marked it; nor is a done safety item signed off.
#[test]
fn only_a_supervisor_signs_off_a_not_applicable_safety_item() {
    assert_all_refused(
        vec![
            (
                "prosecutor",
                sign_off_safety(),
                author(Role::Prosecutor, "pro-1"),
                "case.invalid",
            ),
            (
                "admin",
                sign_off_safety(),
                author(Role::Admin, "adm-1"),
                "case.invalid",
            ),
            (
                "investigator",
                sign_off_safety(),
                investigator(),
                "case.invalid",
            ),
        ],
        intake_with_safety_not_applicable,
    );
    let mut doc = intake_with_safety_not_applicable();
    doc.apply(tick("intake", SAFETY), &investigator(), catalog())
        .unwrap();
    let err = doc
        .apply(
            sign_off_safety(),
            &author(Role::Supervisor, "sup-1"),
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.invalid");
}
