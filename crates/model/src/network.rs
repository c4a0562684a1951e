//! Checks of the communication identifiers and organised groups of a case
//! (records in [`crate::case_file`]): what a new one must hold, and that
//! the people it names are people of the case.

use std::collections::BTreeSet;

use crate::case::Case;
use crate::case_file::{Group, Identifier};
use crate::error::ModelError;
use crate::validate::{non_empty, validate_jurisdiction};
use crate::vocab::IdentifierKind;

fn invalid(field: &str, message: &str) -> ModelError {
    ModelError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// What a new identifier must hold: a value of the form its kind has.
/// The messages never repeat the value: it is sensitive.
pub(crate) fn validate_identifier(i: &Identifier) -> Result<(), ModelError> {
    non_empty("value", &i.value)?;
    let value = i.value.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed_in_phone = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    let email_parts: Vec<&str> = value.split('@').collect();
    let wrong = match i.kind {
        IdentifierKind::Phone => (!value.chars().all(allowed_in_phone) || digits < 5).then_some(
            "a phone number holds digits, with +, spaces, dashes or brackets only, e.g. +7 701 123 45 67",
        ),
        IdentifierKind::Imei => (!value.chars().all(|c| c.is_ascii_digit())
            || !(14..=16).contains(&digits))
        .then_some("an IMEI is 15 digits (14 without its check digit, 16 with a software version)"),
        IdentifierKind::Email => (email_parts.len() != 2
            || email_parts.iter().any(|p| p.is_empty())
            || value.contains(' '))
        .then_some("an e-mail address has one @ with a name before it and a domain after it"),
        _ => None,
    };
    if let Some(message) = wrong {
        return Err(invalid("value", message));
    }
    if let Some(p) = &i.platform {
        non_empty("platform", p)?;
    }
    Ok(())
}

/// The people of a case: its victims, suspects and witnesses.
fn is_person(case: &Case, id: &str) -> bool {
    case.victims.contains_key(id)
        || case.suspects.contains_key(id)
        || case.witnesses.contains_key(id)
}

/// An identifier names a person of the case, if any.
pub(crate) fn check_identifier(case: &Case, i: &Identifier) -> Result<(), ModelError> {
    match &i.person_id {
        Some(id) if !is_person(case, id) => Err(ModelError::NotFound {
            what: "person",
            id: id.clone(),
        }),
        _ => Ok(()),
    }
}

/// What a new group must hold: a name, country codes, and members who are
/// suspects of the case, each answering to another member or to no one,
/// with no member above themself.
pub(crate) fn check_group(case: &Case, g: &Group) -> Result<(), ModelError> {
    match group_faults(case, g).into_iter().next() {
        Some((_, fault)) => Err(fault),
        None => Ok(()),
    }
}

/// Every rule of [`check_group`] the group breaks, each with what it is
/// about (a field, or the member concerned), so that a correction can be
/// judged by the faults it adds, not by those it leaves.
pub(crate) fn group_faults(case: &Case, g: &Group) -> Vec<(String, ModelError)> {
    let mut faults = Vec::new();
    if let Err(e) = non_empty("name", &g.name) {
        faults.push(("name".to_string(), e));
    }
    for c in &g.countries {
        if validate_jurisdiction(c).is_err() {
            let e = invalid(
                "countries",
                "use two-letter country codes (ISO 3166), e.g. KZ, UZ",
            );
            faults.push((format!("country {c}"), e));
        }
    }
    for (id, m) in &g.members {
        if !case.suspects.contains_key(id) {
            let e = invalid(
                "members",
                "a group's members are suspects of the case: record the person as a suspect first",
            );
            faults.push((format!("member {id}"), e));
        }
        if let Some(sup) = &m.superior
            && !g.members.contains_key(sup)
        {
            let e = invalid(
                "superior",
                "a member answers to another member of the same group",
            );
            faults.push((format!("superior of {id}"), e));
        }
    }
    // No member answers, however indirectly, to themself.
    for start in g.members.keys() {
        let mut seen = BTreeSet::new();
        let mut at = start.as_str();
        while let Some(up) = g.members.get(at).and_then(|m| m.superior.as_deref()) {
            if up == start {
                let e = invalid(
                    "superior",
                    "the hierarchy has a loop: a member cannot answer to themself",
                );
                faults.push((format!("loop through {start}"), e));
                break;
            }
            if !seen.insert(up) {
                // A loop above this member, counted at its own members.
                break;
            }
            at = up;
        }
    }
    faults
}
