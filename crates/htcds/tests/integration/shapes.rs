//! What each value becomes: years, bands, country codes, statelessness,
//! lists, values of earlier versions; and the same cases give the same
//! bytes.

use caravan_htcds::{FILE_NAMES, age_band, registration_year};
use caravan_model::vocab::*;

use crate::common::*;
use crate::values::assert_all_allowed;

fn twelve(make: impl Fn(&mut caravan_model::Victim)) -> Vec<caravan_model::Case> {
    vec![case_of(12, |_| {
        let mut v = victim();
        make(&mut v);
        v
    })]
}

#[test]
fn dates_leave_as_a_year_and_nothing_finer() {
    let e = run(&twelve(|_| {}), 11);
    for row in json_rows(&e, "victims.json") {
        assert_eq!(row["cas_RegistrationYear"], "2026");
    }
    for f in e.files() {
        let text = String::from_utf8(f.bytes).unwrap();
        assert!(!text.contains("2026-03"), "{}: no month and day", f.name);
        assert!(!text.contains("2025-11"), "{}: no event date", f.name);
        assert!(!text.contains("1773532800"), "{}: no moment", f.name);
    }
    assert_eq!(registration_year(0), Some(1970));
    assert_eq!(registration_year(CREATED), Some(2026));
    assert_eq!(registration_year(-1), Some(1969));
    assert_eq!(
        registration_year(-2_300_000_000_000),
        None,
        "before 1900 is a wrong clock"
    );
    assert_eq!(registration_year(i64::MAX), None);
    assert_eq!(registration_year(i64::MIN), None);
}

#[test]
fn ages_leave_as_ctdc_bands() {
    let cases: Vec<(u64, &str)> = vec![
        (0, "0--8"),
        (8, "0--8"),
        (9, "9--17"),
        (17, "9--17"),
        (18, "18--20"),
        (20, "18--20"),
        (21, "21--23"),
        (24, "24--26"),
        (27, "27--29"),
        (29, "27--29"),
        (30, "30--38"),
        (38, "30--38"),
        (39, "39--47"),
        (47, "39--47"),
        (48, "48+"),
        (u64::MAX, "48+"),
    ];
    for (age, band) in cases {
        assert_eq!(age_band(age), band, "{age}");
    }
    let e = run(&twelve(|v| v.age_at_trafficking = Some(33)), 11);
    let text = String::from_utf8(file(&e, "victims.csv")).unwrap();
    assert!(text.contains(",30--38,"));
    assert!(!text.contains(",33,"), "the age itself never leaves");
    let e = run(&twelve(|v| v.age_at_trafficking = None), 11);
    assert_eq!(
        json_rows(&e, "victims.json")[0]["vic_AgeBand"],
        serde_json::Value::Null
    );
}

#[test]
fn a_stateless_person_is_stateless_and_never_among_the_countries() {
    let e = run(&twelve(|v| v.citizenships = vec!["XXA".into()]), 11);
    for row in json_rows(&e, "victims.json") {
        assert_eq!(row["prs_Stateless"], true);
        assert_eq!(row["prs_Citizenship"], serde_json::json!([]));
    }
    for f in e.files().iter().filter(|f| f.name != "dictionary.csv") {
        assert!(
            !String::from_utf8(f.bytes.clone()).unwrap().contains("XXA"),
            "{}",
            f.name
        );
    }
    // A person with a citizenship is not stateless.
    let e = run(&twelve(|_| {}), 11);
    assert_eq!(json_rows(&e, "victims.json")[0]["prs_Stateless"], false);
    assert_all_allowed(&e);
}

#[test]
fn several_values_are_semicolon_separated_in_csv_and_arrays_in_json() {
    let e = run(
        &twelve(|v| {
            v.citizenships = vec!["UZ".into(), "KZ".into()];
            v.recruitment_methods = vec![RecruitmentMethod::AtWork];
            v.recruitment = Some(RecruitmentMethod::ThroughFamilyOrFamilyEvents);
            v.sex_exploitation = vec![
                SexualExploitationType::Pornography,
                SexualExploitationType::Prostitution,
                SexualExploitationType::Pornography,
            ];
            v.recruitment_websites = vec![WebsiteOrApp::Telegram, WebsiteOrApp::FourSale];
        }),
        11,
    );
    let rows = csv_rows(&e, "victims.csv");
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let row = &rows[1];
    assert_eq!(
        row[col("prs_Citizenship")],
        "KZ;UZ",
        "countries alphabetically"
    );
    // Each once, in the standard's order; the single field of an older
    // release read with the list.
    assert_eq!(
        row[col("vic_MethodOfRecruitment")],
        "AtWork;ThroughFamilyOrFamilyEvents"
    );
    assert_eq!(
        row[col("vic_TypeOfSexExploitation")],
        "Prostitution;Pornography"
    );
    assert_eq!(row[col("vic_RecruitmentWebsitesAndApps")], "Telegram;4Sale");
    assert_eq!(row[col("vic_ExploitationWebsitesAndApps")], "");
    let json = &json_rows(&e, "victims.json")[0];
    assert_eq!(json["prs_Citizenship"], serde_json::json!(["KZ", "UZ"]));
    assert_eq!(
        json["vic_ExploitationWebsitesAndApps"],
        serde_json::json!([])
    );
}

