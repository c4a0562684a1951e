//! HTCDS 2.0 fields: names earlier versions stored are read as their HTCDS
//! values, the fields added for HTCDS read back and default on records made
//! before them, and writes outside the standard are refused.

use caravan_model::*;

use crate::common::*;

fn set(path: &str, value: impl Into<Scalar>) -> Edit {
    Edit::Set {
        path: path.parse().unwrap(),
        value: value.into(),
    }
}

fn referral() -> Referral {
    Referral {
        person_id: "v1".into(),
        direction: ReferralDirection::Outgoing,
        organisation: "Shelter Sana Sezim".into(),
        date: Some("2026-02-01".parse().unwrap()),
        reason: "Needs a safe place".into(),
        outcome: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        organisation_type: Some(OrganisationType::Shelter),
        htcds_reason: Some(ReferralReason::AdditionalServicesRequired),
        status: Some(ReferralStatus::Proposed),
        consent_given: true,
        consent_date: Some("2026-01-31".parse().unwrap()),
    }
}

fn suspect() -> Suspect {
    Suspect {
        identity: Identity {
            full_name: "Ерлан Жумабаев".into(),
            ..Default::default()
        },
        pseudonym: "S-1".into(),
        roles: vec![PerpetratorRole::RecruiterOrIntermediary],
        citizenship: Some("KZ".into()),
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        public_official: false,
        citizenships: Vec::new(),
    }
}

fn seeded() -> CaseDoc {
    let mut doc = new_case();
    let records = [
        ("v1", Record::Victim(victim("V-1", "Гульнара Ахмедова"))),
        ("s1", Record::Suspect(suspect())),
        ("rf1", Record::Referral(referral())),
    ];
    for (id, record) in records {
        doc.apply(insert(id, record), &investigator(), catalog())
            .unwrap();
    }
    doc
}

/// The string stored at a path of map keys, as the document holds it.
fn stored(doc: &CaseDoc, keys: &[&str]) -> Option<String> {
    use automerge::{ROOT, ReadDoc, Value};
    let am = doc.automerge();
    let (last, parents) = keys.split_last()?;
    let mut obj = ROOT;
    for k in parents {
        obj = am.get(&obj, *k).ok()??.1;
    }
    match am.get(&obj, *last).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn reloaded(doc: &mut CaseDoc) -> Case {
    CaseDoc::load(&doc.save(), actor(9))
        .unwrap()
        .case()
        .unwrap()
}

#[test]
fn the_fields_added_for_htcds_read_back_as_written() {
    let mut doc = seeded();
    let edits = [
        set(
            "victims/v1/forced_labour_industry",
            ForcedLabourIndustry::ActivitiesOfHouseholdsAsEmployers,
        ),
        set(
            "victims/v1/relationship_to_trafficker",
            RelationshipToTrafficker::Unaquainted,
        ),
        set("suspects/s1/public_official", Scalar::Bool(true)),
        set("referrals/rf1/status", ReferralStatus::Accepted),
    ];
    for edit in edits {
        doc.apply(edit, &investigator(), catalog()).unwrap();
    }
    let case = reloaded(&mut doc);
    let v1 = &case.victims["v1"];
    assert_eq!(
        (v1.forced_labour_industry, v1.relationship_to_trafficker),
        (
            Some(ForcedLabourIndustry::ActivitiesOfHouseholdsAsEmployers),
            Some(RelationshipToTrafficker::Unaquainted)
        )
    );
    assert!(case.suspects["s1"].public_official);
    let rf = &case.referrals["rf1"];
    assert_eq!(rf.status, Some(ReferralStatus::Accepted));
    assert_eq!(
        (&rf.organisation_type, &rf.htcds_reason, rf.consent_given),
        (
            &Some(OrganisationType::Shelter),
            &Some(ReferralReason::AdditionalServicesRequired),
            true
        )
    );
    // HTCDS's own names are what the document holds.
    assert_eq!(
        stored(&doc, &["victims", "v1", "forced_labour_industry"]).as_deref(),
        Some("T_ActivitiesOfHouseholdsAsEmployers")
    );
}

#[test]
fn a_name_an_earlier_version_stored_is_accepted_and_read_as_its_htcds_value() {
    let mut doc = seeded();
    // A device of an earlier release still writes the names it knows.
    for (path, old) in [
        ("victims/v1/sex", "Female"),
        ("victims/v1/status", "NotAVictim"),
        ("victims/v1/status_decided_by", "SocialServices"),
        ("victims/v1/recruitment", "Friend"),
    ] {
        doc.apply(set(path, old), &investigator(), catalog())
            .unwrap();
    }
    let v1 = &reloaded(&mut doc).victims["v1"];
    assert_eq!(
        (v1.sex, v1.status, v1.status_decided_by, v1.recruitment),
        (
            Gender::Feminine,
            TraffickingStatus::NotAVictimOfTrafficking,
            Some(StatusDecidedBy::NonPoliceGovernmentalOrganization),
            Some(RecruitmentMethod::ThroughFriendsOrSocialEvents)
        )
    );
}

#[test]
fn a_value_outside_htcds_or_of_another_form_is_refused() {
    let list = |path: &str, values: &[&str]| Edit::SetList {
        path: path.parse().unwrap(),
        values: values.iter().map(|v| Scalar::from(*v)).collect(),
    };
    assert_all_refused(
        vec![
            (
                "a gender outside the list",
                set("victims/v1/sex", "Woman"),
                investigator(),
                "case.invalid",
            ),
            (
                "an industry by its title alone",
                set("victims/v1/forced_labour_industry", "Construction"),
                investigator(),
                "case.invalid",
            ),
            (
                "an industry by its id",
                set("victims/v1/forced_labour_industry", "f_construction"),
                investigator(),
                "case.invalid",
            ),
            (
                "a relationship in the usual spelling",
                set("victims/v1/relationship_to_trafficker", "Unacquainted"),
                investigator(),
                "case.invalid",
            ),
            (
                "a citizenship that is not a country code",
                set("victims/v1/citizenship", "Kazakhstan"),
                investigator(),
                "case.invalid",
            ),
            (
                "a citizenship in lower case",
                set("suspects/s1/citizenship", "kz"),
                investigator(),
                "case.invalid",
            ),
            (
                "one value where a list belongs",
                set("victims/v1/control_methods", "DebtBondage"),
                investigator(),
                "case.invalid",
            ),
            (
                "a method of control outside the list",
                list("victims/v1/control_methods", &["DebtBondage", "Blackmail"]),
                investigator(),
                "case.invalid",
            ),
            (
                "a complicity flag as text",
                set("suspects/s1/public_official", "yes"),
                investigator(),
                "case.invalid",
            ),
            (
                "a complicity flag unset",
                set("suspects/s1/public_official", Scalar::Null),
                investigator(),
                "case.invalid",
            ),
            (
                "a referral status outside the list",
                set("referrals/rf1/status", "Pending"),
                investigator(),
                "case.invalid",
            ),
            (
                "a referral reason outside HTCDS's",
                set("referrals/rf1/htcds_reason", "Housing"),
                investigator(),
                "case.invalid",
            ),
            (
                "a consent date that is no day",
                set("referrals/rf1/consent_date", "2026-02-30"),
                investigator(),
                "case.invalid",
            ),
            (
                "a prosecutor marks a suspect an official",
                set("suspects/s1/public_official", Scalar::Bool(true)),
                author(Role::Prosecutor, "pro-1"),
                "policy.denied",
            ),
        ],
        seeded,
    );
}
