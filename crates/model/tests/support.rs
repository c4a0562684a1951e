//! A victim's support plan, reflection period and return: services read
//! back and merge from two devices of an older case; the victim's fields
//! read as unset on a victim made before them and are added when first
//! set; what the checks and the policy refuse; the reflection period's
//! alerts.

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use caravan_model::support::{ReflectionAlert, reflection_alerts};
use caravan_model::*;

use crate::common::*;

fn set(path: &str, value: impl Into<Scalar>) -> Edit {
    Edit::Set {
        path: path.parse().unwrap(),
        value: value.into(),
    }
}

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn referral() -> Record {
    Record::Referral(Referral {
        person_id: "v1".into(),
        direction: ReferralDirection::Outgoing,
        organisation: "Shelter Sana Sezim".into(),
        date: Some(day("2026-02-01")),
        reason: "Needs a safe place".into(),
        outcome: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        organisation_type: Some(OrganisationType::Shelter),
        htcds_reason: None,
        status: None,
        consent_given: true,
        consent_date: None,
    })
}

fn service(victim: &str, kind: SupportType) -> SupportService {
    SupportService {
        victim_id: victim.into(),
        kind,
        provider: Some("Sana Sezim".into()),
        referral_id: None,
        status: SupportStatus::Planned,
        started_on: Some(day("2026-03-01")),
        ended_on: None,
        note: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    }
}

/// A case with an adult victim `v1`, a child `c1` and a referral `rf1`.
fn seeded() -> CaseDoc {
    let mut doc = new_case();
    let child = Victim {
        age_at_trafficking: Some(15),
        ..victim("C-1", "Child Name")
    };
    for edit in [
        insert("v1", Record::Victim(victim("V-1", "Secret Name"))),
        insert("c1", Record::Victim(child)),
        insert("rf1", referral()),
    ] {
        doc.apply(edit, &investigator(), catalog()).unwrap();
    }
    doc
}

/// A case as a release before the support plan made it: no `support`
/// collection, and victims without the fields added with it.
fn older_case() -> CaseDoc {
    let mut doc = seeded();
    let am = doc.automerge_mut();
    am.delete(ROOT, "support").unwrap();
    for id in ["v1", "c1"] {
        let victim = am.get(ROOT, "victims").unwrap().unwrap().1;
        let victim = am.get(&victim, id).unwrap().unwrap().1;
        for field in [
            "reflection_from",
            "reflection_until",
            "residence_decision",
            "residence_decided_on",
            "return_country",
            "reintegration_status",
            "family_assessment_done",
            "family_assessment_on",
        ] {
            am.delete(&victim, field).unwrap();
        }
    }
    am.commit();
    let case = doc.case().unwrap();
    assert!(case.support.is_empty());
    assert_eq!(case.victims["c1"].reflection_from, None);
    assert!(!case.victims["c1"].family_assessment_done);
    doc
}

