//! `init`, `join …`, `team …`.

use anyhow::Result;
use caravan_core::Workspace;
use caravan_core::team::TeamView;

use super::{Ctx, done, read_file, with_ws, write_file};
use crate::cli::{JoinCmd, TeamCmd};
use crate::output::{short, time};

pub fn init(ctx: &Ctx, team: &str, name: &str, device: &str) -> Result<()> {
    // A vault left without a team (e.g. by a join request) founds one.
    let (mut ws, code) = if ctx.vault_exists() {
        (ctx.unlock()?, None)
    } else {
        let (ws, code) = ctx.create()?;
        (ws, Some(code))
    };
    let r = ws.found_team(team, name, device);
    let device_view = ws.device();
    ws.lock();
    let view = r?;
    let device_view = device_view?;
    let o = &ctx.out;
    if o.json {
        return o.json(&serde_json::json!({
            "team": view,
            "recovery_code": code.map(|c| c.to_string()),
            "vault": ctx.vault.display().to_string(),
        }));
    }
    if code.is_some() {
        o.say("cli.vault.created", &[("path", &ctx.vault.display())])?;
    }
    o.fields(&[
        ("cli.field.team", format!("{} ({})", view.name, view.id)),
        ("cli.field.team_fingerprint", view.fingerprint.clone()),
        (
            "cli.field.member",
            format!("{} ({})", view.me.name, view.me.id),
        ),
        ("cli.field.device", device_view.fingerprint),
    ])?;
    let Some(code) = code else { return Ok(()) };
    o.heading(&o.t("cli.init.recovery_code", &[]))?;
    o.line(&format!("  {code}"))
}

pub fn join(ctx: &Ctx, cmd: JoinCmd) -> Result<()> {
    match cmd {
        JoinCmd::Request { name, device, out } => {
            let (mut ws, code) = if ctx.vault_exists() {
                (ctx.unlock()?, None)
            } else {
                let (ws, code) = ctx.create()?;
                (ws, Some(code))
            };
            let r = ws.join_request(&name, &device);
            let dev = ws.device();
            ws.lock();
            let text = r?;
            let dev = dev?;
            if let Some(path) = &out {
                write_file(path, text.as_bytes())?;
            }
            let o = &ctx.out;
            if o.json {
                return o.json(&serde_json::json!({
                    "request": text,
                    "device": dev.id,
                    "fingerprint": dev.fingerprint,
                    "recovery_code": code.map(|c| c.to_string()),
                }));
            }
            if let Some(code) = code {
                o.say("cli.vault.created", &[("path", &ctx.vault.display())])?;
                o.heading(&o.t("cli.join.recovery_code", &[]))?;
                o.line(&format!("  {code}"))?;
            }
            match &out {
                Some(p) => o.say("cli.join.request_written", &[("path", &p.display())])?,
                None => o.line(&text)?,
            }
            o.fields(&[("cli.field.fingerprint", dev.fingerprint)])?;
            o.note("cli.join.read_fingerprint", &[])
        }
        JoinCmd::Accept { package, team } => {
            let bytes = read_file(&package)?;
            let view = with_ws(ctx, |ws| Ok(ws.accept_join(&bytes, &team)?))?;
            if ctx.out.json {
                return ctx.out.json(&view);
            }
            ctx.out.say(
                "cli.join.joined",
                &[
                    ("team", &view.name),
                    ("id", &view.id),
                    ("role", &ctx.out.vocab("role", &view.me.role)),
                ],
            )
        }
    }
}

pub fn team(ctx: &Ctx, cmd: TeamCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        TeamCmd::Approve { request, role, out } => {
            let path = std::path::Path::new(&request);
            let text = if path.is_file() {
                String::from_utf8_lossy(&read_file(path)?).into_owned()
            } else {
                request.clone()
            };
            let view = Workspace::inspect_join_request(&text)?;
            let (package, team) = with_ws(ctx, |ws| {
                let package = ws.approve_join(&text, role)?;
                Ok((package, ws.team_view()?))
            })?;
            write_file(&out, &package)?;
            if o.json {
                return o.json(&serde_json::json!({
                    "request": view,
                    "role": role,
                    "package": out.display().to_string(),
                    "team_fingerprint": team.fingerprint,
                }));
            }
            o.fields(&[
                ("cli.field.name", view.name.clone()),
                ("cli.field.device", view.label.clone()),
                ("cli.field.fingerprint", view.fingerprint.clone()),
                ("cli.field.role", o.vocab("role", &role)),
                ("cli.field.team_fingerprint", team.fingerprint.clone()),
            ])?;
            o.say(
                "cli.team.approved",
                &[
                    ("name", &view.name),
                    ("package", &out.display()),
                    ("fingerprint", &team.fingerprint),
                ],
            )
        }
        TeamCmd::Members => {
            let view = with_ws(ctx, |ws| Ok(ws.team_view()?))?;
            members(ctx, &view)
        }
        TeamCmd::Revoke { who, reason } => {
            let devices = with_ws(ctx, |ws| Ok(ws.revoke(&who, reason)?))?;
            if o.json {
                return o.json(&serde_json::json!({ "revoked": devices }));
            }
            for d in &devices {
                o.say("cli.team.device_revoked", &[("device", d)])?;
            }
            Ok(())
        }
        TeamCmd::Grant {
            case,
            member,
            revoke,
        } => {
            with_ws(ctx, |ws| Ok(ws.grant(&case, &member, !revoke)?))?;
            if revoke {
                done(ctx, "cli.team.access_withdrawn", &[])
            } else {
                done(ctx, "cli.team.access_granted", &[])
            }
        }
        TeamCmd::Role { member, role } => {
            with_ws(ctx, |ws| Ok(ws.set_role(&member, role)?))?;
            let role = o.vocab("role", &role);
            done(ctx, "cli.team.role_set", &[("role", &role)])
        }
    }
}

fn members(ctx: &Ctx, view: &TeamView) -> Result<()> {
    let o = &ctx.out;
    if o.json {
        return o.json(view);
    }
    o.heading(&format!("{} ({})", view.name, view.id))?;
    o.fields(&[("cli.field.team_fingerprint", view.fingerprint.clone())])?;
    let mut rows = Vec::new();
    for m in &view.members {
        for d in &m.devices {
            rows.push(vec![
                short(&m.id),
                m.name.clone(),
                o.vocab("role", &m.role),
                d.label.clone(),
                d.fingerprint.clone(),
                time(d.enrolled_at),
                if d.revoked {
                    o.t("team.revoked", &[])
                } else {
                    String::new()
                },
            ]);
        }
    }
    o.table(
        &[
            "cli.col.member",
            "team.name",
            "team.role",
            "lan.device",
            "cli.col.fingerprint",
            "cli.col.enrolled",
            "",
        ],
        rows,
        Some("cli.team.no_members"),
    )
}
