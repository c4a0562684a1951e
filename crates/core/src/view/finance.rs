//! Views of the financial investigation of a case. An account's number is
//! in no view: only [`crate::Workspace::reveal_account`] returns it,
//! audited.

use caravan_model::{Date, FlowKind, FlowSource, FreezeStatus};
use serde::Serialize;

use super::MemberRef;
use crate::ids::RecordId;

/// The case's financial flows and what they add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FinanceView {
    /// By date (undated last), then by when they were recorded.
    pub flows: Vec<FinancialFlowView>,
    /// One row per currency, in code order.
    pub totals: Vec<CurrencyTotalView>,
}

/// One side of a flow: a person of the case or a party named in the
/// record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlowPartyView {
    /// The person's id, when a person of the case.
    pub person_id: Option<RecordId>,
    /// The person's pseudonym, or the party's name.
    pub label: String,
}

/// An account, transfer or asset, its account number masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FinancialFlowView {
    pub id: RecordId,
    pub kind: FlowKind,
    pub from: Option<FlowPartyView>,
    pub to: Option<FlowPartyView>,
    pub institution: Option<String>,
    /// Whether an account number is recorded (shown only by a reveal).
    pub has_account: bool,
    pub amount: Option<u64>,
    pub currency: Option<String>,
    pub date: Option<Date>,
    pub source: FlowSource,
    pub freeze: FreezeStatus,
    pub freeze_ordered_on: Option<Date>,
    pub evidence: Vec<RecordId>,
    pub note: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

/// What the case's flows add up to in one currency, in whole units.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurrencyTotalView {
    pub currency: String,
    /// Moved by transfers.
    pub moved: u64,
    /// Frozen, seized or confiscated.
    pub held: u64,
    /// Of `held`, confiscated.
    pub confiscated: u64,
}
