//! Role policy: which parts of a document each role may write.
//!
//! The rules are data. Local edits are checked against them before they are
//! made (see `CaseDoc::apply`), and the sync layer checks every incoming
//! change against the same table on every device, so a device that skips the
//! local check still cannot make its edits stick anywhere else.
//!
//! Rules are tried in order and the first whose pattern matches the path
//! decides; a path no rule matches may not be written by anyone.

use serde::{Deserialize, Serialize};

use crate::path::DocPath;
use crate::table::{join, rows_in};
use crate::vocab::Role;

/// Which kind of document a path is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocKind {
    Case,
    Team,
}

/// What a write does at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WriteKind {
    /// Sets a key that had no value, or inserts into a list or text.
    Create,
    /// Overwrites an existing value.
    Update,
    /// Removes a key, list element or character.
    Delete,
}

impl WriteKind {
    /// The verb used in messages.
    pub fn verb(self) -> &'static str {
        match self {
            WriteKind::Create => "add",
            WriteKind::Update => "change",
            WriteKind::Delete => "delete",
        }
    }
}

/// One row of the policy table: a path pattern and who may do what there.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub pattern: &'static str,
    /// Each grant: these roles may make these kinds of write.
    pub grants: &'static [Grant],
    /// Why the rule exists, shown in denial messages and docs.
    pub why: &'static str,
}

/// Roles and the kinds of write they may make.
pub type Grant = (&'static [Role], &'static [WriteKind]);

use Role::{Admin as A, Investigator as I, Prosecutor as P, Supervisor as S};
use WriteKind::{Create as C, Delete as D, Update as U};

/// Roles that run a case (assign it, decide gates, approve). An admin
/// manages the team (devices, roles, who sees which case) and is not a
/// supervisor by that: a unit whose admin also supervises gives them a
/// supervisor's membership too (see docs/policy.md).
const LEADS: &[Role] = &[S];
/// Roles that open cases.
const OPENERS: &[Role] = &[I, S, A];
const INV: &[Role] = &[I];
/// Investigators and supervisors.
const INV_SUP: &[Role] = &[I, S];

const fn rule(pattern: &'static str, grants: &'static [Grant], why: &'static str) -> Rule {
    Rule {
        pattern,
        grants,
        why,
    }
}

const RECORD: &str = "investigators keep the investigation record";
const NO_DELETE: &str = "records are corrected, never deleted";

/// A collection added after cases were made: the first record of a case
/// that predates it makes its map (`crate::later`), so whoever may add
/// that record may make the map; no one changes or removes it. Tried
/// before the rule that keeps the case's top-level parts as the first
/// change laid them out.
macro_rules! later_collection {
    ($collection:literal, $roles:expr) => {
        rule(
            $collection,
            &[($roles, &[C])],
            "the first record of a case made before the collection existed makes it",
        )
    };
}

/// An investigators' record collection: each record's fields are theirs
/// to write, the records themselves are never deleted.
macro_rules! investigation_record {
    ($collection:literal) => {
        [
            rule(
                concat!($collection, "/*/*/**"),
                &[(INV, &[C, U, D])],
                RECORD,
            ),
            rule(concat!($collection, "/**"), &[(INV, &[C, U])], NO_DELETE),
        ]
    };
}

/// A record collection `$roles` keep together (the others read it): each
/// record's fields are theirs to write, the records themselves are never
/// deleted.
macro_rules! shared_record {
    ($collection:literal, $roles:expr, $why:literal) => {
        [
            rule(
                concat!($collection, "/*/*/**"),
                &[($roles, &[C, U, D])],
                $why,
            ),
            rule(concat!($collection, "/**"), &[($roles, &[C, U])], NO_DELETE),
        ]
    };
}

/// Investigators, supervisors and prosecutors: the indictment is drafted
/// by the investigator and approved by the prosecutor, who also stands for
/// the prosecution at trial and records hearings, verdicts and
/// compensation as they happen.
const COURT: &[Role] = &[I, S, P];

/// A victim's reflection period, residence or return and reintegration:
/// fields of the victim that investigators and supervisors keep, as they
/// keep the support plan (`support`). Tried before the victim's other
/// fields, which are the investigators'.
macro_rules! victim_support {
    () => {
        victim_support!(
            "victims/*/reflection_from",
            "victims/*/reflection_until",
            "victims/*/residence_decision",
            "victims/*/residence_decided_on",
            "victims/*/return_country",
            "victims/*/reintegration_status",
            "victims/*/family_assessment_done",
            "victims/*/family_assessment_on",
        )
    };
    ($($field:literal),+ $(,)?) => {
        [$(rule(
            $field,
            &[(INV_SUP, &[C, U])],
            "investigators and supervisors keep the victim's support, residence and return",
        )),+]
    };
}

