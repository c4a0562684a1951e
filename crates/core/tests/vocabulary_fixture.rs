//! `vocabulary-1`: a vault written before the vocabularies that stand for
//! HTCDS fields took HTCDS 2.0's values and multiplicity. It holds a case
//! whose victims and suspects use every value those vocabularies had, set
//! the way a person sets them (by id, through `set_field` and `set_list`),
//! and two referrals as they were recorded then.

use std::path::Path;

use caravan_core::model::{ReferralDirection, Role};
use caravan_core::*;

use crate::fixtures::{TEAM, open, put_away, stored};
use crate::util::*;

pub(crate) const REFERENCE: &str = "KZ-2026-0003";

/// Every value of the vocabularies as they were, by id.
pub(crate) const SEXES: [&str; 4] = ["female", "male", "other", "unknown"];
pub(crate) const STATUSES: [&str; 3] = ["possible", "actual", "not_a_victim"];
pub(crate) const DECIDED_BY: [&str; 5] = [
    "police",
    "ngo",
    "court_or_prosecution",
    "social_services",
    "other",
];
pub(crate) const EXPLOITATION: [&str; 11] = [
    "forced_labour",
    "sexual_exploitation",
    "child_labour",
    "forced_marriage",
    "servitude",
    "forced_military",
    "organ_removal",
    "forced_begging",
    "forced_adoption",
    "surrogacy",
    "other",
];
pub(crate) const CONTROL: [&str; 17] = [
    "debt_bondage",
    "takes_earnings",
    "restricts_financial_access",
    "threats_of_violence",
    "psychological_abuse",
    "physical_abuse",
    "sexual_abuse",
    "false_promises",
    "psychoactive_substance",
    "restricts_movement",
    "restricts_medical_care",
    "excessive_working_hours",
    "threats_law_enforcement",
    "withholds_necessities",
    "withholds_documents",
    "threats_to_family",
    "other",
];
pub(crate) const RECRUITMENT: [&str; 9] = [
    "workplace",
    "school",
    "online_social_network",
    "online_advertisement",
    "print_or_broadcast_advertisement",
    "family",
    "friend",
    "intermediary",
    "other",
];
pub(crate) const ROLES: [&str; 8] = [
    "recruiter",
    "transporter",
    "broker",
    "exploiter",
    "smuggler",
    "kidnapper",
    "financier",
    "other",
];
/// The victims' citizenship, one each (victim `i` has `CITIZENSHIP[i % 3]`).
pub(crate) const CITIZENSHIP: [&str; 3] = ["kz", "UZ", "tj"];

/// The victims' pseudonyms: one victim per recruitment method.
pub(crate) fn victim(i: usize) -> String {
    format!("V-{}", i + 1)
}

