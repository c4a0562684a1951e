//! The financial investigation of a case: each command takes the core's
//! typed input and makes one core call.

use caravan_core::view::RevealedValue;
use caravan_core::*;

workspace_commands! {
    /// Records an account, a transfer or an asset; its account number is masked from then on.
    fn add_financial_flow(case_id: CaseId, flow: FinancialFlowInput) -> RecordId => |ws| ws.add_financial_flow(&case_id, flow);
    /// Reveals a flow's account number; the core writes the audit entry first.
    /// (The window reads it as `RevealedValue`; it is JSON only here.)
    fn reveal_account(case_id: CaseId, flow_id: RecordId) -> serde_json::Value => |ws| ws.reveal_account(&case_id, &flow_id).map(RevealedValue::into_json);
}