#[rustfmt::skip]
const CASE_SECTIONS: &[&[Rule]] = &[
    &[
        later_collection!("links", INV),
        later_collection!("international_requests", INV_SUP),
        later_collection!("identifiers", INV_SUP),
        later_collection!("groups", INV_SUP),
        later_collection!("procedural_decisions", INV_SUP),
        later_collection!("measures", INV_SUP),
        later_collection!("charges", INV_SUP),
        later_collection!("indictments", COURT),
        later_collection!("hearings", COURT),
        later_collection!("verdicts", COURT),
        later_collection!("compensation", COURT),
        later_collection!("support", INV_SUP),
        later_collection!("financial_flows", INV_SUP),
        rule("*", &[], "a case's parts are laid out by its first change, and by no later one"),
        rule("evidence/*/custody/**", &[(INV, &[C])], "the chain of custody is append-only"),
        rule("checklists/*/version", &[(INV, &[U]), (OPENERS, &[C])], "investigators adopt newer template versions"),
        rule("checklists/*/*", &[(LEADS, &[C, U]), (OPENERS, &[C])], "checklists are started, never deleted"),
        rule("checklists/*/signoffs/**", &[(&[P, S], &[C, U])], "only prosecutors and supervisors sign off"),
        rule("checklists/*/items/**", &[(INV, &[C, U, D])], "investigators work the checklists"),
        rule("checklists/*", &[(LEADS, &[C, U]), (OPENERS, &[C])], "checklists are started, never deleted"),
        rule("review/**", &[(&[P], &[C, U])], "the review belongs to the prosecutor"),
        rule("approvals/**", &[(LEADS, &[C, U])], "approvals belong to the supervisor"),
        rule("assignment/**", &[(LEADS, &[C, U, D])], "supervisors assign cases"),
        rule("stages/*/status", &[(LEADS, &[C, U]), (OPENERS, &[C])], "supervisors decide stage gates"),
        rule("stages/*/closed_at", &[(LEADS, &[C, U]), (OPENERS, &[C])], "supervisors decide stage gates"),
        rule("stages/**", &[(LEADS, &[C, U]), (OPENERS, &[C])], "investigators open stages"),
        rule("header/qualification/**", &[(OPENERS, &[C, U, D])], "the legal qualification may be revised"),
        rule("header/registry_number", &[(INV_SUP, &[C, U])], "the investigation records the case's number in the register"),
        rule("header/**", &[(OPENERS, &[C, U])], "case details"),
        rule("narrative/**", &[(INV, &[C, U, D])], "the narrative is the investigators' text"),
        rule("tasks/*/*/**", &[(OPENERS, &[C, U, D])], "investigators and supervisors plan tasks"),
        rule("tasks/**", &[(OPENERS, &[C, U])], "tasks are closed, never deleted"),
    ],
    &victim_support!(),
    &investigation_record!("victims"),
    &investigation_record!("suspects"),
    &investigation_record!("witnesses"),
    &investigation_record!("evidence"),
    &investigation_record!("interviews"),
    &investigation_record!("timeline"),
    &investigation_record!("referrals"),
    &investigation_record!("risks"),
    &investigation_record!("notes"),
    &investigation_record!("links"),
    &shared_record!("international_requests", INV_SUP, "investigators and supervisors keep this record"),
    &shared_record!("identifiers", INV_SUP, "investigators and supervisors keep this record"),
    &shared_record!("groups", INV_SUP, "investigators and supervisors keep this record"),
    &shared_record!("procedural_decisions", INV_SUP, "the investigation records a person's procedural status"),
    &shared_record!("measures", INV_SUP, "the investigation records preventive measures"),
    &shared_record!("charges", INV_SUP, "the investigation brings the charges"),
    &shared_record!("indictments", COURT, "drafted by the investigation, approved by the prosecutor"),
    &shared_record!("hearings", COURT, "investigators, supervisors and prosecutors keep the court record"),
    &shared_record!("verdicts", COURT, "investigators, supervisors and prosecutors keep the court record"),
    &shared_record!("compensation", COURT, "investigators, supervisors and prosecutors keep the court record"),
    &shared_record!("support", INV_SUP, "investigators and supervisors keep the victim's support plan"),
    &shared_record!("financial_flows", INV_SUP, "the investigation traces the money"),
];

/// The case-document policy table, in the order rules are tried.
pub static CASE_RULES: &[Rule] =
    &join::<_, { rows_in(CASE_SECTIONS) }>(CASE_SECTIONS, rule("", &[], ""));

/// The team-document policy table.
#[rustfmt::skip]
pub static TEAM_RULES: &[Rule] = &[
    rule("case_keys", &[(&[I, P, S, A], &[C])], "any member may seal a case key; devices use only keys an entitled member sealed"),
    rule("case_keys/*", &[(&[I, P, S, A], &[C])], "case key wraps are only added"),
    rule("audit_heads", &[(&[I, P, S, A], &[C])], "every device records its audit log head"),
    rule("audit_heads/*", &[(&[I, P, S, A], &[C, U])], "a device records its own audit log head (checked against the signer)"),
    rule("*", &[(&[A], &[C])], "the founding admin creates the team"),
    rule("case_access/**", &[(&[S, A], &[C, U, D])], "supervisors decide who sees which case"),
    rule("revocations/**", &[(&[A], &[C])], "revocations are permanent"),
    rule("key_epochs/**", &[(&[A], &[C])], "team key epochs are only added"),
    rule("relays/**", &[(&[A], &[C, U, D])], "admins register the relays devices trust, and remove them"),
    rule("**", &[(&[A], &[C, U])], "admins manage the team"),
];

