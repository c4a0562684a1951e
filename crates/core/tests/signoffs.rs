//! The prosecutor's sign-offs through the application core: a stage is
//! signed off only while it is open; a sign-off is withdrawn by its signer
//! alone, with a reason, and stays in the case as withdrawn; a withdrawn
//! sign-off no longer holds the stage gate; a withdrawal and a sign-off
//! made on two devices at once both stand after the exchange.

use std::path::Path;

use caravan_core::model::{ItemStatus, Role, Stage};
use caravan_core::view::{SignOffTarget, SignOffView, StageSignOffs};
use caravan_core::*;

use crate::util::*;

const REVIEW: &str = "prosecution-review";

/// Saule (admin), Aibek (investigator) and Marat (prosecutor); Aibek's
/// case, with the prosecution review stage open and its first item done,
/// held by all three.
struct Unit {
    admin: Workspace,
    inv: Workspace,
    pro: Workspace,
    case: CaseId,
}

fn unit(dir: &Path) -> Unit {
    let (mut admin, mut inv) = admin_and_investigator(dir);
    let mut pro = enrol_prosecutor(&mut admin, dir);
    let case = open_case(&mut inv, "KZ-11", "Workshop");
    inv.open_stage(&case, Stage::ProsecutionReview).unwrap();
    let done = ItemUpdate {
        status: ItemStatus::Done,
        reason: None,
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    };
    inv.set_item(&case, REVIEW, "act-proven", done).unwrap();
    share_with_prosecutor(&mut inv, &mut admin, &mut pro, &case);
    Unit {
        admin,
        inv,
        pro,
        case,
    }
}

fn stage_of(ws: &mut Workspace, case: &CaseId, stage: Stage) -> StageSignOffs {
    let view = ws.show_case(case).unwrap();
    view.signoffs
        .into_iter()
        .find(|s| s.stage == stage)
        .unwrap()
}

fn stage_target(s: &SignOffView) -> &str {
    match &s.target {
        SignOffTarget::Stage { review_id } => review_id,
        SignOffTarget::Item { .. } => panic!("an item's sign-off: {s:?}"),
    }
}

/// How many prosecutor's sign-offs the prosecution review's gate still
/// needs (of its items, and of the stage as a whole).
fn prosecutor_signoffs_missing(ws: &mut Workspace, case: &CaseId) -> usize {
    let view = ws.show_case(case).unwrap();
    let s = view
        .stages
        .iter()
        .find(|s| s.stage == Stage::ProsecutionReview)
        .unwrap();
    s.gate
        .missing_signoffs
        .iter()
        .filter(|r| **r == Role::Prosecutor)
        .count()
}

#[test]
fn a_stage_is_signed_off_only_while_it_is_open_and_the_view_says_why() {
    let dirs = tempfile::tempdir().unwrap();
    let mut u = unit(dirs.path());
    let refused = u
        .pro
        .review_signoff(&u.case, Stage::TrialProtection, "Reviewed")
        .unwrap_err();
    assert_eq!(refused.code(), "review.stage_not_started");
    let trial = stage_of(&mut u.pro, &u.case, Stage::TrialProtection);
    assert_eq!(
        trial.blocked,
        Some(caravan_core::model::signoffs::StageSignOffBlock::NotStarted)
    );
    assert!(trial.signoffs.is_empty(), "nothing was recorded");
    let open = stage_of(&mut u.pro, &u.case, Stage::ProsecutionReview);
    assert_eq!(open.blocked, None);
    // A withdrawal is not recorded as an ordinary review entry.
    let kind = caravan_core::model::ReviewKind::Withdrawal;
    let wrong = u
        .pro
        .add_review(&u.case, kind, Some(Stage::ProsecutionReview), "x")
        .unwrap_err();
    assert_eq!(wrong.code(), "core.invalid");
}

