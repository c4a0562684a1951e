//! The crate's integration tests, one binary: every file here is a module.

mod attribution;
mod common;
mod edits;
mod lifecycle;
mod merge;
mod policy;
mod schema;
mod templates;
