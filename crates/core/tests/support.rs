//! A victim's support plan and reflection period through the workspace:
//! services name a victim and referral of the case, the victim's fields
//! are set as text and typed by the schema, and a reflection period that
//! ends within a week or has ended with no decision alerts in the victim's
//! view until a decision is recorded.

use caravan_core::model::{
    ReferralDirection, ReintegrationStatus, ResidenceDecision, SupportStatus, SupportType,
};
use caravan_core::view::ReflectionAlertKind;
use caravan_core::*;

use crate::util::*;

fn day(s: &str) -> model::Date {
    s.parse().unwrap()
}

fn service(victim: &RecordId, kind: SupportType) -> SupportServiceInput {
    SupportServiceInput {
        victim_id: victim.clone(),
        kind,
        provider: Some("  Sana Sezim  ".into()),
        referral_id: None,
        status: SupportStatus::InProgress,
        started_on: Some(day("2026-11-01")),
        ended_on: None,
        note: None,
    }
}

#[test]
fn services_and_a_victims_return_read_back_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "2026-041", "Sewing workshop");
    let v = inv
        .add_person(
            &case,
            PersonInput::new(PersonKind::Victim, "V-1", "Canary Victim"),
        )
        .unwrap();
    let referral = inv
        .add_referral(
            &case,
            ReferralInput {
                person_id: v.clone(),
                direction: ReferralDirection::Outgoing,
                organisation: "Sana Sezim".into(),
                date: None,
                reason: "shelter".into(),
                organisation_type: None,
                htcds_reason: None,
                status: None,
                consent_given: true,
                consent_date: None,
            },
        )
        .unwrap();
    let id = inv
        .add_support(
            &case,
            SupportServiceInput {
                referral_id: Some(referral.clone()),
                ..service(&v, SupportType::Health)
            },
        )
        .unwrap();
    for (field, value) in [
        ("reflection_from", "2026-11-01"),
        ("residence_decision", "temporary_residence"),
        ("return_country", "uz"),
        ("reintegration_status", "in_progress"),
        ("family_assessment_done", "true"),
    ] {
        inv.set_field(&case, &format!("victims/{v}/{field}"), value)
            .unwrap_or_else(|e| panic!("{field}: {e}"));
    }
    let view = inv.show_case(&case).unwrap();
    let s = &view.support[0];
    assert_eq!(s.id, id);
    assert_eq!(s.provider.as_deref(), Some("Sana Sezim"));
    assert_eq!(s.referral_id.as_ref(), Some(&referral));
    let victim = view.people.iter().find(|p| p.id == v).unwrap();
    let support = victim.support.as_ref().unwrap();
    assert_eq!(
        support.residence_decision,
        Some(ResidenceDecision::TemporaryResidence)
    );
    assert_eq!(support.return_country.as_deref(), Some("UZ"));
    assert_eq!(
        support.reintegration_status,
        Some(ReintegrationStatus::InProgress)
    );
    assert!(support.family_assessment_done);

    let refused = |ws: &mut Workspace, input: SupportServiceInput, code: &str| {
        let before = ws.show_case(&case).unwrap().support.len();
        let err = ws.add_support(&case, input).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(ws.show_case(&case).unwrap().support.len(), before);
    };
    refused(
        &mut inv,
        service(&RecordId::from("nobody"), SupportType::Legal),
        "core.not_found",
    );
    refused(
        &mut inv,
        SupportServiceInput {
            referral_id: Some(RecordId::from("nothing")),
            ..service(&v, SupportType::Legal)
        },
        "core.not_found",
    );
    refused(
        &mut inv,
        SupportServiceInput {
            ended_on: Some(day("2026-10-01")),
            ..service(&v, SupportType::Legal)
        },
        "case.invalid",
    );
}

#[test]
fn a_reflection_period_alerts_in_the_victims_view_until_a_decision() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "2026-042", "Greenhouses");
    let mut victim = |pseudonym: &str| {
        inv.add_person(
            &case,
            PersonInput::new(PersonKind::Victim, pseudonym, "Canary Victim"),
        )
        .unwrap()
    };
    let (ending, ended, later) = (victim("V-1"), victim("V-2"), victim("V-3"));
    // Today is 2026-11-28 on the tests' clock.
    for (v, until) in [
        (&ending, "2026-12-03"),
        (&ended, "2026-11-20"),
        (&later, "2027-01-15"),
    ] {
        inv.set_field(&case, &format!("victims/{v}/reflection_until"), until)
            .unwrap();
    }
    let alert_of = |view: &view::CaseView, v: &RecordId| {
        view.people
            .iter()
            .find(|p| &p.id == v)
            .and_then(|p| p.support.as_ref())
            .and_then(|s| s.reflection_alert)
    };
    let view = inv.show_case(&case).unwrap();
    assert_eq!(view.reflection_alerts, 2);
    assert_eq!(alert_of(&view, &ending), Some(ReflectionAlertKind::Ending));
    assert_eq!(alert_of(&view, &ended), Some(ReflectionAlertKind::Ended));
    assert_eq!(alert_of(&view, &later), None);
    // A pending decision keeps the alert; a decision ends it.
    inv.set_field(
        &case,
        &format!("victims/{ended}/residence_decision"),
        "pending",
    )
    .unwrap();
    assert_eq!(inv.show_case(&case).unwrap().reflection_alerts, 2);
    inv.set_field(
        &case,
        &format!("victims/{ended}/residence_decision"),
        "voluntary_return",
    )
    .unwrap();
    let view = inv.show_case(&case).unwrap();
    assert_eq!(view.reflection_alerts, 1);
    assert_eq!(alert_of(&view, &ended), None);
}
