//! Views of the case file's later records: links to other cases,
//! international requests.

use caravan_model::{CaseLinkKind, Date, LegalBasis, NoticeColour, RequestKind, RequestStatus};
use serde::Serialize;

use super::MemberRef;
use crate::ids::{CaseId, RecordId};

/// A link from this case to another one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseLinkView {
    pub id: RecordId,
    /// The other case.
    pub case_id: CaseId,
    /// The other case's reference when it was linked.
    pub reference: String,
    pub relation: CaseLinkKind,
    pub note: Option<String>,
    /// This device holds the other case: the link leads to it.
    pub openable: bool,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

/// A request to another state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InternationalRequestView {
    pub id: RecordId,
    pub kind: RequestKind,
    pub notice: Option<NoticeColour>,
    pub requested_state: String,
    pub legal_basis: LegalBasis,
    pub central_authority: Option<String>,
    pub subject: String,
    pub sent_on: Option<Date>,
    pub deadline: Option<Date>,
    pub status: RequestStatus,
    pub response_on: Option<Date>,
    /// Still waiting for the other state.
    pub open: bool,
    /// Open, and its deadline has passed.
    pub overdue: bool,
}
