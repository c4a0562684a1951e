//! k-anonymity: a class smaller than k loses rare values, then whole
//! quasi-identifiers, then its rows, each counted in the report; a class
//! of k stays as it is.

use caravan_htcds::{FieldCount, Options, TableKind, export};
use caravan_model::vocab::*;

use crate::common::*;

/// The classes of a table's quasi-identifiers: their sizes.
pub fn class_sizes(e: &caravan_htcds::Export, kind: TableKind) -> Vec<usize> {
    let table = match kind {
        TableKind::Victims => &e.victims,
        TableKind::Perpetrators => &e.perpetrators,
    };
    let fields = kind.fields();
    let qi: Vec<usize> = kind
        .quasi_identifiers()
        .concat()
        .iter()
        .map(|n| fields.iter().position(|f| f.name == *n).unwrap())
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for r in &table.rows {
        let key: Vec<_> = qi.iter().map(|i| r.cells[*i].clone()).collect();
        *counts.entry(key).or_insert(0usize) += 1;
    }
    counts.into_values().collect()
}

fn with_age(n: usize, age: u64) -> caravan_model::Case {
    case_of(n, |_| {
        let mut v = victim();
        v.age_at_trafficking = Some(age);
        v
    })
}

#[test]
fn a_class_of_k_stays_whole() {
    let e = run(&[with_age(11, 19)], 11);
    assert_eq!(e.report.victims.exported, 11);
    assert_eq!(e.report.victims.withheld, 0);
    assert!(e.report.victims.suppressed.is_empty());
    for row in json_rows(&e, "victims.json") {
        assert_eq!(row["vic_AgeBand"], "18--20");
    }
}

fn unknown_age(n: usize) -> caravan_model::Case {
    case_of(n, |_| {
        let mut v = victim();
        v.age_at_trafficking = None;
        v
    })
}

#[test]
fn a_rare_value_in_a_small_class_is_suppressed_and_reported() {
    // Eleven aged 19, eleven of unknown age and one aged 35: the one's
    // band is rare; without it, the row joins those of unknown age.
    let e = run(&[with_age(11, 19), unknown_age(11), with_age(1, 35)], 11);
    let r = &e.report.victims;
    assert_eq!((r.rows, r.exported, r.withheld), (23, 23, 0));
    assert_eq!(
        r.suppressed,
        [FieldCount {
            field: "vic_AgeBand".into(),
            rows: 1
        }]
    );
    let bands: Vec<_> = json_rows(&e, "victims.json")
        .iter()
        .map(|r| r["vic_AgeBand"].clone())
        .collect();
    assert_eq!(bands.iter().filter(|b| b.is_null()).count(), 12);
    assert_eq!(class_sizes(&e, TableKind::Victims), [12, 11]);
    assert!(
        !String::from_utf8(file(&e, "victims.csv"))
            .unwrap()
            .contains("30--38")
    );
    let report: serde_json::Value = serde_json::from_slice(&file(&e, "suppression.json")).unwrap();
    assert_eq!(report["k"], 11);
    assert_eq!(report["victims"]["suppressed"][0]["field"], "vic_AgeBand");
    assert_eq!(report["victims"]["suppressed"][0]["rows"], 1);
}

#[test]
fn a_class_that_suppression_cannot_grow_to_k_is_withheld_and_reported() {
    // Five rows alike and nothing else: suppressing everything still
    // leaves a class of five.
    let e = run(&[with_age(5, 19)], 11);
    let r = &e.report.victims;
    assert_eq!((r.rows, r.exported, r.withheld), (5, 0, 5));
    assert_eq!(json_rows(&e, "victims.json").len(), 0);
    // A withheld row is counted once, as withheld.
    assert!(r.suppressed.is_empty());
    // A row alone among common ones is withheld too: suppressing its rare
    // value leaves it alone still.
    let e = run(&[with_age(11, 19), with_age(1, 35)], 11);
    let r = &e.report.victims;
    assert_eq!((r.rows, r.exported, r.withheld), (12, 11, 1));
    assert!(r.suppressed.is_empty());
}

