//! One case of an input, judged on a worker: an attempt of its own that
//! can be dropped, so that no change is taken on a later change's
//! signature without the proof that lets this device pass it on.

use std::collections::{HashMap, HashSet};

use automerge::{ActorId, AutoCommit};
use caravan_model::DocKind;

use super::{Authority, CaseJob, ImportReport, Judging, LaneOutcome, Work, integrate};
use crate::case_docs::CaseDocs;
use crate::error::SyncError;
use crate::identity::DeviceId;
use crate::quarantine::Ledger;
use crate::replica::Held;
use crate::team::{TeamDoc, TeamId};
use crate::witness::proof_bytes;

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
/// cannot be kept (too large, or past the author's allowance here with
/// what this input keeps already), the case is judged again from its
/// stored copy with those authors' changes no longer taken on later
/// changes' signatures anywhere — in the input, held, or released from the
/// quarantine: each then needs its own (and is refused as unsigned without
/// it), so nothing is taken that this device could not pass on.
pub(super) fn judge_case<'a>(
    ctx: &CaseContext<'_, 'a>,
    job: CaseJob,
    held: Vec<Held>,
    out: &mut LaneOutcome<'a>,
) -> Result<(), SyncError> {
    let CaseJob {
        doc_id,
        doc,
        changes,
        creator,
    } = job;
    let mut doc = Some(doc);
    let mut no_later: HashSet<ActorId> = HashSet::new();
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
            no_later: no_later.clone(),
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
        // Authors whose proofs cannot be kept: too large, or past what
        // their proofs may hold here with those this input keeps already.
        let mut unproven = std::mem::take(&mut work.unproven);
        let mut adding: HashMap<String, usize> = HashMap::new();
        for p in &work.proofs {
            *adding.entry(p.author.clone()).or_default() += proof_bytes(p);
        }
        for (author, cost) in &adding {
            let kept = ctx.proof_bytes.get(author).copied().unwrap_or(0)
                + out.proof_bytes.get(author).copied().unwrap_or(0);
            if kept + cost > ctx.proof_allowance
                && let Some(actor) = DeviceId::from_hex(author).map(|d| d.actor())
            {
                unproven.push(actor);
            }
        }
        let grew = unproven
            .into_iter()
            .fold(false, |g, a| no_later.insert(a) | g);
        if grew {
            // Judged again from the stored copy, those authors' changes
            // needing their own signatures (each attempt sets aside at
            // least one more author, so this ends).
            tracing::warn!(case = %doc_id, "changes taken on later changes' signatures whose proofs cannot be kept: judged again on their own");
            continue;
        }
        for (author, cost) in adding {
            *out.proof_bytes.entry(author).or_default() += cost;
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