/// Aibek's and Dana's vaults (two investigators of the team, both holding
/// the case, Dana by a grant): one case with nine victims (V-1 … V-9), the `i`-th
/// recruited by `RECRUITMENT[i]`, of sex `SEXES[i % 4]`, status
/// `STATUSES[i % 3]` decided by `DECIDED_BY[i % 5]`; V-1 with every type
/// of exploitation and every method of control; two suspects, S-1 with
/// every role and citizenship UZ, S-2 with none; an incoming and an
/// outgoing referral of V-1.
pub(crate) fn write_vocabulary_1(dir: &Path) {
    let work = tempfile::tempdir().unwrap();
    let mut admin = founder(work.path(), TEAM);
    let mut inv = enrol(&mut admin, &dir.join("aibek"), "Aibek", Role::Investigator);
    swap(&mut admin, &mut inv);
    let mut dana = enrol(&mut admin, &dir.join("dana"), "Dana", Role::Investigator);
    let case = open_case(&mut inv, REFERENCE, "Vocabularies before HTCDS 2.0");
    let mut victims = vec![];
    for (i, recruitment) in RECRUITMENT.iter().enumerate() {
        let input = PersonInput::new(PersonKind::Victim, &victim(i), &format!("Victim {i}"));
        let id = inv.add_person(&case, input).unwrap();
        let set = |inv: &mut Workspace, field: &str, value: &str| {
            inv.set_field(&case, &format!("victims/{id}/{field}"), value)
                .unwrap();
        };
        // A victim is recorded of unknown sex, a possible victim: only
        // other values are set (setting a field to what it holds is no edit).
        if SEXES[i % 4] != "unknown" {
            set(&mut inv, "sex", SEXES[i % 4]);
        }
        if STATUSES[i % 3] != "possible" {
            set(&mut inv, "status", STATUSES[i % 3]);
        }
        set(&mut inv, "status_decided_by", DECIDED_BY[i % 5]);
        set(&mut inv, "recruitment", recruitment);
        set(&mut inv, "citizenship", CITIZENSHIP[i % 3]);
        victims.push(id);
    }
    let list = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
    let first = &victims[0];
    inv.set_list(
        &case,
        &format!("victims/{first}/exploitation"),
        list(&EXPLOITATION),
    )
    .unwrap();
    inv.set_list(
        &case,
        &format!("victims/{first}/control_methods"),
        list(&CONTROL),
    )
    .unwrap();
    let s1 = inv
        .add_person(
            &case,
            PersonInput::new(PersonKind::Suspect, "S-1", "Ерлан Жумабаев"),
        )
        .unwrap();
    inv.set_list(&case, &format!("suspects/{s1}/roles"), list(&ROLES))
        .unwrap();
    inv.set_field(&case, &format!("suspects/{s1}/citizenship"), "uz")
        .unwrap();
    inv.add_person(
        &case,
        PersonInput::new(PersonKind::Suspect, "S-2", "Unknown driver"),
    )
    .unwrap();
    for (direction, organisation) in [
        (ReferralDirection::Incoming, "Hotline 116"),
        (ReferralDirection::Outgoing, "Shelter Sana Sezim"),
    ] {
        let referral = ReferralInput {
            person_id: first.clone(),
            direction,
            organisation: organisation.into(),
            date: None,
            reason: format!("Referred by {organisation}"),
            organisation_type: None,
            htcds_reason: None,
            status: None,
            consent_given: false,
            consent_date: None,
        };
        inv.add_referral(&case, referral).unwrap();
    }
    swap(&mut inv, &mut admin);
    let (dana_id, _) = dana.me().unwrap();
    admin.grant(&case, &dana_id, true).unwrap();
    swap(&mut admin, &mut dana);
    swap(&mut admin, &mut inv);
    put_away([inv, dana]);
}

