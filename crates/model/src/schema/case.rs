//! The case document's table (`crate::case::Case`, field by field).

use std::sync::LazyLock;

use super::{Expect, Form, Key, Rule, Schema};
use crate::table::{join, rows_in};
use crate::vocab::*;

use crate::places::{MAX_LATITUDE, MAX_LONGITUDE};
use Expect::{Bool, Char, Entries, Int, IntIn, List, Record, Text, Uint};

pub(super) const STR: Expect = Expect::Str(Form::Any);
const DATE: Expect = Expect::Str(Form::Date);

const fn vocab(v: Vocabulary) -> Expect {
    Expect::Vocab(v)
}

pub(super) const fn rule(pattern: &'static str, expect: Expect) -> Rule {
    Rule {
        pattern,
        expect,
        optional: false,
        later: false,
    }
}

/// An `Option` field: null while unset.
const fn opt(pattern: &'static str, expect: Expect) -> Rule {
    Rule {
        pattern,
        expect,
        optional: true,
        later: false,
    }
}

/// A field added to a record after documents were made (see
/// [`Rule::later`]): optional (null while unset), and absent from records
/// made before it and from devices that do not know it yet.
const fn later(pattern: &'static str, expect: Expect) -> Rule {
    Rule {
        pattern,
        expect,
        optional: true,
        later: true,
    }
}

/// A field added to a record after documents were made that always holds
/// a value (a flag): absent from older records, never null.
const fn later_value(pattern: &'static str, expect: Expect) -> Rule {
    Rule {
        pattern,
        expect,
        optional: false,
        later: true,
    }
}

/// A collection added to the case document after cases were made: older
/// cases lack it until its first record, which makes it (`crate::later`).
const fn later_collection(pattern: &'static str) -> Rule {
    Rule {
        pattern,
        expect: Entries(Key::Any),
        optional: false,
        later: true,
    }
}

/// Every record's attribution: who recorded it, and when.
macro_rules! recorded {
    ($record:literal) => {
        [
            rule(concat!($record, "/recorded_at"), Int),
            rule(concat!($record, "/recorded_by"), STR),
        ]
    };
}

/// A person's identifying details (`crate::case::Identity`).
macro_rules! identity {
    ($person:literal) => {
        [
            rule(concat!($person, "/identity"), Record),
            rule(concat!($person, "/identity/full_name"), STR),
            opt(concat!($person, "/identity/other_names"), STR),
            opt(concat!($person, "/identity/birth_date"), DATE),
            opt(concat!($person, "/identity/document_numbers"), STR),
            opt(concat!($person, "/identity/contact"), STR),
            opt(concat!($person, "/identity/address"), STR),
        ]
    };
}

