//! Financial flows of a case: accounts, transfers and assets, with the
//! freezes, seizures and confiscations ordered on them (see
//! `crate::finance` for what each must hold and the totals).

use autosurgeon::{Hydrate, Reconcile};

use super::{MemberId, Millis};
use crate::date::Date;
use crate::vocab::*;

/// An account, a movement of money or an asset the financial
/// investigation found: who held or sent it, who received it, through
/// which institution, how much, and whether it was frozen, seized or
/// confiscated.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct FinancialFlow {
    pub kind: FlowKind,
    /// A person of the case (their id) who holds the account or asset, or
    /// sends the money.
    pub from_person_id: Option<String>,
    /// Otherwise a legal person or another holder or sender, by name (a
    /// company, a money-transfer agent). A natural person is recorded as a
    /// person of the case and named by id, so their name stays masked.
    pub from_party: Option<String>,
    /// A person of the case who receives the money.
    pub to_person_id: Option<String>,
    /// Otherwise a legal person or another recipient, by name.
    pub to_party: Option<String>,
    /// The bank, exchange, money-transfer operator or hawaladar.
    pub institution: Option<String>,
    /// The account number, IBAN, card or wallet address. Sensitive:
    /// masked in every view, shown only through an audited reveal (see
    /// [`crate::case::SENSITIVE_PATHS`]).
    pub account: Option<String>,
    /// In whole units of `currency` (as compensation is); for crypto
    /// assets, their value in a currency on the day.
    pub amount: Option<u64>,
    /// ISO 4217, e.g. KZT.
    pub currency: Option<String>,
    /// The day of the transfer, or when the account or asset was found.
    pub date: Option<Date>,
    pub source: FlowSource,
    pub freeze: FreezeStatus,
    /// The day of the order that set `freeze`.
    pub freeze_ordered_on: Option<Date>,
    /// Evidence items (their ids) that show it: statements, a seized phone.
    pub evidence: Vec<String>,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}
