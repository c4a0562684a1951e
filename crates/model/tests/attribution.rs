//! Attribution on one device: every record and entry names who made it,
//! in which role and when, as the author of the edit; an edit that names
//! anyone else, changes who made a record, or edits another person's entry
//! in place is refused before it is made (so the sync layer, which checks
//! the same table, never refuses an honest edit).

use crate::common::*;
use caravan_model::attribution::{self, Attests};
use caravan_model::*;

const MINUTE: Millis = 60_000;

fn pro() -> Author {
    author(Role::Prosecutor, "pro-1")
}

fn sup() -> Author {
    author(Role::Supervisor, "sup-1")
}

fn named(full_name: &str) -> Identity {
    Identity {
        full_name: full_name.into(),
        ..Default::default()
    }
}

fn suspect(by: &Author) -> Record {
    Record::Suspect(Suspect {
        identity: named("Suspect"),
        pseudonym: "S-1".into(),
        roles: vec![PerpetratorRole::RecruiterOrIntermediary],
        citizenship: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
        public_official: false,
        citizenships: Vec::new(),
    })
}

fn witness(by: &Author) -> Record {
    Record::Witness(Witness {
        identity: named("Witness"),
        pseudonym: "W-1".into(),
        relation: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn interview(by: &Author) -> Record {
    Record::Interview(Interview {
        person_id: "v1".into(),
        stage: PeaceStage::Planning,
        planned_for: None,
        venue: None,
        interpreter: None,
        interpreter_vetted: false,
        consent_given: true,
        child_track: false,
        plan: "Plan".into(),
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn task(by: &Author) -> Record {
    Record::Task(Task {
        title: "Request bank records".into(),
        assignee: None,
        due: None,
        stage: None,
        done: false,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn event(by: &Author) -> Record {
    Record::Timeline(TimelineEvent {
        kind: EventKind::Recruitment,
        date: None,
        place: "Osh".into(),
        country: Some("KG".into()),
        description: "Job advert".into(),
        person_ids: vec![],
        recorded_at: by.at,
        recorded_by: by.member.clone(),
        latitude_microdeg: None,
        longitude_microdeg: None,
        crosses_border: None,
        border_point: None,
        transport: None,
    })
}

fn referral(by: &Author) -> Record {
    Record::Referral(Referral {
        person_id: "v1".into(),
        direction: ReferralDirection::Outgoing,
        organisation: "Shelter".into(),
        date: None,
        reason: "Safe housing".into(),
        outcome: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
        organisation_type: None,
        htcds_reason: None,
        status: None,
        consent_given: false,
        consent_date: None,
    })
}

fn risk(by: &Author) -> Record {
    Record::Risk(RiskAssessment {
        subject: RiskSubject::Victim,
        person_id: Some("v1".into()),
        threat: "Contact by the recruiter".into(),
        threat_source: None,
        severity: 3,
        likelihood: 2,
        mitigation: "Shelter".into(),
        review_on: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn note(by: &Author) -> Record {
    Record::Note(Note {
        body: "Called the shelter.".into(),
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn case_link(by: &Author) -> Record {
    Record::CaseLink(CaseLink {
        case_id: "c2".into(),
        reference: "KZ-2026-0007".into(),
        relation: CaseLinkKind::SameSuspect,
        note: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn request(by: &Author) -> Record {
    Record::InternationalRequest(InternationalRequest {
        kind: RequestKind::MutualLegalAssistance,
        notice: None,
        requested_state: "UZ".into(),
        legal_basis: LegalBasis::Chisinau2002,
        central_authority: None,
        subject: "Bank records of the recruiter".into(),
        sent_on: None,
        deadline: None,
        status: RequestStatus::Drafted,
        response_on: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn identifier(by: &Author) -> Record {
    Record::Identifier(Identifier {
        kind: IdentifierKind::Phone,
        value: "+996 555 123 456".into(),
        platform: Some("WhatsApp".into()),
        person_id: None,
        source: None,
        note: None,
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn group(by: &Author) -> Record {
    Record::Group(Group {
        name: "Osh network".into(),
        description: None,
        members: Default::default(),
        countries: vec!["KG".into()],
        recorded_at: by.at,
        recorded_by: by.member.clone(),
    })
}

fn review(by: &Author) -> Record {
    Record::Review(ReviewItem {
        kind: ReviewKind::Comment,
        stage: None,
        text: "Check the contract.".into(),
        by: by.member.clone(),
        at: by.at,
        withdraws: None,
        qualification: None,
    })
}

fn approval(by: &Author) -> Record {
    Record::Approval(Approval {
        stage: Some(Stage::Intake),
        subject: "intake".into(),
        decision: Decision::Rejected,
        comment: None,
        by: by.member.clone(),
        at: by.at,
    })
}

fn sign_off(item: &str) -> Edit {
    Edit::SignOffItem {
        template_id: "prosecution-review".into(),
        item_id: item.into(),
    }
}

/// A case with one record or entry of every attributed kind, each made
/// honestly by its author.
fn seeded() -> CaseDoc {
    let inv = investigator();
    let mut doc = new_case_with_victim();
    let steps: Vec<(Edit, Author)> = vec![
        (
            insert("v1", Record::Victim(victim("V-1", "Name"))),
            inv.clone(),
        ),
        (insert("s1", suspect(&inv)), inv.clone()),
        (insert("w1", witness(&inv)), inv.clone()),
        (
            insert("e1", Record::Evidence(evidence("Phone"))),
            inv.clone(),
        ),
        (
            Edit::AppendCustody {
                evidence_id: "e1".into(),
                entry: custody("k1", "Laboratory"),
            },
            inv.clone(),
        ),
        (insert("i1", interview(&inv)), inv.clone()),
        (insert("t1", task(&inv)), inv.clone()),
        (insert("ev1", event(&inv)), inv.clone()),
        (insert("rf1", referral(&inv)), inv.clone()),
        (insert("rk1", risk(&inv)), inv.clone()),
        (insert("n1", note(&inv)), inv.clone()),
        (insert("l1", case_link(&inv)), inv.clone()),
        (insert("ir1", request(&inv)), inv.clone()),
        (insert("id1", identifier(&inv)), inv.clone()),
        (insert("g1", group(&inv)), inv.clone()),
        (insert("sp1", support_service(&inv)), inv.clone()),
        (
            tick(&key_for("initial-actions", P1), "immediate-safety"),
            inv.clone(),
        ),
        (tick("prosecution-review", "act-proven"), inv.clone()),
        (sign_off("act-proven"), pro()),
        (insert("r1", review(&pro())), pro()),
        (insert("a1", approval(&sup())), sup()),
    ];
    let court = court_records(&inv)
        .into_iter()
        .map(|(id, record)| (insert(id, record), inv.clone()))
        .chain([(
            insert("ff1", Record::FinancialFlow(financial_flow(&inv))),
            inv.clone(),
        )]);
    for (edit, who) in steps.into_iter().chain(court) {
        let what = format!("{edit:?}");
        doc.apply(edit, &who, catalog())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    doc
}

/// One concrete path per attributed kind in `seeded`, and who made it.
const MADE: &[(&str, &str)] = &[
    ("header", "inv-1"),
    ("victims/v1", "inv-1"),
    ("suspects/s1", "inv-1"),
    ("witnesses/w1", "inv-1"),
    ("evidence/e1", "inv-1"),
    ("evidence/e1/custody/0", "inv-1"),
    ("interviews/i1", "inv-1"),
    ("tasks/t1", "inv-1"),
    ("timeline/ev1", "inv-1"),
    ("referrals/rf1", "inv-1"),
    ("risks/rk1", "inv-1"),
    ("notes/n1", "inv-1"),
    (
        "checklists/initial-actions~p1/items/immediate-safety",
        "inv-1",
    ),
    ("checklists/prosecution-review/signoffs/act-proven", "pro-1"),
    ("review/r1", "pro-1"),
    ("approvals/a1", "sup-1"),
    ("links/l1", "inv-1"),
    ("international_requests/ir1", "inv-1"),
    ("identifiers/id1", "inv-1"),
    ("groups/g1", "inv-1"),
    ("procedural_decisions/pd1", "inv-1"),
    ("measures/pm1", "inv-1"),
    ("charges/ch1", "inv-1"),
    ("indictments/in1", "inv-1"),
    ("hearings/he1", "inv-1"),
    ("verdicts/vd1", "inv-1"),
    ("compensation/co1", "inv-1"),
    ("support/sp1", "inv-1"),
    ("financial_flows/ff1", "inv-1"),
];

fn path(p: &str) -> DocPath {
    let mut segs = Vec::new();
    for s in p.split('/') {
        segs.push(match s.parse::<usize>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(s.into()),
        });
    }
    DocPath(segs)
}

/// The scalar at `p` in `doc`, if any.
fn scalar(doc: &CaseDoc, p: &DocPath) -> Option<automerge::ScalarValue> {
    use automerge::ReadDoc;
    let am = doc.automerge();
    let mut obj = automerge::ROOT;
    let (last, parents) = p.segments().split_last()?;
    for seg in parents {
        let got = match seg {
            Seg::Key(k) => am.get(&obj, k.as_str()),
            Seg::Index(i) => am.get(&obj, *i),
        };
        obj = match got.ok()?? {
            (automerge::Value::Object(_), id) => id,
            _ => return None,
        };
    }
    let Seg::Key(k) = last else { return None };
    match am.get(&obj, k.as_str()).ok()?? {
        (automerge::Value::Scalar(s), _) => Some(s.into_owned()),
        _ => None,
    }
}

#[test]
fn honest_edits_of_every_kind_name_their_author() {
    let doc = seeded();
    let roles = [
        ("inv-1", Role::Investigator),
        ("pro-1", Role::Prosecutor),
        ("sup-1", Role::Supervisor),
    ];
    for (p, who) in MADE {
        let object = path(p);
        let kind = attribution::object_at(DocKind::Case, &object)
            .unwrap_or_else(|| panic!("{p} is not in the attribution table"));
        for (field, attests) in kind.fields {
            let got = scalar(&doc, &object.key(*field))
                .unwrap_or_else(|| panic!("{p}/{field} is missing"));
            let role = roles.iter().find(|(m, _)| m == who).unwrap().1;
            let want = match attests {
                Attests::Member => automerge::ScalarValue::Str((*who).into()),
                Attests::Role => automerge::ScalarValue::Str(role.doc_name().into()),
                Attests::Time | Attests::Moment => automerge::ScalarValue::Int(AT),
            };
            assert_eq!(got, want, "{p}/{field}");
        }
    }
    // Every kind of the table was made above.
    assert_eq!(MADE.len(), attribution::CASE_ATTRIBUTION.len());
    for a in attribution::CASE_ATTRIBUTION {
        assert!(
            MADE.iter().any(|(p, _)| path(p).matches(a.object)),
            "{} was not made",
            a.object
        );
    }
}

#[test]
fn edits_that_misstate_who_or_when_are_refused_and_change_nothing() {
    let inv = investigator();
    let other = author(Role::Investigator, "inv-2");
    let set = |p: &str, value: Scalar| Edit::Set {
        path: p.parse().unwrap(),
        value,
    };
    let dated = |at: Millis| {
        Record::Victim(Victim {
            recorded_at: at,
            ..victim("V-2", "Name")
        })
    };
    #[rustfmt::skip]
    let rows: Vec<(&str, Edit, Author, &str)> = vec![
        ("a victim recorded by another member", insert("v2", Record::Victim(Victim { recorded_by: "inv-2".into(), ..victim("V-2", "Name") })), inv.clone(), "case.false_attribution"),
        ("a victim dated after its change", insert("v2", dated(AT + 11 * MINUTE)), inv.clone(), "case.false_attribution"),
        ("a victim dated before the case opened", insert("v2", dated(AT - 2 * 24 * 60 * MINUTE)), inv.clone(), "case.false_attribution"),
        ("a hand-over recorded by another member", Edit::AppendCustody { evidence_id: "e1".into(), entry: CustodyEntry { recorded_by: "inv-2".into(), ..custody("k2", "Court") } }, inv.clone(), "case.false_attribution"),
        ("a hand-over dated in its change's future", Edit::AppendCustody { evidence_id: "e1".into(), entry: CustodyEntry { at: AT + 60 * MINUTE, ..custody("k2", "Court") } }, inv.clone(), "case.false_attribution"),
        ("a hand-over recorded in its change's future", Edit::AppendCustody { evidence_id: "e1".into(), entry: CustodyEntry { recorded_at: Some(AT + 60 * MINUTE), ..custody("k2", "Court") } }, inv.clone(), "case.false_attribution"),
        ("a hand-over recorded before the case opened", Edit::AppendCustody { evidence_id: "e1".into(), entry: CustodyEntry { recorded_at: Some(AT - 2 * 24 * 60 * MINUTE), ..custody("k2", "Court") } }, inv.clone(), "case.false_attribution"),
        ("a review item by another prosecutor", insert("r2", review(&author(Role::Prosecutor, "pro-2"))), pro(), "case.false_attribution"),
        ("an approval by another supervisor", insert("a2", approval(&author(Role::Supervisor, "sup-2"))), sup(), "case.false_attribution"),
        ("an approval by the prosecutor, made by a supervisor", insert("a2", approval(&pro())), sup(), "case.false_attribution"),
        ("taking over a record", set("victims/v1/recorded_by", "inv-2".into()), other.clone(), "case.false_attribution"),
        ("re-dating a record", set("victims/v1/recorded_at", Scalar::Int(AT - MINUTE)), inv.clone(), "case.false_attribution"),
        ("taking over the case", set("header/created_by", "inv-2".into()), other.clone(), "case.false_attribution"),
        ("re-dating a note", set("notes/n1/recorded_at", Scalar::Int(AT)), inv.clone(), "case.false_attribution"),
        ("editing another's item state", set("checklists/initial-actions~p1/items/immediate-safety/note", "mine".into()), other.clone(), "policy.denied"),
        ("re-signing in place", set("checklists/prosecution-review/signoffs/act-proven/status", ItemStatus::NotApplicable.into()), author(Role::Prosecutor, "pro-2"), "policy.denied"),
        ("changing another's decision", set("approvals/a1/decision", Decision::Approved.into()), author(Role::Supervisor, "sup-2"), "policy.denied"),
        ("editing another's review", set("review/r1/text", "Nothing to check.".into()), author(Role::Prosecutor, "pro-2"), "policy.denied"),
    ];
    assert_all_refused(rows, seeded);
}

/// A hand-over is dated when it took place, as its recorder states it: a
/// chain of custody often starts before the case is entered in Caravan.
/// When it was recorded is the attested time.
#[test]
fn a_hand_over_that_took_place_before_the_case_was_opened_is_accepted() {
    let mut doc = seeded();
    let month_before = AT - 30 * 24 * 60 * MINUTE;
    doc.apply(
        Edit::AppendCustody {
            evidence_id: "e1".into(),
            entry: CustodyEntry {
                at: month_before,
                ..custody("k2", "Court")
            },
        },
        &investigator(),
        catalog(),
    )
    .unwrap();
    let entry = doc.case().unwrap().evidence["e1"]
        .custody
        .last()
        .cloned()
        .unwrap();
    assert_eq!((entry.at, entry.recorded_at), (month_before, Some(AT)));
}

#[test]
fn a_record_dated_a_moment_before_its_change_is_accepted() {
    // The clock is read for the record, then again for the change.
    let mut doc = seeded();
    let early = Victim {
        recorded_at: AT - 5 * MINUTE,
        ..victim("V-2", "Name")
    };
    doc.apply(
        insert("v2", Record::Victim(early)),
        &investigator(),
        catalog(),
    )
    .unwrap();
    // Another member corrects the record; it stays recorded by its maker.
    let other = author(Role::Investigator, "inv-2");
    doc.apply(
        Edit::Set {
            path: "victims/v2/pseudonym".parse().unwrap(),
            value: "V-2b".into(),
        },
        &other,
        catalog(),
    )
    .unwrap();
    let v = &doc.case().unwrap().victims["v2"];
    assert_eq!(
        (v.pseudonym.as_str(), v.recorded_by.as_str()),
        ("V-2b", "inv-1")
    );
    // Re-marking an item makes its marker the author of its new state.
    doc.apply(
        not_applicable(
            &key_for("initial-actions", P1),
            "immediate-safety",
            Some("no danger"),
        ),
        &other,
        catalog(),
    )
    .unwrap();
    let state =
        &doc.case().unwrap().checklists[&key_for("initial-actions", P1)].items["immediate-safety"];
    assert_eq!(
        (state.status, state.by.as_str()),
        (ItemStatus::NotApplicable, "inv-2")
    );
}

#[test]
fn deciding_between_concurrent_entries_is_the_deciders_statement() {
    let mut origin = seeded();
    let mut a = origin.fork(actor(0xA));
    let mut b = origin.fork(actor(0xB));
    // Two investigators mark the same item at once, and two prosecutors
    // sign the same item off at once.
    let inv_a = author(Role::Investigator, "inv-a");
    let inv_b = author(Role::Investigator, "inv-b");
    a.apply(
        tick(&key_for("initial-actions", P1), "medical-needs"),
        &inv_a,
        catalog(),
    )
    .unwrap();
    b.apply(
        not_applicable(
            &key_for("initial-actions", P1),
            "medical-needs",
            Some("no injuries"),
        ),
        &inv_b,
        catalog(),
    )
    .unwrap();
    a.apply(
        sign_off("act-proven"),
        &author(Role::Prosecutor, "pro-a"),
        catalog(),
    )
    .unwrap();
    b.apply(
        sign_off("act-proven"),
        &author(Role::Prosecutor, "pro-b"),
        catalog(),
    )
    .unwrap();
    a.merge(&mut b).unwrap();
    let conflicts = a.conflicts();
    let paths: Vec<String> = conflicts.iter().map(|c| c.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "checklists/initial-actions~p1/items/medical-needs",
            "checklists/prosecution-review/signoffs/act-proven"
        ]
    );
    let b_value = |c: &Conflict| {
        c.values
            .iter()
            .find(|v| v.actor == actor(0xB).to_hex_string())
            .unwrap()
            .id
            .clone()
    };

    // A third investigator keeps B's state: it is now theirs, made now.
    let decider = Author {
        at: AT + 60 * MINUTE,
        ..author(Role::Investigator, "inv-c")
    };
    a.resolve(&conflicts[0].path, &b_value(&conflicts[0]), &decider)
        .unwrap();
    let state =
        &a.case().unwrap().checklists[&key_for("initial-actions", P1)].items["medical-needs"];
    assert_eq!(
        (
            state.status,
            state.reason.as_deref(),
            state.by.as_str(),
            state.at
        ),
        (
            ItemStatus::NotApplicable,
            Some("no injuries"),
            "inv-c",
            decider.at
        )
    );

    // A supervisor cannot decide between two prosecutors' sign-offs: the
    // sign-off would claim the prosecutor's role. A prosecutor can.
    let heads = a.heads();
    let err = a
        .resolve(&conflicts[1].path, &b_value(&conflicts[1]), &sup())
        .unwrap_err();
    assert_eq!(err.code(), "case.false_attribution");
    assert_eq!(a.heads(), heads);
    a.resolve(&conflicts[1].path, &b_value(&conflicts[1]), &pro())
        .unwrap();
    let so = &a.case().unwrap().checklists["prosecution-review"].signoffs["act-proven"];
    assert_eq!((so.by.as_str(), so.role), ("pro-1", Role::Prosecutor));
    assert!(a.conflicts().is_empty());
}