/// The case document (`crate::case::Case`), field by field, in sections
/// so that what several records share is written once.
#[rustfmt::skip]
const SECTIONS: &[&[Rule]] = &[
    &[
        rule("", Record),
        rule("schema", Uint),

        rule("header", Record),
        rule("header/reference", STR),
        rule("header/title", STR),
        rule("header/jurisdiction", Expect::Str(Form::Country)),
        rule("header/qualification", Entries(Key::Any)),
        rule("header/qualification/*", Record),
        rule("header/qualification/*/jurisdiction", STR),
        rule("header/qualification/*/code_year", Uint),
        rule("header/qualification/*/article", STR),
        later("header/qualification/*/part", STR),
        later("header/qualification/*/paragraph", STR),
        later("header/qualification/*/in_force_from", DATE),
        rule("header/status", vocab(CaseStatus::VOCABULARY)),
        rule("header/created_at", Int),
        rule("header/created_by", STR),
        later("header/registry_number", STR),

        rule("narrative", Text),
        rule("narrative/*", Char),

        rule("stages", Entries(Key::Stage)),
        rule("stages/*", Record),
        rule("stages/*/status", vocab(StageStatus::VOCABULARY)),
        opt("stages/*/opened_at", Int),
        opt("stages/*/closed_at", Int),

        rule("assignment", Record),
        rule("assignment/investigators", Entries(Key::Any)),
        rule("assignment/investigators/*", Bool),
        opt("assignment/prosecutor", STR),
        opt("assignment/supervisor", STR),

        rule("victims", Entries(Key::Any)),
        rule("victims/*", Record),
    ],
    &identity!("victims/*"),
    &[
        rule("victims/*/pseudonym", STR),
        rule("victims/*/sex", vocab(Gender::VOCABULARY)),
        opt("victims/*/age_at_trafficking", Uint),
        opt("victims/*/citizenship", Expect::Str(Form::Country)),
        rule("victims/*/languages", List),
        rule("victims/*/languages/*", STR),
        rule("victims/*/status", vocab(TraffickingStatus::VOCABULARY)),
        opt("victims/*/status_decided_by", vocab(StatusDecidedBy::VOCABULARY)),
        rule("victims/*/exploitation", List),
        rule("victims/*/exploitation/*", vocab(Exploitation::VOCABULARY)),
        rule("victims/*/control_methods", List),
        rule("victims/*/control_methods/*", vocab(ControlMethod::VOCABULARY)),
        opt("victims/*/recruitment", vocab(RecruitmentMethod::VOCABULARY)),
    ],
    &recorded!("victims/*"),
    &[
        later("victims/*/forced_labour_industry", vocab(ForcedLabourIndustry::VOCABULARY)),
        later(
            "victims/*/relationship_to_trafficker",
            vocab(RelationshipToTrafficker::VOCABULARY),
        ),
    ],
    &[
        rule("suspects", Entries(Key::Any)),
        rule("suspects/*", Record),
    ],
    &identity!("suspects/*"),
    &[
        rule("suspects/*/pseudonym", STR),
        rule("suspects/*/roles", List),
        rule("suspects/*/roles/*", vocab(PerpetratorRole::VOCABULARY)),
        opt("suspects/*/citizenship", Expect::Str(Form::Country)),
    ],
    &recorded!("suspects/*"),
    &[later_value("suspects/*/public_official", Bool)],
    &[
        rule("witnesses", Entries(Key::Any)),
        rule("witnesses/*", Record),
    ],
    &identity!("witnesses/*"),
    &[
        rule("witnesses/*/pseudonym", STR),
        opt("witnesses/*/relation", STR),
    ],
    &recorded!("witnesses/*"),
    &[
        rule("evidence", Entries(Key::Any)),
        rule("evidence/*", Record),
        rule("evidence/*/label", STR),
        rule("evidence/*/kind", vocab(EvidenceKind::VOCABULARY)),
        rule("evidence/*/description", STR),
        opt("evidence/*/seized_at", Int),
        later("evidence/*/seized_by", STR),
        opt("evidence/*/seized_from", STR),
        opt("evidence/*/location", STR),
        opt("evidence/*/seal_number", STR),
        opt("evidence/*/attachment_sha256", STR),
        later("evidence/*/attachment_name", STR),
        later("evidence/*/attachment_type", STR),
        later("evidence/*/attachment_size", Uint),
        rule("evidence/*/custody", List),
        rule("evidence/*/custody/*", Record),
        rule("evidence/*/custody/*/id", STR),
        rule("evidence/*/custody/*/from", STR),
        rule("evidence/*/custody/*/to", STR),
        rule("evidence/*/custody/*/at", Int),
        rule("evidence/*/custody/*/place", STR),
        opt("evidence/*/custody/*/seal_number", STR),
        opt("evidence/*/custody/*/purpose", STR),
        opt("evidence/*/custody/*/attachment_sha256", STR),
        rule("evidence/*/custody/*/recorded_by", STR),
        later("evidence/*/custody/*/recorded_at", Int),
    ],
    &recorded!("evidence/*"),
    &[
        rule("interviews", Entries(Key::Any)),
        rule("interviews/*", Record),
        rule("interviews/*/person_id", STR),
        rule("interviews/*/stage", vocab(PeaceStage::VOCABULARY)),
        opt("interviews/*/planned_for", DATE),
        opt("interviews/*/venue", STR),
        opt("interviews/*/interpreter", STR),
        rule("interviews/*/interpreter_vetted", Bool),
        rule("interviews/*/consent_given", Bool),
        rule("interviews/*/child_track", Bool),
        rule("interviews/*/plan", Text),
        rule("interviews/*/plan/*", Char),
    ],
    &recorded!("interviews/*"),
    &[
        rule("tasks", Entries(Key::Any)),
        rule("tasks/*", Record),
        rule("tasks/*/title", STR),
        opt("tasks/*/assignee", STR),
        opt("tasks/*/due", DATE),
        opt("tasks/*/stage", vocab(Stage::VOCABULARY)),
        rule("tasks/*/done", Bool),
    ],
    &recorded!("tasks/*"),
    &[
        rule("timeline", Entries(Key::Any)),
        rule("timeline/*", Record),
        rule("timeline/*/kind", vocab(EventKind::VOCABULARY)),
        opt("timeline/*/date", DATE),
        rule("timeline/*/place", STR),
        opt("timeline/*/country", STR),
        rule("timeline/*/description", STR),
        rule("timeline/*/person_ids", List),
        rule("timeline/*/person_ids/*", STR),
        later("timeline/*/latitude_microdeg", IntIn(-MAX_LATITUDE, MAX_LATITUDE)),
        later("timeline/*/longitude_microdeg", IntIn(-MAX_LONGITUDE, MAX_LONGITUDE)),
        later("timeline/*/crosses_border", Bool),
        later("timeline/*/border_point", STR),
        later("timeline/*/transport", vocab(TransportMode::VOCABULARY)),
    ],
    &recorded!("timeline/*"),
    &[
        rule("referrals", Entries(Key::Any)),
        rule("referrals/*", Record),
        rule("referrals/*/person_id", STR),
        rule("referrals/*/direction", vocab(ReferralDirection::VOCABULARY)),
        rule("referrals/*/organisation", STR),
        opt("referrals/*/date", DATE),
        rule("referrals/*/reason", STR),
        opt("referrals/*/outcome", STR),
    ],
    &recorded!("referrals/*"),
    &[
        later("referrals/*/organisation_type", vocab(OrganisationType::VOCABULARY)),
        later("referrals/*/htcds_reason", vocab(ReferralReason::VOCABULARY)),
        later("referrals/*/status", vocab(ReferralStatus::VOCABULARY)),
        later_value("referrals/*/consent_given", Bool),
        later("referrals/*/consent_date", DATE),
    ],
    &[
        rule("risks", Entries(Key::Any)),
        rule("risks/*", Record),
        rule("risks/*/subject", vocab(RiskSubject::VOCABULARY)),
        opt("risks/*/person_id", STR),
        rule("risks/*/threat", STR),
        opt("risks/*/threat_source", STR),
        rule("risks/*/severity", Uint),
        rule("risks/*/likelihood", Uint),
        rule("risks/*/mitigation", STR),
        opt("risks/*/review_on", DATE),
    ],
    &recorded!("risks/*"),
    &[
        rule("notes", Entries(Key::Any)),
        rule("notes/*", Record),
        rule("notes/*/body", Text),
        rule("notes/*/body/*", Char),
    ],
    &recorded!("notes/*"),
    &[
        // A checklist's key names its template, and for a person's the
        // person: `<template-id>` or `<template-id>~<person-id>`.
        rule("checklists", Entries(Key::Checklist)),
        rule("checklists/*", Record),
        rule("checklists/*/template_id", Expect::Str(Form::TemplateOfKey(1))),
        rule("checklists/*/version", Uint),
        rule("checklists/*/items", Entries(Key::Kebab)),
        rule("checklists/*/items/*", Record),
        rule("checklists/*/items/*/status", vocab(ItemStatus::VOCABULARY)),
        opt("checklists/*/items/*/reason", STR),
        opt("checklists/*/items/*/note", STR),
        rule("checklists/*/items/*/evidence_ids", List),
        rule("checklists/*/items/*/evidence_ids/*", STR),
        rule("checklists/*/items/*/interview_ids", List),
        rule("checklists/*/items/*/interview_ids/*", STR),
        rule("checklists/*/items/*/by", STR),
        rule("checklists/*/items/*/at", Int),
        rule("checklists/*/signoffs", Entries(Key::Kebab)),
        rule("checklists/*/signoffs/*", Record),
        rule("checklists/*/signoffs/*/role", vocab(Role::VOCABULARY)),
        rule("checklists/*/signoffs/*/status", vocab(ItemStatus::VOCABULARY)),
        rule("checklists/*/signoffs/*/by", STR),
        rule("checklists/*/signoffs/*/at", Int),

        rule("review", Entries(Key::Any)),
        rule("review/*", Record),
        rule("review/*/kind", vocab(ReviewKind::VOCABULARY)),
        opt("review/*/stage", vocab(Stage::VOCABULARY)),
        rule("review/*/text", STR),
        rule("review/*/by", STR),
        rule("review/*/at", Int),
        later("review/*/withdraws", Record),
        opt("review/*/withdraws/review_id", STR),
        opt("review/*/withdraws/template_id", STR),
        opt("review/*/withdraws/item_id", STR),
        rule("review/*/withdraws/signed_at", Int),
        later("review/*/qualification", Record),
        rule("review/*/qualification/agrees", Bool),
        rule("review/*/qualification/articles", Entries(Key::Any)),
        rule("review/*/qualification/articles/*", Record),
        rule("review/*/qualification/articles/*/jurisdiction", STR),
        rule("review/*/qualification/articles/*/code_year", Uint),
        rule("review/*/qualification/articles/*/article", STR),
        later("review/*/qualification/articles/*/part", STR),
        later("review/*/qualification/articles/*/paragraph", STR),
        later("review/*/qualification/articles/*/in_force_from", DATE),

        rule("approvals", Entries(Key::Any)),
        rule("approvals/*", Record),
        opt("approvals/*/stage", vocab(Stage::VOCABULARY)),
        rule("approvals/*/subject", STR),
        rule("approvals/*/decision", vocab(Decision::VOCABULARY)),
        opt("approvals/*/comment", STR),
        rule("approvals/*/by", STR),
        rule("approvals/*/at", Int),

        later_collection("links"),
        rule("links/*", Record),
        rule("links/*/case_id", STR),
        rule("links/*/reference", STR),
        rule("links/*/relation", vocab(CaseLinkKind::VOCABULARY)),
        opt("links/*/note", STR),
    ],
    &recorded!("links/*"),
    &[
        later_collection("international_requests"),
        rule("international_requests/*", Record),
        rule("international_requests/*/kind", vocab(RequestKind::VOCABULARY)),
        opt("international_requests/*/notice", vocab(NoticeColour::VOCABULARY)),
        rule("international_requests/*/requested_state", Expect::Str(Form::Country)),
        rule("international_requests/*/legal_basis", vocab(LegalBasis::VOCABULARY)),
        opt("international_requests/*/central_authority", STR),
        rule("international_requests/*/subject", STR),
        opt("international_requests/*/sent_on", DATE),
        opt("international_requests/*/deadline", DATE),
        rule("international_requests/*/status", vocab(RequestStatus::VOCABULARY)),
        opt("international_requests/*/response_on", DATE),
    ],
    &recorded!("international_requests/*"),
    &[
        later_collection("identifiers"),
        rule("identifiers/*", Record),
        rule("identifiers/*/kind", vocab(IdentifierKind::VOCABULARY)),
        rule("identifiers/*/value", STR),
        opt("identifiers/*/platform", STR),
        opt("identifiers/*/person_id", STR),
        opt("identifiers/*/source", STR),
        opt("identifiers/*/note", STR),
    ],
    &recorded!("identifiers/*"),
    &[
        later_collection("groups"),
        rule("groups/*", Record),
        rule("groups/*/name", STR),
        opt("groups/*/description", STR),
        rule("groups/*/members", Entries(Key::Any)),
        rule("groups/*/members/*", Record),
        rule("groups/*/members/*/role", vocab(GroupRole::VOCABULARY)),
        opt("groups/*/members/*/superior", STR),
        rule("groups/*/countries", List),
        rule("groups/*/countries/*", Expect::Str(Form::Country)),
    ],
    &recorded!("groups/*"),
    &[
        later_collection("procedural_decisions"),
        rule("procedural_decisions/*", Record),
        rule("procedural_decisions/*/person_id", STR),
        rule("procedural_decisions/*/status", vocab(ProceduralStatus::VOCABULARY)),
        rule("procedural_decisions/*/decided_on", DATE),
        opt("procedural_decisions/*/reference", STR),
    ],
    &recorded!("procedural_decisions/*"),
    &[
        later_collection("measures"),
        rule("measures/*", Record),
        rule("measures/*/person_id", STR),
        rule("measures/*/kind", vocab(MeasureKind::VOCABULARY)),
        opt("measures/*/ordered_by", STR),
        rule("measures/*/from", DATE),
        opt("measures/*/until", DATE),
        opt("measures/*/lifted_on", DATE),
    ],
    &recorded!("measures/*"),
    &[
        later_collection("charges"),
        rule("charges/*", Record),
        rule("charges/*/person_id", STR),
        rule("charges/*/article", Record),
        rule("charges/*/article/jurisdiction", Expect::Str(Form::Country)),
        rule("charges/*/article/code_year", Uint),
        rule("charges/*/article/article", STR),
        later("charges/*/article/part", Expect::Str(Form::Subdivision)),
        later("charges/*/article/paragraph", Expect::Str(Form::Subdivision)),
        later("charges/*/article/in_force_from", DATE),
        rule("charges/*/status", vocab(ChargeStatus::VOCABULARY)),
        opt("charges/*/brought_on", DATE),
        opt("charges/*/note", STR),
    ],
    &recorded!("charges/*"),
    &[
        later_collection("indictments"),
        rule("indictments/*", Record),
        rule("indictments/*/status", vocab(IndictmentStatus::VOCABULARY)),
        rule("indictments/*/defendants", List),
        rule("indictments/*/defendants/*", STR),
        rule("indictments/*/charges", List),
        rule("indictments/*/charges/*", STR),
        opt("indictments/*/signed_on", DATE),
        opt("indictments/*/approved_on", DATE),
        opt("indictments/*/court", STR),
        opt("indictments/*/sent_to_court_on", DATE),
        opt("indictments/*/note", STR),
    ],
    &recorded!("indictments/*"),
    &[
        later_collection("hearings"),
        rule("hearings/*", Record),
        rule("hearings/*/date", DATE),
        rule("hearings/*/court", STR),
        rule("hearings/*/kind", vocab(HearingKind::VOCABULARY)),
        rule("hearings/*/outcome", vocab(HearingOutcome::VOCABULARY)),
        rule("hearings/*/measures_granted", List),
        rule("hearings/*/measures_granted/*", vocab(ProtectiveMeasure::VOCABULARY)),
        rule("hearings/*/measures_refused", List),
        rule("hearings/*/measures_refused/*", vocab(ProtectiveMeasure::VOCABULARY)),
        rule("hearings/*/safety_reviewed", Bool),
        opt("hearings/*/next_date", DATE),
        opt("hearings/*/note", STR),
    ],
    &recorded!("hearings/*"),
    &[
        later_collection("verdicts"),
        rule("verdicts/*", Record),
        rule("verdicts/*/person_id", STR),
        rule("verdicts/*/date", DATE),
        rule("verdicts/*/court", STR),
        rule("verdicts/*/outcome", vocab(VerdictOutcome::VOCABULARY)),
        rule("verdicts/*/articles", List),
        rule("verdicts/*/articles/*", STR),
        opt("verdicts/*/sentence", STR),
        opt("verdicts/*/custodial_months", Uint),
        opt("verdicts/*/confiscation", STR),
        opt("verdicts/*/appeal", vocab(AppealStatus::VOCABULARY)),
        opt("verdicts/*/appeal_decided_on", DATE),
        opt("verdicts/*/in_force_on", DATE),
    ],
    &recorded!("verdicts/*"),
    &[
        later_collection("compensation"),
        rule("compensation/*", Record),
        rule("compensation/*/person_id", STR),
        rule("compensation/*/currency", Expect::Str(Form::Currency)),
        opt("compensation/*/claimed", Uint),
        opt("compensation/*/awarded", Uint),
        opt("compensation/*/paid", Uint),
        rule("compensation/*/status", vocab(CompensationStatus::VOCABULARY)),
        opt("compensation/*/note", STR),
    ],
    &recorded!("compensation/*"),
    // HTCDS fields of several values, added after records were made
    // (`crate::later_lists`): a list an older record lacks until it is
    // first written, never null.
    &[
        later_value("victims/*/recruitment_methods", List),
        rule("victims/*/recruitment_methods/*", vocab(RecruitmentMethod::VOCABULARY)),
        later_value("victims/*/citizenships", List),
        rule("victims/*/citizenships/*", Expect::Str(Form::Citizenship)),
        later_value("victims/*/sex_exploitation", List),
        rule("victims/*/sex_exploitation/*", vocab(SexualExploitationType::VOCABULARY)),
        later_value("victims/*/recruitment_websites", List),
        rule("victims/*/recruitment_websites/*", vocab(WebsiteOrApp::VOCABULARY)),
        later_value("victims/*/exploitation_websites", List),
        rule("victims/*/exploitation_websites/*", vocab(WebsiteOrApp::VOCABULARY)),
        later_value("suspects/*/citizenships", List),
        rule("suspects/*/citizenships/*", Expect::Str(Form::Citizenship)),
    ],
    &[
        later_collection("support"),
        rule("support/*", Record),
        rule("support/*/victim_id", STR),
        rule("support/*/kind", vocab(SupportType::VOCABULARY)),
        opt("support/*/provider", STR),
        opt("support/*/referral_id", STR),
        rule("support/*/status", vocab(SupportStatus::VOCABULARY)),
        opt("support/*/started_on", DATE),
        opt("support/*/ended_on", DATE),
        opt("support/*/note", STR),
    ],
    &recorded!("support/*"),
    &[
        later("victims/*/reflection_from", DATE),
        later("victims/*/reflection_until", DATE),
        later("victims/*/residence_decision", vocab(ResidenceDecision::VOCABULARY)),
        later("victims/*/residence_decided_on", DATE),
        later("victims/*/return_country", Expect::Str(Form::Country)),
        later("victims/*/reintegration_status", vocab(ReintegrationStatus::VOCABULARY)),
        later_value("victims/*/family_assessment_done", Bool),
        later("victims/*/family_assessment_on", DATE),
    ],
    &[
        later_collection("financial_flows"),
        rule("financial_flows/*", Record),
        rule("financial_flows/*/kind", vocab(FlowKind::VOCABULARY)),
        opt("financial_flows/*/from_person_id", STR),
        opt("financial_flows/*/from_party", STR),
        opt("financial_flows/*/to_person_id", STR),
        opt("financial_flows/*/to_party", STR),
        opt("financial_flows/*/institution", STR),
        opt("financial_flows/*/account", STR),
        opt("financial_flows/*/amount", Expect::Positive),
        opt("financial_flows/*/currency", Expect::Str(Form::Currency)),
        opt("financial_flows/*/date", DATE),
        rule("financial_flows/*/source", vocab(FlowSource::VOCABULARY)),
        rule("financial_flows/*/freeze", vocab(FreezeStatus::VOCABULARY)),
        opt("financial_flows/*/freeze_ordered_on", DATE),
        rule("financial_flows/*/evidence", List),
        rule("financial_flows/*/evidence/*", STR),
        opt("financial_flows/*/note", STR),
    ],
    &recorded!("financial_flows/*"),
];

/// The case document's table: the sections, one after another.
pub static CASE_RULES: &[Rule] = &join::<_, { rows_in(SECTIONS) }>(SECTIONS, rule("", Record));

/// The case document's schema, compiled once. The table is checked by the
/// test suite, so a failure here is a build defect, not bad input.
pub fn case() -> &'static Schema {
    static CASE: LazyLock<Schema> = LazyLock::new(|| {
        Schema::compile("case", CASE_RULES)
            .unwrap_or_else(|e| panic!("the case schema is invalid: {e}"))
    });
    &CASE
}
