//! `sync lan`: sync with the team's devices on this network
//! (`caravan_net::lan::service`). Without `--watch` it ends once the
//! sessions it started (or, only listening, the first one) are current;
//! with it, it stays, runs the caravan commands read from standard input
//! on the open vault and pushes their edits to connected peers at once,
//! until the input ends.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use caravan_net::lan::service::{self, LanEvent, LanServiceError, SharedWorkspace};
use tokio::sync::{mpsc, oneshot, watch};

use super::Ctx;
use crate::exit::CliError;

/// Options of `sync lan`.
#[derive(Debug)]
pub struct LanOptions {
    pub listen: SocketAddr,
    pub connect: Vec<SocketAddr>,
    pub discovery: bool,
    pub watch: bool,
    pub wait: Duration,
}

fn emit(ctx: &Ctx, e: &LanEvent) -> Result<()> {
    if ctx.out.json {
        println!("{}", serde_json::to_string(e)?);
        return Ok(());
    }
    let o = &ctx.out;
    match e {
        LanEvent::Listening { address } => o.say("cli.lan.listening", &[("address", address)]),
        LanEvent::Found { address, .. } => o.say("cli.lan.found", &[("address", address)]),
        LanEvent::Connected { name, .. } => o.say("cli.lan.connected", &[("name", name)]),
        LanEvent::Synced {
            name,
            applied,
            quarantined,
            ..
        } => o.say_n(
            "cli.lan.synced",
            *applied as u64,
            &[("name", name), ("quarantined", quarantined)],
        ),
        LanEvent::Failed { code, message, .. } => {
            let message = o.error_text(code, message);
            o.say("cli.lan.failed", &[("code", code), ("message", &message)])
        }
        LanEvent::PublicNetwork => o.say("cli.lan.public_network", &[]),
    }
}

pub fn sync_lan(ctx: &Ctx, opts: LanOptions) -> Result<()> {
    let shared: SharedWorkspace = Arc::new(Mutex::new(ctx.unlock()?));
    let (edits_tx, edits_rx) = watch::channel(0u64);
    let input_ended = opts
        .watch
        .then(|| stdin_commands(ctx, shared.clone(), edits_tx));
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let service_opts = service::LanOptions {
        listen: opts.listen,
        connect: opts.connect,
        discovery: opts.discovery,
        live: opts.watch,
    };
    let running = shared.clone();
    super::on_network(shared, |runtime| {
        runtime.block_on(async {
            let stop = async {
                match input_ended {
                    Some(ended) => {
                        let _ = ended.await;
                    }
                    None => tokio::time::sleep(opts.wait).await,
                }
            };
            let run = service::run(running, service_opts, edits_rx, events_tx, stop);
            tokio::pin!(run);
            let mut synced = false;
            loop {
                tokio::select! {
                    r = &mut run => {
                        while let Ok(e) = events.try_recv() {
                            synced |= matches!(e, LanEvent::Synced { complete: true, .. });
                            emit(ctx, &e)?;
                        }
                        return finish(r, opts.watch || synced);
                    }
                    Some(e) = events.recv() => {
                        synced |= matches!(e, LanEvent::Synced { complete: true, .. });
                        emit(ctx, &e)?;
                    }
                }
            }
        })
    })
}

fn finish(r: Result<(), LanServiceError>, synced: bool) -> Result<()> {
    match r {
        Err(LanServiceError::Core(e)) => Err(e.into()),
        Err(LanServiceError::Net(e)) => Err(e.into()),
        Err(LanServiceError::Locked) => Err(CliError::failure("cli.failure.locked", &[]).into()),
        Ok(()) if !synced => Err(CliError::failure("cli.failure.lan_timeout", &[]).into()),
        Ok(()) => Ok(()),
    }
}

/// Reads caravan commands from standard input on a thread of its own and
/// runs each on the open vault, then tells `edits`; the receiver resolves
/// when the input ends. Shared by `sync lan --watch` and `sync relay
/// --watch`.
pub(super) fn stdin_commands(
    ctx: &Ctx,
    shared: SharedWorkspace,
    edits: watch::Sender<u64>,
) -> oneshot::Receiver<()> {
    let (done_tx, done_rx) = oneshot::channel();
    let json = ctx.out.json;
    let lang = ctx.out.lang;
    let vault = ctx.vault.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            let text = line.trim();
            if !text.is_empty() {
                super::run_line(text, &vault, json, lang, &shared);
                edits.send_modify(|n| *n += 1);
            }
            line.clear();
        }
        let _ = done_tx.send(());
    });
    done_rx
}
