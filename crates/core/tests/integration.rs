//! The crate's integration tests, one binary: every file here is a module.

mod case_file;
mod check;
mod checklists;
mod clock;
mod court;
mod custody;
mod dashboard;
mod doc_ids;
mod errors;
mod fixtures;
mod history;
mod live;
mod permissions;
mod qualification;
mod quarantine;
mod regressions;
mod relay;
mod residency;
mod rollback;
mod signoffs;
mod state;
mod storage;
mod story;
mod use_cases;
mod util;
mod vocabulary_fixture;
