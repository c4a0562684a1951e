//! The financial investigation through the workspace: accounts,
//! transfers and assets, their freezes and confiscations, and the audited
//! reveal of an account's number.

use caravan_model::*;

use crate::error::{CoreError, Result};
use crate::ids::RecordId;
use crate::inputs::*;
use crate::view::RevealedValue;
use crate::workspace::Workspace;

impl Workspace {
    /// Records an account, a transfer or an asset; its account number is
    /// masked in every view from then on.
    pub fn add_financial_flow(&mut self, case: &str, f: FinancialFlowInput) -> Result<RecordId> {
        let f = f.normalised()?;
        self.people_of(case, f.from_person_id.iter().chain(&f.to_person_id))?;
        if !f.evidence.is_empty() {
            let (_, c) = self.case_doc(case)?;
            if let Some(missing) = f
                .evidence
                .iter()
                .find(|e| !c.evidence.contains_key(e.as_str()))
            {
                return Err(CoreError::not_found("evidence item", missing.as_str()));
            }
        }
        let (member, _) = self.me()?;
        let record = Record::FinancialFlow(FinancialFlow {
            kind: f.kind,
            from_person_id: f.from_person_id.map(RecordId::into_string),
            from_party: f.from_party,
            to_person_id: f.to_person_id.map(RecordId::into_string),
            to_party: f.to_party,
            institution: f.institution,
            account: f.account,
            amount: f.amount,
            currency: f.currency.map(|c| c.to_ascii_uppercase()),
            date: f.date,
            source: f.source,
            freeze: f.freeze,
            freeze_ordered_on: f.freeze_ordered_on,
            evidence: f.evidence.into_iter().map(RecordId::into_string).collect(),
            note: f.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        let (_, id) = self.insert_noted(case, record, "finance.add", None)?;
        Ok(RecordId::from(id))
    }

    /// Shows a flow's account number. Every reveal is written to the audit
    /// log (who, which case, which flow) before the number is returned, as
    /// an identifier's reveal is.
    pub fn reveal_account(&mut self, case: &str, flow_id: &str) -> Result<RevealedValue> {
        let (case_id, c) = self.case_doc(case)?;
        let f = c
            .financial_flows
            .get(flow_id)
            .ok_or_else(|| CoreError::not_found("financial flow", flow_id))?;
        let account = f
            .account
            .as_deref()
            .ok_or_else(|| CoreError::not_found("account number of financial flow", flow_id))?;
        let view = RevealedValue::of(account);
        self.audit(
            "finance.reveal",
            &format!("case {case_id}: financial flow {flow_id}"),
        )?;
        Ok(view)
    }
}
