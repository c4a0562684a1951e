//! Load bench (not run by the tests); written below.
fn main() {}