#[test]
fn this_build_reads_the_vocabularies_an_earlier_one_wrote() {
    use model::{
        ControlMethod as C, Exploitation as E, Gender as G, PerpetratorRole as P,
        RecruitmentMethod as R, StatusDecidedBy as D, TraffickingStatus as T,
    };
    let tmp = stored("vocabulary-1", write_vocabulary_1);
    let mut inv = open(tmp.path(), "aibek");
    inv.audit_verify().unwrap();
    let cases = inv.list_cases(&CaseFilter::default()).unwrap();
    assert!(cases.unreadable.is_empty(), "{:?}", cases.unreadable);
    let id = cases.cases[0].id.clone();
    let case = inv.show_case(&id).unwrap();
    assert_eq!(case.reference, REFERENCE);
    assert_eq!(case.people.len(), 11);
    assert_eq!(case.referrals.len(), 2);

    // Every earlier value reads as its HTCDS value, or as itself where
    // HTCDS has none (a legacy value): none is lost.
    let genders = [G::Feminine, G::Masculine, G::Other, G::NonSpecifiedUnknown];
    let statuses = [
        T::PossibleVictimOfTrafficking,
        T::ActualVictimOfTrafficking,
        T::NotAVictimOfTrafficking,
    ];
    let deciders = [
        D::Police,
        D::NGO,
        D::CourtOrProsecution,
        D::NonPoliceGovernmentalOrganization,
        D::Other,
    ];
    let recruitment = [
        R::AtWork,
        R::AtAnEducationalInstitution,
        R::ThroughOnlineSocialNetworks,
        R::ThroughAnOnlineAdvertisement,
        R::PrintOrBroadcastAdvertisement,
        R::ThroughFamilyOrFamilyEvents,
        R::ThroughFriendsOrSocialEvents,
        R::Intermediary,
        R::Other,
    ];
    let citizenship = ["KZ", "UZ", "TJ"];
    for (i, method) in recruitment.iter().enumerate() {
        let p = case
            .people
            .iter()
            .find(|p| p.pseudonym == victim(i))
            .unwrap();
        // The single recruitment method and citizenship of a record made
        // before they became lists read as lists of one.
        let read = (
            p.sex,
            p.status,
            p.status_decided_by,
            p.recruitment_methods.clone(),
            p.citizenships.clone(),
        );
        let want = (
            Some(genders[i % 4]),
            Some(statuses[i % 3]),
            Some(deciders[i % 5]),
            vec![*method],
            vec![citizenship[i % 3].to_string()],
        );
        assert_eq!(read, want, "{}", victim(i));
        assert!(
            p.sex_exploitation.is_empty()
                && p.recruitment_websites.is_empty()
                && p.exploitation_websites.is_empty()
        );
    }
    assert!(G::Other.is_legacy() && R::Intermediary.is_legacy());
    let v1 = case.people.iter().find(|p| p.pseudonym == "V-1").unwrap();
    assert_eq!(
        v1.exploitation,
        [
            E::ForcedLabour,
            E::SexualExploitation,
            E::ChildLabour,
            E::ForcedMarriage,
            E::Servitude,
            E::ForcedMilitaryByNonStateActors,
            E::OrganRemoval,
            E::ForcedBegging,
            E::ForcedAdoption,
            E::Surrogacy,
            E::Other,
        ]
    );
    let control = [
        C::DebtBondage,
        C::TakesEarnings,
        C::RestrictsFinancialAccess,
        C::PhysicalThreats,
        C::PsychologicalAbuse,
        C::PhysicalAbuse,
        C::SexualAbuse,
        C::FalsePromises,
        C::PsychoactiveSubstance,
        C::RestrictsMovement,
        C::RestrictsMedicalCare,
        C::ExcessiveWorkingHours,
        C::ThreatsLawEnforcement,
        C::WithholdsNecessities,
        C::WithholdsDocuments,
        C::ThreatensChildrenFamily,
        C::Other,
    ];
    assert_eq!(v1.control_methods, control);
    let s1 = case.people.iter().find(|p| p.pseudonym == "S-1").unwrap();
    assert_eq!(
        s1.roles,
        [
            P::RecruiterOrIntermediary,
            P::Transporter,
            P::BrokerTravelAgent,
            P::Exploiter,
            P::Smuggler,
            P::Kidnapper,
            P::Financier,
            P::Other,
        ]
    );
    assert_eq!(s1.citizenships, ["UZ"]);

    let v1_id = v1.id.clone();
    let s1_id = s1.id.clone();

    // The fields added for HTCDS: absent from the records made before them,
    // read as unset, and set on them like any other field.
    assert_eq!(
        (v1.forced_labour_industry, v1.relationship_to_trafficker),
        (None, None)
    );
    assert!(!s1.public_official);
    for r in &case.referrals {
        assert_eq!(
            (r.organisation_type, r.htcds_reason, r.status),
            (None, None, None)
        );
        assert_eq!((r.consent_given, r.consent_date), (false, None));
        assert!(r.reason.starts_with("Referred by"), "{}", r.reason);
    }
    let referral = case.referrals[0].id.clone();
    for (path, value) in [
        (
            format!("victims/{v1_id}/forced_labour_industry"),
            "f_construction",
        ),
        (
            format!("victims/{v1_id}/relationship_to_trafficker"),
            "familial",
        ),
        (format!("victims/{v1_id}/citizenship"), "kg"),
        (format!("suspects/{s1_id}/public_official"), "true"),
        (format!("referrals/{referral}/status"), "accepted"),
        (format!("referrals/{referral}/consent_given"), "true"),
        (format!("referrals/{referral}/consent_date"), "2026-02-01"),
    ] {
        inv.set_field(&id, &path, value).unwrap();
    }
    let shown = inv.show_case(&id).unwrap();
    let v1 = shown.people.iter().find(|p| p.id == v1_id).unwrap();
    assert_eq!(
        (
            v1.forced_labour_industry,
            v1.relationship_to_trafficker,
            v1.citizenships.clone()
        ),
        (
            Some(model::ForcedLabourIndustry::Construction),
            Some(model::RelationshipToTrafficker::Familial),
            vec!["KG".to_string()]
        )
    );
    assert!(
        shown
            .people
            .iter()
            .any(|p| p.id == s1_id && p.public_official)
    );
    let r = shown.referrals.iter().find(|r| r.id == referral).unwrap();
    assert_eq!(
        (
            r.status,
            r.consent_given,
            r.consent_date.map(|d| d.to_string())
        ),
        (
            Some(model::ReferralStatus::Accepted),
            true,
            Some("2026-02-01".to_string())
        )
    );

    // It takes new work, and two investigators' concurrent edits of the
    // victim merge: Aibek replaces a renamed value by a new one and keeps
    // the legacy one, Dana decides the status and adds a method of control.
    let mut dana = open(tmp.path(), "dana");
    let control_path = format!("victims/{v1_id}/control_methods");
    let ids = |values: &[C]| values.iter().map(|c| c.id().to_string()).collect();
    let aibeks: Vec<C> = control
        .iter()
        .copied()
        .filter(|c| *c != C::PhysicalThreats)
        .collect();
    inv.set_list(&id, &control_path, ids(&aibeks)).unwrap();
    inv.set_field(&id, &format!("victims/{v1_id}/sex"), "transgender_feminine")
        .unwrap();
    inv.set_list(
        &id,
        &format!("suspects/{s1_id}/roles"),
        vec!["financier".into(), "abuser".into()],
    )
    .unwrap();
    let danas: Vec<C> = control.iter().copied().filter(|c| *c != C::Other).collect();
    dana.set_list(&id, &control_path, ids(&danas)).unwrap();
    dana.set_field(
        &id,
        &format!("victims/{v1_id}/status"),
        "actual_victim_of_trafficking",
    )
    .unwrap();
    dana.set_field(
        &id,
        &format!("victims/{v1_id}/status_decided_by"),
        "court_or_prosecution",
    )
    .unwrap();
    // Both make the list of recruitment methods of V-8 (recruited through
    // an intermediary, a legacy value) at once: each keeps the earlier
    // value and adds one; both additions land. Dana records V-1 as
    // stateless; Aibek gives S-1 a second citizenship and V-1 a website.
    let v8 = shown
        .people
        .iter()
        .find(|p| p.pseudonym == victim(7))
        .unwrap()
        .id
        .clone();
    let methods_path = format!("victims/{v8}/recruitment_methods");
    inv.set_list(
        &id,
        &methods_path,
        vec![
            "intermediary".into(),
            "through_friends_or_social_events".into(),
        ],
    )
    .unwrap();
    dana.set_list(
        &id,
        &methods_path,
        vec![
            "intermediary".into(),
            "through_an_online_advertisement".into(),
        ],
    )
    .unwrap();
    dana.set_list(
        &id,
        &format!("victims/{v1_id}/citizenships"),
        vec!["stateless".into()],
    )
    .unwrap();
    inv.set_list(
        &id,
        &format!("suspects/{s1_id}/citizenships"),
        vec!["uz".into(), "kz".into()],
    )
    .unwrap();
    inv.set_list(
        &id,
        &format!("victims/{v1_id}/exploitation_websites"),
        vec!["telegram".into(), "4sale".into()],
    )
    .unwrap();
    let report = swap(&mut inv, &mut dana);
    assert!(report.quarantined.is_empty(), "{report:?}");
    let report = swap(&mut dana, &mut inv);
    assert!(report.quarantined.is_empty(), "{report:?}");
    for ws in [&mut inv, &mut dana] {
        let case = ws.show_case(&id).unwrap();
        let v8 = case.people.iter().find(|p| p.id == v8).unwrap();
        let mut methods = v8.recruitment_methods.clone();
        methods.sort_by_key(|m| m.id());
        assert_eq!(
            methods,
            [
                R::Intermediary,
                R::ThroughAnOnlineAdvertisement,
                R::ThroughFriendsOrSocialEvents
            ]
        );
        let v1 = case.people.iter().find(|p| p.id == v1_id).unwrap();
        assert_eq!(v1.citizenships, ["XXA"]);
        assert_eq!(
            v1.exploitation_websites,
            [model::WebsiteOrApp::Telegram, model::WebsiteOrApp::FourSale]
        );
        let s1 = case.people.iter().find(|p| p.id == s1_id).unwrap();
        assert_eq!(s1.citizenships, ["UZ", "KZ"]);
    }
    let merged: Vec<C> = control
        .iter()
        .copied()
        .filter(|c| ![C::PhysicalThreats, C::Other].contains(c))
        .collect();
    for ws in [&mut inv, &mut dana] {
        let case = ws.show_case(&id).unwrap();
        let v1 = case.people.iter().find(|p| p.id == v1_id).unwrap();
        assert_eq!(v1.control_methods, merged);
        assert_eq!(
            (v1.sex, v1.status, v1.status_decided_by),
            (
                Some(G::TransgenderFeminine),
                Some(T::ActualVictimOfTrafficking),
                Some(D::CourtOrProsecution)
            )
        );
        let s1 = case.people.iter().find(|p| p.id == s1_id).unwrap();
        assert_eq!(s1.roles, [P::Financier, P::Abuser]);
    }
}
