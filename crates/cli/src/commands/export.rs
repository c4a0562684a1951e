//! `export …`: files the case files produce for others.

use anyhow::Result;
use caravan_core::RoutesOptions;

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
    }
}
