//! The court phase under attack. Every forged change here is crafted with
//! raw Automerge by a member of the team, signed with their real device
//! key and sent in an ordinary bundle: charges, measures and procedural
//! decisions are the investigation's; hearings, verdicts and compensation
//! are kept by investigators, supervisors and prosecutors together; no
//! court record is ever deleted, none is written in another member's name,
//! and none holds a value outside its schema.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use caravan_model::*;

use super::fixture::*;
use crate::replica::Replica;
use crate::trust::BAD_VALUE;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

pub(super) fn charge(by: &str) -> Charge {
    Charge {
        person_id: "s1".into(),
        article: LegalArticle {
            jurisdiction: "KZ".into(),
            code_year: 2014,
            article: "128".into(),
            part: Some("3".into()),
            paragraph: None,
            in_force_from: None,
        },
        status: ChargeStatus::Brought,
        brought_on: Some(day("2026-03-02")),
        note: None,
        recorded_at: T0,
        recorded_by: by.into(),
    }
}

fn hearing(by: &str) -> Hearing {
    Hearing {
        date: day("2026-05-10"),
        court: "Almaty city court".into(),
        kind: HearingKind::Trial,
        outcome: HearingOutcome::Scheduled,
        measures_granted: vec![ProtectiveMeasure::VideoLink],
        measures_refused: vec![],
        safety_reviewed: true,
        next_date: None,
        note: None,
        recorded_at: T0,
        recorded_by: by.into(),
    }
}

pub(super) fn insert(r: &mut Replica, case: &str, id: &str, record: Record) {
    let edit = Edit::Insert {
        id: id.into(),
        record,
    };
    r.edit_case(case, edit, T0, catalog()).unwrap();
}

/// A opens a Kazakh case with victim v1 and suspect s1, charges s1 (ch1)
/// and schedules a hearing (he1); the admin and the prosecutor hold it.
fn charged() -> (Team, String) {
    let (mut t, c1) = opened_by_a("Secret Name");
    let a = member(&t.inv_a);
    let suspect = Suspect {
        identity: Identity {
            full_name: "Suspect".into(),
            ..Default::default()
        },
        pseudonym: "S-1".into(),
        roles: vec![PerpetratorRole::Exploiter],
        citizenship: None,
        recorded_at: T0,
        recorded_by: a.clone(),
        public_official: false,
    };
    insert(&mut t.inv_a, &c1, "s1", Record::Suspect(suspect));
    insert(&mut t.inv_a, &c1, "ch1", Record::Charge(charge(&a)));
    insert(&mut t.inv_a, &c1, "he1", Record::Hearing(hearing(&a)));
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    (t, c1)
}

/// The report refused exactly one change, with `code`.
pub(super) fn refused(report: &crate::import::ImportReport, code: &str) {
    refused_as(report, code, "");
}

fn refused_as(report: &crate::import::ImportReport, code: &str, what: &str) {
    assert_eq!(codes(report), [code], "{what}{:?}", report.quarantined);
}

pub(super) fn obj(d: &AutoCommit, keys: &[&str]) -> ObjId {
    keys.iter()
        .fold(ROOT, |o, k| d.get(&o, *k).unwrap().unwrap().1)
}

/// Writes `record` whole under `collection/id`, as a modified client would.
pub(super) fn put_record<T: autosurgeon::Reconcile>(
    d: &mut AutoCommit,
    collection: &str,
    id: &str,
    record: &T,
) {
    let map = obj(d, &[collection]);
    d.put_object(&map, id, ObjType::Map).unwrap();
    autosurgeon::reconcile_prop(d, &map, id, record).unwrap();
}

#[test]
fn a_prosecutor_cannot_bring_or_change_a_charge() {
    let (mut t, c1) = charged();
    let p = member(&t.prosecutor);
    forge(&mut t.prosecutor, &c1, |d| {
        put_record(d, "charges", "ch2", &charge(&p))
    });
    let report = send(&mut t.prosecutor, &mut t.admin);
    refused(&report, "policy.denied");
    assert!(!case_of(&t.admin, &c1).charges.contains_key("ch2"));

    // Dropping A's charge with an operation that names no value it
    // replaces (no preds), so it might pass for a new value, is refused
    // before the policy is asked.
    let (mut t, c1) = charged();
    let forged = craft(
        &mut t.prosecutor,
        &c1,
        |d| {
            let ch1 = obj(d, &["charges", "ch1"]);
            d.put(&ch1, "status", "Dropped").unwrap();
        },
        no_preds,
    );
    plant(&mut t.prosecutor, &c1, &forged);
    let report = send(&mut t.prosecutor, &mut t.admin);
    refused(&report, "sync.hidden_overwrite");
    assert_eq!(
        case_of(&t.admin, &c1).charges["ch1"].status,
        ChargeStatus::Brought
    );
}

