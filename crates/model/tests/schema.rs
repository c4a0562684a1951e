//! The case schema: a fully populated case passes it write by write, every
//! path of that case has a rule (and every rule a path), and wrong types,
//! vocabulary names and incomplete records are refused.

use std::collections::{BTreeMap, HashMap};

use automerge::legacy::{Key as OpKey, ObjectId, OpId, OpType};
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::Text;
use caravan_model::schema::{self, BadValue, Expect, Written};
use caravan_model::*;

use crate::common::*;

fn map<V>(entries: impl IntoIterator<Item = (&'static str, V)>) -> BTreeMap<String, V> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// One entry for each value of a vocabulary, keyed `{prefix}{index}`.
fn one_each<T, R>(all: &[T], prefix: &str, make: impl Fn(usize, &T) -> R) -> BTreeMap<String, R> {
    all.iter()
        .enumerate()
        .map(|(i, value)| (format!("{prefix}{i}"), make(i, value)))
        .collect()
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn identity(name: &str) -> Identity {
    Identity {
        full_name: name.into(),
        other_names: Some("also known as".into()),
        birth_date: Some(date("1999-02-28")),
        document_numbers: Some("N 0001".into()),
        contact: Some("+7 700 000 0000".into()),
        address: Some("Almaty".into()),
    }
}

/// A case with every `Option` set, every collection non-empty, every kind of
/// record, and every value of every vocabulary somewhere.
fn sample_case() -> Case {
    let at = 1_767_000_000_000;
    let stages = Stage::ALL
        .iter()
        .zip(StageStatus::ALL.iter().cycle())
        .map(|(s, status)| {
            (
                s.id().to_string(),
                StageState {
                    status: *status,
                    opened_at: Some(at),
                    closed_at: Some(at + 1),
                },
            )
        })
        .collect();
    let victims = Gender::ALL
        .iter()
        .enumerate()
        .map(|(i, sex)| {
            (
                format!("v{i}"),
                Victim {
                    identity: identity("Victim"),
                    pseudonym: format!("V-{i}"),
                    sex: *sex,
                    age_at_trafficking: Some(17),
                    citizenship: Some("UZ".into()),
                    languages: vec!["uzb".into(), "rus".into()],
                    status: TraffickingStatus::ALL[i % TraffickingStatus::ALL.len()],
                    status_decided_by: Some(StatusDecidedBy::ALL[i % StatusDecidedBy::ALL.len()]),
                    exploitation: Exploitation::ALL.to_vec(),
                    control_methods: ControlMethod::ALL.to_vec(),
                    recruitment: Some(RecruitmentMethod::ALL[i % RecruitmentMethod::ALL.len()]),
                    recorded_at: at,
                    recorded_by: "inv-1".into(),
                    forced_labour_industry: Some(
                        ForcedLabourIndustry::ALL[i % ForcedLabourIndustry::ALL.len()],
                    ),
                    relationship_to_trafficker: Some(
                        RelationshipToTrafficker::ALL[i % RelationshipToTrafficker::ALL.len()],
                    ),
                    recruitment_methods: vec![
                        RecruitmentMethod::ALL[i % RecruitmentMethod::ALL.len()],
                    ],
                    citizenships: vec!["UZ".into(), "KZ".into()],
                    sex_exploitation: SexualExploitationType::ALL.to_vec(),
                    recruitment_websites: WebsiteOrApp::ALL.to_vec(),
                    exploitation_websites: vec![WebsiteOrApp::Telegram],
                    reflection_from: Some(date("2026-02-01")),
                    reflection_until: Some(date("2026-03-02")),
                    residence_decision: Some(
                        ResidenceDecision::ALL[i % ResidenceDecision::ALL.len()],
                    ),
                    residence_decided_on: Some(date("2026-03-01")),
                    return_country: Some("UZ".into()),
                    reintegration_status: Some(
                        ReintegrationStatus::ALL[i % ReintegrationStatus::ALL.len()],
                    ),
                    family_assessment_done: true,
                    family_assessment_on: Some(date("2026-02-20")),
                },
            )
        })
        .chain(
            // The vocabularies longer than the victims.
            StatusDecidedBy::ALL
                .iter()
                .zip(RecruitmentMethod::ALL.iter().cycle())
                .enumerate()
                .map(|(i, (by, how))| {
                    (
                        format!("w{i}"),
                        Victim {
                            identity: identity("Another"),
                            pseudonym: format!("W-{i}"),
                            sex: Gender::NonSpecifiedUnknown,
                            age_at_trafficking: Some(30),
                            citizenship: Some("KG".into()),
                            languages: vec!["kir".into()],
                            status: TraffickingStatus::ActualVictimOfTrafficking,
                            status_decided_by: Some(*by),
                            exploitation: vec![Exploitation::Other],
                            control_methods: vec![ControlMethod::Other],
                            recruitment: Some(*how),
                            recorded_at: at,
                            recorded_by: "inv-1".into(),
                            forced_labour_industry: Some(ForcedLabourIndustry::Construction),
                            relationship_to_trafficker: Some(RelationshipToTrafficker::Acquainted),
                            recruitment_methods: Vec::new(),
                            citizenships: Vec::new(),
                            sex_exploitation: Vec::new(),
                            recruitment_websites: Vec::new(),
                            exploitation_websites: Vec::new(),
                            reflection_from: Some(date("2026-02-01")),
                            reflection_until: Some(date("2026-03-02")),
                            residence_decision: Some(ResidenceDecision::Pending),
                            residence_decided_on: Some(date("2026-03-01")),
                            return_country: Some("KG".into()),
                            reintegration_status: Some(ReintegrationStatus::NotStarted),
                            family_assessment_done: false,
                            family_assessment_on: Some(date("2026-02-20")),
                        },
                    )
                }),
        )
        .chain(RecruitmentMethod::ALL.iter().enumerate().map(|(i, how)| {
            (
                format!("r{i}"),
                Victim {
                    identity: identity("Recruited"),
                    pseudonym: format!("R-{i}"),
                    sex: Gender::Feminine,
                    age_at_trafficking: Some(22),
                    citizenship: Some("TJ".into()),
                    languages: vec!["tgk".into()],
                    status: TraffickingStatus::PossibleVictimOfTrafficking,
                    status_decided_by: Some(StatusDecidedBy::NGO),
                    exploitation: vec![Exploitation::ForcedLabour],
                    control_methods: vec![ControlMethod::DebtBondage],
                    recruitment: Some(*how),
                    recorded_at: at,
                    recorded_by: "inv-1".into(),
                    forced_labour_industry: Some(ForcedLabourIndustry::Construction),
                    relationship_to_trafficker: Some(RelationshipToTrafficker::Acquainted),
                    recruitment_methods: Vec::new(),
                    citizenships: Vec::new(),
                    sex_exploitation: Vec::new(),
                    recruitment_websites: Vec::new(),
                    exploitation_websites: Vec::new(),
                    reflection_from: Some(date("2026-02-01")),
                    reflection_until: Some(date("2026-03-02")),
                    residence_decision: Some(ResidenceDecision::Pending),
                    residence_decided_on: Some(date("2026-03-01")),
                    return_country: Some("KG".into()),
                    reintegration_status: Some(ReintegrationStatus::NotStarted),
                    family_assessment_done: false,
                    family_assessment_on: Some(date("2026-02-20")),
                },
            )
        }))
        .collect();
    let custody = |id: &str| CustodyEntry {
        id: id.into(),
        from: "Officer".into(),
        to: "Evidence room".into(),
        at,
        place: "Almaty".into(),
        seal_number: Some("S-1".into()),
        purpose: Some("storage".into()),
        attachment_sha256: Some("ab".repeat(32)),
        recorded_by: "inv-1".into(),
        recorded_at: Some(at),
    };
    let evidence = one_each(EvidenceKind::ALL, "e", |i, kind| Evidence {
        label: format!("Item {i}"),
        kind: *kind,
        description: "seized".into(),
        seized_at: Some(at),
        seized_by: Some("Officer".into()),
        seized_from: Some("office".into()),
        location: Some("room 2".into()),
        seal_number: Some("S-1".into()),
        attachment_sha256: Some("cd".repeat(32)),
        attachment_name: Some("scan.pdf".into()),
        attachment_type: Some("application/pdf".into()),
        attachment_size: Some(1234),
        custody: vec![custody("k1"), custody("k2")],
        recorded_at: at,
        recorded_by: "inv-1".into(),
    });
    let interviews = one_each(PeaceStage::ALL, "i", |_, stage| Interview {
        person_id: "v0".into(),
        stage: *stage,
        planned_for: Some(date("2026-03-01")),
        venue: Some("safe room".into()),
        interpreter: Some("Interpreter".into()),
        interpreter_vetted: true,
        consent_given: true,
        child_track: false,
        plan: Text::with_value("Open questions first."),
        recorded_at: at,
        recorded_by: "inv-1".into(),
    });
    let tasks = one_each(Stage::ALL, "t", |i, stage| Task {
        title: "Request bank records".into(),
        assignee: Some("inv-1".into()),
        due: Some(date("2026-04-30")),
        stage: Some(*stage),
        done: i % 2 == 0,
        recorded_at: at,
        recorded_by: "sup-1".into(),
    });
    let timeline = one_each(EventKind::ALL, "ev", |_, kind| TimelineEvent {
        kind: *kind,
        date: Some(date("2025-11-01")),
        place: "Tashkent".into(),
        country: Some("UZ".into()),
        description: "bus to Almaty".into(),
        person_ids: vec!["v0".into(), "s0".into()],
        recorded_at: at,
        recorded_by: "inv-1".into(),
        latitude_microdeg: Some(41_299_496),
        longitude_microdeg: Some(69_240_073),
        crosses_border: Some(true),
        border_point: Some("Zhibek Zholy".into()),
        transport: Some(TransportMode::ALL[kind.id().len() % TransportMode::ALL.len()]),
    });
    let referrals = one_each(ReferralDirection::ALL, "rf", |_, direction| Referral {
        person_id: "v0".into(),
        direction: *direction,
        organisation: "Shelter".into(),
        date: Some(date("2026-01-10")),
        reason: "housing".into(),
        outcome: Some("accepted".into()),
        recorded_at: at,
        recorded_by: "inv-1".into(),
        organisation_type: Some(OrganisationType::Shelter),
        htcds_reason: Some(ReferralReason::AdditionalServicesRequired),
        status: Some(ReferralStatus::Accepted),
        consent_given: true,
        consent_date: Some(date("2026-01-09")),
    });
    let risks = one_each(RiskSubject::ALL, "rk", |_, subject| RiskAssessment {
        subject: *subject,
        person_id: Some("v0".into()),
        threat: "retaliation".into(),
        threat_source: Some("recruiter".into()),
        severity: 4,
        likelihood: 3,
        mitigation: "relocation".into(),
        review_on: Some(date("2026-02-01")),
        recorded_at: at,
        recorded_by: "inv-1".into(),
    });
    let items = one_each(ItemStatus::ALL, "item-", |_, status| ItemState {
        status: *status,
        reason: Some("no phone was found".into()),
        note: Some("checked twice".into()),
        evidence_ids: vec!["e0".into()],
        interview_ids: vec!["i0".into()],
        by: "inv-1".into(),
        at,
    });
    let signoffs: BTreeMap<String, SignOff> = Role::ALL
        .iter()
        .zip(ItemStatus::ALL.iter().cycle())
        .enumerate()
        .map(|(i, (role, status))| {
            (
                format!("item-{i}"),
                SignOff {
                    role: *role,
                    status: *status,
                    by: "pro-1".into(),
                    at,
                },
            )
        })
        .collect();
    let review = one_each(ReviewKind::ALL, "rv", |_, kind| ReviewItem {
        kind: *kind,
        stage: Some(Stage::ProsecutionReview),
        text: "charges hold".into(),
        by: "pro-1".into(),
        at,
        // A withdrawal names the sign-off it withdraws; the others none.
        withdraws: (*kind == ReviewKind::Withdrawal).then(|| SignOffRef {
            review_id: Some("rv-2".into()),
            template_id: Some("prosecution-review".into()),
            item_id: Some("act-proven".into()),
            signed_at: at,
        }),
        // A prosecutor's position on the qualification is a comment's.
        qualification: (*kind == ReviewKind::Comment).then(|| QualificationOpinion {
            agrees: false,
            articles: [(
                "KZ-2014-135:2:1".to_string(),
                LegalArticle {
                    jurisdiction: "KZ".into(),
                    code_year: 2014,
                    article: "135".into(),
                    part: Some("2".into()),
                    paragraph: Some("1".into()),
                    in_force_from: Some("2015-01-01".parse().unwrap()),
                },
            )]
            .into_iter()
            .collect(),
        }),
    });
    let approvals = one_each(Decision::ALL, "ap", |_, decision| Approval {
        stage: Some(Stage::Intake),
        subject: "intake gate".into(),
        decision: *decision,
        comment: Some("as discussed".into()),
        by: "sup-1".into(),
        at,
    });
    let article = LegalArticle {
        jurisdiction: "KZ".into(),
        code_year: 2014,
        article: "128".into(),
        part: Some("3".into()),
        paragraph: Some("2".into()),
        in_force_from: Some("2015-01-01".parse().unwrap()),
    };
    Case {
        schema: CASE_SCHEMA,
        header: CaseHeader {
            reference: "KZ-2026-0042".into(),
            title: "Almaty garment workshop".into(),
            jurisdiction: "KZ".into(),
            qualification: [(article.key(), article)].into_iter().collect(),
            status: CaseStatus::Active,
            created_at: at,
            created_by: "inv-1".into(),
            registry_number: Some("261500031000123".into()),
        },
        narrative: Text::with_value("Eleven workers were found."),
        stages,
        assignment: Assignment {
            investigators: map([("inv-1", true), ("inv-2", false)]),
            prosecutor: Some("pro-1".into()),
            supervisor: Some("sup-1".into()),
        },
        victims,
        suspects: PerpetratorRole::ALL
            .iter()
            .enumerate()
            .map(|(i, role)| {
                (
                    format!("s{i}"),
                    Suspect {
                        identity: identity("Suspect"),
                        pseudonym: format!("S-{i}"),
                        roles: vec![*role, PerpetratorRole::Other],
                        citizenship: Some("KZ".into()),
                        recorded_at: at,
                        recorded_by: "inv-1".into(),
                        public_official: true,
                        citizenships: vec!["KZ".into(), later_lists::STATELESS.into()],
                    },
                )
            })
            .collect(),
        witnesses: map([(
            "w1",
            Witness {
                identity: identity("Witness"),
                pseudonym: "W-1".into(),
                relation: Some("neighbour".into()),
                recorded_at: at,
                recorded_by: "inv-1".into(),
            },
        )]),
        evidence,
        interviews,
        tasks,
        timeline,
        referrals,
        risks,
        notes: map([(
            "n1",
            Note {
                body: Text::with_value("Call back on Monday."),
                recorded_at: at,
                recorded_by: "inv-1".into(),
            },
        )]),
        // A case-wide instance, as older cases hold, and a victim's own.
        checklists: map([
            (
                "initial-actions",
                ChecklistInstance {
                    template_id: "initial-actions".into(),
                    version: 1,
                    items: items.clone(),
                    signoffs: signoffs.clone(),
                },
            ),
            (
                "initial-actions~v1",
                ChecklistInstance {
                    template_id: "initial-actions".into(),
                    version: 2,
                    items,
                    signoffs,
                },
            ),
        ]),
        review,
        approvals,
        links: one_each(CaseLinkKind::ALL, "ln", |i, relation| CaseLink {
            case_id: format!("c{i}"),
            reference: format!("KZ-2026-{i:04}"),
            relation: *relation,
            note: Some(format!("same phone number {i}")),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        international_requests: one_each(RequestKind::ALL, "ir", |i, kind| InternationalRequest {
            kind: *kind,
            notice: Some(NoticeColour::ALL[i % NoticeColour::ALL.len()]),
            requested_state: "UZ".into(),
            legal_basis: LegalBasis::ALL[i % LegalBasis::ALL.len()],
            central_authority: Some("Prosecutor General's Office".into()),
            subject: format!("bank records {i}"),
            sent_on: Some(date("2026-02-01")),
            deadline: Some(date("2026-04-01")),
            status: RequestStatus::ALL[i % RequestStatus::ALL.len()],
            response_on: Some(date("2026-03-20")),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        identifiers: one_each(IdentifierKind::ALL, "id", |i, kind| Identifier {
            kind: *kind,
            value: format!("+7 701 000 00 0{i}"),
            platform: Some("Telegram".into()),
            person_id: Some("s0".into()),
            source: Some("seized phone".into()),
            note: Some("used to recruit".into()),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        groups: one_each(GroupRole::ALL, "g", |_, role| Group {
            name: "Osh network".into(),
            description: Some("moves workers to Kazakhstan".into()),
            members: [
                (
                    "s0".to_string(),
                    // Every optional field set: the sample is read by the
                    // schema only, which does not follow the hierarchy.
                    GroupMember {
                        role: GroupRole::Leader,
                        superior: Some("s2".into()),
                    },
                ),
                (
                    "s1".to_string(),
                    GroupMember {
                        role: *role,
                        superior: Some("s0".into()),
                    },
                ),
            ]
            .into_iter()
            .collect(),
            countries: vec!["KG".into(), "KZ".into()],
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        procedural_decisions: one_each(ProceduralStatus::ALL, "pd", |i, status| {
            ProceduralDecision {
                person_id: format!("s{i}"),
                status: *status,
                decided_on: date("2026-03-01"),
                reference: Some(format!("decision {i}")),
                recorded_at: at,
                recorded_by: "inv-1".into(),
            }
        }),
        measures: one_each(MeasureKind::ALL, "pm", |i, kind| PreventiveMeasure {
            person_id: format!("s{i}"),
            kind: *kind,
            ordered_by: Some("Almaly district court".into()),
            from: date("2026-03-01"),
            until: Some(date("2026-05-01")),
            lifted_on: Some(date("2026-04-01")),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        charges: one_each(ChargeStatus::ALL, "ch", |i, status| Charge {
            person_id: format!("s{i}"),
            article: LegalArticle {
                jurisdiction: "KZ".into(),
                code_year: 2014,
                article: "128".into(),
                part: Some("3".into()),
                paragraph: Some("2".into()),
                in_force_from: Some(date("2015-01-01")),
            },
            status: *status,
            brought_on: Some(date("2026-03-10")),
            note: Some("per the expert's report".into()),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        indictments: one_each(IndictmentStatus::ALL, "in", |i, status| Indictment {
            status: *status,
            defendants: vec![format!("s{i}")],
            charges: vec!["ch0".into()],
            signed_on: Some(date("2026-04-01")),
            approved_on: Some(date("2026-04-05")),
            court: Some("Almaty city court".into()),
            sent_to_court_on: Some(date("2026-04-06")),
            note: Some("volume 3".into()),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        hearings: one_each(HearingKind::ALL, "he", |i, kind| Hearing {
            date: date("2026-05-01"),
            court: "Almaty city court".into(),
            kind: *kind,
            outcome: HearingOutcome::ALL[i % HearingOutcome::ALL.len()],
            measures_granted: ProtectiveMeasure::ALL[1..].to_vec(),
            measures_refused: ProtectiveMeasure::ALL[..1].to_vec(),
            safety_reviewed: i % 2 == 0,
            next_date: Some(date("2026-05-15")),
            note: Some("the victim testified by video link".into()),
            recorded_at: at,
            recorded_by: "pro-1".into(),
        }),
        verdicts: one_each(VerdictOutcome::ALL, "vd", |i, outcome| Verdict {
            person_id: format!("s{i}"),
            date: date("2026-06-01"),
            court: "Almaty city court".into(),
            outcome: *outcome,
            articles: vec!["KZ-2014-128:3:2".into()],
            sentence: Some("9 years".into()),
            custodial_months: Some(108),
            confiscation: Some("the workshop's premises".into()),
            appeal: Some(AppealStatus::ALL[i % AppealStatus::ALL.len()]),
            appeal_decided_on: Some(date("2026-08-01")),
            in_force_on: Some(date("2026-08-01")),
            recorded_at: at,
            recorded_by: "pro-1".into(),
        }),
        compensation: one_each(CompensationStatus::ALL, "co", |i, status| Compensation {
            person_id: format!("v{i}"),
            currency: "KZT".into(),
            claimed: Some(3_000_000),
            awarded: Some(2_000_000),
            paid: Some(500_000),
            status: *status,
            note: Some("civil claim in the criminal case".into()),
            recorded_at: at,
            recorded_by: "pro-1".into(),
        }),
        support: one_each(SupportType::ALL, "sp", |i, kind| SupportService {
            victim_id: format!("v{}", i % Gender::ALL.len()),
            kind: *kind,
            provider: Some("Sana Sezim crisis centre".into()),
            referral_id: Some("rf0".into()),
            status: SupportStatus::ALL[i % SupportStatus::ALL.len()],
            started_on: Some(date("2026-02-01")),
            ended_on: Some(date("2026-04-01")),
            note: Some("shelter and counselling".into()),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
        financial_flows: one_each(FlowKind::ALL, "ff", |i, kind| FinancialFlow {
            kind: *kind,
            // Every field set, so that every path holds a value; an honest
            // device names a side once (see the model's finance tests).
            from_person_id: Some("s0".into()),
            from_party: Some("Almaty Build LLP".into()),
            to_person_id: Some("v0".into()),
            to_party: Some(format!("{kind} recipient")),
            institution: Some("Kaspi Bank".into()),
            account: Some(format!("KZ86125KZT500410010{i}")),
            amount: Some(450_000),
            currency: Some("KZT".into()),
            date: Some(date("2026-02-10")),
            source: FlowSource::ALL[i % FlowSource::ALL.len()],
            freeze: FreezeStatus::ALL[i % FreezeStatus::ALL.len()],
            freeze_ordered_on: Some(date("2026-03-05")),
            evidence: vec!["e0".into()],
            note: Some("wages of V-1".into()),
            recorded_at: at,
            recorded_by: "inv-1".into(),
        }),
    }
}

/// One write of a change: its path, what it writes, and the write that
/// made the object it writes into (if the change made it).
type W = (DocPath, Written, Option<usize>);

/// The writes of a document's first change (every object it writes into
/// is the root or one it makes).
fn first_change_writes(change: &automerge::Change) -> Vec<W> {
    let e = change.decode();
    let start = e.start_op.get();
    let mut made: HashMap<OpId, (DocPath, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (i, op) in e.operations.into_iter().enumerate() {
        let (parent, into) = match &op.obj {
            ObjectId::Root => (DocPath::root(), None),
            ObjectId::Id(id) => {
                let (p, w) = &made[id];
                (p.clone(), Some(*w))
            }
        };
        let path = parent.child(match &op.key {
            OpKey::Map(k) => Seg::Key(k.to_string()),
            OpKey::Seq(_) => Seg::Index(0),
        });
        let written = match op.action {
            OpType::Make(t) => {
                made.insert(OpId::new(start + i as u64, &e.actor_id), (path.clone(), i));
                Written::Make(t)
            }
            OpType::Put(v) => Written::Put(v),
            OpType::Delete => Written::Delete,
            OpType::Increment(_) => Written::Increment,
            OpType::MarkBegin(_) | OpType::MarkEnd(_) => Written::Mark,
        };
        out.push((path, written, into));
    }
    out
}

fn check_change(writes: &[W], first: bool) -> Result<(), BadValue> {
    let mut check = schema::case().change(first);
    for (i, (path, written, into)) in writes.iter().enumerate() {
        check.write(i, path, written, *into)?;
    }
    check.finish()
}

fn reconciled(case: &Case) -> AutoCommit {
    let mut doc = AutoCommit::new().with_actor(actor(1));
    autosurgeon::reconcile(&mut doc, case).unwrap();
    doc.commit();
    doc
}

#[test]
fn every_write_of_a_fully_populated_case_fits_the_schema() {
    let case = sample_case();
    let mut doc = reconciled(&case);
    let hydrated: Case = autosurgeon::hydrate(&doc).unwrap();
    assert_eq!(hydrated, case);
    let change = doc.get_last_local_change().unwrap().clone();
    let writes = first_change_writes(&change);
    assert!(writes.len() > 1_000, "{} writes", writes.len());
    if let Err(bad) = check_change(&writes, true) {
        panic!("{bad}");
    }
}

#[test]
fn the_first_change_of_a_new_case_fits_the_schema() {
    let mut doc = new_case();
    let change = doc.automerge_mut().get_last_local_change().unwrap().clone();
    assert!(change.deps().is_empty());
    check_change(&first_change_writes(&change), true).unwrap();
}

/// Every value of the document at and below `obj`, as (path, what it holds).
fn walk(
    doc: &AutoCommit,
    obj: &automerge::ObjId,
    here: &DocPath,
    out: &mut Vec<(DocPath, Written)>,
) {
    let segs: Vec<Seg> = match doc.object_type(obj).unwrap() {
        ObjType::Map | ObjType::Table => doc.keys(obj).map(Seg::Key).collect(),
        ObjType::List | ObjType::Text => (0..doc.length(obj)).map(Seg::Index).collect(),
    };
    let values = segs.into_iter().map(|seg| {
        let (value, id) = match &seg {
            Seg::Key(k) => doc.get(obj, k.as_str()),
            Seg::Index(i) => doc.get(obj, *i),
        }
        .unwrap()
        .unwrap();
        (seg, value, id)
    });
    for (seg, value, id) in values {
        let path = here.child(seg);
        match value {
            Value::Object(t) => {
                out.push((path.clone(), Written::Make(t)));
                walk(doc, &id, &path, out);
            }
            Value::Scalar(s) => out.push((path, Written::Put(s.into_owned()))),
        }
    }
}

#[test]
fn every_path_of_a_case_has_a_rule_and_every_rule_a_path() {
    let doc = reconciled(&sample_case());
    let mut values = Vec::new();
    walk(&doc, &ROOT, &DocPath::root(), &mut values);
    let schema = schema::case();
    let mut unused: Vec<&str> = schema.rules().iter().map(|r| r.pattern).collect();
    unused.retain(|p| !p.is_empty());
    let mut missing = Vec::new();
    for (path, written) in &values {
        match schema.rule(path) {
            Some(rule) => unused.retain(|p| *p != rule.pattern),
            None => missing.push(path.to_string()),
        }
        if let Err(bad) = schema.check(path, written) {
            missing.push(bad.to_string());
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "paths of a case without a rule (add one to schema::CASE_RULES):\n{}",
        missing.join("\n")
    );
    assert!(
        unused.is_empty(),
        "rules no path of the sample case reaches (populate the sample): {unused:?}"
    );
    // Every optional field is `Some` in the sample, so null is seen
    // nowhere: an optional field is a rule marked `opt` in the table.
    assert!(
        values
            .iter()
            .all(|(_, w)| *w != Written::Put(ScalarValue::Null))
    );
}

/// Every stored name of every vocabulary is accepted where it belongs, and
/// the ids (`closed` for `Closed`) are not.
#[test]
fn vocabulary_fields_take_document_names_not_ids() {
    let schema = schema::case();
    let mut seen = 0;
    for rule in schema.rules() {
        let Expect::Vocab(v) = rule.expect else {
            continue;
        };
        let path: DocPath = rule
            .pattern
            .replace("stages/*", "stages/intake")
            .replace('*', "x")
            .parse()
            .unwrap();
        for name in v.doc_names {
            assert!((v.accepts)(name), "{} {name}", v.name);
            let put = Written::Put(ScalarValue::Str((*name).into()));
            schema.check(&path, &put).unwrap();
            let lower = name.to_lowercase();
            if lower != *name {
                let bad = Written::Put(ScalarValue::Str(lower.into()));
                assert!(schema.check(&path, &bad).is_err(), "{path} {name}");
            }
        }
        seen += 1;
    }
    assert!(seen >= 20, "{seen} vocabulary fields");
}

#[test]
fn wrong_values_are_refused() {
    use ScalarValue as S;
    let str_ = |s: &str| Written::Put(S::Str(s.into()));
    let make = Written::Make;
    #[rustfmt::skip]
    let rows: Vec<(&str, Written, bool)> = vec![
        // A stage's status is a StageStatus by its document name.
        ("stages/intake/status", str_("Closed"), true),
        ("stages/intake/status", str_("closed"), false),
        ("stages/intake/status", Written::Put(S::Null), false),
        ("stages/intake/status", Written::Put(S::Uint(2)), false),
        ("stages/intake/status", make(ObjType::Map), false),
        ("stages/intake/status", Written::Delete, false),
        // Stages are keyed by stage ids.
        ("stages/financial", make(ObjType::Map), true),
        ("stages/Financial", make(ObjType::Map), false),
        ("stages/tea-break", make(ObjType::Map), false),
        ("stages/intake/opened_at", Written::Put(S::Null), true),
        ("stages/intake/opened_at", Written::Put(S::Int(5)), true),
        ("stages/intake/opened_at", Written::Put(S::Timestamp(5)), false),
        ("stages/intake/opened_at", Written::Put(S::Uint(5)), false),
        // Strings where strings belong, numbers where numbers do.
        ("header/title", str_("New title"), true),
        ("header/title", Written::Put(S::Int(7)), false),
        ("header/title", Written::Put(S::Null), false),
        ("header/title", make(ObjType::Text), false),
        ("header/jurisdiction", str_("KG"), true),
        ("header/jurisdiction", str_("kg"), false),
        ("header/jurisdiction", str_("Kyrgyzstan"), false),
        ("header/created_at", Written::Put(S::Int(1)), true),
        ("header/created_at", Written::Put(S::Uint(1)), false),
        ("header/created_at", Written::Put(S::F64(1.0)), false),
        ("schema", Written::Put(S::Uint(1)), true),
        ("schema", Written::Put(S::Int(1)), false),
        ("victims/v1/age_at_trafficking", Written::Put(S::Uint(17)), true),
        ("victims/v1/age_at_trafficking", Written::Put(S::Int(17)), false),
        ("victims/v1/age_at_trafficking", str_("17"), false),
        ("victims/v1/age_at_trafficking", Written::Put(S::Counter(17.into())), false),
        ("victims/v1/age_at_trafficking", Written::Increment, false),
        ("risks/r1/severity", Written::Put(S::Uint(3)), true),
        ("risks/r1/severity", Written::Put(S::Int(3)), false),
        ("interviews/i1/consent_given", Written::Put(S::Boolean(true)), true),
        ("interviews/i1/consent_given", str_("yes"), false),
        ("interviews/i1/consent_given", Written::Put(S::Null), false),
        ("victims/v1/identity/full_name", Written::Put(S::Bytes(vec![1])), false),
        ("victims/v1/identity/full_name", Written::Put(S::Unknown { type_code: 20, bytes: vec![] }), false),
        // Maps where records belong; a scalar never stands in for one.
        ("victims/v1", make(ObjType::Map), true),
        ("victims/v1", make(ObjType::Table), false),
        ("victims/v1", make(ObjType::List), false),
        ("victims/v1", str_("Victim"), false),
        ("victims/v1/identity", make(ObjType::Map), true),
        ("victims/v1/identity", Written::Put(S::Null), false),
        ("victims/v1/pseudonym", make(ObjType::Map), false),
        // Optional fields take null; dates are real days.
        ("victims/v1/identity/birth_date", str_("2001-02-28"), true),
        ("victims/v1/identity/birth_date", Written::Put(S::Null), true),
        ("victims/v1/identity/birth_date", str_("2001-02-29"), false),
        ("victims/v1/identity/birth_date", str_("28.02.2001"), false),
        ("victims/v1/identity/birth_date", Written::Put(S::Timestamp(0)), false),
        ("tasks/t1/due", str_("2026-12-31"), true),
        ("tasks/t1/stage", str_("Financial"), true),
        ("tasks/t1/stage", str_("financial"), false),
        // Lists of vocabulary values.
        ("victims/v1/exploitation", make(ObjType::List), true),
        ("victims/v1/exploitation", make(ObjType::Map), false),
        ("victims/v1/exploitation/0", str_("SexualExploitation"), true),
        ("victims/v1/exploitation/0", str_("sexual_exploitation"), false),
        ("victims/v1/exploitation/0", str_("Smuggling"), false),
        ("victims/v1/exploitation/0", Written::Delete, true),
        ("victims/v1/exploitation/0", make(ObjType::Map), false),
        ("victims/v1/languages/0", str_("kaz"), true),
        ("victims/v1/languages/0", Written::Put(S::Uint(1)), false),
        ("suspects/s1/roles/0", str_("RecruiterOrIntermediary"), true),
        ("suspects/s1/roles/0", str_("Boss"), false),
        // Text: strings inserted or removed, nothing else.
        ("narrative/0", str_("a"), true),
        ("narrative/0", Written::Delete, true),
        ("narrative/0", Written::Put(S::Int(1)), false),
        ("narrative/0", make(ObjType::Map), false),
        ("narrative/0", Written::Mark, false),
        ("notes/n1/body", make(ObjType::Text), true),
        ("notes/n1/body", str_("plain"), false),
        ("interviews/i1/plan/0", str_("x"), true),
        // Entries come and go; record fields are never removed.
        ("header/qualification/KZ-2014-128", Written::Delete, true),
        ("assignment/investigators/m1", Written::Delete, true),
        ("assignment/investigators/m1", Written::Put(S::Boolean(true)), true),
        ("assignment/investigators/m1", str_("yes"), false),
        ("assignment/prosecutor", Written::Delete, false),
        ("assignment/prosecutor", Written::Put(S::Null), true),
        ("victims/v1/pseudonym", Written::Delete, false),
        ("checklists/initial-actions/items/age-check", Written::Delete, true),
        ("checklists/initial-actions/items/age-check/reason", Written::Delete, false),
        // Checklists: kebab-case ids; an instance names its own template.
        ("checklists/initial-actions", make(ObjType::Map), true),
        ("checklists/Initial Actions", make(ObjType::Map), false),
        ("checklists/initial-actions/template_id", str_("initial-actions"), true),
        ("checklists/initial-actions/template_id", str_("closure"), false),
        // A victim's checklist: `<template-id>~<person-id>`, naming the
        // template its key names, exactly.
        ("checklists/initial-actions~v1", make(ObjType::Map), true),
        ("checklists/initial-actions~a~b", make(ObjType::Map), true),
        ("checklists/initial-actions~", make(ObjType::Map), false),
        ("checklists/~v1", make(ObjType::Map), false),
        ("checklists/Initial-Actions~v1", make(ObjType::Map), false),
        ("checklists/initial-actions~v1/template_id", str_("initial-actions"), true),
        ("checklists/initial-actions~v1/template_id", str_("closure"), false),
        ("checklists/initial-actions~v1/template_id", str_("initial-actions~v1"), false),
        ("checklists/initial-actions~v1/template_id", str_("initial"), false),
        ("checklists/initial-actions~v1/items/age-check/status", str_("Done"), true),
        ("checklists/initial-actions/version", Written::Put(S::Uint(2)), true),
        ("checklists/initial-actions/version", Written::Put(S::Int(2)), false),
        ("checklists/initial-actions/items/age-check/status", str_("NotApplicable"), true),
        ("checklists/initial-actions/items/age-check/status", str_("n/a"), false),
        ("checklists/initial-actions/items/Age_Check", make(ObjType::Map), false),
        ("checklists/initial-actions/signoffs/age-check/role", str_("Prosecutor"), true),
        ("checklists/initial-actions/signoffs/age-check/role", str_("Boss"), false),
        // Nothing outside the schema.
        ("victims/v1/nickname", str_("x"), false),
        ("victims/v1/identity/passport", str_("x"), false),
        ("secret", make(ObjType::Map), false),
        ("header/title/0", str_("x"), false),
    ];
    let schema = schema::case();
    let mut failures = Vec::new();
    for (path, written, expect) in &rows {
        let p: DocPath = path.parse().unwrap();
        let got = schema.check(&p, written);
        if got.is_ok() != *expect {
            failures.push(format!(
                "{path} {written:?}: expected {expect}, got {got:?}"
            ));
        }
        if let Err(bad) = got {
            assert_eq!(bad.path(), *path);
            assert!(bad.to_string().contains(path), "{bad}");
        }
    }
    assert!(
        failures.is_empty(),
        "schema rows failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn refusals_name_the_path_and_what_belongs_there() {
    let refusal = |path: &str, value: &str| {
        let p: DocPath = path.parse().unwrap();
        schema::case()
            .check(&p, &Written::Put(ScalarValue::Str(value.into())))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        refusal("stages/intake/status", "closed"),
        "'stages/intake/status' holds one of NotStarted, Active, Closed, not a name outside that vocabulary"
    );
    assert_eq!(
        refusal("victims/v1/age_at_trafficking", "17"),
        "'victims/v1/age_at_trafficking' holds an unsigned integer, or null, not a string"
    );
    // The value itself is case content: it is never in the message.
    let bad = refusal("victims/v1/identity/birth_date", "Secret 1999");
    assert!(!bad.contains("Secret"), "{bad}");
}

/// A change that makes a record gives it every field: autosurgeon cannot
/// read a record with a field missing, an `Option` one included.
#[test]
fn a_record_is_made_whole() {
    let case = sample_case();
    let full = first_change_writes(&reconciled(&case).get_last_local_change().unwrap().clone());
    check_change(&full, true).unwrap();
    for (left_out, made) in [
        ("schema", "the document"),
        ("header/title", "'header'"),
        ("victims/v0/identity/birth_date", "'victims/v0/identity'"),
        ("victims/v0/recruitment", "'victims/v0'"),
        ("evidence/e0/custody/0/purpose", "'evidence/e0/custody/0'"),
        (
            "checklists/initial-actions/items/item-0/note",
            "'checklists/initial-actions/items/item-0'",
        ),
    ] {
        // The change without its first write at `left_out`; the writes
        // after it move up by one.
        let gone = full
            .iter()
            .position(|(p, _, _)| p.to_string() == left_out)
            .unwrap_or_else(|| panic!("{left_out} is written"));
        let writes: Vec<W> = full
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != gone)
            .map(|(_, (p, w, into))| {
                (
                    p.clone(),
                    w.clone(),
                    into.map(|i| if i > gone { i - 1 } else { i }),
                )
            })
            .collect();
        let bad = check_change(&writes, true).unwrap_err();
        let BadValue::Incomplete { field, .. } = &bad else {
            panic!("{left_out}: {bad}");
        };
        assert_eq!(Some(*field), left_out.rsplit('/').next());
        assert!(bad.to_string().starts_with(made), "{bad}");
    }
    // A record added later is made whole as well: fields a later change
    // fills in do not count.
    let p = |s: &str| -> DocPath { s.parse().unwrap() };
    let mut check = schema::case().change(false);
    check
        .write(0, &p("witnesses/w9"), &Written::Make(ObjType::Map), None)
        .unwrap();
    check
        .write(
            1,
            &p("witnesses/w9/pseudonym"),
            &Written::Put(ScalarValue::Str("W".into())),
            Some(0),
        )
        .unwrap();
    assert!(matches!(
        check.finish(),
        Err(BadValue::Incomplete {
            field: "identity",
            ..
        })
    ));
}

/// A device's own field edits pass the check its peers make, so none of
/// them is refused elsewhere: a value that does not fit is refused here,
/// before anything is written.
#[test]
fn a_field_edit_is_checked_against_the_schema_before_it_is_written() {
    let mut doc = new_case();
    let supervisor = author(Role::Supervisor, "sup-1");
    let heads = doc.heads();
    for (path, value, who) in [
        ("stages/intake/status", Scalar::from("closed"), &supervisor),
        (
            "checklists/intake/template_id",
            "closure".into(),
            &supervisor,
        ),
        ("header/reference", Scalar::Uint(5), &investigator()),
        ("header/status", Scalar::Null, &investigator()),
    ] {
        let err = doc
            .apply(
                Edit::Set {
                    path: path.parse().unwrap(),
                    value,
                },
                who,
                catalog(),
            )
            .unwrap_err();
        assert_eq!(err.code(), "case.invalid", "{path}: {err}");
        assert!(
            err.to_string().starts_with(&format!("{path}: holds ")),
            "{err}"
        );
        assert_eq!(doc.heads(), heads, "{path}");
    }
    doc.apply(
        Edit::Set {
            path: "stages/intake/status".parse().unwrap(),
            value: StageStatus::Closed.into(),
        },
        &supervisor,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        doc.case().unwrap().stages["intake"].status,
        StageStatus::Closed
    );
}
