//! Caravan's trust layer. Decides which changes are trusted; nothing else
//! in Caravan does.
//!
//! - `identity`: device keys; a device's Ed25519 public key is its Automerge actor id.
//! - `team`: the team document (members, devices, roles, revocations, case access, key epochs).
//! - `keys`: team key epochs sealed to each device's X25519 key.
//! - `analyze`: which document paths a change writes, for the role policy.
//! - `replica`: a device's documents, signatures and peer state; local commits are signed.
//! - `audit_anchor`: each device's audit log head, held by its peers in the team document.
//! - `trust`: the checks every incoming change passes before it is applied.
//! - `withdrawals`: a sign-off is withdrawn only by who made it.
//! - `quarantine`: changes that failed a check, and the supervisor's review of them.
//! - `case_keys`: a key per case, sealed to the devices that may access it; cases travel under it.
//! - `bundle`: the encrypted, signed bundle file, and export/import.
//! - `announce`: what a bundle for a member announces, recorded once it has left; what a member may lack.
//! - `chunk`: Automerge chunks from other devices, read within bounds before Automerge parses them.
//! - `join`: enrolment of a new device without network.
//! - `relays`: the relays a team uses, pinned in the team document by admins.
//! - `quota`: what one device may leave stored here as held and quarantined changes.
//! - `residency`: which cases and signatures are in memory; exchanges need them all.
//! - `case_docs`: the cases in memory, marked when changed so a save looks at those only.
//! - `vouch`: which signature shows a change is its author's; an author's signature of a change vouches for the author's changes it builds on.
//! - `roster`: the signed list of active devices a relay admits, made from the team document.
//! - `stored_state`: what the core stores to rebuild a replica, and what changed since.
//!
//! The crate does no file or network I/O: it turns bytes into decisions and
//! decisions into bytes; the application core persists them in the vault.

pub mod analyze;
pub mod announce;
pub mod audit_anchor;
pub mod bundle;
mod case_docs;
mod case_keys;
mod chunk;
mod crypto;
pub mod error;
pub mod identity;
pub mod import;
pub mod join;
pub mod keys;
mod lan_keys;
mod qualification_role;
pub mod quarantine;
pub mod quota;
pub mod refusal;
pub mod relay_auth;
pub mod relays;
pub mod replica;
mod residency;
pub mod roster;
pub mod session;
pub mod stored_state;
pub mod team;
pub mod trust;
mod vouch;
mod withdrawals;
mod witness;

pub use error::SyncError;
pub use identity::{DeviceId, DeviceKeys, PublicDevice};
pub use keys::TeamKey;
pub use replica::Replica;
pub use stored_state::{DocDelta, ReplicaState, RowKind, StateDiff, StoredRows};
pub use team::{ExpectedTeam, Team, TeamDoc, TeamId};

#[cfg(test)]
mod tests;
