//! Views of the communication identifiers and organised groups of a case.
//! An identifier's value is in no view: only
//! [`crate::Workspace::reveal_identifier`] returns it, audited.

use caravan_model::{GroupRole, IdentifierKind};
use serde::Serialize;

use super::MemberRef;
use crate::ids::RecordId;

/// A communication identifier, its value masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentifierView {
    pub id: RecordId,
    pub kind: IdentifierKind,
    pub platform: Option<String>,
    pub person_id: Option<RecordId>,
    /// The person's pseudonym, when the identifier names a person.
    pub person: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

/// A suspect's place in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupMemberView {
    pub person_id: RecordId,
    /// The suspect's pseudonym.
    pub pseudonym: String,
    pub role: GroupRole,
    pub superior: Option<RecordId>,
}

/// An organised group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupView {
    pub id: RecordId,
    pub name: String,
    pub description: Option<String>,
    /// Leaders first, then by role, then by pseudonym.
    pub members: Vec<GroupMemberView>,
    pub countries: Vec<String>,
    pub recorded_at: i64,
    pub recorded_by: MemberRef,
}

/// An identifier's value, returned only by an audited reveal. Like
/// [`super::RevealedIdentity`]: not `Clone`, not `Serialize`, wiped when
/// dropped, and `Debug` shows nothing of it.
#[derive(zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RevealedValue {
    value: String,
}

impl std::fmt::Debug for RevealedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedValue(…)")
    }
}

impl RevealedValue {
    pub(crate) fn of(value: &str) -> Self {
        Self {
            value: value.to_string(),
        }
    }

    /// The value as the front end shows it (as in the TypeScript
    /// declaration).
    pub fn into_json(self) -> serde_json::Value {
        serde_json::json!({ "value": self.value })
    }

    pub fn value(&self) -> &str {
        &self.value
    }
}
