//! Records of the case file added after the first cases were made: the
//! communication identifiers and the organised groups of a case. Each is
//! a later collection (see [`crate::later`]); their checks are in
//! [`crate::network`].

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use crate::vocab::{GroupRole, IdentifierKind};

/// A phone number, handset (IMEI), e-mail address, messenger or social
/// account, or website through which people of the case were reached,
/// recruited or controlled.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Identifier {
    pub kind: IdentifierKind,
    /// The number, address or account name. Sensitive: masked in every
    /// view, shown only through an audited reveal (see
    /// [`crate::case::SENSITIVE_PATHS`]).
    pub value: String,
    /// The service it belongs to, e.g. WhatsApp or Telegram.
    pub platform: Option<String>,
    /// The victim, suspect or witness who uses it, where known.
    pub person_id: Option<String>,
    /// Where it was learnt: a seized phone, an interview, a provider.
    pub source: Option<String>,
    pub note: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: String,
}

/// An organised criminal group: who belongs to it, who answers to whom,
/// and where it operates.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Group {
    /// The group's name, or the label the investigation gave it.
    pub name: String,
    pub description: Option<String>,
    /// Keyed by the suspect's id: two devices adding members at once both
    /// land.
    pub members: BTreeMap<String, GroupMember>,
    /// ISO 3166-1 alpha-2 codes of the states it operates in.
    pub countries: Vec<String>,
    pub recorded_at: i64,
    pub recorded_by: String,
}

/// A suspect's place in a group.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct GroupMember {
    pub role: GroupRole,
    /// The member (a suspect's id) this one answers to.
    pub superior: Option<String>,
}
