//! The financial investigation through the workspace: account numbers in
//! no view nor history, each reveal audited; totals per currency with the
//! frozen, seized and confiscated amounts; a prosecutor reads the flows
//! and records none.

use caravan_core::model::{FlowKind, FlowSource, FreezeStatus};
use caravan_core::view::PersonKind;
use caravan_core::*;

use crate::util::*;

fn transfer(from: &RecordId) -> FinancialFlowInput {
    FinancialFlowInput {
        kind: FlowKind::Transfer,
        from_person_id: Some(from.clone()),
        from_party: None,
        to_person_id: None,
        to_party: Some(" Almaty Build LLP ".into()),
        institution: Some("Kaspi Bank".into()),
        account: Some(" KZ86 125K ZT50 0410 0100 ".into()),
        amount: Some(450_000),
        currency: Some("kzt".into()),
        date: Some("2026-09-30".parse().unwrap()),
        source: FlowSource::BankRecords,
        freeze: FreezeStatus::Frozen,
        freeze_ordered_on: Some("2026-10-05".parse().unwrap()),
        evidence: vec![],
        note: None,
    }
}

#[test]
fn an_account_number_is_in_no_view_nor_history_each_reveal_is_audited_and_totals_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let mut pro = enrol_prosecutor(&mut admin, dir.path());
    let case = open_case(&mut inv, "2026-051", "Kaskelen greenhouses");
    let s1 = inv
        .add_person(
            &case,
            PersonInput::new(PersonKind::Suspect, "S-1", "Рустам К."),
        )
        .unwrap();
    let v1 = inv
        .add_person(
            &case,
            PersonInput::new(PersonKind::Victim, "V-1", "Canary Victim"),
        )
        .unwrap();
    let id = inv.add_financial_flow(&case, transfer(&s1)).unwrap();
    // Cash to the victim's family, confiscated for the victims.
    inv.add_financial_flow(
        &case,
        FinancialFlowInput {
            kind: FlowKind::CashPayment,
            to_party: None,
            to_person_id: Some(v1.clone()),
            account: None,
            amount: Some(50_000),
            freeze: FreezeStatus::Confiscated,
            ..transfer(&s1)
        },
    )
    .unwrap();
    // A wallet the suspect holds, its balance seized, in dollars.
    inv.add_financial_flow(
        &case,
        FinancialFlowInput {
            kind: FlowKind::Account,
            to_party: None,
            institution: Some("Binance".into()),
            account: Some("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh".into()),
            amount: Some(1_200),
            currency: Some("USD".into()),
            date: None,
            source: FlowSource::SeizedDevice,
            freeze: FreezeStatus::Seized,
            ..transfer(&s1)
        },
    )
    .unwrap();

    let view = inv.show_case(&case).unwrap();
    let f = &view.finance;
    assert_eq!(f.flows.len(), 3);
    let first = &f.flows[0];
    assert_eq!(first.id, id);
    assert_eq!(
        first.from.as_ref().map(|p| p.label.as_str()),
        Some("S-1"),
        "a person of the case is shown by pseudonym"
    );
    assert_eq!(
        first.to.as_ref().map(|p| p.label.as_str()),
        Some("Almaty Build LLP")
    );
    assert_eq!(first.currency.as_deref(), Some("KZT"));
    assert!(first.has_account);
    assert!(!f.flows[1].has_account);
    // The undated wallet comes last.
    assert_eq!(f.flows[2].kind, FlowKind::Account);
    let totals: Vec<_> = f
        .totals
        .iter()
        .map(|t| (t.currency.as_str(), t.moved, t.held, t.confiscated))
        .collect();
    assert_eq!(
        totals,
        [("KZT", 500_000, 500_000, 50_000), ("USD", 0, 1_200, 0)]
    );
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains("ZT50"), "the account is in the case view");
    assert!(!json.contains("bc1q"), "the wallet is in the case view");
    let history = inv
        .record_history(&case, &format!("financial_flows/{id}"), false)
        .unwrap();
    let json = serde_json::to_string(&history).unwrap();
    assert!(!json.contains("ZT50"), "the account is in the history");
    assert!(json.contains("hidden"), "{json}");

    let before = inv.audit_log(None).unwrap().len();
    let revealed = inv.reveal_account(&case, &id).unwrap();
    assert_eq!(revealed.value(), "KZ86 125K ZT50 0410 0100");
    let log = inv.audit_log(None).unwrap();
    assert_eq!(log.len(), before + 1);
    let last = log.last().unwrap();
    assert_eq!(last.action, "finance.reveal");
    assert!(last.detail.contains(id.as_str()) && !last.detail.contains("ZT50"));
    let no_account = &f.flows[1].id;
    let err = inv.reveal_account(&case, no_account.as_str()).unwrap_err();
    assert_eq!(err.code(), "core.not_found");
    let err = inv.reveal_account(&case, "nope").unwrap_err();
    assert_eq!(err.code(), "core.not_found");

    // Corrected after it was added: a release of the freeze.
    inv.set_field(&case, &format!("financial_flows/{id}/freeze"), "released")
        .unwrap();
    let view = inv.show_case(&case).unwrap();
    assert_eq!(view.finance.totals[0].held, 50_000);

    // The prosecutor reads the flows, records none.
    share_with_prosecutor(&mut inv, &mut admin, &mut pro, &case);
    let seen = pro.show_case(&case).unwrap();
    assert_eq!(seen.finance.flows.len(), 3);
    let err = pro.add_financial_flow(&case, transfer(&s1)).unwrap_err();
    assert_eq!(err.code(), "policy.denied");
    assert!(!Permissions::of(caravan_core::model::Role::Prosecutor).finance);
    assert!(Permissions::of(caravan_core::model::Role::Supervisor).finance);
}

#[test]
fn a_flow_that_names_no_one_or_nothing_of_the_case_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "2026-052", "Brick kiln");
    let s1 = inv
        .add_person(&case, PersonInput::new(PersonKind::Suspect, "S-1", "S"))
        .unwrap();
    let rows: Vec<(&str, FinancialFlowInput, &str)> = vec![
        (
            "no recipient",
            FinancialFlowInput {
                to_party: Some("  ".into()),
                ..transfer(&s1)
            },
            "case.invalid",
        ),
        (
            "a sender who is no person of the case",
            transfer(&RecordId::from("nobody")),
            "core.not_found",
        ),
        (
            "evidence the case does not hold",
            FinancialFlowInput {
                evidence: vec![RecordId::from("e9")],
                ..transfer(&s1)
            },
            "core.not_found",
        ),
        (
            "an amount of zero",
            FinancialFlowInput {
                amount: Some(0),
                ..transfer(&s1)
            },
            "case.invalid",
        ),
        (
            "a currency by its name",
            FinancialFlowInput {
                currency: Some("tenge".into()),
                ..transfer(&s1)
            },
            "case.invalid",
        ),
        (
            "an order's date with no order",
            FinancialFlowInput {
                freeze: FreezeStatus::NotFrozen,
                ..transfer(&s1)
            },
            "case.invalid",
        ),
    ];
    for (what, input, code) in rows {
        let err = inv.add_financial_flow(&case, input).unwrap_err();
        assert_eq!(err.code(), code, "{what}: {err}");
        assert!(!err.to_string().contains("ZT50"), "{what}: {err}");
    }
    assert!(inv.show_case(&case).unwrap().finance.flows.is_empty());
}
