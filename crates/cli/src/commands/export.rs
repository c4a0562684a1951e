//! `export …`: files the case files produce for others.

use anyhow::Result;
use caravan_core::{HtcdsExport, RoutesOptions};

use super::{Ctx, with_ws, write_file};
use crate::cli::ExportCmd;

pub fn export(ctx: &Ctx, cmd: ExportCmd) -> Result<()> {
    match cmd {
        ExportCmd::Geojson { case, out } => {
            let options = RoutesOptions {
                case: case.map(Into::into),
            };
            let (bytes, summary) = with_ws(ctx, |ws| Ok(ws.export_geojson(&options)?))?;
            write_file(&out, &bytes)?;
            let o = &ctx.out;
            if o.json {
                return o.json(&summary);
            }
            o.say(
                "cli.export.geojson_written",
                &[
                    ("path", &out.display()),
                    ("cases", &summary.cases),
                    ("places", &summary.places),
                    ("legs", &summary.legs),
                    ("unplaced", &summary.unplaced),
                ],
            )
        }
        ExportCmd::I2 { out, reveal, links } => super::links::export_i2(ctx, &out, reveal, &links),
        ExportCmd::Htcds { options } => {
            let export = with_ws(ctx, |ws| Ok(ws.export_htcds(&options)?))?;
            if ctx.out.json {
                return ctx.out.json(&export);
            }
            htcds(ctx, &export)
        }
    }
}

/// What was written and what k-anonymity suppressed or withheld.
fn htcds(ctx: &Ctx, e: &HtcdsExport) -> Result<()> {
    let o = &ctx.out;
    let r = &e.report;
    o.heading(&o.t("htcds.written", &[("folder", &e.folder)]))?;
    o.fields(&[
        (&o.t("htcds.cases", &[]), r.cases.to_string()),
        ("k", r.k.to_string()),
        (
            &o.t("htcds.victims_written", &[]),
            r.victims.exported.to_string(),
        ),
        (
            &o.t("htcds.victims_withheld", &[]),
            r.victims.withheld.to_string(),
        ),
        (
            &o.t("htcds.perpetrators_written", &[]),
            r.perpetrators.exported.to_string(),
        ),
        (
            &o.t("htcds.perpetrators_withheld", &[]),
            r.perpetrators.withheld.to_string(),
        ),
        (&o.t("htcds.unreadable", &[]), e.unreadable.to_string()),
    ])?;
    let rows: Vec<Vec<String>> = [
        ("htcds.table.victims", &r.victims),
        ("htcds.table.perpetrators", &r.perpetrators),
    ]
    .into_iter()
    .flat_map(|(table, t)| {
        t.suppressed
            .iter()
            .map(move |f| vec![o.t(table, &[]), f.field.clone(), f.rows.to_string()])
    })
    .collect();
    o.heading(&o.t("htcds.suppressed", &[]))?;
    o.table(
        &["htcds.col_table", "htcds.col_field", "htcds.col_rows"],
        rows,
        Some("htcds.none_suppressed"),
    )?;
    for f in &e.files {
        o.line(f)?;
    }
    Ok(())
}