#[test]
fn rows_suppressed_together_form_a_class_of_k() {
    // Eleven victims of eleven citizenships: each alone, together eleven.
    let countries = [
        "AE", "AF", "AM", "AZ", "BY", "CN", "GE", "IN", "KG", "KZ", "MN",
    ];
    let c = case_of(11, |i| {
        let mut v = victim();
        v.citizenships = vec![countries[i].into()];
        v
    });
    let e = run(&[c], 11);
    let r = &e.report.victims;
    assert_eq!((r.exported, r.withheld), (11, 0));
    assert_eq!(
        r.suppressed,
        [
            FieldCount {
                field: "prs_Citizenship".into(),
                rows: 11
            },
            FieldCount {
                field: "prs_Stateless".into(),
                rows: 11
            }
        ]
    );
    assert_eq!(class_sizes(&e, TableKind::Victims), [11]);
}

#[test]
fn k_is_what_the_caller_asks_within_bounds() {
    let cases = [with_age(3, 19)];
    let e = export(&cases, &Options { k: 3 });
    assert_eq!(e.report.k, 3);
    assert_eq!(e.report.victims.exported, 3);
    let e = export(&cases, &Options { k: 0 });
    assert_eq!(
        e.report.k,
        caravan_htcds::MIN_K,
        "k = 0 would anonymise nothing"
    );
    let e = export(&cases, &Options { k: u32::MAX });
    assert_eq!(e.report.k, caravan_htcds::MAX_K);
    assert_eq!(e.report.victims.exported, 0);
    assert_eq!(Options::default().k, 11);
}

#[test]
fn suspects_are_anonymised_over_their_own_quasi_identifiers() {
    let mut c = base();
    // Eleven recruiters, eleven of no recorded role, one kidnapper.
    for i in 0..23 {
        let mut s = suspect();
        s.roles = match i {
            0 => vec![PerpetratorRole::Kidnapper],
            1..=11 => Vec::new(),
            _ => vec![PerpetratorRole::RecruiterOrIntermediary],
        };
        c.suspects.insert(format!("s{i}"), s);
    }
    let e = run(&[c], 11);
    let r = &e.report.perpetrators;
    assert_eq!(
        r.quasi_identifiers,
        [
            "cas_RegistrationYear",
            "prs_Citizenship",
            "prs_Stateless",
            "per_RoleInProcess"
        ]
    );
    assert_eq!((r.exported, r.withheld), (23, 0));
    assert_eq!(
        r.suppressed,
        [FieldCount {
            field: "per_RoleInProcess".into(),
            rows: 1
        }]
    );
    assert!(
        !String::from_utf8(file(&e, "perpetrators.csv"))
            .unwrap()
            .contains("Kidnapper")
    );
}

/// Regression: the country of recruitment was exported beside the
/// quasi-identifiers, not as one. Eleven victims of eleven rare
/// citizenships, each recruited in their own country, lost the
/// citizenship as a rare value and formed a class of k, and each kept
/// their country of recruitment, which gave the citizenship back.
#[test]
fn a_country_of_recruitment_does_not_give_back_a_suppressed_citizenship() {
    const RARE: [&str; 11] = [
        "TJ", "KG", "TM", "RU", "TR", "AF", "CN", "IN", "PK", "AZ", "GE",
    ];
    let mut c = case_of(22, |i| {
        let mut v = victim();
        if i >= 11 {
            v.citizenships = vec![RARE[i - 11].into()];
        }
        v
    });
    let most: Vec<String> = (0..11).map(|i| format!("v{i}")).collect();
    let most: Vec<&str> = most.iter().map(String::as_str).collect();
    c.timeline
        .insert("e-uz".into(), event(EventKind::Recruitment, "UZ", &most));
    for (n, country) in RARE.iter().enumerate() {
        let person = format!("v{}", n + 11);
        c.timeline.insert(
            format!("e-{country}"),
            event(EventKind::Recruitment, country, &[person.as_str()]),
        );
    }
    let e = run(&[c], 11);
    let text = String::from_utf8(file(&e, "victims.json")).unwrap();
    for country in RARE {
        assert!(
            !text.contains(&format!("\"{country}\"")),
            "{country} in {text}"
        );
    }
    assert!(class_sizes(&e, TableKind::Victims).iter().all(|n| *n >= 11));
    let report = &e.report.victims;
    assert_eq!(report.exported + report.withheld, 22);
    let fields: Vec<&str> = report.suppressed.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"vic_CountryOfRecruitment"), "{fields:?}");
}
