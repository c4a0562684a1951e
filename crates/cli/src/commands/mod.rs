//! One function per command: parse → call the core → print. The
//! command line holds no business logic.

mod cases;
mod court;
mod dossier;
mod export;
mod lan;
mod links;
mod meta;
mod money;
mod records;
mod relay;
mod support;
mod sync;
mod team;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use caravan_core::vault::{Passphrase, RecoveryCode};
use caravan_core::{CoreError, OpenOptions, Workspace};
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::exit::{CliCode, CliError};
use crate::i18n::Args;
use crate::output::Out;

/// What every command gets: where the vault is, how to get the
/// passphrase, and how to print.
#[derive(Debug)]
pub struct Ctx {
    pub vault: PathBuf,
    pub passphrase_file: Option<PathBuf>,
    pub out: Out,
    /// A workspace held open by `sync lan --watch`: the commands it reads
    /// run on it instead of unlocking the vault (which it holds).
    pub open: Option<Arc<Mutex<Workspace>>>,
}

impl Ctx {
    pub fn new(cli: &Cli, out: Out) -> Result<Ctx> {
        let vault = match &cli.vault {
            Some(v) => v.clone(),
            None => default_vault()?,
        };
        Ok(Ctx {
            vault,
            passphrase_file: cli.passphrase_file.clone(),
            out,
            open: None,
        })
    }

    /// Key-derivation cost: real, but for `CARAVAN_INSECURE_FAST_KDF=1` in
    /// a test build (see `OpenOptions::for_front_end`).
    pub fn options() -> OpenOptions {
        OpenOptions::for_front_end(std::env::var("CARAVAN_INSECURE_FAST_KDF").as_deref() == Ok("1"))
    }

    /// The passphrase: --passphrase-file, else CARAVAN_PASSPHRASE, else a
    /// prompt without echo (only on a terminal).
    pub fn passphrase(&self, confirm: bool) -> Result<Passphrase> {
        if let Some(f) = &self.passphrase_file {
            let text = std::fs::read_to_string(f).map_err(|e| CoreError::file(f, &e))?;
            let first = text.lines().next().unwrap_or("");
            return Ok(Passphrase::new(first.trim_end_matches('\r').to_string()));
        }
        if let Ok(p) = std::env::var("CARAVAN_PASSPHRASE") {
            return Ok(Passphrase::new(p));
        }
        let o = &self.out;
        prompt(
            &o.t("cli.prompt.passphrase", &[]),
            confirm.then(|| o.t("cli.prompt.repeat", &[])).as_deref(),
        )
    }

    pub fn unlock(&self) -> Result<Workspace> {
        let p = self.passphrase(false)?;
        Ok(Workspace::unlock(&self.vault, &p, &Self::options())?)
    }

    pub fn create(&self) -> Result<(Workspace, RecoveryCode)> {
        let p = self.passphrase(true)?;
        Ok(Workspace::create(&self.vault, &p, &Self::options())?)
    }

    pub fn vault_exists(&self) -> bool {
        self.vault.join(caravan_core::vault::DB_FILE).exists()
    }
}

/// Reads a secret from the terminal without echo.
pub fn prompt(label: &str, confirm: Option<&str>) -> Result<Passphrase> {
    if !std::io::stdin().is_terminal() {
        return Err(no_passphrase().into());
    }
    let first = rpassword::prompt_password(label).map_err(|_| no_passphrase())?;
    if let Some(again) = confirm {
        let second = rpassword::prompt_password(again).map_err(|_| no_passphrase())?;
        if first != second {
            return Err(
                CliError::new(CliCode::PassphraseMismatch, "The two passphrases differ.").into(),
            );
        }
    }
    Ok(Passphrase::new(first))
}

fn no_passphrase() -> CliError {
    CliError::new(
        CliCode::NoPassphrase,
        "A passphrase is needed: set CARAVAN_PASSPHRASE, pass --passphrase-file, or run in a terminal.",
    )
}

fn default_vault() -> Result<PathBuf> {
    caravan_core::default_vault_dir()
        .ok_or_else(|| CliError::failure("cli.failure.no_home", &[]).into())
}

/// Reads a file the person named.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    Ok(std::fs::read(path).map_err(|e| CoreError::file(path, &e))?)
}

/// Writes a file the person named.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| CoreError::file(path, &e))?;
    Ok(())
}

/// Runs `f` on a runtime for the network commands (two workers: they wait
/// on the network and the vault), then locks `shared`, the workspace `f`
/// shared with its tasks. A clone still held then (a watch's input reader,
/// waiting on a line) ends with the process, which follows at once.
pub fn on_network<T>(
    shared: caravan_net::access::SharedWorkspace,
    f: impl FnOnce(&tokio::runtime::Runtime) -> Result<T>,
) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = f(&runtime);
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    if let Ok(ws) = Arc::try_unwrap(shared) {
        ws.into_inner().unwrap_or_else(|e| e.into_inner()).lock();
    }
    result
}

