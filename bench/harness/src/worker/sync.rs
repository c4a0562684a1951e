//! Caravan's side of the sync comparison: two supervisors' replicas in one
//! process, synced by swapping bundles both ways (`--mode bundle`) or by the
//! online session over an in-memory pipe (`--mode session`). Also the floor:
//! importing the signed, encrypted base bundle against applying the same
//! changes with bare Automerge.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use automerge::Automerge;
use caravan_bench::{Plan, SUPERVISOR_A, SUPERVISOR_B, case_name, join, member_id};
use caravan_bench_fixture::{Args, figure, figure_ms, read_records, report_peak_rss};
use caravan_sync::Replica;
use caravan_sync::bundle::Recipient;
use caravan_sync::session::Session;

pub struct Sides {
    pub a: Replica,
    pub b: Replica,
    a_id: String,
    b_id: String,
    /// Time the supervisor A's device took to import the base bundle.
    pub base_import: Duration,
}

impl Sides {
    /// Supervisor A's device holding every case (from the investigator's
    /// bundle), and supervisor B's freshly enrolled device holding none.
    pub fn new(dir: &Path) -> Result<Sides> {
        let base = std::fs::read(dir.join("team/base.bundle"))?;
        let team = std::fs::read(dir.join("team/team.bundle"))?;
        let mut a = join(SUPERVISOR_A, &std::fs::read(dir.join("team/a.pkg"))?, &team)?;
        let b = join(SUPERVISOR_B, &std::fs::read(dir.join("team/b.pkg"))?, &team)?;
        let t = Instant::now();
        let report = a.import(&base, &crate::limits())?;
        let base_import = t.elapsed();
        ensure!(
            report.quarantined.is_empty(),
            "base bundle: {} changes quarantined",
            report.quarantined.len()
        );
        Ok(Sides {
            a_id: member_id(&a)?,
            b_id: member_id(&b)?,
            a,
            b,
            base_import,
        })
    }

    /// A sends B a bundle, B answers with one: returns the bytes of both.
    pub fn exchange(&mut self) -> Result<usize> {
        let ab = self
            .a
            .export(&Recipient::Member(self.b_id.clone()), caravan_bench::AT)?;
        let r = self.b.import(&ab, &crate::limits())?;
        ensure!(r.quarantined.is_empty(), "changes quarantined at B");
        let ba = self
            .b
            .export(&Recipient::Member(self.a_id.clone()), caravan_bench::AT)?;
        let r = self.a.import(&ba, &crate::limits())?;
        ensure!(r.quarantined.is_empty(), "changes quarantined at A");
        Ok(ab.len() + ba.len())
    }

    /// A whole online session over an in-memory pipe: returns frame bytes.
    pub fn session(&mut self) -> Result<usize> {
        let (a, b) = (&mut self.a, &mut self.b);
        let mut sa = Session::new(a, Some(self.b_id.clone()), caravan_bench::AT)?;
        let mut sb = Session::new(b, Some(self.a_id.clone()), caravan_bench::AT)?;
        let mut bytes = 0;
        // A bound on round trips so a protocol bug fails instead of hanging.
        for _ in 0..10_000 {
            let (mut to_a, mut to_b) = (Vec::new(), Vec::new());
            while let Some(f) = sa.poll(a)? {
                to_b.push(f);
            }
            while let Some(f) = sb.poll(b)? {
                to_a.push(f);
            }
            if to_a.is_empty() && to_b.is_empty() && sa.is_done() && sb.is_done() {
                ensure!(
                    sa.report().quarantined.is_empty() && sb.report().quarantined.is_empty(),
                    "session quarantined changes"
                );
                return Ok(bytes);
            }
            for f in to_b {
                bytes += f.len();
                sb.receive(b, &f)?;
            }
            for f in to_a {
                bytes += f.len();
                sa.receive(a, &f)?;
            }
        }
        bail!("the session did not finish")
    }

    pub fn edit_incremental(&mut self, plan: &Plan) -> Result<()> {
        caravan_bench::supervisor_edits(
            &mut self.a,
            &plan.incremental(),
            Plan::INCREMENTAL_PER_CASE,
            "inc",
        )
    }

    pub fn edit_divergent(&mut self, plan: &Plan) -> Result<()> {
        let cases = plan.divergent();
        caravan_bench::supervisor_edits(&mut self.a, &cases, Plan::DIVERGENT_PER_CASE, "a")?;
        caravan_bench::supervisor_edits(&mut self.b, &cases, Plan::DIVERGENT_PER_CASE, "b")
    }

    /// Both sides hold the same heads for `cases` (the sync really happened).
    fn check_converged(&mut self, cases: impl Iterator<Item = usize>) -> Result<()> {
        for c in cases {
            let id = case_name(c);
            let (ha, hb) = (self.a.heads(&id), self.b.heads(&id));
            ensure!(ha.is_some() && ha == hb, "{id} differs after sync");
        }
        Ok(())
    }
}

pub fn run(args: &Args) -> Result<()> {
    let dir = Path::new(args.str("fixture")?);
    let plan = Plan {
        cases: args.usize("cases")?,
        changes: args.usize("changes")?,
    };
    let mode = args.str("mode")?.to_string();
    let sync = |s: &mut Sides| -> Result<usize> {
        match mode.as_str() {
            "bundle" => s.exchange(),
            "session" => s.session(),
            m => bail!("unknown --mode {m:?} (bundle or session)"),
        }
    };
    caravan_bench::load_case_ids(dir)?;
    let mut s = Sides::new(dir)?;

    // Cold: B receives every case.
    let t = Instant::now();
    let bytes = sync(&mut s)?;
    figure_ms("sync.cold", t.elapsed());
    figure("sync.cold.bytes", bytes as f64, "B");
    s.check_converged(0..plan.cases)?;

    // Incremental: 100 edits over 50 cases on A (made before the clock starts).
    s.edit_incremental(&plan)?;
    let t = Instant::now();
    let bytes = sync(&mut s)?;
    figure_ms("sync.incremental", t.elapsed());
    figure("sync.incremental.bytes", bytes as f64, "B");
    s.check_converged(plan.incremental().into_iter())?;

    // Divergent: 1,000 changes on each side over the same 100 cases.
    s.edit_divergent(&plan)?;
    let t = Instant::now();
    let bytes = sync(&mut s)?;
    figure_ms("sync.divergent", t.elapsed());
    figure("sync.divergent.bytes", bytes as f64, "B");
    s.check_converged(plan.divergent().into_iter())?;
    report_peak_rss("sync")?;

    if args.flag("floor")? {
        floor(dir, &s)?;
    }
    Ok(())
}

/// Bundle import (verify, decrypt, judge every change, apply) against bare
/// `load_incremental` of the same changes into empty documents. Runs after
/// the peak-memory figure so it does not inflate it.
fn floor(dir: &Path, s: &Sides) -> Result<()> {
    let changes = read_records(&dir.join("changes.rec"))?;
    let t = Instant::now();
    for bytes in &changes {
        let mut doc = Automerge::new();
        doc.load_incremental(bytes)
            .context("bare load_incremental")?;
        ensure!(!doc.get_heads().is_empty(), "bare apply loaded nothing");
    }
    let bare = t.elapsed();
    figure_ms("floor.bundle_import", s.base_import);
    figure_ms("floor.bare_apply", bare);
    Ok(())
}
