//! `links` and `export i2`: the link analysis across cases.

use std::path::Path;

use anyhow::Result;
use caravan_core::link_graph::{EntityKind, LinkOptions};
use caravan_core::{CoreError, I2ExportInput};

use super::{Ctx, with_ws};
use crate::cli::LinkArgs;

/// The options the flags give; an unknown kind is refused with the list.
fn options(args: &LinkArgs) -> Result<LinkOptions> {
    let mut kinds = Vec::new();
    for k in &args.kinds {
        let kind = EntityKind::parse(k).filter(|k| *k != EntityKind::Case).ok_or_else(|| {
            CoreError::invalid(
                "kind",
                "is not a kind of the link analysis: person, phone, imei, email, online, document, account, vehicle, address or organisation",
            )
        })?;
        kinds.push(kind);
    }
    Ok(LinkOptions {
        cases: args.cases.clone(),
        kinds,
        shared_only: args.shared_only,
    })
}

pub fn links(ctx: &Ctx, args: &LinkArgs, all: bool) -> Result<()> {
    let opts = options(args)?;
    let graph = with_ws(ctx, |ws| Ok(ws.link_graph(&opts)?))?;
    let o = &ctx.out;
    let references: std::collections::HashMap<&str, &str> = graph
        .cases
        .iter()
        .map(|c| (c.id.as_str(), c.reference.as_str()))
        .collect();
    let shown: Vec<_> = if all {
        graph.nodes.iter().collect()
    } else {
        graph.cross_case()
    };
    if o.json {
        if all {
            return o.json(&graph);
        }
        return o.json(&serde_json::json!({
            "cases": graph.cases,
            "shared": shown,
        }));
    }
    if shown.is_empty() {
        let n = graph.cases.len().to_string();
        return o.say("cli.links.none", &[("cases", &n)]);
    }
    o.listing(
        "cli.links.heading",
        &[
            "cli.col.id",
            "cli.links.col.kind",
            "cli.links.col.label",
            "cli.links.col.cases",
        ],
        &shown,
        |n| {
            let cases: Vec<&str> = n
                .cases
                .iter()
                .map(|c| references.get(c.as_str()).copied().unwrap_or(c))
                .collect();
            vec![
                n.id.clone(),
                o.t(&format!("linkchart.kind.{}", n.kind.id()), &[]),
                if n.label.is_empty() {
                    o.t("linkchart.masked", &[])
                } else {
                    n.label.clone()
                },
                format!("{} ({})", cases.join(", "), n.cases.len()),
            ]
        },
    )
}

/// `export i2`: the two files into `out`, masked unless `reveal`.
pub fn export_i2(ctx: &Ctx, out: &Path, reveal: bool, links: &LinkArgs) -> Result<()> {
    let input = I2ExportInput {
        dir: out.display().to_string(),
        reveal,
        options: options(links)?,
    };
    let done = with_ws(ctx, |ws| Ok(ws.export_i2(&input)?))?;
    let o = &ctx.out;
    if o.json {
        return o.json(&done);
    }
    let (entities, links) = (done.entities.to_string(), done.links.to_string());
    o.say(
        if done.revealed {
            "cli.export.i2_revealed"
        } else {
            "cli.export.i2"
        },
        &[
            ("entities", &entities),
            ("links", &links),
            ("dir", &out.display().to_string()),
        ],
    )
}
