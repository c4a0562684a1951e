//! `sync …` (with `sync quarantine …`), `report …`, `audit …`, `passphrase …`.

use anyhow::Result;
use caravan_core::vault::Passphrase;
use caravan_core::{Progress, Step, Workspace};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Ctx, done, prompt, read_file, with_ws, write_file};
use crate::cli::{AuditCmd, PassphraseCmd, QuarantineCmd, ReportCmd, SyncCmd};
use crate::output::{short, time};

/// A progress bar on stderr, drawn only on a terminal.
fn bar(ctx: &Ctx) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(4), ProgressDrawTarget::stderr());
    if ctx.out.json || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {msg}") {
        pb.set_style(style);
    }
    pb
}

/// A step's name in the bar, as the app shows it (`progress_step.*`).
fn step_name(ctx: &Ctx, s: Step) -> String {
    let key = match s {
        Step::Reading => "progress_step.reading",
        Step::Verifying => "progress_step.verifying",
        Step::Applying => "progress_step.applying",
        Step::Saving => "progress_step.saving",
        Step::Done => "progress_step.done",
    };
    ctx.out.t(key, &[])
}

pub fn sync(ctx: &Ctx, cmd: SyncCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        SyncCmd::Relay { relay, via, watch } => {
            super::relay::sync_relay(ctx, relay.as_deref(), via.as_deref(), watch)
        }
        SyncCmd::Lan {
            listen,
            connect,
            no_discovery,
            watch,
            wait,
        } => super::lan::sync_lan(
            ctx,
            super::lan::LanOptions {
                listen,
                connect,
                discovery: !no_discovery,
                watch,
                wait: std::time::Duration::from_secs(wait),
            },
        ),
        SyncCmd::Export { to, any: _, out } => {
            let pb = bar(ctx);
            let mut progress = |p: Progress| {
                pb.set_length(u64::from(p.total));
                pb.set_position(u64::from(p.done));
                pb.set_message(step_name(ctx, p.step));
            };
            let (bytes, summary) =
                with_ws(
                    ctx,
                    |ws| Ok(ws.export_bundle(to.as_deref(), &mut progress)?),
                )?;
            pb.finish_and_clear();
            write_file(&out, &bytes)?;
            if o.json {
                return o.json(&summary);
            }
            o.say_n(
                "cli.sync.bundle_written",
                summary.bytes as u64,
                &[("recipient", &summary.recipient), ("path", &out.display())],
            )
        }
        SyncCmd::Import { file } => {
            let bytes = read_file(&file)?;
            let pb = bar(ctx);
            let mut progress = |p: Progress| {
                pb.set_length(u64::from(p.total));
                pb.set_position(u64::from(p.done));
                pb.set_message(step_name(ctx, p.step));
            };
            let report = with_ws(ctx, |ws| Ok(ws.import_bundle(&bytes, &mut progress)?));
            pb.finish_and_clear();
            let report = report?;
            if o.json {
                return o.json(&report);
            }
            o.fields(&[
                ("cli.field.applied", report.applied.to_string()),
                ("cli.field.already_had", report.already_had.to_string()),
                ("cli.field.held", report.held.to_string()),
                (
                    "cli.field.quarantined",
                    report.quarantined.len().to_string(),
                ),
                ("cli.field.not_permitted", report.not_permitted.to_string()),
            ])?;
            for q in &report.quarantined {
                let line = o.t(
                    "cli.sync.quarantined_change",
                    &[
                        ("change", &short(&q.change)),
                        ("case", &short(&q.case_id)),
                        ("code", &q.code),
                        ("message", &o.error_text(&q.code, &q.message)),
                    ],
                );
                o.line(&format!("  {line}"))?;
            }
            Ok(())
        }
        SyncCmd::Quarantine { action } => quarantine(ctx, action.unwrap_or(QuarantineCmd::List)),
    }
}

/// Who a device is, as a list shows it: the member's name if known.
fn who(name: &Option<String>, device: &Option<String>) -> String {
    match (name, device) {
        (Some(n), _) => n.clone(),
        (None, Some(d)) => short(d),
        (None, None) => "-".into(),
    }
}

