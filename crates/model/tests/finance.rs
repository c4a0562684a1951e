//! Financial flows (accounts, transfers, assets and the orders that hold
//! them): stored as made, their totals, first records of an older case
//! made on two devices at once all kept, and what an honest device
//! refuses to make.

use automerge::ROOT;
use automerge::ScalarValue as S;
use automerge::transaction::Transactable;
use caravan_model::schema::{self, Written};
use caravan_model::*;

use crate::common::*;

fn suspect() -> Record {
    Record::Suspect(Suspect {
        identity: Identity {
            full_name: "Secret Name".into(),
            ..Default::default()
        },
        pseudonym: "S-1".into(),
        roles: vec![PerpetratorRole::RecruiterOrIntermediary],
        citizenship: None,
        public_official: false,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
        citizenships: Vec::new(),
    })
}

fn flow() -> FinancialFlow {
    financial_flow(&investigator())
}

/// A case with a victim, a suspect, an evidence item and one frozen
/// transfer (`ff1`).
fn seeded() -> CaseDoc {
    let mut doc = new_case();
    for edit in [
        insert("v1", Record::Victim(victim("V-1", "Secret Name"))),
        insert("s1", suspect()),
        insert("e1", Record::Evidence(evidence("Bank statement"))),
        insert("ff1", Record::FinancialFlow(flow())),
    ] {
        doc.apply(edit, &investigator(), catalog()).unwrap();
    }
    doc
}

