//! A withdrawal of a sign-off takes back its author's own sign-off, and
//! nobody else's (see `caravan_model::signoffs`). The role policy lets any
//! prosecutor add review items, and attribution pins who a withdrawal is
//! by; what remains is that the sign-off it names is its author's. That is
//! read from the document as the change's own dependencies leave it, never
//! from whatever else this device holds, so every device reaches the same
//! verdict: an honest device withdraws only a sign-off it holds, so the
//! change builds on it.

use std::collections::BTreeMap;

use automerge::{AutoCommit, Change, ChangeHash, ObjId, ROOT, ReadDoc, ScalarValue, Value};
use caravan_model::Seg;

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
    let heads = change.deps();
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

fn refuse(message: &str) -> Rejection {
    Rejection::new(Refusal::WithdrawsOthersSignOff, message)
}

/// The map at a path of keys, as the document stood at `heads`.
fn object_at(doc: &AutoCommit, path: &[&str], heads: &[ChangeHash]) -> Option<ObjId> {
    let mut obj = ROOT;
    for key in path {
        match doc.get_at(&obj, *key, heads).ok()?? {
            (Value::Object(_), id) => obj = id,
            _ => return None,
        }
    }
    Some(obj)
}

fn scalar_at(
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