fn quarantine(ctx: &Ctx, cmd: QuarantineCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        QuarantineCmd::List => {
            let (rows, held) = with_ws(ctx, |ws| Ok((ws.quarantine()?, ws.held_count()?)))?;
            if o.json {
                return o.json(&serde_json::json!({ "quarantined": rows, "held": held }));
            }
            o.table(
                &[
                    "sync.case",
                    "sync.change",
                    "sync.author",
                    "evidence.from",
                    "sync.arrived",
                    "cli.col.code",
                    "sync.reason",
                ],
                rows.iter()
                    .map(|q| {
                        vec![
                            short(&q.case_id),
                            short(&q.change),
                            who(&q.author_name, &q.author),
                            who(&q.relayed_by_name, &q.relayed_by),
                            q.arrived_at_ms.map_or_else(|| "-".into(), time),
                            q.code.clone(),
                            o.error_text(&q.code, &q.message),
                        ]
                    })
                    .collect(),
                Some("cli.quarantine.none"),
            )?;
            o.fields(&[("cli.field.held", held.to_string())])
        }
        QuarantineCmd::Release { change, case } => {
            let r = with_ws(ctx, |ws| {
                Ok(ws.release_quarantined(case.as_deref(), &change)?)
            })?;
            if o.json {
                return o.json(&r);
            }
            let id = short(&r.change);
            if r.applied {
                o.say_n(
                    "cli.quarantine.applied",
                    r.changes_applied as u64,
                    &[("id", &id)],
                )
            } else if r.held {
                o.say("cli.quarantine.held", &[("id", &id)])
            } else {
                o.say("cli.quarantine.stays", &[("id", &id)])?;
                for reason in &r.reasons {
                    let message = o.error_text(&reason.code, &reason.message);
                    o.line(&format!("  [{}] {message}", reason.code))?;
                }
                Ok(())
            }
        }
        QuarantineCmd::Discard { change, case } => {
            let d = with_ws(ctx, |ws| {
                Ok(ws.discard_quarantined(case.as_deref(), &change)?)
            })?;
            o.show(&d, |d| {
                let id = short(&d.change);
                let codes = d.codes.join(", ");
                o.say(
                    "cli.quarantine.discarded",
                    &[("id", &id), ("codes", &codes)],
                )
            })
        }
    }
}

pub fn report(ctx: &Ctx, cmd: ReportCmd) -> Result<()> {
    let ReportCmd::Progress = cmd;
    let r = with_ws(ctx, |ws| Ok(ws.progress_report()?))?;
    let o = &ctx.out;
    if o.json {
        return o.json(&r);
    }
    o.heading(&o.t("cli.report.by_stage", &[("date", &r.today)]))?;
    o.table(
        &["cases.stage", "dashboard.cases"],
        r.by_stage
            .iter()
            .map(|c| vec![o.vocab("stage", &c.key), c.count.to_string()])
            .collect(),
        Some("cli.case.none"),
    )?;
    o.heading(&o.t("cli.report.completion", &[]))?;
    o.table(
        &[
            "cases.reference",
            "cases.case_title",
            "cases.stage",
            "cases.status",
            "tasks.done",
            "dashboard.overdue",
            "cli.col.requests",
            "dashboard.conflicts",
        ],
        r.cases
            .iter()
            .map(|c| {
                vec![
                    c.reference.clone(),
                    c.title.clone(),
                    o.vocab("stage", &c.stage),
                    o.vocab("case_status", &c.status),
                    format!("{}% ({}/{})", c.percent, c.required_resolved, c.required),
                    c.overdue_tasks.to_string(),
                    c.open_requests.to_string(),
                    c.conflicts.to_string(),
                ]
            })
            .collect(),
        Some("cli.case.none"),
    )?;
    o.heading(&o.t("cli.report.overdue_by_investigator", &[]))?;
    o.table(
        &["role.investigator", "dashboard.overdue"],
        r.overdue_by_assignee
            .iter()
            .map(|c| vec![c.key.clone(), c.count.to_string()])
            .collect(),
        Some("cli.report.nothing_overdue"),
    )?;
    o.fields(&[(
        "cli.field.quarantined_changes",
        r.quarantined_changes.to_string(),
    )])
}

pub fn audit(ctx: &Ctx, cmd: AuditCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        AuditCmd::Log { limit } => {
            let rows = with_ws(ctx, |ws| Ok(ws.audit_log(limit)?))?;
            if o.json {
                return o.json(&rows);
            }
            o.table(
                &[
                    "cli.col.seq",
                    "cli.col.at",
                    "audit.actor",
                    "audit.action",
                    "audit.detail",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            r.seq.to_string(),
                            time(r.at_ms),
                            r.actor_name.chars().take(24).collect(),
                            r.action.clone(),
                            r.detail.clone(),
                        ]
                    })
                    .collect(),
                Some("cli.audit.empty"),
            )
        }
        AuditCmd::Verify => {
            let check = with_ws(ctx, |ws| Ok(ws.audit_verify()?))?;
            if o.json {
                return o.json(&check);
            }
            o.say_n(
                "cli.audit.intact",
                check.entries as u64,
                &[("head", &check.head)],
            )
        }
    }
}

pub fn passphrase(ctx: &Ctx, cmd: PassphraseCmd) -> Result<()> {
    let PassphraseCmd::Change { recovery_code } = cmd;
    let mut ws = match recovery_code {
        Some(code) => Workspace::unlock_with_recovery(&ctx.vault, &code, &Ctx::options())?,
        None => ctx.unlock()?,
    };
    let new = match std::env::var("CARAVAN_NEW_PASSPHRASE") {
        Ok(p) => Ok(Passphrase::new(p)),
        Err(_) => prompt(
            &ctx.out.t("cli.prompt.new_passphrase", &[]),
            Some(&ctx.out.t("cli.prompt.repeat", &[])),
        ),
    };
    let r = new.and_then(|p| Ok(ws.change_passphrase(&p)?));
    ws.lock();
    r?;
    done(ctx, "cli.passphrase.changed", &[])
}