#[test]
fn a_flow_reads_back_as_made_and_adds_up_per_currency() {
    let mut doc = seeded();
    let extra = [
        // An account the suspect holds, its balance seized.
        FinancialFlow {
            kind: FlowKind::Account,
            to_party: None,
            amount: Some(1_000),
            currency: Some("USD".into()),
            freeze: FreezeStatus::Seized,
            evidence: vec!["e1".into()],
            ..flow()
        },
        // A hawala transfer to the victim's family, confiscated.
        FinancialFlow {
            kind: FlowKind::InformalTransfer,
            to_party: None,
            to_person_id: Some("v1".into()),
            amount: Some(50_000),
            freeze: FreezeStatus::Confiscated,
            ..flow()
        },
        // A crypto transfer, not frozen: moved, not held.
        FinancialFlow {
            kind: FlowKind::CryptoTransfer,
            amount: Some(300),
            currency: Some("USD".into()),
            freeze: FreezeStatus::NotFrozen,
            freeze_ordered_on: None,
            ..flow()
        },
    ];
    for (i, f) in extra.iter().enumerate() {
        doc.apply(
            insert(&format!("ff{}", i + 2), Record::FinancialFlow(f.clone())),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    let loaded = CaseDoc::load(&doc.save(), actor(9)).unwrap();
    let case = loaded.case().unwrap();
    assert_eq!(case.financial_flows["ff1"], flow());
    assert_eq!(case.financial_flows["ff2"], extra[0]);
    let totals = finance::totals(&case);
    assert_eq!(
        totals["KZT"],
        finance::CurrencyTotal {
            moved: 500_000,
            held: 500_000,
            confiscated: 50_000,
        }
    );
    assert_eq!(
        totals["USD"],
        finance::CurrencyTotal {
            moved: 300,
            held: 1_000,
            confiscated: 0,
        }
    );
    // The account number is an identity value: masked like a name.
    assert!(SENSITIVE_PATHS.contains(&"financial_flows/*/account"));
}

/// A case as a release before financial flows made it.
fn older_case() -> CaseDoc {
    let mut doc = new_case();
    doc.apply(insert("s1", suspect()), &investigator(), catalog())
        .unwrap();
    let am = doc.automerge_mut();
    am.delete(ROOT, "financial_flows").unwrap();
    am.commit();
    assert!(doc.case().unwrap().financial_flows.is_empty());
    doc
}

#[test]
fn first_flows_made_on_two_devices_of_an_older_case_are_all_kept() {
    let origin = older_case();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(
        insert("a-ff", Record::FinancialFlow(flow())),
        &investigator(),
        catalog(),
    )
    .unwrap();
    let sup = author(Role::Supervisor, "sup-1");
    b.apply(
        insert("b-ff", Record::FinancialFlow(financial_flow(&sup))),
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
            case.financial_flows
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["a-ff", "b-ff"]
        );
        assert!(merged.conflicts().is_empty());
        assert_eq!(finance::totals(&case)["KZT"].held, 900_000);
    }
    // A flow in the map Automerge does not show is corrected in place.
    for id in ["a-ff", "b-ff"] {
        ab.apply(
            Edit::Set {
                path: format!("financial_flows/{id}/freeze").parse().unwrap(),
                value: FreezeStatus::Confiscated.into(),
            },
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    let case = CaseDoc::load(&ab.save(), actor(0xE))
        .unwrap()
        .case()
        .unwrap();
    for id in ["a-ff", "b-ff"] {
        assert_eq!(case.financial_flows[id].freeze, FreezeStatus::Confiscated);
    }
}

#[test]
fn flows_an_honest_device_refuses_to_make() {
    let with = |f: fn(&mut FinancialFlow)| {
        let mut flow = flow();
        f(&mut flow);
        insert("ff9", Record::FinancialFlow(flow))
    };
    let pro = author(Role::Prosecutor, "pro-1");
    let admin = author(Role::Admin, "adm-1");
    let mut by_pro = flow();
    by_pro.recorded_by = "pro-1".into();
    let rows: Vec<(&str, Edit, Author, &str)> = vec![
        (
            "a transfer with no recipient",
            with(|f| f.to_party = None),
            investigator(),
            "case.invalid",
        ),
        (
            "a transfer with no sender",
            with(|f| f.from_person_id = None),
            investigator(),
            "case.invalid",
        ),
        (
            "a sender named twice",
            with(|f| f.from_party = Some("Almaty Build LLP".into())),
            investigator(),
            "case.invalid",
        ),
        (
            "an account with a recipient",
            with(|f| f.kind = FlowKind::Account),
            investigator(),
            "case.invalid",
        ),
        (
            "an amount of zero",
            with(|f| f.amount = Some(0)),
            investigator(),
            "case.invalid",
        ),
        (
            "a currency that is no code",
            with(|f| f.currency = Some("tenge".into())),
            investigator(),
            "case.invalid",
        ),
        (
            "an amount without its currency",
            with(|f| f.currency = None),
            investigator(),
            "case.invalid",
        ),
        (
            "an order's date with no order",
            with(|f| f.freeze = FreezeStatus::NotFrozen),
            investigator(),
            "case.invalid",
        ),
        (
            "an empty account number",
            with(|f| f.account = Some(" ".into())),
            investigator(),
            "case.invalid",
        ),
        (
            "a sender who is no person of the case",
            with(|f| f.from_person_id = Some("nobody".into())),
            investigator(),
            "case.not_found",
        ),
        (
            "evidence the case does not hold",
            with(|f| f.evidence = vec!["e9".into()]),
            investigator(),
            "case.not_found",
        ),
        (
            "a prosecutor's flow",
            insert("ff9", Record::FinancialFlow(by_pro)),
            pro.clone(),
            "policy.denied",
        ),
        (
            "a prosecutor's freeze",
            Edit::Set {
                path: "financial_flows/ff1/freeze".parse().unwrap(),
                value: FreezeStatus::Released.into(),
            },
            pro,
            "policy.denied",
        ),
        (
            "an admin's correction of the amount",
            Edit::Set {
                path: "financial_flows/ff1/amount".parse().unwrap(),
                value: Scalar::Uint(1),
            },
            admin,
            "policy.denied",
        ),
        (
            "a freeze undone, its order's date left behind",
            Edit::Set {
                path: "financial_flows/ff1/freeze".parse().unwrap(),
                value: FreezeStatus::NotFrozen.into(),
            },
            investigator(),
            "case.invalid",
        ),
        (
            "a transfer corrected into an account that keeps its recipient",
            Edit::Set {
                path: "financial_flows/ff1/kind".parse().unwrap(),
                value: FlowKind::Account.into(),
            },
            investigator(),
            "case.invalid",
        ),
        (
            "a flow recorded in another's name",
            with(|f| f.recorded_by = "inv-2".into()),
            investigator(),
            "case.false_attribution",
        ),
    ];
    assert_all_refused(rows, seeded);
}

#[test]
fn the_schema_holds_a_flow_to_its_forms() {
    let case = schema::case();
    let at = |p: &str| -> DocPath { p.parse().unwrap() };
    for (path, written) in [
        ("financial_flows/ff1/amount", Written::Put(S::Int(-5))),
        ("financial_flows/ff1/amount", Written::Put(S::Uint(0))),
        (
            "financial_flows/ff1/amount",
            Written::Put(S::Str("5".into())),
        ),
        (
            "financial_flows/ff1/currency",
            Written::Put(S::Str("kzt".into())),
        ),
        (
            "financial_flows/ff1/kind",
            Written::Put(S::Str("Barter".into())),
        ),
        (
            "financial_flows/ff1/freeze",
            Written::Put(S::Str("frozen".into())),
        ),
        (
            "financial_flows/ff1/source",
            Written::Put(S::Str("Rumour".into())),
        ),
        (
            "financial_flows/ff1/date",
            Written::Put(S::Str("2026-02-30".into())),
        ),
        ("financial_flows/ff1/evidence/0", Written::Put(S::Uint(1))),
    ] {
        assert!(case.check(&at(path), &written).is_err(), "{path}");
    }
    assert!(
        case.check(
            &at("financial_flows/ff1/freeze"),
            &Written::Put(S::Str("Frozen".into()))
        )
        .is_ok()
    );
}
