//! Every error code a command can fail with: the `ErrorCode` type of
//! `ErrorDto::code` in the window (`ui/src/lib/bindings/ErrorCode.ts`,
//! checked by the bindings test).

use std::path::PathBuf;

use ts_rs::{Config, TS};

/// A command that needs the vault found it locked.
pub const LOCKED: &str = "app.locked";
/// The window named a path the shell does not use.
pub const PATH_REFUSED: &str = "app.path_refused";
/// A command stopped before it answered (its thread panicked), or the
/// window could not reach the shell.
pub const UNEXPECTED: &str = "app.unexpected";

/// The core's codes and the shell's own, each once.
pub fn error_codes() -> Vec<&'static str> {
    let mut codes = caravan_core::all_codes();
    codes.extend([LOCKED, PATH_REFUSED, UNEXPECTED, LAN_STOPPED]);
    // LAN sessions and relays fail with the network's codes.
    for code in caravan_net::NetError::CODES {
        if !codes.contains(code) {
            codes.push(code);
        }
    }
    codes
}

/// `lan_connect` while LAN sync is not running.
pub const LAN_STOPPED: &str = "app.lan_stopped";

/// The codes as a TypeScript union, the type of `ErrorDto::code`.
pub struct ErrorCode;

impl TS for ErrorCode {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn docs() -> Option<String> {
        Some("/**\n * Every error code a command can fail with.\n */\n".into())
    }

    fn name(_: &Config) -> String {
        "ErrorCode".into()
    }

    fn inline(_: &Config) -> String {
        error_codes()
            .iter()
            .map(|c| format!("\n  | \"{c}\""))
            .collect()
    }

    fn decl(cfg: &Config) -> String {
        format!("type ErrorCode ={};", Self::inline(cfg))
    }

    fn decl_concrete(cfg: &Config) -> String {
        Self::decl(cfg)
    }

    fn output_path() -> Option<PathBuf> {
        Some(PathBuf::from("ErrorCode.ts"))
    }
}
