//! `caravan`: every Caravan use case from a terminal or a script. The
//! command parses, calls `caravan_core::Workspace` and prints; it holds no
//! business logic. See docs/cli.md.

mod cli;
mod commands;
mod demo;
mod exit;
mod i18n;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let lang = cli.lang;
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(exit::report(&e, lang, json)),
    }
}
