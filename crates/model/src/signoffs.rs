//! Sign-offs and their withdrawal: when a prosecutor may sign off a stage,
//! and which sign-offs their signers have withdrawn.
//!
//! A sign-off has legal weight, so it is never erased. Its signer takes it
//! back by adding a withdrawal (a review item of kind `Withdrawal`, with
//! the reason as its text) that names the sign-off and when it was made.
//! Only who signed may withdraw: a sign-off is that person's statement,
//! and nobody else, an admin included, takes it back in their name (an
//! admin who must set one aside revokes the member, or a supervisor
//! decides the stage gate by their approval). The model refuses a local
//! withdrawal by anyone else, and the sync layer refuses such a change
//! from another device. A withdrawal counts only when it names its own
//! author's sign-off, so one that slipped through would change nothing.

use serde::Serialize;

use crate::case::{Case, ReviewItem, SignOff};
use crate::vocab::{ReviewKind, Stage, StageStatus};

/// Why a stage cannot be signed off now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum StageSignOffBlock {
    /// The stage has not been opened: there is no work to sign off yet.
    NotStarted,
    /// The stage's gate has been closed.
    Closed,
}

/// Whether the prosecutor may sign off `stage` now: only while it is open
/// (a stage not started has nothing to sign off; a closed one was decided).
pub fn stage_signoff_block(case: &Case, stage: Stage) -> Option<StageSignOffBlock> {
    match case.stages.get(stage.id()).map(|s| s.status) {
        None | Some(StageStatus::NotStarted) => Some(StageSignOffBlock::NotStarted),
        Some(StageStatus::Closed) => Some(StageSignOffBlock::Closed),
        Some(StageStatus::Active) => None,
    }
}

/// The case's withdrawals, with their ids.
pub fn withdrawals(case: &Case) -> impl Iterator<Item = (&String, &ReviewItem)> {
    case.review
        .iter()
        .filter(|(_, r)| r.kind == ReviewKind::Withdrawal && r.withdraws.is_some())
}

/// The withdrawal of the stage sign-off `review_id`, if its signer withdrew it.
pub fn stage_withdrawal<'c>(
    case: &'c Case,
    review_id: &str,
    signoff: &ReviewItem,
) -> Option<(&'c String, &'c ReviewItem)> {
    withdrawals(case).find(|(_, w)| {
        w.by == signoff.by
            && w.withdraws.as_ref().is_some_and(|r| {
                r.review_id.as_deref() == Some(review_id) && r.signed_at == signoff.at
            })
    })
}

/// The withdrawal of an item's sign-off, if its signer withdrew it. The
/// checklist is named by its key (see [`crate::checklist::checklist_key`]),
/// as a withdrawal names it.
pub fn item_withdrawal<'c>(
    case: &'c Case,
    checklist: &str,
    item_id: &str,
    signoff: &SignOff,
) -> Option<(&'c String, &'c ReviewItem)> {
    withdrawals(case).find(|(_, w)| {
        w.by == signoff.by
            && w.withdraws.as_ref().is_some_and(|r| {
                r.template_id.as_deref() == Some(checklist)
                    && r.item_id.as_deref() == Some(item_id)
                    && r.signed_at == signoff.at
            })
    })
}

/// The stage sign-offs of `stage` that stand (not withdrawn), with their ids.
pub fn standing_stage_signoffs(
    case: &Case,
    stage: Stage,
) -> impl Iterator<Item = (&String, &ReviewItem)> {
    case.review.iter().filter(move |(id, r)| {
        r.kind == ReviewKind::SignOff
            && r.stage == Some(stage)
            && stage_withdrawal(case, id, r).is_none()
    })
}
