//! `caravan dossier`: the court dossier of a case, and the check of a copy.

use std::io::Read;

use caravan_core::{CoreError, DossierOptions};

use super::{Ctx, Result, with_ws};
use crate::cli::{DossierArgs, DossierCmd};

pub fn dossier(ctx: &Ctx, a: DossierArgs) -> Result<()> {
    if let Some(DossierCmd::Verify { file }) = a.check {
        let pdf = read_bounded(&file)?;
        let check = with_ws(ctx, |ws| Ok(ws.verify_dossier(&pdf)?))?;
        if ctx.out.json {
            return ctx.out.json(&check);
        }
        ctx.out.say(
            "cli.dossier.verified",
            &[("case", &check.reference), ("digest", &check.digest)],
        )?;
        let content = if check.made_here {
            "cli.dossier.made_here"
        } else {
            "cli.dossier.not_made_here"
        };
        return ctx.out.say(content, &[]);
    }
    // clap requires both without the subcommand.
    let (Some(case), Some(out)) = (a.case, a.out) else {
        return Ok(());
    };
    let options = DossierOptions {
        lang: ctx.out.lang.id().to_string(),
        reveal: a.reveal,
    };
    let view = with_ws(ctx, |ws| Ok(ws.write_dossier(&case, &options, &out)?))?;
    if ctx.out.json {
        return ctx.out.json(&view);
    }
    let path = out.display().to_string();
    ctx.out.say(
        "cli.dossier.written",
        &[
            ("path", &path),
            ("pages", &view.pages),
            ("bytes", &view.bytes),
            ("digest", &view.digest),
        ],
    )?;
    if view.revealed {
        ctx.out.say("cli.dossier.revealed", &[])?;
    }
    Ok(())
}

/// The file, read up to the most a dossier can be.
fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>> {
    let file_err = |e: std::io::Error| CoreError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let f = std::fs::File::open(path).map_err(file_err)?;
    let mut pdf = Vec::new();
    f.take(caravan_dossier_limit() as u64 + 1)
        .read_to_end(&mut pdf)
        .map_err(file_err)?;
    Ok(pdf)
}

fn caravan_dossier_limit() -> usize {
    caravan_core::dossier::MAX_PDF_BYTES
}
