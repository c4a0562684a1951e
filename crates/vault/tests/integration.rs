//! The crate's integration tests, one binary: every file here is a module.

mod api;
mod canary;
mod common;
mod crash;
mod proptest_docs;
mod tamper;
