//! Attribution: the fields that say who did something, in which role, and
//! when. They are not the author's to choose: they follow from who makes
//! the change.
//!
//! The table is data, like the role policy. Local edits are checked
//! against it before they are committed (see `CaseDoc::apply`), and the
//! sync layer checks every incoming change against the same table, so an
//! honest edit always passes and a change that names someone else as its
//! author is refused on every device alike. A change is judged by its own
//! content and its signer only:
//!
//! - a *member* field names the member whose device signed the change;
//! - a *role* field names that member's role in the team document the
//!   change is judged against;
//! - a *time* field is no later than the change's own time plus
//!   [`TIME_SKEW_MS`], and no earlier than the case's opening minus
//!   [`BEFORE_OPENING_MS`];
//! - a *moment* field (when what the entry records took place, as its
//!   author states it: a custody hand-over) is no later than the change's
//!   own time plus [`TIME_SKEW_MS`]. It may lie before the case was opened:
//!   a chain of custody often starts before the case is entered here.
//!
//! Every attribution field is written only by the change that makes the
//! record or entry it belongs to, and never changed or removed afterwards:
//! a record corrected later keeps who made it, and the history names who
//! corrected it. Entries that are a person's statement as a whole (a
//! custody hand-over, a checklist item's state, a sign-off, a review item,
//! an approval) are, besides, written whole: see
//! [`crate::policy::WRITTEN_WITH_ENTRY`].
//!
//! What a time can prove: Automerge change times are set by their author
//! too, so a time field only agrees with the change that writes it (it is
//! never dated after it) and falls within the case's life. No device can
//! refuse a time "in the future" by its own clock: devices would disagree
//! on the same change, and on the same device the verdict would change
//! with the hour.
//!
//! Not attribution: `victims/*/status_decided_by` names the kind of agency
//! that decided a trafficking status (HTCDS), not a member; task assignees
//! and case assignments name who is to do something, not who did it.

use serde::Serialize;

use crate::case::Millis;
use crate::path::{DocPath, Seg};
use crate::policy::{DocKind, WriteKind};
use crate::scalar::Scalar;
use crate::vocab::Role;

/// What an attribution field must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Attests {
    /// The member id of the member whose device signs the change.
    Member,
    /// That member's role.
    Role,
    /// A time (milliseconds) no later than the change's own time plus
    /// [`TIME_SKEW_MS`] and no earlier than the case's opening minus
    /// [`BEFORE_OPENING_MS`].
    Time,
    /// The moment (milliseconds) what the entry records took place, as its
    /// author states it: no later than the change's own time plus
    /// [`TIME_SKEW_MS`], and as early as it happened.
    Moment,
}

impl Attests {
    /// What the field must hold, as the documentation says it.
    pub fn describe(self) -> &'static str {
        match self {
            Attests::Member => "the signer's member",
            Attests::Role => "the signer's role",
            Attests::Time => "a time not after the change's own",
            Attests::Moment => "a moment not after the change's own",
        }
    }
}

/// One kind of record or entry and its attribution fields.
#[derive(Debug, Clone, Copy)]
pub struct Attributed {
    /// Pattern of the record or entry (`*` for one key, no `**`).
    pub object: &'static str,
    pub fields: &'static [(&'static str, Attests)],
    /// What the object is, for messages and docs.
    pub what: &'static str,
}

const fn attributed(
    object: &'static str,
    fields: &'static [(&'static str, Attests)],
    what: &'static str,
) -> Attributed {
    Attributed {
        object,
        fields,
        what,
    }
}

use Attests::{Member as M, Moment, Role as R, Time as T};

const RECORDED: &[(&str, Attests)] = &[("recorded_by", M), ("recorded_at", T)];
const BY_AT: &[(&str, Attests)] = &[("by", M), ("at", T)];

