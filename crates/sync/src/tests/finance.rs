//! Financial flows under attack. Every forged change here is crafted with
//! raw Automerge by a member of the team, signed with their real device
//! key and sent in an ordinary bundle: flows are the investigation's (a
//! prosecutor reads them), none is ever deleted, and none holds a value
//! outside its schema — a currency that is no ISO 4217 code, an amount
//! below one, a kind, source or freeze outside its list.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use caravan_model::*;

use super::fixture::*;
use crate::replica::Replica;
use crate::trust::BAD_VALUE;

fn flow(by: &str) -> FinancialFlow {
    FinancialFlow {
        kind: FlowKind::Transfer,
        from_person_id: Some("s1".into()),
        from_party: None,
        to_person_id: None,
        to_party: Some("Almaty Build LLP".into()),
        institution: Some("Kaspi Bank".into()),
        account: Some("KZ86125KZT5004100100".into()),
        amount: Some(450_000),
        currency: Some("KZT".into()),
        date: Some("2026-02-10".parse().unwrap()),
        source: FlowSource::BankRecords,
        freeze: FreezeStatus::Frozen,
        freeze_ordered_on: Some("2026-03-05".parse().unwrap()),
        evidence: vec![],
        note: None,
        recorded_at: T0,
        recorded_by: by.into(),
    }
}

fn insert(r: &mut Replica, case: &str, id: &str, record: Record) {
    let edit = Edit::Insert {
        id: id.into(),
        record,
    };
    r.edit_case(case, edit, T0, catalog()).unwrap();
}

/// A opens a case with victim v1 and suspect s1 and records the suspect's
/// transfer ff1; the admin and the prosecutor hold it.
fn traced() -> (Team, String) {
    let (mut t, c1) = opened_by_a("Secret Name");
    let a = member(&t.inv_a);
    insert(
        &mut t.inv_a,
        &c1,
        "s1",
        Record::Suspect(super::court::suspect(&a)),
    );
    insert(&mut t.inv_a, &c1, "ff1", Record::FinancialFlow(flow(&a)));
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    (t, c1)
}

fn refused_as(report: &crate::import::ImportReport, code: &str, what: &str) {
    assert_eq!(codes(report), [code], "{what}: {:?}", report.quarantined);
}

fn obj(d: &AutoCommit, keys: &[&str]) -> ObjId {
    keys.iter()
        .fold(ROOT, |o, k| d.get(&o, *k).unwrap().unwrap().1)
}

#[test]
fn an_honest_flow_lands_with_its_account_and_the_prosecutor_reads_it() {
    let (t, c1) = traced();
    let a = member(&t.inv_a);
    for r in [&t.admin, &t.prosecutor] {
        assert_eq!(case_of(r, &c1).financial_flows["ff1"], flow(&a));
    }
}

#[test]
fn a_prosecutor_cannot_record_or_change_a_flow() {
    type Attack = fn(&mut AutoCommit, &str);
    let attacks: &[(&str, Attack)] = &[
        ("a new flow", |d, p| {
            let map = obj(d, &["financial_flows"]);
            d.put_object(&map, "ff2", ObjType::Map).unwrap();
            autosurgeon::reconcile_prop(d, &map, "ff2", flow(p)).unwrap();
        }),
        ("a release of the freeze", |d, _| {
            let ff1 = obj(d, &["financial_flows", "ff1"]);
            d.put(&ff1, "freeze", "Released").unwrap();
        }),
        ("another account number", |d, _| {
            let ff1 = obj(d, &["financial_flows", "ff1"]);
            d.put(&ff1, "account", "KZ00000000000000").unwrap();
        }),
    ];
    for (what, attack) in attacks {
        let (mut t, c1) = traced();
        let before = case_of(&t.admin, &c1);
        let p = member(&t.prosecutor);
        forge(&mut t.prosecutor, &c1, |d| attack(d, &p));
        let report = send(&mut t.prosecutor, &mut t.admin);
        refused_as(&report, "policy.denied", what);
        assert_eq!(case_of(&t.admin, &c1), before, "{what}");
    }
}

#[test]
fn flow_values_outside_the_schema_are_refused() {
    let rows: [(&str, &str, ScalarValue); 8] = [
        ("a currency in lower case", "currency", "kzt".into()),
        ("a currency by its name", "currency", "tenge".into()),
        ("a negative amount", "amount", ScalarValue::Int(-450_000)),
        ("an amount of zero", "amount", ScalarValue::Uint(0)),
        ("an amount as text", "amount", "450000".into()),
        ("a kind outside the list", "kind", "Barter".into()),
        (
            "a freeze by its id, not its name",
            "freeze",
            "frozen".into(),
        ),
        ("a source outside the list", "source", "Rumour".into()),
    ];
    for (what, field, value) in rows {
        let (mut t, c1) = traced();
        let before = case_of(&t.admin, &c1);
        forge(&mut t.inv_a, &c1, |d| {
            let ff1 = obj(d, &["financial_flows", "ff1"]);
            d.put(&ff1, field, value).unwrap();
        });
        let report = send(&mut t.inv_a, &mut t.admin);
        refused_as(&report, BAD_VALUE, what);
        let message = &report.quarantined[0].message;
        assert!(!message.contains("KZ86"), "{what}: {message}");
        assert_eq!(case_of(&t.admin, &c1), before, "{what}");
    }
}

#[test]
fn no_one_deletes_a_flow_or_its_account() {
    type Attack = fn(&mut AutoCommit);
    let attacks: &[(&str, Attack)] = &[
        ("the flow", |d| {
            let map = obj(d, &["financial_flows"]);
            d.delete(&map, "ff1").unwrap();
        }),
        ("its whole collection", |d| {
            d.delete(ROOT, "financial_flows").unwrap();
        }),
    ];
    for (what, attack) in attacks {
        let (mut t, c1) = traced();
        forge(&mut t.inv_a, &c1, attack);
        let report = send(&mut t.inv_a, &mut t.admin);
        refused_as(&report, "policy.denied", what);
        assert!(
            case_of(&t.admin, &c1).financial_flows.contains_key("ff1"),
            "{what}"
        );
    }
}

#[test]
fn a_flow_in_another_members_name_is_refused() {
    let (mut t, c1) = traced();
    let sup = member(&t.admin);
    forge(&mut t.inv_a, &c1, |d| {
        let map = obj(d, &["financial_flows"]);
        d.put_object(&map, "ff9", ObjType::Map).unwrap();
        autosurgeon::reconcile_prop(d, &map, "ff9", flow(&sup)).unwrap();
    });
    let report = send(&mut t.inv_a, &mut t.admin);
    refused_as(&report, "sync.false_attribution", "another's name");
    assert!(!case_of(&t.admin, &c1).financial_flows.contains_key("ff9"));
}
