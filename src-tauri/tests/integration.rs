//! The desktop shell's tests, one binary: every file here is a module.
//! The end-to-end test (`e2e`) is ignored by default; `scripts/test` runs it
//! with `--ignored` under Xvfb.

mod bindings;
mod commands;
#[cfg(unix)]
mod e2e;
mod files;
mod forms;
#[cfg(unix)]
mod lan;
mod relays;
mod routes;
mod shell;
#[cfg(unix)]
mod util;
