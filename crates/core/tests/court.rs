//! The court phase through the workspace: the people each record names
//! are checked to be of the right kind, an indictment and a conviction
//! take the standing charges when none are named, preventive measures
//! alert in the case view, and the prosecutor keeps the trial's record.

use std::path::Path;

use caravan_core::model::{
    ChargeStatus, CompensationStatus, HearingKind, HearingOutcome, IndictmentStatus, MeasureKind,
    ProceduralStatus, ProtectiveMeasure, VerdictOutcome,
};
use caravan_core::view::MeasureAlertKind;
use caravan_core::*;

use crate::util::*;

fn day(s: &str) -> model::Date {
    s.parse().unwrap()
}

/// An investigator's case (today is 2026-11-28 on the tests' clock) with
/// victim `v` and suspects `s1`, `s2`, shared with a prosecutor.
struct Unit {
    admin: Workspace,
    inv: Workspace,
    pro: Workspace,
    case: CaseId,
    v: RecordId,
    s1: RecordId,
    s2: RecordId,
}

fn unit(dir: &Path) -> Unit {
    let (mut admin, mut inv) = admin_and_investigator(dir);
    let mut pro = enrol_prosecutor(&mut admin, dir);
    let case = open_case(&mut inv, "2026-031", "Brick kiln");
    let mut person = |kind, pseudonym: &str, name: &str| {
        inv.add_person(&case, PersonInput::new(kind, pseudonym, name))
            .unwrap()
    };
    let v = person(PersonKind::Victim, "V-1", "Canary Victim");
    let s1 = person(PersonKind::Suspect, "S-1", "First Suspect");
    let s2 = person(PersonKind::Suspect, "S-2", "Second Suspect");
    share_with_prosecutor(&mut inv, &mut admin, &mut pro, &case);
    Unit {
        admin,
        inv,
        pro,
        case,
        v,
        s1,
        s2,
    }
}

fn charge(person: &RecordId, part: &str) -> ChargeInput {
    ChargeInput {
        person_id: person.clone(),
        article: "KZ-2014-128".into(),
        part: Some(part.into()),
        paragraph: None,
        status: ChargeStatus::Brought,
        brought_on: Some(day("2026-10-01")),
        note: None,
    }
}

fn hearing() -> HearingInput {
    HearingInput {
        date: day("2026-12-10"),
        court: "  Almaty city court  ".into(),
        kind: HearingKind::Trial,
        outcome: HearingOutcome::Scheduled,
        measures_granted: vec![ProtectiveMeasure::VideoLink, ProtectiveMeasure::VideoLink],
        measures_refused: vec![ProtectiveMeasure::Anonymity],
        safety_reviewed: true,
        next_date: None,
        note: None,
    }
}

#[test]
fn charges_an_indictment_a_hearing_and_a_verdict_make_up_the_court_record() {
    let dir = tempfile::tempdir().unwrap();
    let Unit {
        mut admin,
        mut inv,
        mut pro,
        case,
        v,
        s1,
        s2,
    } = unit(dir.path());
    inv.set_registry_number(&case, " 261500031000123 ").unwrap();
    let c1 = inv.add_charge(&case, charge(&s1, "3")).unwrap();
    let c2 = inv.add_charge(&case, charge(&s2, "2")).unwrap();
    let dropped = inv
        .add_charge(
            &case,
            ChargeInput {
                status: ChargeStatus::Dropped,
                ..charge(&s2, "1")
            },
        )
        .unwrap();
    let indictment = IndictmentInput {
        status: IndictmentStatus::Drafted,
        defendants: vec![],
        charges: vec![],
        signed_on: Some(day("2026-11-01")),
        approved_on: None,
        court: None,
        sent_to_court_on: None,
        note: None,
    };
    let i = inv.add_indictment(&case, indictment).unwrap();
    for (status, person) in [
        (ProceduralStatus::Accused, &s1),
        (ProceduralStatus::RecognisedVictim, &v),
    ] {
        let d = ProceduralDecisionInput {
            person_id: person.clone(),
            status,
            decided_on: day("2026-10-01"),
            reference: None,
        };
        inv.add_procedural_decision(&case, d).unwrap();
    }
    swap(&mut inv, &mut admin);
    swap(&mut admin, &mut pro);

    // The prosecutor records the trial.
    pro.add_hearing(&case, hearing()).unwrap();
    let verdict = VerdictInput {
        person_id: s1.clone(),
        date: day("2026-12-20"),
        court: "Almaty city court".into(),
        outcome: VerdictOutcome::Convicted,
        articles: vec![],
        sentence: Some("9 years' deprivation of liberty".into()),
        custodial_months: Some(108),
        confiscation: None,
        appeal: None,
        in_force_on: None,
    };
    pro.add_verdict(&case, verdict).unwrap();
    let claim = CompensationInput {
        person_id: v.clone(),
        currency: "kzt".into(),
        claimed: Some(3_000_000),
        awarded: Some(2_000_000),
        paid: None,
        status: CompensationStatus::Awarded,
        note: None,
    };
    pro.add_compensation(&case, claim).unwrap();

    let court = pro.show_case(&case).unwrap().court;
    assert_eq!(court.registry_number.as_deref(), Some("261500031000123"));
    let ind = court.indictments.iter().find(|x| x.id == i).unwrap();
    let mut defendants = vec![s1.clone(), s2.clone()];
    defendants.sort();
    assert_eq!(ind.defendants, defendants, "everyone charged");
    let mut want = vec![c1.clone(), c2.clone()];
    want.sort();
    let mut got = ind.charges.clone();
    got.sort();
    assert_eq!(got, want, "the dropped charge {dropped} is not indicted");
    let h = &court.hearings[0];
    assert_eq!(h.court, "Almaty city court");
    assert_eq!(h.measures_granted, [ProtectiveMeasure::VideoLink]);
    let verdict = &court.verdicts[0];
    assert_eq!(verdict.articles, ["KZ-2014-128:3"]);
    assert_eq!(court.compensation[0].currency, "KZT");
    let statuses: Vec<_> = court
        .statuses
        .iter()
        .map(|s| (&s.person_id, s.status))
        .collect();
    assert!(statuses.contains(&(&s1, ProceduralStatus::Accused)));
    assert!(statuses.contains(&(&v, ProceduralStatus::RecognisedVictim)));
    let charged = court.charges.iter().find(|c| c.id == c1).unwrap();
    assert_eq!(charged.article.titles["ru"], "Торговля людьми");

    // The registry number is cleared by an empty one.
    inv.set_registry_number(&case, "").unwrap();
    assert_eq!(inv.show_case(&case).unwrap().court.registry_number, None);
}

