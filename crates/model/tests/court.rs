//! The court phase (`caravan_model::court`): records read back as made,
//! first records made on two devices at once in an older case are all
//! kept, what an honest device refuses to write, preventive measures'
//! alerts, and a person's current procedural status.

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use caravan_model::court::{self, MeasureAlert};
use caravan_model::*;

use crate::common::*;

const COURT: &[&str] = &[
    "procedural_decisions",
    "measures",
    "charges",
    "indictments",
    "hearings",
    "verdicts",
    "compensation",
];

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn record(id: &str) -> Record {
    court_records(&investigator())
        .into_iter()
        .find(|(i, _)| *i == id)
        .unwrap()
        .1
}

#[test]
fn every_court_record_reads_back_as_it_was_made() {
    let case = with_court_records().case().unwrap();
    for (id, made) in court_records(&investigator()) {
        let read = match made {
            Record::ProceduralDecision(_) => {
                Record::ProceduralDecision(case.procedural_decisions[id].clone())
            }
            Record::Measure(_) => Record::Measure(case.measures[id].clone()),
            Record::Charge(_) => Record::Charge(case.charges[id].clone()),
            Record::Indictment(_) => Record::Indictment(case.indictments[id].clone()),
            Record::Hearing(_) => Record::Hearing(case.hearings[id].clone()),
            Record::Verdict(_) => Record::Verdict(case.verdicts[id].clone()),
            Record::Compensation(_) => Record::Compensation(case.compensation[id].clone()),
            other => panic!("not a court record: {other:?}"),
        };
        assert_eq!(format!("{read:?}"), format!("{made:?}"), "{id}");
    }
}