#[test]
fn a_withdrawal_needs_a_reason_is_recorded_and_the_gate_needs_a_signoff_again() {
    let dirs = tempfile::tempdir().unwrap();
    let mut u = unit(dirs.path());
    let unsigned = prosecutor_signoffs_missing(&mut u.pro, &u.case);
    let id = u
        .pro
        .review_signoff(&u.case, Stage::ProsecutionReview, "Charges hold")
        .unwrap();
    assert_eq!(
        prosecutor_signoffs_missing(&mut u.pro, &u.case),
        unsigned - 1
    );
    let shown = stage_of(&mut u.pro, &u.case, Stage::ProsecutionReview);
    assert_eq!(shown.signoffs.len(), 1);
    assert_eq!(shown.signoffs[0].by.name, "Marat");
    assert!(shown.signoffs[0].may_withdraw && shown.signoffs[0].withdrawn.is_none());

    let target = SignOffTarget::Stage {
        review_id: id.clone(),
    };
    for blank in ["", "   "] {
        let err = u.pro.withdraw_signoff(&u.case, &target, blank).unwrap_err();
        assert_eq!(err.code(), "signoff.reason_required");
    }
    u.pro
        .withdraw_signoff(&u.case, &target, "  Witness statement retracted  ")
        .unwrap();
    let again = u.pro.withdraw_signoff(&u.case, &target, "twice");
    assert_eq!(again.unwrap_err().code(), "signoff.already_withdrawn");

    // The sign-off is still there, shown as withdrawn: who, when, why.
    let shown = stage_of(&mut u.pro, &u.case, Stage::ProsecutionReview);
    assert_eq!(shown.signoffs.len(), 1);
    let s = &shown.signoffs[0];
    assert_eq!(stage_target(s), id);
    let w = s.withdrawn.as_ref().expect("shown as withdrawn");
    assert_eq!(
        (w.by.name.as_str(), w.reason.as_str()),
        ("Marat", "Witness statement retracted")
    );
    assert!(w.at > s.at && !s.may_withdraw);
    assert_eq!(
        prosecutor_signoffs_missing(&mut u.pro, &u.case),
        unsigned,
        "a withdrawn sign-off no longer counts for the gate"
    );
    let audit = u.pro.audit_log(None).unwrap();
    let row = audit
        .iter()
        .find(|r| r.action == "signoff.withdraw")
        .expect("the withdrawal is in the audit log");
    assert!(row.detail.contains(&id) && !row.detail.contains("Witness"));

    // Everyone else sees the same once it travels.
    swap(&mut u.pro, &mut u.admin);
    let at_admin = stage_of(&mut u.admin, &u.case, Stage::ProsecutionReview);
    assert!(at_admin.signoffs[0].withdrawn.is_some());
    assert!(!at_admin.signoffs[0].may_withdraw);
}

#[test]
fn an_items_signoff_is_withdrawn_and_the_item_needs_signing_again() {
    let dirs = tempfile::tempdir().unwrap();
    let mut u = unit(dirs.path());
    u.pro.sign_off_item(&u.case, REVIEW, "act-proven").unwrap();
    let target = SignOffTarget::Item {
        template_id: REVIEW.into(),
        item_id: "act-proven".into(),
    };
    u.pro
        .withdraw_signoff(&u.case, &target, "Signed the wrong item")
        .unwrap();
    let lists = u
        .pro
        .checklists(&u.case, Some(Stage::ProsecutionReview), "en")
        .unwrap();
    let item = lists
        .iter()
        .flat_map(|l| &l.items)
        .find(|i| i.id == "act-proven")
        .unwrap();
    assert_eq!(
        item.signed_off_by, None,
        "a withdrawn sign-off is not shown as standing"
    );
    let view = u.pro.show_case(&u.case).unwrap();
    let gate = &view
        .stages
        .iter()
        .find(|s| s.stage == Stage::ProsecutionReview)
        .unwrap()
        .gate;
    assert!(gate.missing_signoffs.contains(&Role::Prosecutor));
    // Signed again: a new sign-off that the earlier withdrawal leaves standing.
    u.pro.sign_off_item(&u.case, REVIEW, "act-proven").unwrap();
    let shown = stage_of(&mut u.pro, &u.case, Stage::ProsecutionReview);
    let items: Vec<bool> = shown
        .signoffs
        .iter()
        .map(|s| s.withdrawn.is_some())
        .collect();
    assert_eq!(items, [true, false], "the withdrawn one, then the new one");
}

