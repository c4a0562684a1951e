//! One case of an input, judged on a worker: an attempt of its own that
//! can be dropped, so that no change is taken on a later change's
//! signature without the proof that lets this device pass it on.

use std::collections::HashMap;

use automerge::AutoCommit;
use caravan_model::DocKind;

use super::{Authority, CaseJob, ImportReport, Judging, LaneOutcome, Work, integrate};
use crate::case_docs::CaseDocs;
use crate::error::SyncError;
use crate::identity::DeviceId;
use crate::quarantine::Ledger;
use crate::replica::Held;
use crate::team::{TeamDoc, TeamId};
use crate::vouch::{UNSIGNED, Voucher};

/// What every case of one input is judged against.
pub(super) struct CaseContext<'c, 'a> {
    pub(super) team: &'c TeamDoc,
    pub(super) team_id: &'c TeamId,
    pub(super) me: &'c DeviceId,
    pub(super) shared: &'c Ledger<'a>,
    pub(super) signatures: &'a HashMap<automerge::ChangeHash, [u8; 64]>,
    /// The cases as stored before this input, to judge one again from.
    pub(super) stored: &'c CaseDocs,
    /// Bytes of proofs each author keeps here already, and may keep.
    pub(super) proof_bytes: &'c HashMap<String, usize>,
    pub(super) proof_allowance: usize,
}

/// Judges one case's changes and adds the outcome to `out`. When the
/// proofs of what was taken on the signature of a later change not applied
/// cannot be kept (too large, or past the author's allowance here), the
/// case is judged again from its stored copy with those authors' changes
/// no longer taken on later changes' signatures: each then needs its own
/// (and is refused as unsigned without it), so nothing is taken that this
/// device could not pass on.
pub(super) fn judge_case<'a>(
    ctx: &CaseContext<'_, 'a>,
    job: CaseJob,
    mut held: Vec<Held>,
    out: &mut LaneOutcome<'a>,
) -> Result<(), SyncError> {
    let CaseJob {
        doc_id,
        doc,
        mut changes,
        creator,
    } = job;
    let mut doc = Some(doc);
    loop {
        let mut attempt = match doc.take() {
            Some(d) => d,
            None => ctx
                .stored
                .get(&doc_id)
                .cloned()
                .unwrap_or_else(|| AutoCommit::new().with_actor(ctx.me.actor())),
        };
        let mut report = ImportReport::default();
        let mut work = Work {
            copied: false,
            held: held.clone(),
            ledger: ctx.shared.fork(),
            signatures: ctx.signatures,
            sigs: Vec::new(),
            proofs: Vec::new(),
            unproven: Vec::new(),
            report: &mut report,
        };
        let judging = Judging {
            doc_id: &doc_id,
            kind: DocKind::Case,
            authority: Authority::Fixed {
                team: ctx.team,
                creator: creator.as_deref(),
            },
            team_id: ctx.team_id,
            me: ctx.me,
        };
        let changed = integrate(&mut attempt, &changes, &mut work, judging)?;
        let mut unproven = std::mem::take(&mut work.unproven);
        for p in &work.proofs {
            let kept = ctx.proof_bytes.get(&p.author).copied().unwrap_or(0);
            let cost: usize = p.changes.iter().map(|c| c.len()).sum();
            if kept + cost > ctx.proof_allowance
                && let Some(actor) = DeviceId::from_hex(&p.author).map(|d| d.actor())
            {
                unproven.push(actor);
            }
        }
        if !unproven.is_empty() {
            let authors: Vec<String> = unproven
                .iter()
                .filter_map(DeviceId::from_actor)
                .map(|d| d.to_hex())
                .collect();
            let mut downgraded = 0;
            for (c, voucher) in &mut changes {
                if matches!(voucher, Voucher::Later { .. }) && unproven.contains(c.actor_id()) {
                    *voucher = UNSIGNED;
                    downgraded += 1;
                }
            }
            for h in &mut held {
                let later = matches!(
                    Voucher::from_bytes(&h.signature),
                    Some(Voucher::Later { .. })
                );
                if later && h.author.as_ref().is_some_and(|a| authors.contains(a)) {
                    h.signature = UNSIGNED.to_bytes();
                    h.signature_verified = false;
                    downgraded += 1;
                }
            }
            if downgraded > 0 {
                tracing::warn!(case = %doc_id, downgraded, "changes taken on later changes' signatures whose proofs cannot be kept: judged again on their own");
                continue;
            }
        }
        let Work {
            copied,
            held,
            ledger,
            sigs,
            proofs,
            ..
        } = work;
        out.copied |= copied;
        out.held.extend(held);
        out.ledger.absorb(ledger);
        out.sigs.extend(sigs);
        out.proofs.extend(proofs);
        out.applied += report.applied;
        out.already_had += report.already_had;
        out.notes.extend(report.quarantined);
        if changed {
            out.staged.push((doc_id, attempt));
        }
        return Ok(());
    }
}