#[test]
fn a_prosecutors_hearing_and_verdict_land_on_every_device() {
    let (mut t, c1) = charged();
    let p = member(&t.prosecutor);
    insert(&mut t.prosecutor, &c1, "he2", Record::Hearing(hearing(&p)));
    let verdict = Verdict {
        person_id: "s1".into(),
        date: day("2026-06-01"),
        court: "Almaty city court".into(),
        outcome: VerdictOutcome::Convicted,
        articles: vec!["KZ-2014-128:3".into()],
        sentence: Some("9 years".into()),
        custodial_months: Some(108),
        confiscation: None,
        appeal: None,
        appeal_decided_on: None,
        in_force_on: None,
        recorded_at: T0,
        recorded_by: p.clone(),
    };
    insert(&mut t.prosecutor, &c1, "vd1", Record::Verdict(verdict));
    let report = send(&mut t.prosecutor, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    send(&mut t.admin, &mut t.inv_a);
    let at_a = case_of(&t.inv_a, &c1);
    assert_eq!(at_a.hearings.len(), 2);
    assert_eq!(at_a.verdicts["vd1"].custodial_months, Some(108));
}

#[test]
fn court_values_outside_the_schema_are_refused() {
    type Attack = fn(&mut AutoCommit);
    let attacks: &[(&str, Attack)] = &[
        ("a protective measure outside the list", |d| {
            let granted = obj(d, &["hearings", "he1", "measures_granted"]);
            d.insert(&granted, 1, "Teleportation").unwrap();
        }),
        ("a hearing's date that is no day", |d| {
            let he1 = obj(d, &["hearings", "he1"]);
            d.put(&he1, "date", "2026-02-30").unwrap();
        }),
        ("a charge's article as a number", |d| {
            let article = obj(d, &["charges", "ch1", "article"]);
            d.put(&article, "article", ScalarValue::Uint(128)).unwrap();
        }),
        ("a charge status outside the list", |d| {
            let ch1 = obj(d, &["charges", "ch1"]);
            d.put(&ch1, "status", "Forgiven").unwrap();
        }),
        ("a part of an article that is no number or letter", |d| {
            let article = obj(d, &["charges", "ch1", "article"]);
            d.put(&article, "part", "3; DROP").unwrap();
        }),
        ("a field the hearing does not have", |d| {
            let he1 = obj(d, &["hearings", "he1"]);
            d.put(&he1, "bribe_paid", true).unwrap();
        }),
    ];
    for (what, attack) in attacks {
        let (mut t, c1) = charged();
        forge(&mut t.inv_a, &c1, attack);
        let report = send(&mut t.inv_a, &mut t.admin);
        refused_as(&report, BAD_VALUE, &format!("{what}: "));
        let held = case_of(&t.admin, &c1);
        assert_eq!(held.hearings["he1"], hearing(&member(&t.inv_a)), "{what}");
        assert_eq!(held.charges["ch1"], charge(&member(&t.inv_a)), "{what}");
    }
}

#[test]
fn no_one_deletes_a_court_record() {
    for collection in ["hearings", "charges"] {
        let (mut t, c1) = charged();
        let id = if collection == "hearings" {
            "he1"
        } else {
            "ch1"
        };
        forge(&mut t.inv_a, &c1, |d| {
            let map = obj(d, &[collection]);
            d.delete(&map, id).unwrap();
        });
        let report = send(&mut t.inv_a, &mut t.admin);
        refused_as(&report, "policy.denied", &format!("{collection}: "));
        let held = case_of(&t.admin, &c1);
        assert!(held.hearings.contains_key("he1") && held.charges.contains_key("ch1"));
    }
}

#[test]
fn a_hearing_in_another_members_name_is_refused() {
    let (mut t, c1) = charged();
    let p = member(&t.prosecutor);
    forge(&mut t.inv_a, &c1, |d| {
        put_record(d, "hearings", "he9", &hearing(&p))
    });
    let report = send(&mut t.inv_a, &mut t.admin);
    refused(&report, "sync.false_attribution");
    assert!(!case_of(&t.admin, &c1).hearings.contains_key("he9"));
}

#[test]
fn the_registry_number_is_the_investigations_to_set() {
    let (mut t, c1) = charged();
    forge(&mut t.prosecutor, &c1, |d| {
        let header = obj(d, &["header"]);
        d.put(&header, "registry_number", "000000000000000")
            .unwrap();
    });
    let report = send(&mut t.prosecutor, &mut t.admin);
    refused(&report, "policy.denied");
    assert_eq!(case_of(&t.admin, &c1).header.registry_number, None);

    // A's honest number, a field older headers lack, lands everywhere.
    let set = Edit::Set {
        path: "header/registry_number".parse().unwrap(),
        value: Scalar::Str("261500031000123".into()),
    };
    t.inv_a.edit_case(&c1, set, T0, catalog()).unwrap();
    let report = send(&mut t.inv_a, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    assert_eq!(
        case_of(&t.admin, &c1).header.registry_number.as_deref(),
        Some("261500031000123")
    );
}

#[test]
fn only_the_prosecutor_approves_an_indictment() {
    let (mut t, c1) = charged();
    let a = member(&t.inv_a);
    let drafted = Indictment {
        status: IndictmentStatus::Drafted,
        defendants: vec!["s1".into()],
        charges: vec!["ch1".into()],
        signed_on: None,
        approved_on: None,
        court: None,
        sent_to_court_on: None,
        note: None,
        recorded_at: T0,
        recorded_by: a.clone(),
    };
    insert(
        &mut t.inv_a,
        &c1,
        "in1",
        Record::Indictment(drafted.clone()),
    );
    send(&mut t.inv_a, &mut t.admin);
    // The investigator approves their own draft with raw operations that
    // name the values they replace: the policy row lets them write the
    // field, the value is the prosecutor's.
    type Attack = fn(&mut AutoCommit);
    let attacks: &[(&str, Attack)] = &[
        ("approved", |d| {
            let in1 = obj(d, &["indictments", "in1"]);
            d.put(&in1, "status", "Approved").unwrap();
        }),
        ("returned", |d| {
            let in1 = obj(d, &["indictments", "in1"]);
            d.put(&in1, "status", "ReturnedForInvestigation").unwrap();
        }),
        ("an approval's day", |d| {
            let in1 = obj(d, &["indictments", "in1"]);
            d.put(&in1, "approved_on", "2026-04-01").unwrap();
        }),
    ];
    for (what, attack) in attacks {
        let mut inv = copy_of(&mut t.inv_a);
        forge(&mut inv, &c1, attack);
        let mut admin = copy_of(&mut t.admin);
        refused_as(
            &send(&mut inv, &mut admin),
            "policy.denied",
            &format!("{what}: "),
        );
        assert_eq!(case_of(&admin, &c1).indictments["in1"], drafted, "{what}");
    }
    // Nor through the honest path.
    let approve = Edit::Set {
        path: "indictments/in1/status".parse().unwrap(),
        value: IndictmentStatus::Approved.into(),
    };
    let err = t
        .inv_a
        .edit_case(&c1, approve.clone(), T0, catalog())
        .unwrap_err();
    assert!(err.to_string().contains("prosecutor"), "{err}");

    // The prosecutor's approval lands everywhere.
    send(&mut t.admin, &mut t.prosecutor);
    t.prosecutor.edit_case(&c1, approve, T0, catalog()).unwrap();
    let report = send(&mut t.prosecutor, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    assert_eq!(
        case_of(&t.admin, &c1).indictments["in1"].status,
        IndictmentStatus::Approved
    );
}

#[test]
fn an_admin_does_not_set_the_registry_number() {
    let (mut t, c1) = charged();
    forge(&mut t.admin, &c1, |d| {
        let header = obj(d, &["header"]);
        d.put(&header, "registry_number", "000000000000000")
            .unwrap();
    });
    refused(&send(&mut t.admin, &mut t.inv_a), "policy.denied");
    assert_eq!(case_of(&t.inv_a, &c1).header.registry_number, None);
}

#[test]
fn a_compensation_in_no_currency_is_refused() {
    let (mut t, c1) = charged();
    let p = member(&t.prosecutor);
    let claim = Compensation {
        person_id: "v1".into(),
        currency: "tenge".into(),
        claimed: Some(3_000_000),
        awarded: None,
        paid: None,
        status: CompensationStatus::Claimed,
        note: None,
        recorded_at: T0,
        recorded_by: p,
    };
    forge(&mut t.prosecutor, &c1, |d| {
        put_record(d, "compensation", "co9", &claim)
    });
    refused(&send(&mut t.prosecutor, &mut t.admin), BAD_VALUE);
    assert!(case_of(&t.admin, &c1).compensation.is_empty());
}
