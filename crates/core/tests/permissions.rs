//! What each role is offered comes from the policy table. The table here
//! is what the app offered before the permissions view existed (the UI's
//! own copy of the rules); the view computed from the policy must match it
//! role by role, and no role may be offered what the core then refuses.

use caravan_core::Permissions;
use caravan_core::model::Role;

/// The permissions `role` must have, as a list of those granted.
fn check(role: Role, granted: &[&str]) {
    let p = Permissions::of(role);
    let all = [
        ("edit_record", p.edit_record),
        ("create_case", p.create_case),
        ("tasks", p.tasks),
        ("review", p.review),
        ("approve", p.approve),
        ("assign", p.assign),
        ("open_stage", p.open_stage),
        ("close_stage", p.close_stage),
        ("sign_off", p.sign_off),
        ("start_checklist", p.start_checklist),
        ("dashboard", p.dashboard),
        ("team_admin", p.team_admin),
        ("case_access", p.case_access),
        ("resolve_conflicts", p.resolve_conflicts),
        ("review_quarantine", p.review_quarantine),
        ("export_attachment", p.export_attachment),
        ("charge", p.charge),
        ("court_record", p.court_record),
        ("export_statistics", p.export_statistics),
    ];
    let actual: Vec<&str> = all.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect();
    assert_eq!(actual, granted, "{role}");
}

#[test]
fn each_role_is_offered_what_the_policy_allows() {
    check(
        Role::Investigator,
        &[
            "edit_record",
            "create_case",
            "tasks",
            "open_stage",
            "start_checklist",
            "resolve_conflicts",
            "export_attachment",
            "charge",
            "court_record",
        ],
    );
    check(
        Role::Prosecutor,
        &["review", "sign_off", "export_attachment", "court_record"],
    );
    let lead = [
        "create_case",
        "tasks",
        "approve",
        "assign",
        "open_stage",
        "close_stage",
        "sign_off",
        "start_checklist",
        "dashboard",
        "case_access",
        "resolve_conflicts",
        "review_quarantine",
        "export_attachment",
        "charge",
        "court_record",
        "export_statistics",
    ];
    check(Role::Supervisor, &lead);
    // An admin manages the team and decides who sees which case; approvals,
    // assignments, gate decisions and sign-offs are a supervisor's.
    check(
        Role::Admin,
        &[
            "create_case",
            "tasks",
            "open_stage",
            "start_checklist",
            "dashboard",
            "team_admin",
            "case_access",
            "resolve_conflicts",
            "review_quarantine",
            "export_attachment",
            "export_statistics",
        ],
    );
}

#[test]
fn a_device_without_a_team_is_offered_nothing() {
    assert_eq!(
        serde_json::to_value(Permissions::default())
            .unwrap()
            .as_object()
            .unwrap()
            .values()
            .filter(|v| **v == true)
            .count(),
        0
    );
}
