//! A victim's support plan under attack. Every forged change here is
//! crafted with raw Automerge by a member of the team, signed with their
//! real device key and sent in an ordinary bundle: the support plan and
//! the victim's reflection period and return are kept by investigators
//! and supervisors, no service is ever deleted, and none holds a value
//! outside its schema.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc};
use caravan_model::*;

use super::fixture::*;
use crate::trust::BAD_VALUE;

fn service(by: &str) -> SupportService {
    SupportService {
        victim_id: "v1".into(),
        kind: SupportType::Health,
        provider: Some("City hospital No. 4".into()),
        referral_id: None,
        status: SupportStatus::InProgress,
        started_on: Some("2026-03-01".parse().unwrap()),
        ended_on: None,
        note: None,
        recorded_at: T0,
        recorded_by: by.into(),
    }
}

/// A opens a case with victim v1 and adds service sp1 to v1's support
/// plan; the admin and the prosecutor hold it.
fn planned() -> (Team, String) {
    let (mut t, c1) = opened_by_a("Secret Name");
    let a = member(&t.inv_a);
    let edit = Edit::Insert {
        id: "sp1".into(),
        record: Record::Support(service(&a)),
    };
    t.inv_a.edit_case(&c1, edit, T0, catalog()).unwrap();
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    (t, c1)
}

fn refused(report: &crate::import::ImportReport, code: &str, what: &str) {
    assert_eq!(codes(report), [code], "{what}: {:?}", report.quarantined);
}

fn obj(d: &AutoCommit, keys: &[&str]) -> ObjId {
    keys.iter()
        .fold(ROOT, |o, k| d.get(&o, *k).unwrap().unwrap().1)
}

fn put_service(d: &mut AutoCommit, id: &str, record: &SupportService) {
    let map = obj(d, &["support"]);
    d.put_object(&map, id, ObjType::Map).unwrap();
    autosurgeon::reconcile_prop(d, &map, id, record).unwrap();
}

#[test]
fn an_honest_service_and_return_land_on_every_device() {
    let (mut t, c1) = planned();
    let edit = Edit::Set {
        path: "victims/v1/residence_decision".parse().unwrap(),
        value: Scalar::from("VoluntaryReturn"),
    };
    t.inv_a.edit_case(&c1, edit, T0, catalog()).unwrap();
    let report = send(&mut t.inv_a, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    send(&mut t.admin, &mut t.prosecutor);
    let held = case_of(&t.prosecutor, &c1);
    assert_eq!(held.support["sp1"], service(&member(&t.inv_a)));
    assert_eq!(
        held.victims["v1"].residence_decision,
        Some(ResidenceDecision::VoluntaryReturn)
    );
}

#[test]
fn a_prosecutor_cannot_write_the_support_plan_or_a_victims_return() {
    let (mut t, c1) = planned();
    let p = member(&t.prosecutor);
    forge(&mut t.prosecutor, &c1, |d| {
        put_service(d, "sp2", &service(&p))
    });
    refused(
        &send(&mut t.prosecutor, &mut t.admin),
        "policy.denied",
        "a new service",
    );
    assert!(!case_of(&t.admin, &c1).support.contains_key("sp2"));

    let (mut t, c1) = planned();
    forge(&mut t.prosecutor, &c1, |d| {
        let sp1 = obj(d, &["support", "sp1"]);
        d.put(&sp1, "status", "Completed").unwrap();
    });
    refused(
        &send(&mut t.prosecutor, &mut t.admin),
        "policy.denied",
        "a service's status",
    );
    assert_eq!(
        case_of(&t.admin, &c1).support["sp1"].status,
        SupportStatus::InProgress
    );

    let (mut t, c1) = planned();
    forge(&mut t.prosecutor, &c1, |d| {
        let v1 = obj(d, &["victims", "v1"]);
        d.put(&v1, "residence_decision", "Repatriated").unwrap();
    });
    refused(
        &send(&mut t.prosecutor, &mut t.admin),
        "policy.denied",
        "a victim's return",
    );
    assert_eq!(
        case_of(&t.admin, &c1).victims["v1"].residence_decision,
        None
    );
}

#[test]
fn support_values_outside_the_schema_are_refused() {
    type Attack = fn(&mut AutoCommit);
    let attacks: &[(&str, Attack)] = &[
        ("a support type outside HTCDS", |d| {
            let sp1 = obj(d, &["support", "sp1"]);
            d.put(&sp1, "kind", "Spa").unwrap();
        }),
        ("a service status outside the list", |d| {
            let sp1 = obj(d, &["support", "sp1"]);
            d.put(&sp1, "status", "Forgotten").unwrap();
        }),
        ("a residence decision outside the list", |d| {
            let v1 = obj(d, &["victims", "v1"]);
            d.put(&v1, "residence_decision", "Deported").unwrap();
        }),
        ("a country's name for the country of return", |d| {
            let v1 = obj(d, &["victims", "v1"]);
            d.put(&v1, "return_country", "Uzbekistan").unwrap();
        }),
        ("a reflection period's end that is no day", |d| {
            let v1 = obj(d, &["victims", "v1"]);
            d.put(&v1, "reflection_until", "2026-02-30").unwrap();
        }),
        ("a field the service does not have", |d| {
            let sp1 = obj(d, &["support", "sp1"]);
            d.put(&sp1, "paid_to", "someone").unwrap();
        }),
    ];
    for (what, attack) in attacks {
        let (mut t, c1) = planned();
        forge(&mut t.inv_a, &c1, attack);
        refused(&send(&mut t.inv_a, &mut t.admin), BAD_VALUE, what);
        let held = case_of(&t.admin, &c1);
        assert_eq!(held.support["sp1"], service(&member(&t.inv_a)), "{what}");
        let v1 = &held.victims["v1"];
        assert!(
            v1.residence_decision.is_none()
                && v1.return_country.is_none()
                && v1.reflection_until.is_none(),
            "{what}"
        );
    }
}

#[test]
fn no_one_deletes_a_support_service() {
    for (who, by_admin) in [("an investigator", false), ("the admin", true)] {
        let (mut t, c1) = planned();
        let author = if by_admin { &mut t.admin } else { &mut t.inv_a };
        forge(author, &c1, |d| {
            let map = obj(d, &["support"]);
            d.delete(&map, "sp1").unwrap();
        });
        let report = if by_admin {
            send(&mut t.admin, &mut t.inv_a)
        } else {
            send(&mut t.inv_a, &mut t.admin)
        };
        refused(&report, "policy.denied", who);
        let receiver = if by_admin { &t.inv_a } else { &t.admin };
        assert!(case_of(receiver, &c1).support.contains_key("sp1"), "{who}");
    }
}