/// The attribution fields of a case document.
#[rustfmt::skip]
pub static CASE_ATTRIBUTION: &[Attributed] = &[
    attributed("header", &[("created_by", M), ("created_at", T)], "the case's opening"),
    attributed("victims/*", RECORDED, "a victim's record"),
    attributed("suspects/*", RECORDED, "a suspect's record"),
    attributed("witnesses/*", RECORDED, "a witness's record"),
    attributed("evidence/*", RECORDED, "an evidence item"),
    attributed("evidence/*/custody/*", &[("recorded_by", M), ("recorded_at", T), ("at", Moment)], "a custody hand-over"),
    attributed("interviews/*", RECORDED, "an interview"),
    attributed("tasks/*", RECORDED, "a task"),
    attributed("timeline/*", RECORDED, "a timeline event"),
    attributed("referrals/*", RECORDED, "a referral"),
    attributed("risks/*", RECORDED, "a risk assessment"),
    attributed("notes/*", RECORDED, "a note"),
    attributed("checklists/*/items/*", BY_AT, "a checklist item's state"),
    attributed("checklists/*/signoffs/*", &[("by", M), ("role", R), ("at", T)], "a sign-off"),
    attributed("review/*", BY_AT, "a review item"),
    attributed("approvals/*", BY_AT, "an approval"),
    attributed("links/*", RECORDED, "a link to another case"),
    attributed("international_requests/*", RECORDED, "an international request"),
    attributed("identifiers/*", RECORDED, "a communication identifier"),
    attributed("groups/*", RECORDED, "an organised group"),
    attributed("procedural_decisions/*", RECORDED, "a procedural decision"),
    attributed("measures/*", RECORDED, "a preventive measure"),
    attributed("charges/*", RECORDED, "a charge"),
    attributed("indictments/*", RECORDED, "an indictment"),
    attributed("hearings/*", RECORDED, "a hearing"),
    attributed("verdicts/*", RECORDED, "a verdict"),
    attributed("compensation/*", RECORDED, "a compensation claim"),
    attributed("support/*", RECORDED, "a support service"),
    attributed("financial_flows/*", RECORDED, "a financial flow"),
];

/// The attribution fields of the team document. Its times are shown, not
/// relied on, and only admins write it: only who did what is checked.
#[rustfmt::skip]
pub static TEAM_ATTRIBUTION: &[Attributed] = &[
    attributed("members/*", &[("added_by", M)], "a member"),
    attributed("devices/*", &[("enrolled_by", M)], "a device's enrolment"),
    attributed("revocations/*", &[("by", M)], "a revocation"),
    attributed("key_epochs/*", &[("created_by", M)], "a team key epoch"),
    attributed("relays/*", &[("added_by", M)], "a relay's registration"),
];

/// How far a time may lie after the change that writes it: clocks are read
/// a moment before a change is committed, and Automerge keeps change times
/// in whole seconds.
pub const TIME_SKEW_MS: Millis = 10 * 60 * 1000;

/// How far a time may lie before the case was opened: the device that
/// opened it may have had a clock ahead of another member's.
pub const BEFORE_OPENING_MS: Millis = 24 * 60 * 60 * 1000;

/// Who signs a change, and when the change and its case say it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signer<'a> {
    pub member: &'a str,
    pub role: Role,
    /// The change's own time (Automerge keeps whole seconds), in milliseconds.
    pub at: Millis,
    /// When the case was opened: the time of its first change, in
    /// milliseconds; `None` where there is no such floor (the team document).
    pub opened_at: Option<Millis>,
}

/// A write that misstates who did something, in which role or when.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("'{path}' {problem}")]
pub struct FalseAttribution {
    pub path: String,
    pub problem: String,
}

impl FalseAttribution {
    /// The code of a local edit refused for it.
    pub const CODE: &'static str = "case.false_attribution";
}

/// The attribution table of a kind of document.
pub fn table(doc: DocKind) -> &'static [Attributed] {
    match doc {
        DocKind::Case => CASE_ATTRIBUTION,
        DocKind::Team => TEAM_ATTRIBUTION,
    }
}

/// The record or entry kind `path` is the object of, if it is attributed.
pub fn object_at(doc: DocKind, path: &DocPath) -> Option<&'static Attributed> {
    table(doc).iter().find(|a| path.matches(a.object))
}

/// The attribution field `path` is, with the object it belongs to.
pub fn field_at(doc: DocKind, path: &DocPath) -> Option<(&'static Attributed, Attests)> {
    let (Seg::Key(last), parent) = path.segments().split_last()? else {
        return None;
    };
    // Most writes are not attribution (text, lists, content): answer
    // those without matching the object patterns.
    if !table(doc)
        .iter()
        .any(|a| a.fields.iter().any(|(f, _)| f == last))
    {
        return None;
    }
    let object = object_at(doc, &DocPath(parent.to_vec()))?;
    object
        .fields
        .iter()
        .find(|(f, _)| f == last)
        .map(|(_, attests)| (object, *attests))
}

