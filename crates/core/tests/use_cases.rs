//! The core's use cases as data: a starting situation, the steps members
//! take, and a snapshot of the outcome (see `check.rs` for how it reads).

use caravan_core::model::{CaseStatus, Decision, EvidenceKind, ReviewKind, Role, Stage};
use caravan_core::*;

use crate::check::Fixture::*;
use crate::check::Step::*;
use crate::check::{check, starting_view};

/// The general indicators of victim v1, whom the scenarios record first.
const GENERAL: &str = "identification-general~v1";
const REVIEW: &str = "prosecution-review";
const NAME: &str = "Гульнара Ахмедова";

/// What the steps left: the case view's changes and the audit rows.
fn outcome(shown: &str) -> &str {
    &shown[shown.find("case view, as").unwrap()..]
}

#[test]
fn a_new_case_as_its_investigator_sees_it() {
    starting_view("a_new_case", AdminAndInvestigatorWithCase);
}

#[test]
fn every_record_kind_appears_in_the_case_view() {
    check(
        "every_record_kind",
        AdminAndInvestigatorWithCase,
        &[
            As("Aibek"),
            Person("v1", PersonKind::Victim, "V-1", NAME),
            Person("s1", PersonKind::Suspect, "S-1", "Ерлан Ж."),
            Person("w1", PersonKind::Witness, "W-1", "Асель К."),
            Interview("i1", "v1"),
            Task("t1", "Visit the workshop", Some("Aibek")),
            TaskDone("t1"),
            Event("e1", "Recruited through an online advert"),
            Referral("r1", "v1", "Shelter Sana"),
            Risk("k1", 4, 3),
            Note("n1", "First visit"),
        ],
    );
}

#[test]
fn the_custody_chain_keeps_every_hand_over_in_order_on_every_device() {
    check(
        "custody_chain",
        AdminAndInvestigatorWithCase,
        &[
            As("Aibek"),
            Evidence("phone", EvidenceKind::Phone, "S-0001"),
            Custody("c1", "phone", "Aibek", "Forensic lab"),
            Custody("c2", "phone", "Forensic lab", "Evidence room"),
            SendTo("Saule"),
            As("Saule"),
        ],
    );
}

#[test]
fn a_checklist_item_is_done_or_not_applicable_with_a_reason() {
    check(
        "checklist_item",
        AdminAndInvestigatorWithCase,
        &[
            As("Aibek"),
            OpenStage(Stage::Identification),
            Person("v1", PersonKind::Victim, "V-1", NAME),
            StartFor("identification-general", "v1"),
            Done(GENERAL, "works-against-will"),
            Refused(
                "checklist.reason_required",
                &NotApplicable(GENERAL, "dependence", ""),
            ),
            NotApplicable(
                GENERAL,
                "dependence",
                "she supports no one and owes nothing",
            ),
            Checklist(GENERAL),
            Refused("case.invalid", &StartChecklist("identification-children")),
            StartFor("identification-children", "v1"),
            Refused(
                "case.duplicate_id",
                &StartFor("identification-children", "v1"),
            ),
            Done("identification-children~v1", "no-access-to-parents"),
            Checklist("identification-children~v1"),
        ],
    );
}

#[test]
fn a_stage_gate_refuses_to_close_until_its_items_and_approval_are_in() {
    check(
        "stage_gate",
        WithSupervisor,
        &[
            As("Aibek"),
            OpenStage(Stage::Identification),
            Person("v1", PersonKind::Victim, "V-1", NAME),
            SendTo("Yerlan"),
            As("Yerlan"),
            // Victim v1 has no general indicators of her own yet.
            Refused("stage.gate_not_ready", &CloseStage(Stage::Identification)),
            As("Aibek"),
            StartFor("identification-general", "v1"),
            Done(GENERAL, "indicators-recorded"),
            Done(GENERAL, "trafficking-status-decided"),
            Done(GENERAL, "identity-verified"),
            SendTo("Yerlan"),
            As("Yerlan"),
            Refused("stage.gate_not_ready", &CloseStage(Stage::Identification)),
            As("Aibek"),
            NotApplicable(
                GENERAL,
                "reflection-period-explained",
                "she is an adult citizen and chose to testify at once",
            ),
            SendTo("Yerlan"),
            SendTo("Saule"),
            // The admin is no supervisor: no approval of hers counts.
            As("Saule"),
            Refused(
                "policy.denied",
                &Approve(
                    "a0",
                    Some(Stage::Identification),
                    "identification",
                    Decision::Approved,
                ),
            ),
            As("Yerlan"),
            Refused("stage.gate_not_ready", &CloseStage(Stage::Identification)),
            Approve(
                "a1",
                Some(Stage::Identification),
                "identification",
                Decision::Approved,
            ),
            CloseStage(Stage::Identification),
        ],
    );
}