#[test]
fn a_record_naming_the_wrong_person_or_a_lost_charge_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let Unit {
        mut inv,
        case,
        v,
        s1,
        ..
    } = unit(dir.path());
    let on_victim = inv.add_charge(&case, charge(&v, "1")).unwrap_err();
    assert_eq!(on_victim.code(), "core.not_found");
    let err = inv
        .add_procedural_decision(
            &case,
            ProceduralDecisionInput {
                person_id: s1.clone(),
                status: ProceduralStatus::CivilClaimant,
                decided_on: day("2026-10-01"),
                reference: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "core.not_found");
    let unknown = inv
        .add_charge(
            &case,
            ChargeInput {
                article: "KZ-2014-999".into(),
                ..charge(&s1, "1")
            },
        )
        .unwrap_err();
    assert_eq!(unknown.code(), "core.invalid", "{unknown}");
    let none_charged = IndictmentInput {
        status: IndictmentStatus::Drafted,
        defendants: vec![],
        charges: vec![],
        signed_on: None,
        approved_on: None,
        court: None,
        sent_to_court_on: None,
        note: None,
    };
    let err = inv.add_indictment(&case, none_charged.clone()).unwrap_err();
    assert_eq!(err.code(), "core.invalid");
    let c1 = inv.add_charge(&case, charge(&s1, "1")).unwrap();
    let err = inv
        .add_indictment(
            &case,
            IndictmentInput {
                charges: vec![RecordId::from("nope")],
                ..none_charged.clone()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "core.not_found");
    assert!(
        inv.add_indictment(
            &case,
            IndictmentInput {
                charges: vec![c1],
                ..none_charged
            }
        )
        .is_ok()
    );
    let money = CompensationInput {
        person_id: v.clone(),
        currency: "tenge".into(),
        claimed: None,
        awarded: None,
        paid: None,
        status: CompensationStatus::Claimed,
        note: None,
    };
    assert_eq!(
        inv.add_compensation(&case, money).unwrap_err().code(),
        "case.invalid"
    );
}

#[test]
fn measures_alert_in_the_case_view_a_week_before_they_end() {
    let dir = tempfile::tempdir().unwrap();
    let Unit {
        mut inv,
        case,
        s1,
        s2,
        ..
    } = unit(dir.path());
    // Today is 2026-11-28.
    for (person, until) in [
        (&s1, "2026-12-01"),
        (&s2, "2026-11-20"),
        (&s1, "2027-03-01"),
    ] {
        let m = MeasureInput {
            person_id: person.clone(),
            kind: MeasureKind::Detention,
            ordered_by: Some("Almaly district court".into()),
            from: day("2026-09-01"),
            until: Some(day(until)),
        };
        inv.add_measure(&case, m).unwrap();
    }
    let court = inv.show_case(&case).unwrap().court;
    let alerts: Vec<_> = court.measures.iter().map(|m| m.alert).collect();
    assert_eq!(court.measure_alerts, 2);
    // The case list and the supervisor's report say so too, from the
    // index alone, and the list of cases needing action holds the case.
    let listed = |ws: &mut Workspace| {
        let filter = CaseFilter {
            overdue_only: true,
            ..CaseFilter::default()
        };
        let list = ws.list_cases(&filter).unwrap();
        list.cases
            .iter()
            .map(|c| c.measure_alerts)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(&mut inv), [2]);
    assert!(alerts.contains(&Some(MeasureAlertKind::Expiring)));
    assert!(alerts.contains(&Some(MeasureAlertKind::Expired)));
    // Lifting the expired one ends its alert.
    let expired = court
        .measures
        .iter()
        .find(|m| m.alert == Some(MeasureAlertKind::Expired))
        .unwrap();
    inv.set_field(
        &case,
        &format!("measures/{}/lifted_on", expired.id),
        "2026-11-20",
    )
    .unwrap();
    assert_eq!(inv.show_case(&case).unwrap().court.measure_alerts, 1);
    assert_eq!(listed(&mut inv), [1]);
}
