//! Typed ids: a case id cannot be passed where a record id is wanted. On
//! the wire each is its plain string (hex), so front ends and scripts see
//! no wrapper.

use std::fmt;

use caravan_vault::DocId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(s.to_string()))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                Self(s.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    )+};
}

typed_id! {
    /// A case: 32 hex digits, derived from the case's first change.
    CaseId;
    /// A team member: 16 hex digits.
    MemberId;
    /// A record inside a case (person, evidence, task, …): 16 hex digits.
    RecordId;
}

/// A vault's document id for a document name, one-to-one: the team
/// document has its own; case ids (sync's `is_case_id`: 32 lower-case hex
/// digits, not all zero) map onto themselves; any other name is hashed. No
/// case name reaches the team document's id, and no two spellings share an
/// id (sync refuses any other name before it gets here).
pub fn doc_id_for(name: &str) -> DocId {
    if name == "team" {
        return DocId::TEAM;
    }
    let mut out = [0u8; 16];
    if caravan_sync::team::is_case_id(name) && hex::decode_to_slice(name, &mut out).is_ok() {
        return DocId(out);
    }
    let digest = Sha256::digest([b"caravan-core/doc-id\0".as_slice(), name.as_bytes()].concat());
    out.copy_from_slice(&digest[..16]);
    DocId(out)
}