#[test]
fn first_court_records_made_on_two_devices_in_an_older_case_are_all_kept() {
    // A case as a release before the court phase made it.
    let mut origin = new_case();
    let am = origin.automerge_mut();
    for key in COURT {
        am.delete(ROOT, *key).unwrap();
    }
    am.commit();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.fork(actor(0xB));
    for (id, r) in court_records(&investigator()) {
        a.apply(
            insert(&format!("a-{id}"), r.clone()),
            &investigator(),
            catalog(),
        )
        .unwrap();
        b.apply(insert(&format!("b-{id}"), r), &investigator(), catalog())
            .unwrap();
    }
    a.merge(&mut b).unwrap();
    for key in COURT {
        assert_eq!(a.automerge().get_all(ROOT, *key).unwrap().len(), 2, "{key}");
    }
    let case = a.case().unwrap();
    for ids in [
        case.procedural_decisions.keys().collect::<Vec<_>>(),
        case.measures.keys().collect(),
        case.charges.keys().collect(),
        case.indictments.keys().collect(),
        case.hearings.keys().collect(),
        case.verdicts.keys().collect(),
        case.compensation.keys().collect(),
    ] {
        assert_eq!(ids.len(), 2, "{ids:?}");
    }
    assert!(a.conflicts().is_empty());
    // A hearing in the map Automerge does not show is corrected in place.
    for id in ["a-he1", "b-he1"] {
        let path: DocPath = format!("hearings/{id}/outcome").parse().unwrap();
        a.apply(
            Edit::Set {
                path,
                value: HearingOutcome::Held.into(),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
        assert_eq!(a.case().unwrap().hearings[id].outcome, HearingOutcome::Held);
    }
}

#[test]
fn court_records_an_honest_device_refuses_to_make() {
    let change = |id: &str, f: fn(&mut Record)| {
        let mut r = record(id);
        f(&mut r);
        insert(&format!("{id}-x"), r)
    };
    let pro = author(Role::Prosecutor, "pro-1");
    let admin = author(Role::Admin, "adm-1");
    let rows = vec![
        (
            "a measure that ends before it starts",
            change("pm1", |r| {
                if let Record::Measure(m) = r {
                    m.until = Some(day("2026-02-01"));
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "a charge under no article",
            change("ch1", |r| {
                if let Record::Charge(c) = r {
                    c.article.article.clear();
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "an indictment without defendants",
            change("in1", |r| {
                if let Record::Indictment(i) = r {
                    i.defendants.clear();
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "an indictment sent to no court",
            change("in1", |r| {
                if let Record::Indictment(i) = r {
                    i.status = IndictmentStatus::SentToCourt;
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "a measure granted and refused at once",
            change("he1", |r| {
                if let Record::Hearing(h) = r {
                    h.measures_refused = h.measures_granted.clone();
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "a conviction under no article",
            change("vd1", |r| {
                if let Record::Verdict(v) = r {
                    v.articles.clear();
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "a sentence for an acquittal",
            change("vd1", |r| {
                if let Record::Verdict(v) = r {
                    v.outcome = VerdictOutcome::Acquitted;
                    v.articles.clear();
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "more paid than awarded",
            change("co1", |r| {
                if let Record::Compensation(c) = r {
                    c.awarded = Some(10);
                    c.paid = Some(11);
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "a currency that is no code",
            change("co1", |r| {
                if let Record::Compensation(c) = r {
                    c.currency = "tenge".into();
                }
            }),
            investigator(),
            "case.invalid",
        ),
        (
            "a prosecutor's charge",
            insert("ch9", record("ch1")),
            pro.clone(),
            "policy.denied",
        ),
        (
            "a prosecutor's measure",
            insert("pm9", record("pm1")),
            pro,
            "policy.denied",
        ),
        (
            "an admin's hearing",
            insert("he9", record("he1")),
            admin.clone(),
            "policy.denied",
        ),
        (
            "an indictment approved by the investigator",
            change("in1", |r| {
                if let Record::Indictment(i) = r {
                    i.status = IndictmentStatus::Approved;
                }
            }),
            investigator(),
            "policy.denied",
        ),
        (
            "an indictment returned by the investigator",
            Edit::Set {
                path: "indictments/in1/status".parse().unwrap(),
                value: IndictmentStatus::ReturnedForInvestigation.into(),
            },
            investigator(),
            "policy.denied",
        ),
        (
            "an approval's day written by the investigator",
            Edit::Set {
                path: "indictments/in1/approved_on".parse().unwrap(),
                value: Scalar::Str("2026-04-05".into()),
            },
            investigator(),
            "policy.denied",
        ),
        (
            "the registry number set by the admin",
            Edit::Set {
                path: "header/registry_number".parse().unwrap(),
                value: Scalar::Str("261500031000123".into()),
            },
            admin,
            "policy.denied",
        ),
    ];
    assert_all_refused(rows, with_court_records);
}

#[test]
fn a_measure_alerts_a_week_before_it_ends_until_it_is_lifted() {
    let Record::Measure(m) = record("pm1") else {
        unreachable!()
    };
    assert_eq!(m.until, Some(day("2026-05-01")));
    let check = |today: &str, lifted: Option<&str>, expect: Option<MeasureAlert>| {
        let m = PreventiveMeasure {
            lifted_on: lifted.map(day),
            ..m.clone()
        };
        assert_eq!(m.alert(day(today)), expect, "{today} lifted {lifted:?}");
    };
    check("2026-04-23", None, None);
    check("2026-04-24", None, Some(MeasureAlert::Expiring));
    check("2026-05-01", None, Some(MeasureAlert::Expiring));
    check("2026-05-02", None, Some(MeasureAlert::Expired));
    check("2026-05-02", Some("2026-04-30"), None);
    let open_ended = PreventiveMeasure {
        until: None,
        ..m.clone()
    };
    assert_eq!(open_ended.alert(day("2030-01-01")), None);

    let doc = with_court_records();
    let case = doc.case().unwrap();
    let alerts = court::measure_alerts(&case, day("2026-05-02"));
    assert_eq!(alerts.len(), 1);
    assert_eq!((alerts[0].0, alerts[0].2), ("pm1", MeasureAlert::Expired));
}

#[test]
fn a_persons_status_is_their_latest_decision() {
    let mut doc = with_court_records();
    let decision = |id: &str, status, on: &str| {
        let Record::ProceduralDecision(d) = record("pd1") else {
            unreachable!()
        };
        insert(
            id,
            Record::ProceduralDecision(ProceduralDecision {
                status,
                decided_on: day(on),
                ..d
            }),
        )
    };
    // Recorded out of order: the day decides, not when it was recorded.
    for edit in [
        decision("pd3", ProceduralStatus::Convicted, "2026-07-01"),
        decision("pd2", ProceduralStatus::Defendant, "2026-04-10"),
    ] {
        doc.apply(edit, &investigator(), catalog()).unwrap();
    }
    let case = doc.case().unwrap();
    let now = court::current_decision(&case, "s1").unwrap();
    assert_eq!(now.status, ProceduralStatus::Convicted);
    assert!(court::current_decision(&case, "v1").is_none());
}
