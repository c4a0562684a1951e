//! A prosecutor's position on the legal qualification (a review entry's
//! `qualification`) is theirs to record only where the case's
//! jurisdiction's criminal procedure gives the prosecutor that role (see
//! `caravan_model::articles`). The role policy already keeps review entries
//! the prosecutor's; what remains is the jurisdiction, read from the
//! document as the change's own dependencies leave it, so every device
//! reaches the same verdict.

use automerge::{AutoCommit, Change, ScalarValue};
use caravan_model::articles;

use crate::analyze::Write;
use crate::refusal::{Refusal, Rejection};
use crate::withdrawals::{object_at, scalar_at};

/// Refuses a change that records a position on the qualification in a
/// case whose jurisdiction gives the prosecutor no such role.
pub(crate) fn check(doc: &AutoCommit, change: &Change, writes: &[Write]) -> Result<(), Rejection> {
    if !writes
        .iter()
        .any(|w| w.path.matches("review/*/qualification"))
    {
        return Ok(());
    }
    let heads = change.deps();
    let jurisdiction = object_at(doc, &["header"], heads)
        .and_then(|header| scalar_at(doc, &header, "jurisdiction", heads));
    match jurisdiction {
        Some(ScalarValue::Str(j)) if articles::prosecutor_qualifies(&j) => Ok(()),
        _ => Err(Rejection::new(
            Refusal::PolicyDenied,
            "it records the prosecutor's position on the qualification where the case's jurisdiction gives the prosecutor no such role",
        )),
    }
}