/// Paths inside entries that are one person's statement as a whole, with
/// why: written only by the change that adds the entry, so an entry once
/// made never changes and never holds concurrent values. A custody
/// hand-over is never replaced either (the chain is append-only); the
/// others are replaced whole, by a new entry naming its own author (see
/// `crate::attribution`): another member's words are never edited under
/// their name.
#[rustfmt::skip]
pub static WRITTEN_WITH_ENTRY: &[(&str, &str)] = &[
    ("evidence/*/custody/*/*/**", "an entry of the chain of custody is written whole, when it is added"),
    ("checklists/*/items/*/*/**", "a checklist item's state is written whole by who marks the item"),
    ("checklists/*/signoffs/*/*/**", "a sign-off is written whole by who signs"),
    ("review/*/*/**", "a review item is written whole by its author"),
    ("approvals/*/*/**", "an approval is written whole by who decides"),
];

/// Rules under which a conflict cannot arise, so no role needs to update
/// there to resolve one: top-level parts exist once, from a case's first
/// change; the maps two devices make at once for a later collection are
/// read as one (`crate::later`); custody entries are list insertions
/// written whole.
pub fn conflict_free(pattern: &str) -> bool {
    matches!(pattern, "*" | "evidence/*/custody/**") || crate::later::is_later(pattern)
}

/// May a member of `role` open a case (write its first change)?
pub fn may_open_case(role: Role) -> Result<(), Denial> {
    if OPENERS.contains(&role) {
        Ok(())
    } else {
        Err(Denial {
            role,
            path: "a new case".into(),
            kind: WriteKind::Create,
            why: "only investigators, supervisors and admins open cases",
        })
    }
}

/// Is `path` inside an entry written whole (see [`WRITTEN_WITH_ENTRY`])?
pub fn written_with_entry(path: &DocPath) -> bool {
    entry_rule(path).is_some()
}

fn entry_rule(path: &DocPath) -> Option<&'static str> {
    WRITTEN_WITH_ENTRY
        .iter()
        .find(|(p, _)| path.matches(p))
        .map(|(_, why)| *why)
}

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("the {role} role may not {} '{path}' ({why})", kind.verb())]
pub struct Denial {
    pub role: Role,
    pub path: String,
    pub kind: WriteKind,
    pub why: &'static str,
}

impl Denial {
    pub const CODE: &'static str = "policy.denied";
}

/// Values only some roles may write, whatever the row of their field
/// says: an indictment is approved, or returned for further
/// investigation, by the prosecutor alone (rows do not look at values).
/// Checked for local edits and, by the sync layer, for every write of an
/// incoming change.
pub fn may_write_value(role: Role, path: &DocPath, value: &crate::Scalar) -> Result<(), Denial> {
    use crate::vocab::IndictmentStatus as S;
    let reserved = match value {
        crate::Scalar::Str(s) if path.matches("indictments/*/status") => [
            S::Approved.doc_name(),
            S::ReturnedForInvestigation.doc_name(),
        ]
        .contains(&s.as_str()),
        crate::Scalar::Null => false,
        _ => path.matches("indictments/*/approved_on"),
    };
    if reserved && role != P {
        return Err(Denial {
            role,
            path: path.to_string(),
            kind: WriteKind::Update,
            why: "only the prosecutor approves an indictment or returns it for further investigation",
        });
    }
    Ok(())
}

/// May `role` make a write of `kind` at `path` in a document of kind `doc`?
pub fn check(doc: DocKind, role: Role, path: &DocPath, kind: WriteKind) -> Result<(), Denial> {
    let rules = match doc {
        DocKind::Case => CASE_RULES,
        DocKind::Team => TEAM_RULES,
    };
    let deny = |why| Denial {
        role,
        path: path.to_string(),
        kind,
        why,
    };
    match rules.iter().find(|r| path.matches(r.pattern)) {
        Some(r)
            if r.grants
                .iter()
                .any(|(roles, kinds)| roles.contains(&role) && kinds.contains(&kind)) =>
        {
            Ok(())
        }
        Some(r) => Err(deny(r.why)),
        None => Err(deny("no rule allows writing there")),
    }
}

/// [`check`] for a write into an object that existed before the change
/// (not one the same change made): inside an entry written whole, nothing
/// is written after the entry was added.
pub fn check_in_place(
    doc: DocKind,
    role: Role,
    path: &DocPath,
    kind: WriteKind,
) -> Result<(), Denial> {
    check(doc, role, path, kind)?;
    match entry_rule(path) {
        Some(why) if doc == DocKind::Case => Err(Denial {
            role,
            path: path.to_string(),
            kind,
            why,
        }),
        _ => Ok(()),
    }
}

/// Shorthand for [`check`] as a yes/no answer.
pub fn may_write(doc: DocKind, role: Role, path: &DocPath, kind: WriteKind) -> bool {
    check(doc, role, path, kind).is_ok()
}
