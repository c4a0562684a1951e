//! Inputs of the financial investigation of a case.

use caravan_model::{Date, FlowKind, FlowSource, FreezeStatus};
use serde::Deserialize;

use super::{MAX_TEXT, Normalise, bounded, distinct, listed, opt};
use crate::error::Result;
use crate::ids::RecordId;

/// An account, a transfer (bank, cash, informal, crypto) or an asset.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct FinancialFlowInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: FlowKind,
    /// The person of the case (their id) who holds the account or asset,
    /// or sends the money
    #[cfg_attr(feature = "clap", arg(long = "from-person"))]
    pub from_person_id: Option<RecordId>,
    /// Otherwise the holder or sender by name: a company, an agent
    #[cfg_attr(feature = "clap", arg(long = "from"))]
    pub from_party: Option<String>,
    /// The person of the case (their id) who receives the money
    #[cfg_attr(feature = "clap", arg(long = "to-person"))]
    pub to_person_id: Option<RecordId>,
    /// Otherwise the recipient by name
    #[cfg_attr(feature = "clap", arg(long = "to"))]
    pub to_party: Option<String>,
    /// The bank, exchange, money-transfer operator or hawaladar
    #[cfg_attr(feature = "clap", arg(long))]
    pub institution: Option<String>,
    /// The account number, IBAN, card or wallet (masked in every view)
    #[cfg_attr(feature = "clap", arg(long))]
    pub account: Option<String>,
    /// In whole units of the currency
    #[cfg_attr(feature = "clap", arg(long))]
    pub amount: Option<u64>,
    /// ISO 4217, any case; stored upper-case
    #[cfg_attr(feature = "clap", arg(long))]
    pub currency: Option<String>,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long))]
    pub date: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long, default_value = "other"))]
    pub source: FlowSource,
    #[cfg_attr(feature = "clap", arg(long, default_value = "not_frozen"))]
    pub freeze: FreezeStatus,
    /// The day of the freezing, seizure or confiscation order (YYYY-MM-DD)
    #[cfg_attr(feature = "clap", arg(long = "ordered"))]
    pub freeze_ordered_on: Option<Date>,
    /// Evidence items (their ids) that show it
    #[cfg_attr(feature = "clap", arg(long = "evidence"))]
    pub evidence: Vec<RecordId>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(FinancialFlowInput {
    text: [],
    optional: [from_party, to_party, institution, account, currency, note],
    lists: [evidence]
});
