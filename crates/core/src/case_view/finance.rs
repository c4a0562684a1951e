//! The case view's financial flows and their totals.

use caravan_model::Case;

use super::ViewContext;
use crate::ids::RecordId;
use crate::view::{CurrencyTotalView, FinanceView, FinancialFlowView, FlowPartyView};

fn party(case: &Case, person: Option<&str>, name: Option<&str>) -> Option<FlowPartyView> {
    if let Some(id) = person {
        let label = case
            .victims
            .get(id)
            .map(|v| v.pseudonym.clone())
            .or_else(|| case.suspects.get(id).map(|s| s.pseudonym.clone()))
            .or_else(|| case.witnesses.get(id).map(|w| w.pseudonym.clone()))
            .unwrap_or_else(|| id.to_string());
        return Some(FlowPartyView {
            person_id: Some(RecordId::from(id)),
            label,
        });
    }
    name.map(|n| FlowPartyView {
        person_id: None,
        label: n.to_string(),
    })
}

pub(super) fn finance(case: &Case, cx: &ViewContext<'_>) -> FinanceView {
    let mut flows: Vec<FinancialFlowView> = case
        .financial_flows
        .iter()
        .map(|(id, f)| FinancialFlowView {
            id: RecordId::from(id),
            kind: f.kind,
            from: party(case, f.from_person_id.as_deref(), f.from_party.as_deref()),
            to: party(case, f.to_person_id.as_deref(), f.to_party.as_deref()),
            institution: f.institution.clone(),
            has_account: f.account.is_some(),
            amount: f.amount,
            currency: f.currency.clone(),
            date: f.date,
            source: f.source,
            freeze: f.freeze,
            freeze_ordered_on: f.freeze_ordered_on,
            evidence: f.evidence.iter().map(RecordId::from).collect(),
            note: f.note.clone(),
            recorded_at: f.recorded_at,
            recorded_by: cx.names.member(&f.recorded_by),
        })
        .collect();
    flows.sort_by_key(|f| (f.date.is_none(), f.date, f.recorded_at));
    let totals = caravan_model::finance::totals(case)
        .into_iter()
        .map(|(currency, t)| CurrencyTotalView {
            currency,
            moved: t.moved,
            held: t.held,
            confiscated: t.confiscated,
        })
        .collect();
    FinanceView { flows, totals }
}
