//! International requests: which are open, which are overdue, and what a
//! new one must hold. The overdue alert is kept apart from the tasks' so
//! that each kind of deadline is judged by its own rule.

use crate::case::{Case, InternationalRequest};
use crate::date::Date;
use crate::error::ModelError;
use crate::validate::{non_empty, validate_jurisdiction};
use crate::vocab::{RequestKind, RequestStatus};

impl InternationalRequest {
    /// Still waiting for the other state: drafted, sent or acknowledged.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            RequestStatus::Drafted | RequestStatus::Sent | RequestStatus::Acknowledged
        )
    }

    /// Open, and its deadline has passed by `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && self.deadline.is_some_and(|d| d < today)
    }
}

/// Open requests whose deadline is before `today`, soonest first.
pub fn overdue_requests(case: &Case, today: Date) -> Vec<(&str, &InternationalRequest)> {
    let mut out: Vec<(&str, &InternationalRequest)> = case
        .international_requests
        .iter()
        .filter(|(_, r)| r.is_overdue(today))
        .map(|(id, r)| (id.as_str(), r))
        .collect();
    out.sort_by_key(|(id, r)| (r.deadline, *id));
    out
}

/// What a new request must hold: the state it goes to, what it asks, and
/// a notice colour only for an INTERPOL notice.
pub(crate) fn validate(r: &InternationalRequest) -> Result<(), ModelError> {
    validate_jurisdiction(&r.requested_state).map_err(|_| ModelError::Invalid {
        field: "requested_state".into(),
        message: "use a two-letter country code (ISO 3166)".into(),
    })?;
    non_empty("subject", &r.subject)?;
    if r.notice.is_some() && r.kind != RequestKind::InterpolNotice {
        return Err(ModelError::Invalid {
            field: "notice".into(),
            message: "a notice colour is given only for an INTERPOL notice".into(),
        });
    }
    Ok(())
}
