//! The crate's integration tests, one binary: every file here is a module.

mod attribution;
mod common;
mod edits;
mod international;
mod later;
mod lifecycle;
mod merge;
mod module_graph;
mod policy;
mod schema;
mod templates;
