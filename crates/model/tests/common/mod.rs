//! Builders shared by the model's integration tests.
#![allow(dead_code)]

use automerge::ActorId;
use caravan_model::*;

/// When the tests' edits are made (milliseconds since the epoch).
pub const AT: Millis = 1_767_000_000_000;

pub fn author(role: Role, member: &str) -> Author {
    Author {
        member: member.to_string(),
        role,
        at: AT,
    }
}

pub fn investigator() -> Author {
    author(Role::Investigator, "inv-1")
}

pub fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16])
}

pub fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

pub fn new_case() -> CaseDoc {
    CaseDoc::create(
        actor(1),
        NewCase {
            nonce: [1; 16],
            reference: "KZ-2026-0042".into(),
            title: "Almaty garment workshop".into(),
            jurisdiction: "KZ".into(),
        },
        &investigator(),
        catalog(),
    )
    .unwrap()
}

pub fn victim(pseudonym: &str, name: &str) -> Victim {
    Victim {
        identity: Identity {
            full_name: name.into(),
            ..Default::default()
        },
        pseudonym: pseudonym.into(),
        sex: Gender::Feminine,
        age_at_trafficking: Some(19),
        citizenship: Some("UZ".into()),
        languages: vec!["uzb".into(), "rus".into()],
        status: TraffickingStatus::PossibleVictimOfTrafficking,
        status_decided_by: None,
        exploitation: vec![Exploitation::ForcedLabour],
        control_methods: vec![ControlMethod::WithholdsDocuments],
        recruitment: Some(RecruitmentMethod::ThroughOnlineSocialNetworks),
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        forced_labour_industry: None,
        relationship_to_trafficker: None,
        recruitment_methods: Vec::new(),
        citizenships: Vec::new(),
        sex_exploitation: Vec::new(),
        recruitment_websites: Vec::new(),
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

pub fn evidence(label: &str) -> Evidence {
    Evidence {
        label: label.into(),
        kind: EvidenceKind::Phone,
        description: "Seized at the workshop".into(),
        seized_at: Some(1),
        seized_by: Some("Det. Omarov".into()),
        seized_from: Some("supervisor's office".into()),
        location: Some("evidence room 2".into()),
        seal_number: Some("S-001".into()),
        attachment_sha256: None,
        attachment_name: None,
        attachment_type: None,
        attachment_size: None,
        custody: vec![],
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    }
}

pub fn custody(id: &str, to: &str) -> CustodyEntry {
    CustodyEntry {
        id: id.into(),
        from: "inv-1".into(),
        to: to.into(),
        at: AT,
        place: "Almaty".into(),
        seal_number: Some("S-001".into()),
        purpose: Some("forensic imaging".into()),
        attachment_sha256: None,
        recorded_by: "inv-1".into(),
        recorded_at: Some(AT),
    }
}

pub fn tick(template: &str, item: &str) -> Edit {
    Edit::SetItem {
        template_id: template.into(),
        item_id: item.into(),
        status: ItemStatus::Done,
        reason: None,
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    }
}

pub fn not_applicable(template: &str, item: &str, reason: Option<&str>) -> Edit {
    Edit::SetItem {
        template_id: template.into(),
        item_id: item.into(),
        status: ItemStatus::NotApplicable,
        reason: reason.map(Into::into),
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    }
}

pub fn insert(id: &str, record: Record) -> Edit {
    Edit::Insert {
        id: id.into(),
        record,
    }
}

/// Applies each row's edit to a fresh document from `seeded` and checks that
/// it is refused with the row's error code and leaves the document as it
/// was; a row is `(name, edit, author, code)`.
pub fn assert_all_refused<A: std::borrow::Borrow<Author>>(
    rows: Vec<(&str, Edit, A, &str)>,
    seeded: fn() -> CaseDoc,
) {
    let mut failures = Vec::new();
    for (name, edit, who, code) in rows {
        let mut doc = seeded();
        let before = doc.save();
        let heads = doc.heads();
        match doc.apply(edit, who.borrow(), catalog()) {
            Ok(_) => failures.push(format!("{name}: was accepted")),
            Err(e) if e.code() != code => {
                failures.push(format!("{name}: expected {code}, got {} ({e})", e.code()))
            }
            Err(_) => {}
        }
        if doc.heads() != heads || doc.save() != before {
            failures.push(format!("{name}: the document changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The victim most tests record, and whose checklists they work.
pub const P1: &str = "p1";

/// The key of `template`'s checklist for `person`.
pub fn key_for(template: &str, person: &str) -> String {
    checklist::checklist_key(template, Some(person))
}

/// Records a victim under `id` and starts their per-victim checklists of
/// the stages a new case needs them for.
pub fn add_victim(doc: &mut CaseDoc, id: &str) {
    doc.apply(
        insert(id, Record::Victim(victim(&format!("V-{id}"), "Name"))),
        &investigator(),
        catalog(),
    )
    .unwrap();
    for t in catalog()
        .latest_all()
        .into_iter()
        .filter(|t| t.is_per_person() && t.is_default())
    {
        doc.apply(
            Edit::StartPersonChecklist {
                template_id: t.id.clone(),
                version: t.version,
                person_id: id.into(),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
}

/// A new case with victim [`P1`] and their checklists started.
pub fn new_case_with_victim() -> CaseDoc {
    let mut doc = new_case();
    add_victim(&mut doc, P1);
    doc
}

/// The required items of `template`'s latest version.
pub fn required_items(template: &str) -> Vec<String> {
    catalog()
        .latest(template)
        .unwrap()
        .items
        .iter()
        .filter(|i| i.required)
        .map(|i| i.id.clone())
        .collect()
}

/// One record of each kind of the court phase, as `by` makes it, under
/// the id it is inserted with: they name suspect `s1` and victim `v1`.
pub fn court_records(by: &Author) -> Vec<(&'static str, Record)> {
    let day = |s: &str| s.parse::<Date>().unwrap();
    let (at, member) = (by.at, by.member.clone());
    vec![
        (
            "pd1",
            Record::ProceduralDecision(ProceduralDecision {
                person_id: "s1".into(),
                status: ProceduralStatus::Accused,
                decided_on: day("2026-03-01"),
                reference: None,
                recorded_at: at,
                recorded_by: member.clone(),
            }),
        ),
        (
            "pm1",
            Record::Measure(PreventiveMeasure {
                person_id: "s1".into(),
                kind: MeasureKind::Detention,
                ordered_by: Some("Almaly district court".into()),
                from: day("2026-03-01"),
                until: Some(day("2026-05-01")),
                lifted_on: None,
                recorded_at: at,
                recorded_by: member.clone(),
            }),
        ),
        (
            "ch1",
            Record::Charge(Charge {
                person_id: "s1".into(),
                article: LegalArticle {
                    jurisdiction: "KZ".into(),
                    code_year: 2014,
                    article: "128".into(),
                    part: Some("3".into()),
                    paragraph: None,
                    in_force_from: None,
                },
                status: ChargeStatus::Brought,
                brought_on: Some(day("2026-03-02")),
                note: None,
                recorded_at: at,
                recorded_by: member.clone(),
            }),
        ),
        (
            "in1",
            Record::Indictment(Indictment {
                status: IndictmentStatus::Drafted,
                defendants: vec!["s1".into()],
                charges: vec!["ch1".into()],
                signed_on: None,
                approved_on: None,
                court: None,
                sent_to_court_on: None,
                note: None,
                recorded_at: at,
                recorded_by: member.clone(),
            }),
        ),
        (
            "he1",
            Record::Hearing(Hearing {
                date: day("2026-05-10"),
                court: "Almaty city court".into(),
                kind: HearingKind::Trial,
                outcome: HearingOutcome::Scheduled,
                measures_granted: vec![ProtectiveMeasure::VideoLink],
                measures_refused: vec![],
                safety_reviewed: true,
                next_date: None,
                note: None,
                recorded_at: at,
                recorded_by: member.clone(),
            }),
        ),
        (
            "vd1",
            Record::Verdict(Verdict {
                person_id: "s1".into(),
                date: day("2026-06-01"),
                court: "Almaty city court".into(),
                outcome: VerdictOutcome::Convicted,
                articles: vec!["KZ-2014-128:3".into()],
                sentence: Some("9 years".into()),
                custodial_months: Some(108),
                confiscation: None,
                appeal: None,
                appeal_decided_on: None,
                in_force_on: None,
                recorded_at: at,
                recorded_by: member.clone(),
            }),
        ),
        (
            "co1",
            Record::Compensation(Compensation {
                person_id: "v1".into(),
                currency: "KZT".into(),
                claimed: Some(3_000_000),
                awarded: None,
                paid: None,
                status: CompensationStatus::Claimed,
                note: None,
                recorded_at: at,
                recorded_by: member,
            }),
        ),
    ]
}

/// A service of victim `v1`'s support plan, as `by` records it.
pub fn support_service(by: &Author) -> Record {
    Record::Support(SupportService {
        victim_id: "v1".into(),
        kind: SupportType::Health,
        provider: Some("City hospital No. 4".into()),
        referral_id: None,
        status: SupportStatus::InProgress,
        started_on: Some("2026-03-01".parse().unwrap()),
        ended_on: None,
        note: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

/// A transfer from suspect `s1` to a company, frozen, as `by` records it.
pub fn financial_flow(by: &Author) -> FinancialFlow {
    FinancialFlow {
        kind: FlowKind::Transfer,
        from_person_id: Some("s1".into()),
        from_party: None,
        to_person_id: None,
        to_party: Some("Almaty Build LLP".into()),
        institution: Some("Kaspi Bank".into()),
        account: Some("KZ86125KZT5004100100".into()),
        amount: Some(450_000),
        currency: Some("KZT".into()),
        date: Some("2026-02-10".parse().unwrap()),
        source: FlowSource::BankRecords,
        freeze: FreezeStatus::Frozen,
        freeze_ordered_on: Some("2026-03-05".parse().unwrap()),
        evidence: vec![],
        note: Some("wages of V-1".into()),
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    }
}

/// Sets field `path` (`tasks/t1/title`) to `value`.
pub fn set(path: &str, value: Scalar) -> Edit {
    Edit::Set {
        path: path.parse().unwrap(),
        value,
    }
}

/// A new case with the people the court records name: victim `v1` (with
/// their checklists) and suspect `s1`.
pub fn with_parties() -> CaseDoc {
    let mut doc = new_case();
    add_victim(&mut doc, "v1");
    let suspect = Suspect {
        identity: Identity {
            full_name: "Suspect Name".into(),
            ..Default::default()
        },
        pseudonym: "S-1".into(),
        roles: vec![PerpetratorRole::Exploiter],
        citizenship: None,
        public_official: false,
        citizenships: Vec::new(),
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    };
    doc.apply(
        insert("s1", Record::Suspect(suspect)),
        &investigator(),
        catalog(),
    )
    .unwrap();
    doc
}

/// A case with its parties ([`with_parties`]) holding one record of each
/// kind of the court phase ([`court_records`]), made by an investigator.
pub fn with_court_records() -> CaseDoc {
    let mut doc = with_parties();
    for (id, r) in court_records(&investigator()) {
        doc.apply(insert(id, r), &investigator(), catalog())
            .unwrap();
    }
    doc
}

/// `a` merged with `b` and `b` merged with `a`, on devices of their own:
/// both must read the same.
pub fn merged_both_ways(a: &CaseDoc, b: &CaseDoc) -> [CaseDoc; 2] {
    let mut ab = a.clone().fork(actor(0xC));
    ab.merge(&mut b.clone()).unwrap();
    let mut ba = b.clone().fork(actor(0xD));
    ba.merge(&mut a.clone()).unwrap();
    [ab, ba]
}