/// Dana, a second prosecutor, granted the unit's case.
fn second_prosecutor(u: &mut Unit, dir: &Path) -> Workspace {
    let other = enrol(&mut u.admin, &dir.join("p2"), "Dana", Role::Prosecutor);
    let (dana, _) = other.me().unwrap();
    u.admin.grant(&u.case, &dana, true).unwrap();
    other
}

#[test]
fn only_the_signer_withdraws_not_another_prosecutor_nor_an_admin() {
    let dirs = tempfile::tempdir().unwrap();
    let mut u = unit(dirs.path());
    let mut other = second_prosecutor(&mut u, dirs.path());
    let id = u
        .pro
        .review_signoff(&u.case, Stage::ProsecutionReview, "Charges hold")
        .unwrap();
    let signed = prosecutor_signoffs_missing(&mut u.pro, &u.case);
    swap(&mut u.pro, &mut u.admin);
    swap(&mut u.admin, &mut other);
    let target = SignOffTarget::Stage { review_id: id };
    let shown = stage_of(&mut other, &u.case, Stage::ProsecutionReview);
    assert!(!shown.signoffs[0].may_withdraw, "not offered to Dana");
    let err = other
        .withdraw_signoff(&u.case, &target, "I disagree")
        .unwrap_err();
    assert_eq!(err.code(), "signoff.not_signer");
    let err = u
        .admin
        .withdraw_signoff(&u.case, &target, "Set aside")
        .unwrap_err();
    assert_eq!(err.code(), "policy.denied");
    assert_eq!(prosecutor_signoffs_missing(&mut u.admin, &u.case), signed);
}

#[test]
fn a_withdrawal_and_a_concurrent_signoff_on_two_devices_both_stand() {
    let dirs = tempfile::tempdir().unwrap();
    let mut u = unit(dirs.path());
    let mut other = second_prosecutor(&mut u, dirs.path());
    let first = u
        .pro
        .review_signoff(&u.case, Stage::ProsecutionReview, "Charges hold")
        .unwrap();
    let signed = prosecutor_signoffs_missing(&mut u.pro, &u.case);
    swap(&mut u.pro, &mut u.admin);
    swap(&mut u.admin, &mut other);

    // Offline, at once: Marat withdraws his sign-off; Dana signs off.
    let target = SignOffTarget::Stage {
        review_id: first.clone(),
    };
    u.pro
        .withdraw_signoff(&u.case, &target, "Needs the bank records")
        .unwrap();
    let second = other
        .review_signoff(&u.case, Stage::ProsecutionReview, "Reviewed the file")
        .unwrap();

    for (from, to) in [(0, 1), (1, 0)] {
        let (a, b) = if from == 0 {
            (&mut u.pro, &mut other)
        } else {
            (&mut other, &mut u.pro)
        };
        swap(a, &mut u.admin);
        let got = swap(&mut u.admin, b);
        assert!(got.quarantined.is_empty(), "{to}: {got:?}");
    }
    swap(&mut u.admin, &mut u.inv);
    let seen: Vec<Vec<(String, bool)>> = [&mut u.pro, &mut other, &mut u.admin, &mut u.inv]
        .into_iter()
        .map(|ws| {
            stage_of(ws, &u.case, Stage::ProsecutionReview)
                .signoffs
                .iter()
                .map(|s| (stage_target(s).to_string(), s.withdrawn.is_some()))
                .collect()
        })
        .collect();
    let want = vec![(first, true), (second, false)];
    for s in &seen {
        let mut s = s.clone();
        s.sort_by_key(|(_, w)| !*w);
        assert_eq!(s, want);
    }
    assert_eq!(
        prosecutor_signoffs_missing(&mut u.inv, &u.case),
        signed,
        "Dana's sign-off holds the gate"
    );
}

