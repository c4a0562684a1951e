//! The financial investigation of a case: accounts, transfers (bank,
//! cash, informal, crypto) and assets, and the freezes, seizures and
//! confiscations ordered on them (UNODC manual M11; FATF guidance on
//! financial flows from human trafficking). The record is
//! [`crate::case::FinancialFlow`]; here, what a new one must hold and the
//! totals a case's flows add up to.

use std::collections::BTreeMap;

use crate::case::{Case, FinancialFlow};
use crate::error::ModelError;
use crate::validate::{is_currency, non_empty};
use crate::vocab::{FlowKind, FreezeStatus};

fn invalid(field: &str, message: &str) -> ModelError {
    ModelError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl FlowKind {
    /// Whether the flow moves money from one party to another (and so
    /// names both), rather than being held by one (an account, an asset).
    pub fn is_movement(self) -> bool {
        !matches!(self, FlowKind::Account | FlowKind::Asset)
    }
}

impl FreezeStatus {
    /// Whether the money or asset is held by an order: frozen, seized or
    /// confiscated.
    pub fn is_held(self) -> bool {
        matches!(
            self,
            FreezeStatus::Frozen | FreezeStatus::Seized | FreezeStatus::Confiscated
        )
    }
}

/// One side of a flow: a person of the case, or a party named in the
/// record, never both.
fn side(field: &str, person: Option<&str>, party: Option<&str>) -> Result<bool, ModelError> {
    if let Some(p) = party {
        non_empty(field, p)?;
    }
    if let Some(p) = person {
        non_empty(field, p)?;
    }
    if person.is_some() && party.is_some() {
        return Err(invalid(
            field,
            "name either a person of the case or another party, not both",
        ));
    }
    Ok(person.is_some() || party.is_some())
}

/// What a new financial flow must hold. The messages never repeat the
/// account: it is sensitive.
pub(crate) fn validate_financial_flow(f: &FinancialFlow) -> Result<(), ModelError> {
    let from = side("from", f.from_person_id.as_deref(), f.from_party.as_deref())?;
    let to = side("to", f.to_person_id.as_deref(), f.to_party.as_deref())?;
    if f.kind.is_movement() {
        if !from {
            return Err(invalid(
                "from",
                "a transfer names who sent it: a person of the case or another party",
            ));
        }
        if !to {
            return Err(invalid(
                "to",
                "a transfer names who received it: a person of the case or another party",
            ));
        }
    } else {
        if !from {
            return Err(invalid(
                "from",
                "an account or asset names its holder: a person of the case or another party",
            ));
        }
        if to {
            return Err(invalid(
                "to",
                "an account or asset has a holder, not a recipient: record money moved as a transfer",
            ));
        }
    }
    if let Some(account) = &f.account {
        non_empty("account", account)?;
    }
    if let Some(institution) = &f.institution {
        non_empty("institution", institution)?;
    }
    if f.amount == Some(0) {
        return Err(invalid(
            "amount",
            "an amount is more than zero; leave it out if unknown",
        ));
    }
    match &f.currency {
        Some(c) if !is_currency(c) => {
            return Err(invalid(
                "currency",
                "use a three-letter currency code (ISO 4217), e.g. KZT",
            ));
        }
        None if f.amount.is_some() => {
            return Err(invalid("currency", "give the amount's currency, e.g. KZT"));
        }
        _ => {}
    }
    if f.freeze_ordered_on.is_some() && f.freeze == FreezeStatus::NotFrozen {
        return Err(invalid(
            "freeze_ordered_on",
            "an order's date goes with its status: frozen, seized, confiscated…",
        ));
    }
    Ok(())
}

/// A new flow names people and evidence of the case only.
pub(crate) fn check_financial_flow(case: &Case, f: &FinancialFlow) -> Result<(), ModelError> {
    for id in [&f.from_person_id, &f.to_person_id].into_iter().flatten() {
        if !(case.victims.contains_key(id)
            || case.suspects.contains_key(id)
            || case.witnesses.contains_key(id))
        {
            return Err(ModelError::NotFound {
                what: "person",
                id: id.clone(),
            });
        }
    }
    for id in &f.evidence {
        if !case.evidence.contains_key(id) {
            return Err(ModelError::NotFound {
                what: "evidence",
                id: id.clone(),
            });
        }
    }
    Ok(())
}

/// What a case's flows add up to in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrencyTotal {
    /// Every amount moved by a transfer (accounts and assets left out).
    pub moved: u64,
    /// Every amount frozen, seized or confiscated, of any kind.
    pub held: u64,
    /// Of `held`, what was confiscated.
    pub confiscated: u64,
}

/// The case's totals, per currency (in code order). Sums saturate rather
/// than overflow.
pub fn totals(case: &Case) -> BTreeMap<String, CurrencyTotal> {
    let mut out: BTreeMap<String, CurrencyTotal> = BTreeMap::new();
    for f in case.financial_flows.values() {
        let (Some(amount), Some(currency)) = (f.amount, &f.currency) else {
            continue;
        };
        let t = out.entry(currency.clone()).or_default();
        if f.kind.is_movement() {
            t.moved = t.moved.saturating_add(amount);
        }
        if f.freeze.is_held() {
            t.held = t.held.saturating_add(amount);
        }
        if f.freeze == FreezeStatus::Confiscated {
            t.confiscated = t.confiscated.saturating_add(amount);
        }
    }
    out
}
