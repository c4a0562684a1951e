//! # caravan-vault
//!
//! Caravan's encrypted vault: one folder holding one SQLite database
//! (WAL, `synchronous = FULL`) in which every record is encrypted with
//! XChaCha20-Poly1305 under a random 256-bit vault key. The vault key is
//! wrapped by Argon2id(passphrase) and, separately, by a one-time recovery
//! code. See `docs/security.md` and `docs/formats/vault.md`.
//!
//! The vault stores opaque Automerge documents (snapshot + incremental
//! chunks), a small per-case index, attachments, key material, sync state,
//! change signatures, quarantined changes and a hash-chained audit log. It
//! knows nothing of the domain model.
//!
//! Durability: every mutating method runs in one SQLite transaction that
//! is committed with `synchronous = FULL` before it returns `Ok`; an
//! acknowledged write survives a crash or power loss.
//!
//! One process at a time: the folder's `vault.lock` is held with an OS
//! file lock (`File::try_lock`, portable) while a vault is open.

mod attachments;
mod audit;
mod crypto;
mod docs;
mod error;
mod index;
mod kdf;
mod keyed_records;
mod passphrase_policy;
mod recovery;
mod scan;
mod schema;
mod secret;
mod transaction;
mod vault;

#[cfg(test)]
mod tests;

pub use attachments::{ATTACHMENT_CHUNK_SIZE, AttachmentId, AttachmentInfo};
pub use audit::{AuditEntry, AuditVerified};
pub use crypto::ENCRYPTION_DISABLED;
pub use docs::{DocId, DocStats};
pub use error::{AuditProblem, RecordRef, Result, VaultError};
pub use index::{
    CaseIndexEntry, CaseListing, DashboardFacts, IndexStage, IndexTask, MAX_INDEX_ENTRY_BYTES,
};
pub use kdf::KdfParams;
pub use keyed_records::{MAX_RECORD_BYTES, QuarantinedChange, RecordKind};
pub use passphrase_policy::{PassphrasePolicy, Strength, common_password_count, estimate_strength};
pub use recovery::RecoveryCode;
pub use schema::{DB_FILE, FORMAT_VERSION, LOCK_FILE};
pub use secret::{Passphrase, SecretBytes};
pub use transaction::VaultTx;
pub use vault::{CreateParams, UnlockOptions, UnlockedWith, Vault, VaultConfig};

/// Re-export so callers use the same Automerge version as the vault.
pub use automerge;
