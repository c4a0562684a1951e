//! The crate's integration tests, one binary: every file here is a module.

mod articles;
mod attribution;
mod common;
mod corrections;
mod court;
mod edits;
mod finance;
mod htcds;
mod international;
mod later;
mod later_lists;
mod lifecycle;
mod lists;
mod merge;
mod module_graph;
mod network;
mod per_person;
mod policy;
mod schema;
mod support;
mod templates;
