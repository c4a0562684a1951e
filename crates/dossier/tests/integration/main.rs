//! The dossier crate's integration tests: one binary, a module per file.

mod common;
mod pdf;
mod text;
