//! HTCDS fields of several values added to records later
//! (`caravan_model::later_lists`): an older record reads its single
//! recruitment method and citizenship as lists of one; the first write of
//! a list makes it and keeps the single field in step; two devices making
//! the list at once both keep their values.

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};

use crate::common::*;
use caravan_model::*;

/// The keys a victim made before the lists existed lacks.
const VICTIM_LISTS: &[&str] = &[
    "recruitment_methods",
    "citizenships",
    "sex_exploitation",
    "recruitment_websites",
    "exploitation_websites",
];

/// A case whose victim `v1` and suspect `s1` were recorded by a release
/// before the lists: recruitment by an online advertisement, citizenship
/// UZ (the suspect's kz, as an early build could store it).
fn older_case() -> CaseDoc {
    let mut doc = new_case();
    let mut v = victim("Victim A", "Name");
    v.recruitment = Some(RecruitmentMethod::ThroughAnOnlineAdvertisement);
    doc.apply(insert("v1", Record::Victim(v)), &investigator(), catalog())
        .unwrap();
    doc.apply(
        insert(
            "s1",
            Record::Suspect(Suspect {
                identity: Identity {
                    full_name: "Name".into(),
                    ..Default::default()
                },
                pseudonym: "Recruiter".into(),
                roles: vec![PerpetratorRole::RecruiterOrIntermediary],
                citizenship: Some("kz".into()),
                recorded_at: AT,
                recorded_by: "inv-1".into(),
                public_official: false,
                citizenships: Vec::new(),
            }),
        ),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let am = doc.automerge_mut();
    let victims = am.get(ROOT, "victims").unwrap().unwrap().1;
    let v1 = am.get(&victims, "v1").unwrap().unwrap().1;
    for key in VICTIM_LISTS {
        am.delete(&v1, *key).unwrap();
    }
    let suspects = am.get(ROOT, "suspects").unwrap().unwrap().1;
    let s1 = am.get(&suspects, "s1").unwrap().unwrap().1;
    am.delete(&s1, "citizenships").unwrap();
    am.commit();
    doc
}

fn set_list(path: &str, values: &[&str]) -> Edit {
    Edit::SetList {
        path: path.parse().unwrap(),
        values: values.iter().map(|v| Scalar::from(*v)).collect(),
    }
}

/// What the record holds at `key`, as Automerge shows it (the earlier
/// single fields).
fn stored(doc: &CaseDoc, collection: &str, id: &str, key: &str) -> Option<String> {
    let am = doc.automerge();
    let records = am.get(ROOT, collection).unwrap().unwrap().1;
    let record = am.get(&records, id).unwrap().unwrap().1;
    match am.get(&record, key).unwrap() {
        Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn an_older_record_reads_its_single_values_as_lists_of_one() {
    let doc = older_case();
    let case = doc.case().unwrap();
    let v = &case.victims["v1"];
    assert_eq!(
        v.recruitment_methods,
        vec![RecruitmentMethod::ThroughAnOnlineAdvertisement]
    );
    assert_eq!(v.citizenships, vec!["UZ".to_string()]);
    assert!(v.sex_exploitation.is_empty());
    assert!(v.recruitment_websites.is_empty() && v.exploitation_websites.is_empty());
    assert_eq!(case.suspects["s1"].citizenships, vec!["KZ".to_string()]);
    // Nothing was written to read them so.
    assert_eq!(stored(&doc, "victims", "v1", "citizenships"), None);
}

#[test]
fn the_first_write_makes_the_list_and_keeps_the_single_field_in_step() {
    let mut doc = older_case();
    doc.apply(
        set_list(
            "victims/v1/recruitment_methods",
            &[
                "ThroughFriendsOrSocialEvents",
                "ThroughAnOnlineAdvertisement",
            ],
        ),
        &investigator(),
        catalog(),
    )
    .unwrap();
    doc.apply(
        set_list("victims/v1/citizenships", &["XXA", "TJ"]),
        &investigator(),
        catalog(),
    )
    .unwrap();
    doc.apply(
        set_list("victims/v1/recruitment_websites", &["Telegram", "4Sale"]),
        &investigator(),
        catalog(),
    )
    .unwrap();
    doc.apply(
        set_list("suspects/s1/citizenships", &["XXA"]),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let case = doc.case().unwrap();
    let v = &case.victims["v1"];
    assert_eq!(
        v.recruitment_methods,
        vec![
            RecruitmentMethod::ThroughFriendsOrSocialEvents,
            RecruitmentMethod::ThroughAnOnlineAdvertisement
        ]
    );
    assert_eq!(v.citizenships, vec!["XXA".to_string(), "TJ".to_string()]);
    assert_eq!(
        v.recruitment_websites,
        vec![WebsiteOrApp::Telegram, WebsiteOrApp::FourSale]
    );
    assert_eq!(case.suspects["s1"].citizenships, vec!["XXA".to_string()]);
    // An older release shows the first value its field can hold.
    assert_eq!(
        stored(&doc, "victims", "v1", "recruitment").as_deref(),
        Some("ThroughFriendsOrSocialEvents")
    );
    assert_eq!(
        stored(&doc, "victims", "v1", "citizenship").as_deref(),
        Some("TJ")
    );
    assert_eq!(stored(&doc, "suspects", "s1", "citizenship"), None);

    // Emptied, the list reads empty: the single field is emptied with it.
    doc.apply(
        set_list("victims/v1/recruitment_methods", &[]),
        &investigator(),
        catalog(),
    )
    .unwrap();
    assert!(
        doc.case().unwrap().victims["v1"]
            .recruitment_methods
            .is_empty()
    );
    assert_eq!(stored(&doc, "victims", "v1", "recruitment"), None);

    // The same values again change nothing.
    let err = doc
        .apply(
            set_list("victims/v1/citizenships", &["XXA", "TJ"]),
            &investigator(),
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.no_change");
}

#[test]
fn the_old_value_kept_as_the_only_one_is_no_change() {
    let mut doc = older_case();
    let err = doc
        .apply(
            set_list("victims/v1/citizenships", &["UZ"]),
            &investigator(),
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "case.no_change");
}

/// An older release writes only the single field; a value it writes while
/// the list holds others is shown with them, not hidden.
#[test]
fn a_single_value_an_older_release_writes_is_shown_with_the_list() {
    let mut doc = older_case();
    doc.apply(
        set_list("victims/v1/citizenships", &["UZ", "KZ"]),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let mut older = doc.fork(actor(7));
    older
        .apply(
            Edit::Set {
                path: "victims/v1/citizenship".parse().unwrap(),
                value: Scalar::from("KG"),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
    doc.merge(&mut older).unwrap();
    assert_eq!(
        doc.case().unwrap().victims["v1"].citizenships,
        vec!["UZ".to_string(), "KZ".to_string(), "KG".to_string()]
    );
}

/// Two devices make the list of an older record at once, offline: each
/// makes a list at the same key. Both devices' values are read; the
/// conflict is not one to decide; the next edit writes the list as wanted.
#[test]
fn lists_two_devices_made_at_once_are_read_together() {
    let origin = older_case();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(
        set_list(
            "victims/v1/recruitment_methods",
            &["ThroughAnOnlineAdvertisement", "AtWork"],
        ),
        &author(Role::Investigator, "inv-a"),
        catalog(),
    )
    .unwrap();
    b.apply(
        set_list(
            "victims/v1/recruitment_methods",
            &["ThroughFamilyOrFamilyEvents"],
        ),
        &author(Role::Investigator, "inv-b"),
        catalog(),
    )
    .unwrap();
    a.apply(
        set_list("victims/v1/sex_exploitation", &["Pornography"]),
        &author(Role::Investigator, "inv-a"),
        catalog(),
    )
    .unwrap();
    b.apply(
        set_list("victims/v1/sex_exploitation", &["Prostitution"]),
        &author(Role::Investigator, "inv-b"),
        catalog(),
    )
    .unwrap();
    let mut merged = a.fork(actor(0xC));
    merged.merge(&mut b.clone()).unwrap();
    let mut other = b.fork(actor(0xD));
    other.merge(&mut a.clone()).unwrap();
    let mut both = [merged, other];
    for doc in &both {
        let v = doc.case().unwrap().victims["v1"].clone();
        let mut methods = v.recruitment_methods.clone();
        methods.sort_by_key(|m| m.doc_name());
        assert_eq!(
            methods,
            vec![
                RecruitmentMethod::AtWork,
                RecruitmentMethod::ThroughAnOnlineAdvertisement,
                RecruitmentMethod::ThroughFamilyOrFamilyEvents,
            ],
            "both devices' values"
        );
        let mut sex = v.sex_exploitation.clone();
        sex.sort_by_key(|m| m.doc_name());
        assert_eq!(
            sex,
            vec![
                SexualExploitationType::Pornography,
                SexualExploitationType::Prostitution
            ]
        );
        assert!(
            !doc.conflicts()
                .iter()
                .any(|c| c.path.to_string().ends_with("recruitment_methods")
                    || c.path.to_string().ends_with("sex_exploitation")),
            "{:?}",
            doc.conflicts()
        );
    }
    // The next edit: what is wanted, whichever list held each value.
    let [doc, _] = &mut both;
    doc.apply(
        set_list(
            "victims/v1/recruitment_methods",
            &["ThroughFamilyOrFamilyEvents", "AtWork"],
        ),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let v = doc.case().unwrap().victims["v1"].clone();
    assert_eq!(
        v.recruitment_methods,
        vec![
            RecruitmentMethod::ThroughFamilyOrFamilyEvents,
            RecruitmentMethod::AtWork
        ]
    );
    assert_eq!(
        stored(doc, "victims", "v1", "recruitment").as_deref(),
        Some("ThroughFamilyOrFamilyEvents")
    );
    assert!(
        !doc.conflicts()
            .iter()
            .any(|c| c.path.to_string().contains("recruitment")),
        "the single field's conflict is decided by the edit"
    );
}

#[test]
fn bad_values_and_other_roles_are_refused() {
    let prosecutor = author(Role::Prosecutor, "pro-1");
    let supervisor = author(Role::Supervisor, "sup-1");
    let inv = investigator();
    #[rustfmt::skip]
    let rows: Vec<(&str, Edit, &Author, &str)> = vec![
        ("a method outside the vocabulary", set_list("victims/v1/recruitment_methods", &["ByPigeon"]), &inv, "case.invalid"),
        ("a country's name as a citizenship", set_list("victims/v1/citizenships", &["Kazakhstan"]), &inv, "case.invalid"),
        ("a country code in small letters", set_list("suspects/s1/citizenships", &["kz"]), &inv, "case.invalid"),
        ("a website outside the vocabulary", set_list("victims/v1/exploitation_websites", &["MySpace"]), &inv, "case.invalid"),
        ("a form of exploitation as a sexual exploitation type", set_list("victims/v1/sex_exploitation", &["ForcedLabour"]), &inv, "case.invalid"),
        ("a repeated citizenship", set_list("victims/v1/citizenships", &["KZ", "KZ"]), &inv, "case.invalid"),
        ("a prosecutor writes citizenships", set_list("victims/v1/citizenships", &["KZ"]), &prosecutor, "policy.denied"),
        ("a prosecutor writes recruitment methods", set_list("victims/v1/recruitment_methods", &["AtWork"]), &prosecutor, "policy.denied"),
        ("a supervisor writes a suspect's citizenships", set_list("suspects/s1/citizenships", &["KZ"]), &supervisor, "policy.denied"),
        ("a list of an unknown victim", set_list("victims/v9/citizenships", &["KZ"]), &inv, "case.not_found"),
    ];
    assert_all_refused(rows, older_case);
}
