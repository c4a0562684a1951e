//! The crate's integration tests, one binary: every file here is a module.

mod attribution;
mod common;
mod edits;
mod lifecycle;
mod merge;
mod module_graph;
mod per_person;
mod policy;
mod schema;
mod templates;