#[test]
fn a_prosecutor_reviews_but_may_not_add_to_the_case_file() {
    check(
        "prosecutor_review",
        WithProsecutor,
        &[
            As("Marat"),
            Refused(
                "policy.denied",
                &Person("x", PersonKind::Witness, "W-9", "Someone"),
            ),
            Refused(
                "core.invalid",
                &Review("x", ReviewKind::SignOff, None, "A sign-off of no stage"),
            ),
            Review(
                "q1",
                ReviewKind::Request,
                Some(Stage::Interviews),
                "Two more interviews, please",
            ),
            Refused("case.invalid", &SignOffItem(REVIEW, "act-proven")),
            Refused(
                "review.stage_not_started",
                &Review(
                    "so0",
                    ReviewKind::SignOff,
                    Some(Stage::Identification),
                    "Signed off before anyone worked on it",
                ),
            ),
            As("Aibek"),
            Done(REVIEW, "act-proven"),
            OpenStage(Stage::Identification),
            SendTo("Marat"),
            As("Marat"),
            SignOffItem(REVIEW, "act-proven"),
            Review(
                "so1",
                ReviewKind::SignOff,
                Some(Stage::Identification),
                "Identification is sound",
            ),
        ],
    );
}

#[test]
fn only_an_admin_enrols_devices_and_only_a_lead_grants_access() {
    check(
        "team_policy",
        AdminAndInvestigatorWithCase,
        &[
            As("Aibek"),
            Refused("core.denied", &ApproveJoin("Dana", Role::Investigator)),
            Refused("core.denied", &Grant("Saule", false)),
            As("Saule"),
            ApproveJoin("Dana", Role::Prosecutor),
        ],
    );
}

/// A reveal is audited by person; a search, which runs over names, by a
/// fingerprint of the words, never the words.
#[test]
fn reading_identities_is_audited_and_no_view_holds_the_name() {
    let shown = check(
        "reveal_and_search",
        AdminAndInvestigatorWithCase,
        &[
            As("Aibek"),
            Person("v1", PersonKind::Victim, "V-1", NAME),
            Reveal("v1"),
            Search("Gulnara Akhmedova"),
            Search("Nobody Known"),
        ],
    );
    let after = outcome(&shown);
    assert!(!after.contains(NAME), "{shown}");
    let folded = caravan_core::model::search::fold("Gulnara Akhmedova");
    assert!(after.contains(&search_fingerprint(&folded)), "{shown}");
    assert!(
        !after.contains("Gulnara") && !after.contains("Nobody"),
        "{shown}"
    );
}

#[test]
fn concurrent_titles_are_a_conflict_until_one_is_kept() {
    check(
        "conflict",
        AdminAndInvestigatorWithCase,
        &[
            As("Aibek"),
            SetField("header/title", "Garment workshop, Shymkent"),
            As("Saule"),
            SetField("header/title", "Shymkent garment workshop"),
            SendTo("Aibek"),
            As("Aibek"),
            Conflicts,
            Resolve("header/title", "Saule"),
            Conflicts,
        ],
    );
}

#[test]
fn a_case_closes_only_as_closed_or_closed_referred() {
    check(
        "close_case",
        AdminAndInvestigatorWithCase,
        &[
            As("Saule"),
            Refused("core.invalid", &CloseCase(CaseStatus::FollowUp)),
            CloseCase(CaseStatus::ClosedReferred),
        ],
    );
}
