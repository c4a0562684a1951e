//! What a review item must satisfy besides the policy: a stage sign-off
//! is made on an open stage, and a withdrawal takes back a sign-off of its
//! own author, with a reason (see [`crate::signoffs`]). A prosecutor's
//! position on the legal qualification is theirs to record only where the
//! jurisdiction's procedure gives them that role (see [`crate::articles`]).

use automerge::ReadDoc;

use crate::articles;
use crate::case::{Case, QualificationOpinion, ReviewItem, SignOffRef};
use crate::doc::CaseDoc;
use crate::edit::Author;
use crate::error::{ModelError, am};
use crate::path::{DocPath, Seg};
use crate::policy::{Denial, WriteKind};
use crate::signoffs::{self, StageSignOffBlock};
use crate::vocab::ReviewKind;
use crate::vocab::Role;

pub(super) fn check_review(case: &Case, r: &ReviewItem, author: &Author) -> Result<(), ModelError> {
    if (r.kind == ReviewKind::Withdrawal) != r.withdraws.is_some() {
        return Err(ModelError::Invalid {
            field: "withdraws".into(),
            message: "a withdrawal, and only a withdrawal, names the sign-off it withdraws".into(),
        });
    }
    if let Some(q) = &r.qualification {
        check_opinion(case, r, q, author)?;
    }
    match r.kind {
        ReviewKind::SignOff => {
            let Some(stage) = r.stage else {
                return Err(ModelError::Invalid {
                    field: "stage".into(),
                    message: "a sign-off names the stage it signs off".into(),
                });
            };
            match signoffs::stage_signoff_block(case, stage) {
                Some(StageSignOffBlock::NotStarted) => Err(ModelError::StageNotStarted { stage }),
                Some(StageSignOffBlock::Closed) => Err(ModelError::StageClosed { stage }),
                None => Ok(()),
            }
        }
        ReviewKind::Withdrawal => {
            if r.text.trim().is_empty() {
                return Err(ModelError::WithdrawalReasonRequired);
            }
            let target = r.withdraws.as_ref().ok_or(ModelError::NoChange)?;
            check_withdrawn(case, target, &author.member)
        }
        ReviewKind::Comment | ReviewKind::Request => Ok(()),
    }
}

/// A prosecutor's position on the qualification: a comment, in a
/// jurisdiction whose procedure gives the prosecutor that role, agreeing
/// with the qualification as it stands or proposing one article of the
/// case's jurisdiction.
fn check_opinion(
    case: &Case,
    r: &ReviewItem,
    q: &QualificationOpinion,
    author: &Author,
) -> Result<(), ModelError> {
    let invalid = |message: &str| ModelError::Invalid {
        field: "qualification".into(),
        message: message.into(),
    };
    if r.kind != ReviewKind::Comment || r.stage.is_some() {
        return Err(invalid(
            "a position on the qualification is a comment on no stage",
        ));
    }
    if !articles::prosecutor_qualifies(&case.header.jurisdiction) {
        return Err(Denial {
            role: author.role,
            path: "review/*/qualification".into(),
            kind: WriteKind::Create,
            why: "the criminal procedure of the case's jurisdiction gives the prosecutor no say in the qualification",
        }
        .into());
    }
    for (key, a) in &q.articles {
        crate::validate::validate_jurisdiction(&a.jurisdiction)?;
        crate::validate::non_empty("article", &a.article)?;
        if let Some(part) = &a.part {
            articles::validate_subdivision("part", part)?;
        }
        if let Some(paragraph) = &a.paragraph {
            articles::validate_subdivision("paragraph", paragraph)?;
        }
        if *key != a.key() {
            return Err(invalid(
                "each article is keyed as the qualification keys it",
            ));
        }
        if a.jurisdiction != case.header.jurisdiction {
            return Err(invalid("the article is not of the case's jurisdiction"));
        }
    }
    if q.agrees {
        if q.articles.is_empty() || q.articles != case.header.qualification {
            return Err(invalid("an agreement names the qualification as it stands"));
        }
    } else if q.articles.len() != 1 {
        return Err(invalid("a proposal names one article"));
    }
    Ok(())
}

/// The sign-off `target` names exists, is `member`'s, and stands.
fn check_withdrawn(case: &Case, target: &SignOffRef, member: &str) -> Result<(), ModelError> {
    let not_found = |id: String| ModelError::NotFound {
        what: "sign-off",
        id,
    };
    match (&target.review_id, &target.template_id, &target.item_id) {
        (Some(review_id), None, None) => {
            let signoff = case
                .review
                .get(review_id)
                .filter(|s| s.kind == ReviewKind::SignOff && s.at == target.signed_at)
                .ok_or_else(|| not_found(review_id.clone()))?;
            if signoff.by != member {
                return Err(ModelError::NotTheSigner);
            }
            if signoffs::stage_withdrawal(case, review_id, signoff).is_some() {
                return Err(ModelError::AlreadyWithdrawn);
            }
            Ok(())
        }
        (None, Some(template_id), Some(item_id)) => {
            let signoff = case
                .checklists
                .get(template_id)
                .and_then(|c| c.signoffs.get(item_id))
                .filter(|s| s.at == target.signed_at)
                .ok_or_else(|| not_found(format!("{template_id}/{item_id}")))?;
            if signoff.by != member {
                return Err(ModelError::NotTheSigner);
            }
            if signoffs::item_withdrawal(case, template_id, item_id, signoff).is_some() {
                return Err(ModelError::AlreadyWithdrawn);
            }
            Ok(())
        }
        _ => Err(ModelError::Invalid {
            field: "withdraws".into(),
            message: "names either a stage sign-off or an item's sign-off".into(),
        }),
    }
}

/// Why an entry must not be replaced: `path` is a review item holding a
/// sign-off or a withdrawal (either of its values, when two were written at
/// once). Both are only ever added; the sync layer refuses such a change
/// from another device alike (see `caravan_sync::withdrawals`).
pub(super) fn check_not_replaced(
    doc: &CaseDoc,
    path: &DocPath,
    role: Role,
) -> Result<(), ModelError> {
    if !path.matches("review/*") {
        return Ok(());
    }
    let Some(Seg::Key(entry)) = path.segments().get(1) else {
        return Ok(());
    };
    let review = doc.obj_at(&DocPath::keys(["review"]))?;
    for (value, id) in doc.doc.get_all(&review, entry.as_str()).map_err(am)? {
        if !matches!(value, automerge::Value::Object(_)) {
            continue;
        }
        let kind = match doc.doc.get(&id, "kind").map_err(am)? {
            Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
                automerge::ScalarValue::Str(k) => ReviewKind::from_doc_name(k),
                _ => None,
            },
            _ => None,
        };
        if matches!(kind, Some(ReviewKind::SignOff | ReviewKind::Withdrawal)) {
            return Err(Denial {
                role,
                path: path.to_string(),
                kind: WriteKind::Update,
                why: "a sign-off and its withdrawal are only ever added",
            }
            .into());
        }
    }
    Ok(())
}