#[test]
fn every_kind_of_service_reads_back_with_its_provider_referral_and_dates() {
    let mut doc = seeded();
    for (i, kind) in SupportType::ALL.iter().enumerate() {
        let s = SupportService {
            referral_id: Some("rf1".into()),
            status: SupportStatus::ALL[i % SupportStatus::ALL.len()],
            ended_on: Some(day("2026-04-01")),
            note: Some(format!("service {i}")),
            ..service(if i % 2 == 0 { "v1" } else { "c1" }, *kind)
        };
        doc.apply(
            insert(&format!("sp{i}"), Record::Support(s)),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    let case = CaseDoc::load(&doc.save(), actor(9))
        .unwrap()
        .case()
        .unwrap();
    assert_eq!(case.support.len(), SupportType::ALL.len());
    let first = &case.support["sp0"];
    assert_eq!(first.kind, SupportType::Education);
    assert_eq!(first.referral_id.as_deref(), Some("rf1"));
    assert_eq!(first.ended_on, Some(day("2026-04-01")));
    assert_eq!(
        support::services_of(&case, "c1").count(),
        SupportType::ALL.len() / 2
    );
    // HTCDS names are what the document holds.
    assert!(
        case.support
            .values()
            .any(|s| s.kind == SupportType::SexualExploitationRehabilitation)
    );
}

#[test]
fn a_victim_made_before_the_fields_takes_them_when_first_set() {
    let mut doc = older_case();
    let sup = author(Role::Supervisor, "sup-1");
    for (path, value) in [
        ("victims/v1/reflection_from", Scalar::from("2026-03-01")),
        ("victims/v1/reflection_until", Scalar::from("2026-04-01")),
        (
            "victims/v1/residence_decision",
            Scalar::from("TemporaryResidence"),
        ),
        (
            "victims/v1/residence_decided_on",
            Scalar::from("2026-03-28"),
        ),
        ("victims/v1/return_country", Scalar::from("UZ")),
        ("victims/v1/reintegration_status", Scalar::from("Planned")),
        ("victims/v1/family_assessment_done", Scalar::Bool(true)),
        (
            "victims/v1/family_assessment_on",
            Scalar::from("2026-03-20"),
        ),
    ] {
        doc.apply(set(path, value), &sup, catalog())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let case = CaseDoc::load(&doc.save(), actor(9))
        .unwrap()
        .case()
        .unwrap();
    let v = &case.victims["v1"];
    assert_eq!(v.reflection_from, Some(day("2026-03-01")));
    assert_eq!(v.reflection_until, Some(day("2026-04-01")));
    assert_eq!(
        v.residence_decision,
        Some(ResidenceDecision::TemporaryResidence)
    );
    assert_eq!(v.residence_decided_on, Some(day("2026-03-28")));
    assert_eq!(v.return_country.as_deref(), Some("UZ"));
    assert_eq!(v.reintegration_status, Some(ReintegrationStatus::Planned));
    assert!(v.family_assessment_done);
    assert_eq!(v.family_assessment_on, Some(day("2026-03-20")));
    // The other victim still lacks them.
    assert_eq!(case.victims["c1"].residence_decision, None);
}

#[test]
fn first_services_made_on_two_devices_of_an_older_case_are_all_kept() {
    let origin = older_case();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(
        insert("a-sp", Record::Support(service("v1", SupportType::Health))),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let sup = author(Role::Supervisor, "sup-1");
    b.apply(
        insert(
            "b-sp",
            Record::Support(SupportService {
                recorded_by: "sup-1".into(),
                ..service("c1", SupportType::Education)
            }),
        ),
        &sup,
        catalog(),
    )
    .unwrap();

    let mut ab = a.fork(actor(0xC));
    ab.merge(&mut b.clone()).unwrap();
    let mut ba = b.fork(actor(0xD));
    ba.merge(&mut a.clone()).unwrap();
    for merged in [&ab, &ba] {
        let case = merged.case().unwrap();
        assert_eq!(
            case.support.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a-sp", "b-sp"]
        );
        assert!(merged.conflicts().is_empty());
    }
    // Both are corrected in place, whichever map holds them.
    for id in ["a-sp", "b-sp"] {
        ab.apply(
            set(&format!("support/{id}/status"), "Completed"),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    let case = CaseDoc::load(&ab.save(), actor(0xE))
        .unwrap()
        .case()
        .unwrap();
    assert!(
        case.support
            .values()
            .all(|s| s.status == SupportStatus::Completed)
    );
}

#[test]
fn a_service_or_a_return_the_checks_or_the_policy_refuse_is_not_written() {
    let pro = author(Role::Prosecutor, "pro-1");
    let admin = author(Role::Admin, "adm-1");
    let of = |s: SupportService| insert("sp9", Record::Support(s));
    assert_all_refused(
        vec![
            (
                "unknown victim",
                of(service("v9", SupportType::Legal)),
                investigator(),
                "case.not_found",
            ),
            (
                "a referral's id for the victim",
                of(service("rf1", SupportType::Legal)),
                investigator(),
                "case.not_found",
            ),
            (
                "unknown referral",
                of(SupportService {
                    referral_id: Some("rf9".into()),
                    ..service("v1", SupportType::Legal)
                }),
                investigator(),
                "case.not_found",
            ),
            (
                "ends before it starts",
                of(SupportService {
                    ended_on: Some(day("2026-02-01")),
                    ..service("v1", SupportType::Legal)
                }),
                investigator(),
                "case.invalid",
            ),
            (
                "blank provider",
                of(SupportService {
                    provider: Some("  ".into()),
                    ..service("v1", SupportType::Legal)
                }),
                investigator(),
                "case.invalid",
            ),
            (
                "by a prosecutor",
                of(SupportService {
                    recorded_by: "pro-1".into(),
                    ..service("v1", SupportType::Legal)
                }),
                pro.clone(),
                "policy.denied",
            ),
            (
                "by an admin",
                of(SupportService {
                    recorded_by: "adm-1".into(),
                    ..service("v1", SupportType::Legal)
                }),
                admin,
                "policy.denied",
            ),
            (
                "a child's return without the family assessment",
                set("victims/c1/residence_decision", "Repatriated"),
                investigator(),
                "support.child_return_unassessed",
            ),
            (
                "a child's voluntary return without the family assessment",
                set("victims/c1/residence_decision", "VoluntaryReturn"),
                author(Role::Supervisor, "sup-1"),
                "support.child_return_unassessed",
            ),
            (
                "reflection ends before it starts",
                set("victims/v1/reflection_until", "2026-01-01"),
                investigator(),
                "case.invalid",
            ),
            (
                "a decision outside the vocabulary",
                set("victims/v1/residence_decision", "Asylum"),
                investigator(),
                "case.invalid",
            ),
            (
                "a country's name for the country of return",
                set("victims/v1/return_country", "Uzbekistan"),
                investigator(),
                "case.invalid",
            ),
            (
                "a prosecutor's reflection period",
                set("victims/v1/reflection_until", "2026-06-01"),
                pro,
                "policy.denied",
            ),
        ],
        || {
            let mut doc = seeded();
            doc.apply(
                set("victims/v1/reflection_from", "2026-02-01"),
                &investigator(),
                catalog(),
            )
            .unwrap();
            doc
        },
    );
    // A service is never deleted, by any role.
    let mut doc = seeded();
    doc.apply(
        insert("sp1", Record::Support(service("v1", SupportType::Health))),
        &investigator(),
        catalog(),
    )
    .unwrap();
    for role in [Role::Investigator, Role::Supervisor, Role::Admin] {
        let path: DocPath = "support/sp1".parse().unwrap();
        assert!(!policy::may_write(
            DocKind::Case,
            role,
            &path,
            WriteKind::Delete
        ));
    }
}

#[test]
fn a_child_is_returned_once_the_family_assessment_is_done_and_it_cannot_be_undone_after() {
    let mut doc = seeded();
    let inv = investigator();
    for (path, value) in [
        ("victims/c1/family_assessment_done", Scalar::Bool(true)),
        (
            "victims/c1/family_assessment_on",
            Scalar::from("2026-03-10"),
        ),
        ("victims/c1/residence_decision", Scalar::from("Repatriated")),
        ("victims/c1/return_country", Scalar::from("TJ")),
    ] {
        doc.apply(set(path, value), &inv, catalog())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let err = doc
        .apply(
            set("victims/c1/family_assessment_done", false),
            &inv,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "support.child_return_unassessed");
    // An adult returns without it; an adult's age corrected to a child's
    // with a return decided and no assessment is refused.
    doc.apply(
        set("victims/v1/residence_decision", "VoluntaryReturn"),
        &inv,
        catalog(),
    )
    .unwrap();
    let err = doc
        .apply(
            set("victims/v1/age_at_trafficking", Scalar::Uint(16)),
            &inv,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "support.child_return_unassessed");
    let case = doc.case().unwrap();
    assert!(case.victims["c1"].family_assessment_done);
    assert_eq!(case.victims["v1"].age_at_trafficking, Some(19));
}

#[test]
fn a_reflection_period_ending_within_a_week_or_ended_without_a_decision_raises_an_alert() {
    let mut doc = seeded();
    let inv = investigator();
    doc.apply(
        set("victims/v1/reflection_until", "2026-03-10"),
        &inv,
        catalog(),
    )
    .unwrap();
    doc.apply(
        set("victims/c1/reflection_until", "2026-03-20"),
        &inv,
        catalog(),
    )
    .unwrap();
    let alerts = |doc: &CaseDoc, today: &str| {
        let case = doc.case().unwrap();
        reflection_alerts(&case, day(today))
            .into_iter()
            .map(|(id, _, a)| (id.to_string(), a))
            .collect::<Vec<_>>()
    };
    assert_eq!(alerts(&doc, "2026-02-20"), []);
    assert_eq!(
        alerts(&doc, "2026-03-03"),
        [("v1".to_string(), ReflectionAlert::Ending)]
    );
    assert_eq!(
        alerts(&doc, "2026-03-15"),
        [
            ("v1".to_string(), ReflectionAlert::Ended),
            ("c1".to_string(), ReflectionAlert::Ending)
        ]
    );
    // A pending decision is no decision; a decision ends the alert.
    doc.apply(
        set("victims/v1/residence_decision", "Pending"),
        &inv,
        catalog(),
    )
    .unwrap();
    assert_eq!(alerts(&doc, "2026-03-11").len(), 1);
    doc.apply(
        set("victims/v1/residence_decision", "TemporaryResidence"),
        &inv,
        catalog(),
    )
    .unwrap();
    assert_eq!(
        alerts(&doc, "2026-03-15"),
        [("c1".to_string(), ReflectionAlert::Ending)]
    );
}

#[test]
fn a_correction_of_several_fields_is_checked_once_it_is_whole() {
    let mut doc = seeded();
    let inv = investigator();
    for (path, value) in [
        ("victims/v1/reflection_from", "2026-03-01"),
        ("victims/v1/reflection_until", "2026-03-31"),
    ] {
        doc.apply(set(path, value), &inv, catalog()).unwrap();
    }
    // Both days moved past the old end, in one edit: the first alone
    // would end the period before it starts.
    doc.apply(
        Edit::SetFields {
            edits: vec![
                set("victims/v1/reflection_from", "2026-05-01"),
                set("victims/v1/reflection_until", "2026-05-31"),
            ],
        },
        &inv,
        catalog(),
    )
    .unwrap();
    // A child's assessment and return saved together are accepted; the
    // return alone is not, and writes nothing.
    let err = doc
        .apply(
            Edit::SetFields {
                edits: vec![set("victims/c1/residence_decision", "Repatriated")],
            },
            &inv,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "support.child_return_unassessed");
    doc.apply(
        Edit::SetFields {
            edits: vec![
                set("victims/c1/residence_decision", "Repatriated"),
                set("victims/c1/family_assessment_done", true),
            ],
        },
        &inv,
        catalog(),
    )
    .unwrap();
    let case = doc.case().unwrap();
    assert_eq!(case.victims["v1"].reflection_from, Some(day("2026-05-01")));
    assert_eq!(
        case.victims["c1"].residence_decision,
        Some(ResidenceDecision::Repatriated)
    );
}
