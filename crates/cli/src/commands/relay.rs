//! `relay …` (the team's relays) and `sync relay` (a round through one,
//! or a watch), over `caravan_net::relay_round`.

use std::sync::{Arc, Mutex};

use anyhow::Result;
use caravan_core::relays::RelayView;
use caravan_net::relay_round::{self, RelayLink, RelayRound, RelayRoundError};
use tokio::sync::watch;

use super::{Ctx, with_ws};
use crate::cli::RelayCmd;
use crate::exit::CliError;
use crate::output::{opt, short, time};

fn round_error(e: RelayRoundError) -> anyhow::Error {
    match e {
        RelayRoundError::Core(e) => e.into(),
        RelayRoundError::Net(e) => e.into(),
        RelayRoundError::Locked => CliError::failure("cli.failure.locked", &[]).into(),
    }
}

pub fn relay(ctx: &Ctx, cmd: RelayCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        RelayCmd::Register { url, key } => {
            let ws = Arc::new(Mutex::new(ctx.unlock()?));
            let view = ws
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .add_relay(&url, &key)?;
            let shared = ws.clone();
            let version = super::on_network(ws, |rt| {
                rt.block_on(relay_round::register(&shared, &view.key))
                    .map_err(round_error)
            })?;
            if o.json {
                return o.json(&serde_json::json!({ "relay": view, "roster_version": version }));
            }
            o.say(
                "cli.relay.registered",
                &[("key", &short(&view.key)), ("url", &view.url)],
            )
        }
        RelayCmd::List => {
            let relays = with_ws(ctx, |ws| Ok(ws.relays()?))?;
            if o.json {
                return o.json(&relays);
            }
            o.listing(
                "cli.relay.heading",
                &[
                    "cli.col.key",
                    "lan.peer_address",
                    "cli.col.last_sync",
                    "cli.col.last_error",
                ],
                &relays,
                |r: &RelayView| {
                    vec![
                        short(&r.key),
                        r.url.clone(),
                        r.last_sync_ms.map(time).unwrap_or_else(|| "-".into()),
                        opt(&r.last_error_code),
                    ]
                },
            )
        }
        RelayCmd::Remove { key } => {
            with_ws(ctx, |ws| Ok(ws.remove_relay(&key)?))?;
            super::done(ctx, "cli.relay.removed", &[])
        }
    }
}

/// The relay `choice` names (a key, a prefix of it, or its address), or
/// the team's only one.
fn choose(relays: &[RelayView], choice: Option<&str>) -> Result<String> {
    let found: Vec<&RelayView> = relays
        .iter()
        .filter(|r| match choice {
            None => true,
            Some(c) => r.key.starts_with(&c.to_ascii_lowercase()) || r.url == c,
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.key.clone()),
        [] => Err(CliError::failure("cli.failure.no_relay", &[]).into()),
        _ => Err(CliError::failure("cli.failure.several_relays", &[]).into()),
    }
}

fn report_round(ctx: &Ctx, round: &RelayRound) -> Result<()> {
    if ctx.out.json {
        println!("{}", serde_json::to_string(round)?);
        return Ok(());
    }
    ctx.out.say(
        "cli.relay.round",
        &[
            ("sent", &round.uploaded),
            ("received", &round.imported),
            ("applied", &round.applied),
            ("quarantined", &round.quarantined),
            ("refused", &round.skipped),
        ],
    )
}

pub fn sync_relay(
    ctx: &Ctx,
    choice: Option<&str>,
    via: Option<&str>,
    watch_mode: bool,
) -> Result<()> {
    let ws = Arc::new(Mutex::new(ctx.unlock()?));
    let relays = ws.lock().unwrap_or_else(|e| e.into_inner()).relays()?;
    let key = choose(&relays, choice)?;
    let (edits_tx, edits_rx) = watch::channel(0u64);
    let input_ended = watch_mode.then(|| super::lan::stdin_commands(ctx, ws.clone(), edits_tx));
    let linked = ws.clone();
    super::on_network(ws, |rt| {
        rt.block_on(async {
            let mut link = RelayLink::connect_via(linked, &key, via)
                .await
                .map_err(round_error)?;
            match input_ended {
                None => {
                    let round = link.round().await.map_err(round_error)?;
                    report_round(ctx, &round)
                }
                Some(ended) => {
                    let mut printed = Ok(());
                    let stop = async {
                        let _ = ended.await;
                    };
                    link.watch(
                        edits_rx,
                        |r| {
                            if printed.is_ok() {
                                printed = report_round(ctx, r);
                            }
                        },
                        stop,
                    )
                    .await
                    .map_err(round_error)?;
                    printed
                }
            }
        })
    })
}
