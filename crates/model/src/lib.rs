//! Caravan's case model: the shape of a case as an Automerge document, the
//! checklists of the training manuals, the case lifecycle, and the role
//! policy that every device enforces on every change.
//!
//! This crate is pure: no I/O, no clock, no randomness, no cryptography.
//! Ids, times and actor ids come from the caller; templates and articles are
//! compiled in.

pub mod articles;
pub mod attribution;
pub mod case;
pub mod checklist;
pub mod conflicts;
pub mod date;
pub mod doc;
pub mod edit;
pub mod error;
pub mod lifecycle;
pub mod path;
pub mod policy;
pub mod schema;
pub mod search;
pub mod vocab;

pub use case::*;
pub use checklist::{Catalog, Template, TemplateItem};
pub use conflicts::{Conflict, ConflictValue};
pub use date::Date;
pub use doc::{CaseDoc, NewCase};
pub use edit::{Author, Edit, Record, Scalar};
pub use error::ModelError;
pub use path::{DocPath, Seg};
pub use policy::{DocKind, WriteKind};
pub use vocab::*;
