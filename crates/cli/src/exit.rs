//! Errors as the command reports them: `error[<code>]: <message>` on
//! stderr (or a JSON object with --json) and a documented exit code.

use caravan_core::{CoreError, ErrorKind};

use crate::i18n::Lang;

/// What the command line itself can fail with, before or around the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliCode {
    NoPassphrase,
    PassphraseMismatch,
    Failure,
}

caravan_core::coded! {
    CliCode {
        Self::NoPassphrase => ("cli.no_passphrase", Rejected),
        Self::PassphraseMismatch => ("cli.passphrase_mismatch", Rejected),
        Self::Failure => ("cli.failure", Failure),
    }
}

/// An error found by the command line itself (before or around the core).
#[derive(Debug)]
pub struct CliError {
    pub code: CliCode,
    pub message: String,
    /// The catalogue's key of a message of its own (a failure under the
    /// generic code, `cli.failure.*`) and its placeholders' values: shown
    /// in every language instead of the code's message.
    text: Option<(&'static str, Vec<(&'static str, String)>)>,
}

impl std::error::Error for CliError {}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl CliError {
    pub fn new(code: CliCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            text: None,
        }
    }

    /// A failure with a message of its own, the catalogue's text of `key`
    /// with `args` (English in the error's `Display`).
    pub fn failure(key: &'static str, args: &[(&'static str, String)]) -> Self {
        let text = Some((key, args.to_vec()));
        let mut e = Self {
            code: CliCode::Failure,
            message: String::new(),
            text,
        };
        e.message = e.text_in(Lang::En).unwrap_or_default();
        e
    }

    /// Its own message in `lang`, if it has one.
    fn text_in(&self, lang: Lang) -> Option<String> {
        let (key, args) = self.text.as_ref()?;
        let args: Vec<(&str, &dyn std::fmt::Display)> = args
            .iter()
            .map(|(n, v)| (*n, v as &dyn std::fmt::Display))
            .collect();
        Some(lang.t(key, &args))
    }
}

pub fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::WrongSecret => 3,
        ErrorKind::InUse => 4,
        ErrorKind::Rejected => 5,
        ErrorKind::Verification => 6,
        _ => 1,
    }
}

/// Code, kind and message (in `lang`) of any error a command returned:
/// in English the error's own message, with its details; in another
/// language the catalogue's message for the code (see [`Lang::error`]),
/// with the details a core error carries, or the English one where no
/// catalogue has the code.
pub fn describe(err: &anyhow::Error, lang: Lang) -> (&'static str, ErrorKind, String) {
    if let Some(e) = err.downcast_ref::<CoreError>() {
        let message = match lang {
            Lang::En => None,
            _ => translated_core(e, lang),
        };
        return (e.code(), e.kind(), message.unwrap_or_else(|| e.to_string()));
    }
    if let Some(e) = err.downcast_ref::<caravan_net::NetError>() {
        return (
            e.code(),
            e.kind(),
            message(lang, e.code(), || e.to_string()),
        );
    }
    if let Some(e) = err.downcast_ref::<CliError>() {
        let code = e.code;
        let message = e
            .text_in(lang)
            .unwrap_or_else(|| message(lang, code.code(), || e.message.clone()));
        return (code.code(), code.kind(), message);
    }
    let failure = CliCode::Failure;
    (
        failure.code(),
        failure.kind(),
        message(lang, failure.code(), || format!("{err:#}")),
    )
}

/// The catalogue's message for `code` in `lang`, or `english`.
fn message(lang: Lang, code: &str, english: impl FnOnce() -> String) -> String {
    match lang {
        Lang::En => english(),
        _ => lang.error(code).map_or_else(english, str::to_string),
    }
}

/// The catalogue's message with the error's details (the English message
/// carries them in its text; the catalogue's, shared with the UI, do not).
fn translated_core(e: &CoreError, lang: Lang) -> Option<String> {
    let message = lang.error(e.code())?;
    let base = message.trim_end_matches('.');
    Some(match e {
        CoreError::NotFound { id, .. } => format!("{base}: «{id}»."),
        CoreError::Ambiguous { id, .. } => format!("{base}: «{id}»."),
        CoreError::Invalid { field, .. } => format!("{base}: {field}."),
        CoreError::Denied { role, .. } => format!("{base} ({role})."),
        CoreError::File { path, .. } => format!("{base}: {path}."),
        _ => message.to_string(),
    })
}

/// Prints the error on stderr and returns the exit code.
pub fn report(err: &anyhow::Error, lang: Lang, json: bool) -> u8 {
    let (code, kind, message) = describe(err, lang);
    if json {
        let v = serde_json::json!({ "error": { "code": code, "message": message } });
        eprintln!("{v}");
    } else {
        eprintln!("error[{code}]: {message}");
    }
    exit_code(kind)
}
