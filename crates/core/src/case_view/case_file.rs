//! The case view's later records: links to other cases, international
//! requests.

use caravan_model::{Case, Date};

use super::ViewContext;
use crate::ids::{CaseId, RecordId};
use crate::view::{CaseLinkView, InternationalRequestView};

pub(super) fn links(case: &Case, cx: &ViewContext<'_>) -> Vec<CaseLinkView> {
    case.links
        .iter()
        .map(|(id, l)| CaseLinkView {
            id: RecordId::from(id),
            case_id: CaseId::from(l.case_id.as_str()),
            reference: l.reference.clone(),
            relation: l.relation,
            note: l.note.clone(),
            openable: cx.held_cases.contains(&l.case_id),
            recorded_at: l.recorded_at,
            recorded_by: cx.names.member(&l.recorded_by),
        })
        .collect()
}

pub(super) fn international_requests(case: &Case, today: Date) -> Vec<InternationalRequestView> {
    case.international_requests
        .iter()
        .map(|(id, r)| InternationalRequestView {
            id: RecordId::from(id),
            kind: r.kind,
            notice: r.notice,
            requested_state: r.requested_state.clone(),
            legal_basis: r.legal_basis,
            central_authority: r.central_authority.clone(),
            subject: r.subject.clone(),
            sent_on: r.sent_on,
            deadline: r.deadline,
            status: r.status,
            response_on: r.response_on,
            open: r.is_open(),
            overdue: r.is_overdue(today),
        })
        .collect()
}
