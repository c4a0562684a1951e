//! Builders of cases for the tests, and readers of the files.
#![allow(dead_code)]

use caravan_htcds::{Export, Options, export};
use caravan_model::vocab::*;
use caravan_model::*;

/// 2026-03-15 (UTC), in milliseconds.
pub const CREATED: Millis = 1_773_532_800_000;

pub fn base() -> Case {
    CaseDoc::create(
        automerge::ActorId::from([1u8; 16]),
        NewCase {
            nonce: [1; 16],
            reference: "KZ-2026-0001".into(),
            title: "A case".into(),
            jurisdiction: "KZ".into(),
        },
        &Author {
            member: "member-1".into(),
            role: Role::Investigator,
            at: CREATED,
        },
        Catalog::builtin(),
    )
    .unwrap()
    .case()
    .unwrap()
}

pub fn victim() -> Victim {
    Victim {
        identity: Identity::default(),
        pseudonym: "V-1".into(),
        sex: Gender::Feminine,
        age_at_trafficking: Some(19),
        citizenship: None,
        languages: vec!["uzb".into()],
        status: TraffickingStatus::ActualVictimOfTrafficking,
        status_decided_by: Some(StatusDecidedBy::Police),
        exploitation: vec![Exploitation::ForcedLabour],
        control_methods: vec![
            ControlMethod::WithholdsDocuments,
            ControlMethod::DebtBondage,
        ],
        recruitment: None,
        recorded_at: CREATED,
        recorded_by: "member-1".into(),
        forced_labour_industry: Some(ForcedLabourIndustry::Construction),
        relationship_to_trafficker: Some(RelationshipToTrafficker::Acquainted),
        recruitment_methods: vec![RecruitmentMethod::ThroughOnlineSocialNetworks],
        citizenships: vec!["UZ".into()],
        sex_exploitation: Vec::new(),
        recruitment_websites: vec![WebsiteOrApp::Telegram],
        exploitation_websites: Vec::new(),
        reflection_from: None,
        reflection_until: None,
        residence_decision: None,
        residence_decided_on: None,
        return_country: None,
        reintegration_status: None,
        family_assessment_done: false,
        family_assessment_on: None,
    }
}

pub fn suspect() -> Suspect {
    Suspect {
        identity: Identity::default(),
        pseudonym: "S-1".into(),
        roles: vec![PerpetratorRole::RecruiterOrIntermediary],
        citizenship: None,
        recorded_at: CREATED,
        recorded_by: "member-1".into(),
        public_official: false,
        citizenships: vec!["KZ".into()],
    }
}

pub fn event(kind: EventKind, country: &str, people: &[&str]) -> TimelineEvent {
    TimelineEvent {
        kind,
        date: Some("2025-11-02".parse().unwrap()),
        place: "a village".into(),
        country: Some(country.into()),
        description: "what happened".into(),
        person_ids: people.iter().map(|p| p.to_string()).collect(),
        recorded_at: CREATED,
        recorded_by: "member-1".into(),
        latitude_microdeg: None,
        longitude_microdeg: None,
        crosses_border: None,
        border_point: None,
        transport: None,
    }
}

/// A case holding `n` victims made by `make` (given their number).
pub fn case_of(n: usize, make: impl Fn(usize) -> Victim) -> Case {
    let mut c = base();
    for i in 0..n {
        c.victims.insert(format!("v{i}"), make(i));
    }
    c
}

pub fn run(cases: &[Case], k: u32) -> Export {
    export(cases, &Options { k })
}

/// A file of the export, by name.
pub fn file(e: &Export, name: &str) -> Vec<u8> {
    e.files()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no file {name}"))
        .bytes
}

/// The rows of a JSON table, as objects.
pub fn json_rows(e: &Export, name: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let v: serde_json::Value = serde_json::from_slice(&file(e, name)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_object().unwrap().clone())
        .collect()
}

/// The lines of a CSV file, split into cells (the export quotes nothing
/// it writes: no value holds a comma).
pub fn csv_rows(e: &Export, name: &str) -> Vec<Vec<String>> {
    let text = String::from_utf8(file(e, name)).unwrap();
    assert!(text.ends_with("\r\n"), "{name}: lines end with CRLF");
    text.split_terminator("\r\n")
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}
