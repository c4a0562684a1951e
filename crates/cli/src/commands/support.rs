//! `support …`: a victim's support plan, reflection period and return.
//! The victim's fields are set with `case edit` (victims/<id>/<field>).

use anyhow::Result;
use caravan_core::ids::RecordId;
use caravan_core::view::{CaseView, PersonKind, ReflectionAlertKind};

use super::{Ctx, created, with_ws};
use crate::cli::SupportCmd;
use crate::output::{opt, opt_date};

pub fn support(ctx: &Ctx, cmd: SupportCmd) -> Result<()> {
    match cmd {
        SupportCmd::Show { case } => {
            let view = with_ws(ctx, |ws| Ok(ws.show_case(&case)?))?;
            if ctx.out.json {
                let victims: Vec<_> = view
                    .people
                    .iter()
                    .filter(|p| p.kind == PersonKind::Victim)
                    .map(|p| serde_json::json!({ "id": p.id, "pseudonym": p.pseudonym, "support": p.support }))
                    .collect();
                return ctx.out.json(&serde_json::json!({
                    "victims": victims,
                    "services": view.support,
                    "reflection_alerts": view.reflection_alerts,
                }));
            }
            show(ctx, &view)
        }
        SupportCmd::Add { case, service } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_support(&case, service)?))?;
            created(ctx, "cli.support.recorded", &id)
        }
    }
}

fn show(ctx: &Ctx, v: &CaseView) -> Result<()> {
    let o = &ctx.out;
    let who = |id: &RecordId| {
        v.people
            .iter()
            .find(|p| p.id == *id)
            .map_or_else(|| id.to_string(), |p| p.pseudonym.clone())
    };
    o.heading(&format!("{} — {}", v.reference, v.title))?;
    let victims: Vec<_> = v
        .people
        .iter()
        .filter_map(|p| p.support.as_ref().map(|s| (p, s)))
        .collect();
    o.listing(
        "cli.heading.reflection",
        &[
            "support.victim",
            "cli.col.reflection",
            "cli.col.alert",
            "approvals.decision",
            "cli.col.return_to",
            "cli.col.reintegration",
            "cli.col.family_assessment",
        ],
        &victims,
        |(p, s)| {
            vec![
                p.pseudonym.clone(),
                format!(
                    "{} – {}",
                    opt_date(s.reflection_from),
                    opt_date(s.reflection_until)
                ),
                match s.reflection_alert {
                    Some(ReflectionAlertKind::Ending) => o.t("cli.value.ending", &[]),
                    Some(ReflectionAlertKind::Ended) => o.t("cli.value.ended", &[]),
                    None => String::new(),
                },
                s.residence_decision.map_or_else(
                    || "-".into(),
                    |d| format!("{d} {}", opt_date(s.residence_decided_on)),
                ),
                opt(&s.return_country),
                s.reintegration_status
                    .map_or_else(|| "-".into(), |r| r.to_string()),
                if s.family_assessment_done {
                    o.t(
                        "cli.value.done_on",
                        &[("date", &opt_date(s.family_assessment_on))],
                    )
                } else {
                    "-".into()
                },
            ]
        },
    )?;
    o.listing(
        "support.services",
        &[
            "cli.col.id",
            "support.victim",
            "cli.col.type",
            "support.provider",
            "support.status",
            "support.started_on",
            "support.ended_on",
        ],
        &v.support,
        |s| {
            vec![
                s.id.to_string(),
                who(&s.victim_id),
                s.kind.to_string(),
                opt(&s.provider),
                s.status.to_string(),
                opt_date(s.started_on),
                opt_date(s.ended_on),
            ]
        },
    )
}