#[test]
fn values_of_earlier_versions_leave_as_the_standards_values() {
    let mut cases = twelve(|v| {
        v.sex = Gender::Other;
        v.control_methods = vec![ControlMethod::RestrictsMovement, ControlMethod::DebtBondage];
        v.recruitment_methods = vec![
            RecruitmentMethod::PrintOrBroadcastAdvertisement,
            RecruitmentMethod::Intermediary,
        ];
        // One citizenship, in the single field, as earlier releases wrote.
        v.citizenships = Vec::new();
        v.citizenship = Some("KG".into());
    });
    for (i, s) in (0..12).map(|i| (i, suspect())) {
        let mut s = s;
        s.roles = vec![PerpetratorRole::Financier];
        s.citizenships = Vec::new();
        s.citizenship = Some("TJ".into());
        cases[0].suspects.insert(format!("s{i}"), s);
    }
    let e = run(&cases, 11);
    assert_all_allowed(&e);
    let v = &json_rows(&e, "victims.json")[0];
    assert_eq!(v["prs_Gender"], "NonSpecifiedUnknown");
    assert_eq!(
        v["vic_MethodsOfControl"],
        serde_json::json!(["DebtBondage", "Other"])
    );
    assert_eq!(v["vic_MethodOfRecruitment"], serde_json::json!(["Other"]));
    assert_eq!(v["prs_Citizenship"], serde_json::json!(["KG"]));
    let p = &json_rows(&e, "perpetrators.json")[0];
    assert_eq!(p["per_RoleInProcess"], serde_json::json!(["Other"]));
    assert_eq!(p["prs_Citizenship"], serde_json::json!(["TJ"]));
}

#[test]
fn industries_the_model_names_in_full_leave_under_the_standards_names() {
    let e = run(
        &twelve(|v| {
            v.forced_labour_industry =
                Some(ForcedLabourIndustry::PublicAdministrationAndDefenceCompulsorySocialSecurity)
        }),
        11,
    );
    assert_eq!(
        json_rows(&e, "victims.json")[0]["vic_ForcedLabourIndustry"],
        "O_PublicAdministrationAndDefence"
    );
}

#[test]
fn anything_but_a_country_code_is_no_country() {
    let mut cases = twelve(|v| v.citizenships = vec!["uz".into(), "Uzbekistan".into(), "".into()]);
    for (i, country) in ["kz", "Almaty", " KG ", "K1"].iter().enumerate() {
        cases[0].timeline.insert(
            format!("e{i}"),
            event(EventKind::Exploitation, country, &[]),
        );
    }
    let e = run(&cases, 11);
    let v = &json_rows(&e, "victims.json")[0];
    assert_eq!(v["prs_Citizenship"], serde_json::json!(["UZ"]));
    assert_eq!(
        v["vic_CountryOfExploitation"],
        serde_json::json!(["KG", "KZ"])
    );
}

#[test]
fn an_event_counts_for_the_victims_it_names_or_for_every_victim_when_it_names_none() {
    let mut cases = vec![case_of(22, |_| victim())];
    let c = &mut cases[0];
    let named: Vec<String> = (0..11).map(|i| format!("v{i}")).collect();
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    c.timeline
        .insert("a".into(), event(EventKind::Exploitation, "TR", &named));
    c.timeline
        .insert("b".into(), event(EventKind::Exploitation, "AE", &[]));
    c.timeline
        .insert("c".into(), event(EventKind::Transit, "KZ", &[]));
    let e = run(&cases, 11);
    let mut countries: Vec<String> = json_rows(&e, "victims.json")
        .iter()
        .map(|r| r["vic_CountryOfExploitation"].to_string())
        .collect();
    countries.dedup();
    assert_eq!(countries, ["[\"AE\"]", "[\"AE\",\"TR\"]"]);
}

#[test]
fn the_same_cases_give_the_same_bytes_whatever_their_order() {
    let mut cases: Vec<_> = (0..5)
        .map(|n| {
            case_of(7, |i| {
                let mut v = victim();
                v.age_at_trafficking = Some(((n * 7 + i) % 50) as u64);
                v.sex = Gender::CURRENT[(n + i) % 2];
                v
            })
        })
        .collect();
    let a = run(&cases, 3).files();
    cases.reverse();
    let b = run(&cases, 3).files();
    assert_eq!(a, b);
    let names: Vec<&str> = a.iter().map(|f| f.name).collect();
    assert_eq!(names, FILE_NAMES);
}

#[test]
fn no_cases_give_headers_and_an_empty_report() {
    let e = run(&[], 11);
    assert_eq!(
        String::from_utf8(file(&e, "perpetrators.csv")).unwrap(),
        "per_Id,cas_Status,cas_RegistrationYear,prs_Citizenship,prs_Stateless,per_RoleInProcess\r\n"
    );
    assert_eq!(String::from_utf8(file(&e, "victims.json")).unwrap(), "[]\n");
    assert_eq!(e.report.cases, 0);
    assert_eq!(e.report.victims.rows, 0);
}
