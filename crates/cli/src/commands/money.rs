//! `money …`: the financial investigation of a case.

use anyhow::Result;
use caravan_core::view::{CaseView, FlowPartyView};

use super::{Ctx, created, with_ws};
use crate::cli::MoneyCmd;
use crate::output::{opt, opt_date};

pub fn money(ctx: &Ctx, cmd: MoneyCmd) -> Result<()> {
    match cmd {
        MoneyCmd::Show { case } => {
            let view = with_ws(ctx, |ws| Ok(ws.show_case(&case)?))?;
            if ctx.out.json {
                return ctx.out.json(&view.finance);
            }
            show(ctx, &view)
        }
        MoneyCmd::Add { case, flow } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_financial_flow(&case, *flow)?))?;
            created(ctx, "cli.money.recorded", &id)
        }
        MoneyCmd::Reveal { case, flow } => {
            let view = with_ws(ctx, |ws| Ok(ws.reveal_account(&case, &flow)?))?;
            let o = &ctx.out;
            if o.json {
                return o.json(&view.into_json());
            }
            o.fields(&[("cli.field.account", view.value().to_string())])
        }
    }
}

fn side(p: &Option<FlowPartyView>) -> String {
    p.as_ref().map_or_else(|| "-".into(), |p| p.label.clone())
}

fn show(ctx: &Ctx, v: &CaseView) -> Result<()> {
    let o = &ctx.out;
    let f = &v.finance;
    o.heading(&format!("{} — {}", v.reference, v.title))?;
    o.listing(
        "money.title",
        &[
            "cli.col.id",
            "money.kind",
            "money.date",
            "money.from",
            "money.to",
            "cli.col.institution",
            "cli.col.account",
            "money.amount",
            "money.source",
            "cli.col.freeze",
        ],
        &f.flows,
        |x| {
            vec![
                x.id.to_string(),
                x.kind.to_string(),
                opt_date(x.date),
                side(&x.from),
                side(&x.to),
                opt(&x.institution),
                if x.has_account {
                    o.t("cli.value.masked", &[])
                } else {
                    "-".into()
                },
                match (x.amount, &x.currency) {
                    (Some(n), Some(c)) => format!("{n} {c}"),
                    _ => "-".into(),
                },
                x.source.to_string(),
                match x.freeze_ordered_on {
                    Some(d) => format!("{} ({d})", x.freeze),
                    None => x.freeze.to_string(),
                },
            ]
        },
    )?;
    o.listing(
        "cli.heading.totals",
        &[
            "money.currency",
            "money.moved",
            "cli.col.frozen_seized",
            "money.confiscated",
        ],
        &f.totals,
        |t| {
            vec![
                t.currency.clone(),
                t.moved.to_string(),
                t.held.to_string(),
                t.confiscated.to_string(),
            ]
        },
    )
}
