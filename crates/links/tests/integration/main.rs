//! The link analysis's integration tests: one binary, a module per file.

mod folding;
mod graph;
mod i2;