#[test]
fn the_overview_names_the_prosecutors_who_review_the_case() {
    let dirs = tempfile::tempdir().unwrap();
    let mut u = unit(dirs.path());
    let mut other = enrol(
        &mut u.admin,
        &dirs.path().join("p2"),
        "Dana",
        Role::Prosecutor,
    );
    let (dana, _) = other.me().unwrap();
    let (marat, _) = u.pro.me().unwrap();
    let reviewers = |ws: &mut Workspace| {
        ws.show_case(&u.case)
            .unwrap()
            .assignment
            .reviewers
            .iter()
            .map(|r| (r.member.name.clone(), r.has_access, r.entries))
            .collect::<Vec<_>>()
    };
    assert_eq!(reviewers(&mut u.admin), [("Marat".to_string(), true, 0)]);
    u.pro
        .review_comment(&u.case, None, "Attach the phone report")
        .unwrap();
    swap(&mut u.pro, &mut u.admin);
    u.admin.grant(&u.case, &dana, true).unwrap();
    swap(&mut u.admin, &mut other);
    let both = [
        ("Dana".to_string(), true, 0),
        ("Marat".to_string(), true, 1),
    ];
    assert_eq!(reviewers(&mut other), both);
    // Marat's access withdrawn: his entry still names him.
    u.admin.grant(&u.case, &marat, false).unwrap();
    assert_eq!(
        reviewers(&mut u.admin),
        [
            ("Dana".to_string(), true, 0),
            ("Marat".to_string(), false, 1)
        ]
    );
}

#[test]
fn no_prosecutor_reviews_a_case_nobody_granted() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-12", "Market");
    let view = inv.show_case(&case).unwrap();
    assert!(view.assignment.reviewers.is_empty());
}

/// A safety item marked not applicable holds its gate, named as awaiting a
/// supervisor's sign-off, until a supervisor signs it off; an admin's
/// sign-off is refused.
#[test]
fn a_safety_items_not_applicable_holds_the_gate_until_a_supervisor_signs_it_off() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let mut sup = enrol(
        &mut admin,
        &dirs.path().join("sup"),
        "Dana",
        Role::Supervisor,
    );
    let case = open_case(&mut inv, "KZ-12", "Kiln");
    let na = ItemUpdate {
        status: ItemStatus::NotApplicable,
        reason: Some("events two years ago; no one is in danger now".into()),
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    };
    inv.set_item(&case, "intake", "urgent-safety-check", na)
        .unwrap();
    let awaiting = |ws: &mut Workspace| {
        let view = ws.show_case(&case).unwrap();
        let intake = view
            .stages
            .iter()
            .find(|s| s.stage == Stage::Intake)
            .unwrap();
        intake
            .gate
            .not_applicable_unsigned
            .iter()
            .map(|n| (n.item.clone(), n.role))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        awaiting(&mut inv),
        [("intake/urgent-safety-check".to_string(), Role::Supervisor)]
    );
    let lists = inv.checklists(&case, Some(Stage::Intake), "en").unwrap();
    let item = lists[0]
        .items
        .iter()
        .find(|i| i.id == "urgent-safety-check")
        .unwrap();
    assert_eq!(item.signoff_needed, Some(Role::Supervisor));
    let refused = inv
        .sign_off_item(&case, "intake", "urgent-safety-check")
        .unwrap_err();
    assert_eq!(refused.code(), "case.invalid");
    swap(&mut inv, &mut admin);
    let refused = admin
        .sign_off_item(&case, "intake", "urgent-safety-check")
        .unwrap_err();
    assert_eq!(refused.code(), "case.invalid");
    let (dana, _) = sup.me().unwrap();
    admin.grant(&case, &dana, true).unwrap();
    swap(&mut admin, &mut sup);
    sup.sign_off_item(&case, "intake", "urgent-safety-check")
        .unwrap();
    assert!(awaiting(&mut sup).is_empty());
}
