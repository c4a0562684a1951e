//! The crate's integration tests, one binary: every file here is a module.

mod bad_input;
mod common;
mod dossier;
mod export;
mod export_htcds;
mod flow;
mod lan;
mod languages;
mod links;
mod money;
mod quarantine;
mod relay;
mod route;
mod snapshots;
mod support;
