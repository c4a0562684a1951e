//! Errors as the command reports them: `error[<code>]: <message>` on
//! stderr (or a JSON object with --json) and a documented exit code.

use caravan_core::{CoreError, ErrorKind};

use crate::i18n::{self, Lang};

/// An error found by the command line itself (before or around the core).
#[derive(Debug)]
pub struct CliError {
    pub code: &'static str,
    pub kind: ErrorKind,
    pub message: String,
}

impl std::error::Error for CliError {}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl CliError {
    pub fn new(code: &'static str, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            code,
            kind,
            message: message.into(),
        }
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

/// Code, kind and message (in `lang`) of any error a command returned.
pub fn describe(err: &anyhow::Error, lang: Lang) -> (&'static str, ErrorKind, String) {
    if let Some(e) = err.downcast_ref::<CoreError>() {
        let code = e.code();
        let message = match lang {
            Lang::En => e.to_string(),
            Lang::Ru => russian_core(e).unwrap_or_else(|| e.to_string()),
        };
        return (code, e.kind(), message);
    }
    if let Some(e) = err.downcast_ref::<CliError>() {
        let message = match lang {
            Lang::Ru => i18n::russian(e.code)
                .map(str::to_string)
                .unwrap_or_else(|| e.message.clone()),
            Lang::En => e.message.clone(),
        };
        return (e.code, e.kind, message);
    }
    let message = match lang {
        Lang::Ru => i18n::russian("cli.failure").unwrap_or_default().to_string(),
        Lang::En => format!("{err:#}"),
    };
    ("cli.failure", ErrorKind::Failure, message)
}

fn russian_core(e: &CoreError) -> Option<String> {
    let base = i18n::russian(e.code())?;
    Some(match e {
        CoreError::NotFound { id, .. } => format!("{base}: «{id}»."),
        CoreError::Ambiguous { id, .. } => format!("{base}: «{id}»."),
        CoreError::Invalid { field, .. } => format!("{base}: {field}."),
        CoreError::Denied { role, .. } => format!("{base} ({role})."),
        CoreError::File { path, .. } => format!("{base}: {path}."),
        _ => base.to_string(),
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
