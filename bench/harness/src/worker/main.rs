//! The Caravan worker: one process per measurement round, started by the
//! driver, printing `FIGURE` lines. Built twice: against the product vault
//! and (feature INSECURE-plaintext-benchmark-only) against the plaintext
//! vault, so the encryption overhead is measured with everything else equal.
//!
//! Subcommands: `gen` (write the fixture), `storage`, `unlock`, `sync`;
//! `gen-app` and `app` (the app's own path, through caravan-core).

#![forbid(unsafe_code)]

mod app;
mod storage;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use caravan_bench::{Plan, case_name};
use caravan_bench_fixture::{Args, tagged, write_records};
use caravan_sync::bundle::{Limits, Recipient};

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let Some(cmd) = argv.next() else {
        eprintln!(
            "usage: caravan-bench-worker gen|storage|unlock|sync|gen-app|app --name value ..."
        );
        return ExitCode::from(2);
    };
    let result = Args::parse(argv).and_then(|args| match cmd.as_str() {
        "gen" => gen_fixture(&args),
        "storage" => storage::run(&args),
        "unlock" => storage::unlock(&args),
        "sync" => sync::run(&args),
        "gen-app" => app::generate(&args),
        "app" => app::run(&args),
        other => bail!("unknown subcommand {other:?}"),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("caravan-bench-worker {cmd}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Big enough for the 10,000-case base bundle (≈ 1M changes), read in one
/// import: the product reads at most `Limits::default().max_ops`
/// operations per bundle and the rest with the next one.
pub fn limits() -> Limits {
    Limits {
        max_body: 16 << 30,
        max_ops: u64::MAX,
        ..Limits::default()
    }
}

/// Written into `complete` once a fixture is whole; a change to what a
/// fixture holds (as when case ids took Caravan's one form) changes it, so
/// older fixtures are made again instead of reused.
const FIXTURE_FORMAT: &[u8] =
    b"6: bundles of format 3 (compressed, whole documents, signatures per author; team changes each with its own)";

/// Writes the fixture once per workload size into `--dir`:
/// - `docs.rec`: each case document as Automerge bytes (`save()`),
/// - `changes.rec`: each case's raw changes, concatenated (the floor),
/// - `index.rec`: each case's index entry (JSON),
/// - `case-ids.txt`: each case's id, one per line (ids come from each
///   case's first change),
/// - `team/*`: join packages and the base bundle the supervisors import,
/// - `inc_a.rec`, `div_a.rec`, `div_b.rec`: the incremental and divergent
///   edits as Automerge bytes per case (tagged), for the automerge-repo peer,
///   obtained by running the same edits through Caravan's replicas.
fn gen_fixture(args: &Args) -> Result<()> {
    let dir = PathBuf::from(args.str("dir")?);
    let plan = Plan {
        cases: args.usize("cases")?,
        changes: args.usize("changes")?,
    };
    // A fixture is reused only if it was made in today's format.
    if std::fs::read(dir.join("complete")).is_ok_and(|v| v == FIXTURE_FORMAT) {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("team"))?;
    let t = std::time::Instant::now();
    let team = caravan_bench::found_team()?;
    let (mut inv, index) = caravan_bench::investigator_cases(&team, plan)?;
    let (mut docs, mut changes) = (Vec::new(), Vec::new());
    let mut change_count = 0usize;
    for c in 0..plan.cases {
        let mut am = inv
            .case(&case_name(c))
            .context("generated case missing")?
            .into_automerge();
        docs.push(am.save());
        let mut raw = Vec::new();
        for ch in am.get_changes(&[]) {
            raw.extend_from_slice(ch.raw_bytes());
            change_count += 1;
        }
        changes.push(raw);
    }
    write_records(&dir.join("docs.rec"), &docs)?;
    write_records(&dir.join("changes.rec"), &changes)?;
    let index: Vec<Vec<u8>> = index
        .iter()
        .map(serde_json::to_vec)
        .collect::<Result<_, _>>()?;
    write_records(&dir.join("index.rec"), &index)?;
    caravan_bench::save_case_ids(&dir)?;
    let base = inv.export(&Recipient::AnyMember, caravan_bench::AT)?;
    std::fs::write(dir.join("team/base.bundle"), &base)?;
    std::fs::write(dir.join("team/a.pkg"), &team.supervisor_a_package)?;
    std::fs::write(dir.join("team/b.pkg"), &team.supervisor_b_package)?;
    std::fs::write(dir.join("team/team.bundle"), &team.team_bundle)?;

    // Run the scenario once with bundles to get the edits' bytes.
    let mut s = sync::Sides::new(&dir)?;
    s.exchange()?;
    let heads = |r: &mut caravan_sync::Replica, cases: &[usize]| -> Vec<_> {
        cases
            .iter()
            .map(|&c| r.heads(&case_name(c)).unwrap_or_default())
            .collect()
    };
    let since = |r: &mut caravan_sync::Replica,
                 cases: &[usize],
                 before: &[Vec<automerge::ChangeHash>]|
     -> Result<Vec<Vec<u8>>> {
        cases
            .iter()
            .zip(before)
            .map(|(&c, h)| {
                let mut am = r
                    .case(&case_name(c))
                    .context("case missing")?
                    .into_automerge();
                Ok(tagged(c, &am.save_after(h)))
            })
            .collect()
    };
    let inc = plan.incremental();
    let before = heads(&mut s.a, &inc);
    s.edit_incremental(&plan)?;
    write_records(&dir.join("inc_a.rec"), &since(&mut s.a, &inc, &before)?)?;
    s.exchange()?;
    let div = plan.divergent();
    let (before_a, before_b) = (heads(&mut s.a, &div), heads(&mut s.b, &div));
    s.edit_divergent(&plan)?;
    write_records(&dir.join("div_a.rec"), &since(&mut s.a, &div, &before_a)?)?;
    write_records(&dir.join("div_b.rec"), &since(&mut s.b, &div, &before_b)?)?;
    std::fs::write(
        dir.join("summary.txt"),
        format!(
            "cases {}\nchanges {change_count}\nbase bundle bytes {}\ngenerated in {:?}\n",
            plan.cases,
            base.len(),
            t.elapsed()
        ),
    )?;
    std::fs::write(dir.join("complete"), FIXTURE_FORMAT)?;
    eprintln!(
        "fixture: {} cases, {change_count} changes, generated in {:?}",
        plan.cases,
        t.elapsed()
    );
    Ok(())
}