/// Runs a command on an unlocked workspace, then locks it.
pub fn with_ws<T>(ctx: &Ctx, f: impl FnOnce(&mut Workspace) -> Result<T>) -> Result<T> {
    if let Some(open) = &ctx.open {
        return f(&mut open.lock().unwrap_or_else(|e| e.into_inner()));
    }
    let mut ws = ctx.unlock()?;
    let r = f(&mut ws);
    ws.lock();
    r
}

pub fn run(cli: Cli) -> Result<()> {
    let out = Out::new(cli.json, cli.lang);
    match cli.command {
        Command::Completions { shell } => return meta::completions(shell),
        Command::Man { ref out } => return meta::man(out.as_deref()),
        Command::Demo { ref dir, seed } => return meta::demo(dir, seed),
        _ => {}
    }
    let ctx = Ctx::new(&cli, out)?;
    dispatch(&ctx, cli.command)
}

/// Runs one line of `sync lan --watch`'s input (a caravan command without
/// the program's name) on the workspace it holds open, reporting an
/// error as the command would and going on.
pub fn run_line(
    line: &str,
    vault: &Path,
    json: bool,
    lang: crate::i18n::Lang,
    open: &Arc<Mutex<Workspace>>,
) {
    let result = (|| -> Result<()> {
        let words = shell_words::split(line).map_err(|e| {
            CliError::failure("cli.failure.unreadable_line", &[("detail", e.to_string())])
        })?;
        let cli = Cli::try_parse_from(std::iter::once("caravan".to_string()).chain(words))
            .map_err(|e| {
                let detail = e.to_string().trim_end().to_string();
                CliError::failure("cli.failure.not_a_command", &[("detail", detail)])
            })?;
        match cli.command {
            Command::Init { .. }
            | Command::Join(_)
            | Command::Passphrase(_)
            | Command::Sync(_)
            | Command::Relay(_) => {
                return Err(CliError::failure("cli.failure.held_open", &[]).into());
            }
            _ => {}
        }
        let ctx = Ctx {
            vault: vault.to_path_buf(),
            passphrase_file: None,
            out: Out::new(json, lang),
            open: Some(open.clone()),
        };
        dispatch(&ctx, cli.command)
    })();
    if let Err(e) = result {
        crate::exit::report(&e, lang, json);
    }
}

fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init { team, name, device } => team::init(ctx, &team, &name, &device),
        Command::Join(c) => team::join(ctx, c),
        Command::Team(c) => team::team(ctx, c),
        Command::Case(c) => cases::case(ctx, c),
        Command::Person(c) => cases::person(ctx, c),
        Command::Checklist(c) => records::checklist(ctx, c),
        Command::Evidence(c) => records::evidence(ctx, c),
        Command::Attach {
            case,
            file,
            evidence,
        } => records::attach(ctx, &case, &file, evidence.as_deref()),
        Command::Interview(c) => records::interview(ctx, c),
        Command::Task(c) => records::task(ctx, c),
        Command::Note(c) => records::note(ctx, c),
        Command::Abroad(c) => records::abroad(ctx, c),
        Command::Event(c) => records::event(ctx, c),
        Command::Identifier(c) => records::identifier(ctx, c),
        Command::Group(c) => records::group(ctx, c),
        Command::Court(c) => court::court(ctx, c),
        Command::Support(c) => support::support(ctx, c),
        Command::Money(c) => money::money(ctx, c),
        Command::Conflicts { case, reveal } => cases::conflicts(ctx, case.as_deref(), reveal),
        Command::Resolve { case, path, choice } => cases::resolve(ctx, &case, &path, &choice),
        Command::Review(c) => records::review(ctx, c),
        Command::Approve {
            case,
            subject,
            decision,
            stage,
            comment,
        } => records::approve(ctx, &case, &subject, decision, stage, comment),
        Command::Report(c) => sync::report(ctx, c),
        Command::Sync(c) => sync::sync(ctx, c),
        Command::Relay(c) => relay::relay(ctx, c),
        Command::Audit(c) => sync::audit(ctx, c),
        Command::Passphrase(c) => sync::passphrase(ctx, c),
        Command::Links { links: l, all } => links::links(ctx, &l, all),
        Command::Completions { .. } | Command::Man { .. } | Command::Demo { .. } => Ok(()),
        Command::Export(c) => export::export(ctx, c),
        Command::Dossier(a) => dossier::dossier(ctx, a),
    }
}

/// `{"id": ...}` for commands that create one record; for people, the
/// catalogue's text of `key` with the `{id}`.
pub fn created(ctx: &Ctx, key: &str, id: &str) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(&serde_json::json!({ "id": id }));
    }
    ctx.out.say(key, &[("id", &id)])
}

/// `{"ok": true}` for commands that only change something; for people,
/// the catalogue's text of `key`.
pub fn done(ctx: &Ctx, key: &str, args: Args) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(&serde_json::json!({ "ok": true }));
    }
    ctx.out.say(key, args)
}
