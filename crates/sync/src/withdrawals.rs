//! A withdrawal of a sign-off takes back its author's own sign-off, and
//! nobody else's (see `caravan_model::signoffs`). The role policy lets any
//! prosecutor add review items, and attribution pins who a withdrawal is
//! by; what remains is that the sign-off it names is its author's. That is
//! read from the document as the change's own dependencies leave it, never
//! from whatever else this device holds, so every device reaches the same
//! verdict: an honest device withdraws only a sign-off it holds, so the
//! change builds on it.
//!
//! A sign-off and a withdrawal are only ever added. The role policy lets a
//! prosecutor replace a review item whole (as a decision between
//! concurrent entries writes a copy), so a change that replaces an entry
//! which, as its dependencies leave it, holds a sign-off or a withdrawal
//! is refused: it would erase a statement with legal weight, and erasing
//! a withdrawal would make the sign-off it took back count again.

use std::collections::BTreeMap;

use automerge::{AutoCommit, Change, ChangeHash, ObjId, ROOT, ReadDoc, ScalarValue, Value};
use caravan_model::{ReviewKind, Seg, WriteKind};

use crate::analyze::Write;
use crate::refusal::{Refusal, Rejection};

/// The fields of one withdrawal a change writes, by review item id.
#[derive(Default)]
struct Named {
    review_id: Option<String>,
    template_id: Option<String>,
    item_id: Option<String>,
    signed_at: Option<i64>,
}

/// Refuses a change that withdraws a sign-off `member` did not make.
pub(crate) fn check(
    doc: &AutoCommit,
    change: &Change,
    member: &str,
    writes: &[Write],
) -> Result<(), Rejection> {
    let heads = change.deps();
    for w in writes {
        if w.path.matches("review/*") && w.kind != WriteKind::Create && !w.fresh() {
            let Some(Seg::Key(entry)) = w.path.segments().get(1) else {
                continue;
            };
            if holds_signoff_or_withdrawal(doc, entry, heads) {
                return Err(Rejection::new(
                    Refusal::PolicyDenied,
                    "it replaces a sign-off or a withdrawal: both are only ever added",
                ));
            }
        }
    }
    let mut named: BTreeMap<&str, Named> = BTreeMap::new();
    for w in writes {
        if !w.path.matches("review/*/withdraws/*") {
            continue;
        }
        let (Some(Seg::Key(entry)), Some(Seg::Key(field))) =
            (w.path.segments().get(1), w.path.segments().get(3))
        else {
            continue;
        };
        let n = named.entry(entry.as_str()).or_default();
        match (field.as_str(), w.scalar()) {
            ("review_id", Some(ScalarValue::Str(s))) => n.review_id = Some(s.to_string()),
            ("template_id", Some(ScalarValue::Str(s))) => n.template_id = Some(s.to_string()),
            ("item_id", Some(ScalarValue::Str(s))) => n.item_id = Some(s.to_string()),
            ("signed_at", Some(ScalarValue::Int(t))) => n.signed_at = Some(*t),
            _ => {}
        }
    }
    for n in named.values() {
        let mut targets = Vec::new();
        if let Some(id) = &n.review_id {
            targets.push(vec!["review", id.as_str()]);
        }
        if let (Some(t), Some(i)) = (&n.template_id, &n.item_id) {
            targets.push(vec!["checklists", t.as_str(), "signoffs", i.as_str()]);
        }
        if targets.is_empty() {
            return Err(refuse("it withdraws no sign-off it names"));
        }
        for path in targets {
            let signoff = object_at(doc, &path, heads)
                .ok_or_else(|| refuse("it withdraws a sign-off it does not build on"))?;
            let by = scalar_at(doc, &signoff, "by", heads);
            let at = scalar_at(doc, &signoff, "at", heads);
            let theirs = matches!(&by, Some(ScalarValue::Str(s)) if s.as_str() == member);
            let same = matches!((at, n.signed_at), (Some(ScalarValue::Int(a)), Some(b)) if a == b);
            if !theirs || !same {
                return Err(refuse(
                    "it withdraws a sign-off its author did not make: only who signed withdraws a sign-off",
                ));
            }
        }
    }
    Ok(())
}

/// Whether any value of the review entry `entry`, as the document stood at
/// `heads` (concurrent values included), is a sign-off or a withdrawal.
pub(crate) fn holds_signoff_or_withdrawal(
    doc: &AutoCommit,
    entry: &str,
    heads: &[ChangeHash],
) -> bool {
    let Some(review) = object_at(doc, &["review"], heads) else {
        return false;
    };
    doc.get_all_at(&review, entry, heads)
        .unwrap_or_default()
        .into_iter()
        .any(|(value, id)| {
            matches!(value, Value::Object(_))
                && matches!(
                    scalar_at(doc, &id, "kind", heads),
                    Some(ScalarValue::Str(k))
                        if matches!(
                            ReviewKind::from_doc_name(&k),
                            Some(ReviewKind::SignOff | ReviewKind::Withdrawal)
                        )
                )
        })
}

fn refuse(message: &str) -> Rejection {
    Rejection::new(Refusal::WithdrawsOthersSignOff, message)
}

/// The map at a path of keys, as the document stood at `heads`.
pub(crate) fn object_at(doc: &AutoCommit, path: &[&str], heads: &[ChangeHash]) -> Option<ObjId> {
    let mut obj = ROOT;
    for key in path {
        match doc.get_at(&obj, *key, heads).ok()?? {
            (Value::Object(_), id) => obj = id,
            _ => return None,
        }
    }
    Some(obj)
}

pub(crate) fn scalar_at(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
    heads: &[ChangeHash],
) -> Option<ScalarValue> {
    match doc.get_at(obj, key, heads).ok()?? {
        (Value::Scalar(s), _) => Some(s.into_owned()),
        _ => None,
    }
}