/// Judges one write: `fresh` when it writes into an object the same change
/// made; `value` the scalar it writes (`None` for an object, a removal or a
/// value Caravan never writes).
pub fn judge(
    doc: DocKind,
    path: &DocPath,
    kind: WriteKind,
    fresh: bool,
    value: Option<&Scalar>,
    signer: &Signer<'_>,
) -> Result<(), FalseAttribution> {
    let Some((object, attests)) = field_at(doc, path) else {
        return Ok(());
    };
    let refuse = |problem: String| {
        Err(FalseAttribution {
            path: path.to_string(),
            problem,
        })
    };
    if kind == WriteKind::Delete {
        return refuse(format!(
            "says who made {} and when, and is never removed",
            object.what
        ));
    }
    if !fresh {
        return refuse(format!(
            "is written only with {}, by the change that makes it, and never changed afterwards",
            object.what
        ));
    }
    match attests {
        Attests::Member => match value {
            Some(Scalar::Str(m)) if m == signer.member => Ok(()),
            Some(Scalar::Str(m)) => refuse(format!(
                "names member '{m}' as who made {}, but the change comes from member '{}'",
                object.what, signer.member
            )),
            _ => refuse(format!("must name the member who made {}", object.what)),
        },
        Attests::Role => match value {
            Some(Scalar::Str(r)) if r == signer.role.doc_name() => Ok(()),
            Some(Scalar::Str(r)) => refuse(format!(
                "claims the {} role for {}, but the change comes from a member whose role is {}",
                Role::from_doc_name(r).map_or(r.as_str(), |r| r.id()),
                object.what,
                signer.role
            )),
            _ => refuse(format!("must name the role of who made {}", object.what)),
        },
        Attests::Time | Attests::Moment => judge_time(path, object.what, attests, value, signer),
    }
}

/// A custody hand-over made without `recorded_at` (as a release before it
/// wrote one): its `at` is when it was recorded, so it holds as a *time*,
/// not a moment. Without this, a hand-over that leaves `recorded_at` out
/// would be shown as recorded whenever its author backdated it to.
pub fn judge_unrecorded_hand_over(
    path: &DocPath,
    value: Option<&Scalar>,
    signer: &Signer<'_>,
) -> Result<(), FalseAttribution> {
    judge_time(
        path,
        "a custody hand-over without its recording time",
        Attests::Time,
        value,
        signer,
    )
}

fn judge_time(
    path: &DocPath,
    what: &str,
    attests: Attests,
    value: Option<&Scalar>,
    signer: &Signer<'_>,
) -> Result<(), FalseAttribution> {
    let refuse = |problem: String| {
        Err(FalseAttribution {
            path: path.to_string(),
            problem,
        })
    };
    let at = match value {
        Some(Scalar::Int(t)) => *t,
        Some(Scalar::Uint(t)) => i64::try_from(*t).unwrap_or(i64::MAX),
        _ => return refuse("must be a time".into()),
    };
    if at > signer.at.saturating_add(TIME_SKEW_MS) {
        return refuse(format!(
            "dates {what} more than {} minutes after the change that records it",
            TIME_SKEW_MS / 60_000
        ));
    }
    if attests == Attests::Time
        && let Some(opened) = signer.opened_at
        && at < opened.saturating_sub(BEFORE_OPENING_MS)
    {
        return refuse(format!(
            "dates {what} more than a day before the case was opened"
        ));
    }
    Ok(())
}

/// When a case was opened: the time of the change that laid out its header
/// (its first change: no later change may lay one out), in milliseconds.
/// `doc` must hold no transaction in progress.
pub fn opened_at(doc: &mut automerge::AutoCommit) -> Option<Millis> {
    use automerge::ReadDoc;
    let (_, header) = doc.get(automerge::ROOT, "header").ok()??;
    let first = doc.hash_for_opid(&header)?;
    let change = doc.get_change_meta_by_hash(&first)?;
    Some(change.timestamp.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_name_keys_only() {
        // `object_at` and `field_at` rely on it: an object's pattern is as
        // long as the paths it matches.
        for a in CASE_ATTRIBUTION.iter().chain(TEAM_ATTRIBUTION) {
            assert!(!a.object.contains("**"), "{}", a.object);
            assert!(!a.fields.is_empty(), "{}", a.object);
        }
    }
}
