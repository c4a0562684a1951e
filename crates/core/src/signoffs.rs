//! Sign-offs as the case's Overview shows them, stage by stage (who signed
//! off, when, and which of them their signers withdrew, with the reason),
//! and the withdrawal of one. Who may withdraw, and why only the signer,
//! is the model's rule: see `caravan_model::signoffs`.

use crate::error::{CoreError, Result};
use crate::inputs::{MAX_LONG_TEXT, bounded};
use crate::names::Names;
use crate::view::{SignOffTarget, SignOffView, StageSignOffs, WithdrawalView};
use crate::workspace::Workspace;
use caravan_model::lifecycle::template_of;
use caravan_model::signoffs::{
    item_withdrawal, stage_signoff_block, stage_withdrawal, withdrawals,
};
use caravan_model::{
    Case, Catalog, DocKind, DocPath, Record, ReviewItem, ReviewKind, Role, SignOffRef, Stage,
    WriteKind, policy,
};

/// Who views the case: their member id and role.
pub(crate) type Viewer<'a> = Option<(&'a str, Role)>;

fn withdrawal_view(w: &ReviewItem, names: &Names) -> WithdrawalView {
    WithdrawalView {
        by: names.member(&w.by),
        at: w.at,
        reason: w.text.clone(),
    }
}

/// Every stage's sign-offs, in stage order.
pub(crate) fn stage_signoffs(
    case: &Case,
    catalog: &Catalog,
    names: &Names,
    viewer: Viewer<'_>,
) -> Vec<StageSignOffs> {
    let may_withdraw = |by: &str| {
        viewer.is_some_and(|(me, role)| {
            me == by
                && policy::may_write(
                    DocKind::Case,
                    role,
                    &DocPath::keys(["review", "new"]),
                    WriteKind::Create,
                )
        })
    };
    Stage::ALL
        .iter()
        .map(|&stage| {
            let mut signoffs: Vec<SignOffView> = Vec::new();
            for (id, r) in &case.review {
                if r.kind != ReviewKind::SignOff || r.stage != Some(stage) {
                    continue;
                }
                let withdrawn =
                    stage_withdrawal(case, id, r).map(|(_, w)| withdrawal_view(w, names));
                signoffs.push(SignOffView {
                    target: SignOffTarget::Stage {
                        review_id: id.clone(),
                    },
                    role: Role::Prosecutor,
                    by: names.member(&r.by),
                    at: r.at,
                    text: Some(r.text.clone()),
                    may_withdraw: withdrawn.is_none() && may_withdraw(&r.by),
                    withdrawn,
                });
            }
            item_signoffs(case, catalog, stage, names, &may_withdraw, &mut signoffs);
            signoffs.sort_by_key(|s| s.at);
            StageSignOffs {
                stage,
                blocked: stage_signoff_block(case, stage),
                signoffs,
            }
        })
        .collect()
}

/// The item sign-offs of a stage's checklists that stand (for the item as
/// it is marked now), and every withdrawn one: a withdrawn sign-off stays
/// shown even after the item was signed off again.
fn item_signoffs(
    case: &Case,
    catalog: &Catalog,
    stage: Stage,
    names: &Names,
    may_withdraw: &dyn Fn(&str) -> bool,
    out: &mut Vec<SignOffView>,
) {
    for inst in case.checklists.values() {
        let Ok(tpl) = template_of(inst, catalog) else {
            continue;
        };
        if tpl.stage != stage {
            continue;
        }
        for (item_id, s) in &inst.signoffs {
            let marked = inst.items.get(item_id).map(|i| i.status);
            if marked != Some(s.status) || item_withdrawal(case, &tpl.id, item_id, s).is_some() {
                continue;
            }
            out.push(SignOffView {
                target: SignOffTarget::Item {
                    template_id: tpl.id.clone(),
                    item_id: item_id.clone(),
                },
                role: s.role,
                by: names.member(&s.by),
                at: s.at,
                text: None,
                withdrawn: None,
                may_withdraw: may_withdraw(&s.by),
            });
        }
        for (_, w) in withdrawals(case) {
            let Some(r) = &w.withdraws else { continue };
            let (Some(t), Some(item_id)) = (&r.template_id, &r.item_id) else {
                continue;
            };
            if *t != tpl.id {
                continue;
            }
            out.push(SignOffView {
                target: SignOffTarget::Item {
                    template_id: t.clone(),
                    item_id: item_id.clone(),
                },
                // Only the signer withdraws: the withdrawal's author signed.
                role: inst
                    .signoffs
                    .get(item_id)
                    .map_or(Role::Prosecutor, |s| s.role),
                by: names.member(&w.by),
                at: r.signed_at,
                text: None,
                withdrawn: Some(withdrawal_view(w, names)),
                may_withdraw: false,
            });
        }
    }
}

impl Workspace {
    /// Withdraws one of the viewer's own sign-offs, with the reason. The
    /// sign-off stays in the case, shown as withdrawn, and no longer
    /// counts for its stage's gate. Returns the withdrawal's id.
    pub fn withdraw_signoff(
        &mut self,
        case: &str,
        target: &SignOffTarget,
        reason: &str,
    ) -> Result<String> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(caravan_model::ModelError::WithdrawalReasonRequired.into());
        }
        bounded("reason", reason, MAX_LONG_TEXT)?;
        let (_, c) = self.case_doc(case)?;
        let (withdraws, stage) = match target {
            SignOffTarget::Stage { review_id } => {
                let r = c
                    .review
                    .get(review_id.trim())
                    .filter(|r| r.kind == ReviewKind::SignOff)
                    .ok_or_else(|| CoreError::not_found("sign-off", review_id))?;
                (SignOffRef::stage(review_id.trim(), r.at), r.stage)
            }
            SignOffTarget::Item {
                template_id,
                item_id,
            } => {
                let (template_id, item_id) = (template_id.trim(), item_id.trim());
                let inst = c.checklists.get(template_id);
                let s = inst.and_then(|i| i.signoffs.get(item_id)).ok_or_else(|| {
                    CoreError::not_found("sign-off", format!("{template_id}/{item_id}"))
                })?;
                let stage = inst
                    .and_then(|i| template_of(i, self.catalog).ok())
                    .map(|t| t.stage);
                (SignOffRef::item(template_id, item_id, s.at), stage)
            }
        };
        let (member, _) = self.me()?;
        let record = Record::Review(ReviewItem {
            kind: ReviewKind::Withdrawal,
            stage,
            text: reason.into(),
            by: member,
            at: self.now(),
            withdraws: Some(withdraws),
            qualification: None,
        });
        let what = match target {
            SignOffTarget::Stage { review_id } => format!("withdraws review/{}", review_id.trim()),
            SignOffTarget::Item {
                template_id,
                item_id,
            } => format!(
                "withdraws the sign-off of {}/{}",
                template_id.trim(),
                item_id.trim()
            ),
        };
        Ok(self
            .insert_noted(case, record, "signoff.withdraw", Some(what))?
            .1)
    }
}
