//! The benchmark driver: generates the fixture once, then runs every peer
//! as its own process, in alternation (A B C A B C …) for the given number
//! of rounds, and writes one markdown report with the median and spread of
//! every figure and the ratio Caravan/peer of every pair.
//!
//! Run through `./scripts/bench` (which builds the workers and installs the
//! Node peer); see docs/benchmarks.md.

#![forbid(unsafe_code)]

mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

pub struct Config {
    tiny: bool,
    rounds: usize,
    /// Case counts of the app's own path (`--cases`).
    cases: Vec<usize>,
    /// Case counts of the storage and sync comparisons (`--sync-cases`):
    /// they copy whole fixtures between peers, so 10,000 cases there would
    /// take hours and measure nothing the app's figures do not.
    sync_cases: Vec<usize>,
    changes: usize,
    bin: PathBuf,
    node: PathBuf,
    out: PathBuf,
}

fn parse_args() -> Result<Config> {
    let mut c = Config {
        tiny: false,
        rounds: 5,
        cases: vec![1000],
        sync_cases: vec![1000],
        changes: 100,
        bin: PathBuf::new(),
        node: PathBuf::new(),
        out: PathBuf::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--tiny" => c.tiny = true,
            "--rounds" => c.rounds = val()?.parse().context("--rounds: a whole number")?,
            "--changes" => c.changes = val()?.parse().context("--changes: a whole number")?,
            "--cases" => c.cases = counts(&val()?, "--cases")?,
            "--sync-cases" => c.sync_cases = counts(&val()?, "--sync-cases")?,
            "--bin-dir" => c.bin = PathBuf::from(val()?),
            "--node-dir" => c.node = PathBuf::from(val()?),
            "--out" => c.out = PathBuf::from(val()?),
            other => bail!("unknown argument {other:?}"),
        }
    }
    if c.bin.as_os_str().is_empty() || c.node.as_os_str().is_empty() || c.out.as_os_str().is_empty()
    {
        bail!("--bin-dir, --node-dir and --out are required (use ./scripts/bench)");
    }
    if c.tiny {
        c.sync_cases = c.cases.clone();
    }
    let empty = |v: &[usize]| v.is_empty() || v.contains(&0);
    if c.rounds == 0 || empty(&c.cases) || empty(&c.sync_cases) {
        bail!("--rounds, --cases and --sync-cases must be positive");
    }
    Ok(c)
}

/// "1000,10000" → [1000, 10000].
fn counts(list: &str, what: &str) -> Result<Vec<usize>> {
    list.split(',')
        .map(|s| {
            s.trim()
                .parse()
                .with_context(|| format!("{what}: e.g. 1000,10000"))
        })
        .collect()
}

/// One worker invocation: which peer, and the command line.
pub struct Run {
    pub peer: &'static str,
    program: PathBuf,
    args: Vec<String>,
}

/// (workload, peer, figure) → one value per round.
pub type Results = BTreeMap<(String, String, String), Vec<f64>>;

fn main() -> ExitCode {
    match parse_args().and_then(|c| drive(&c)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("caravan-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn drive(c: &Config) -> Result<()> {
    let started = Instant::now();
    std::fs::create_dir_all(&c.out)?;
    let worker = c.bin.join("caravan-bench-worker");
    let plaintext = c.bin.join("caravan-bench-worker-plaintext");
    let sqlcipher = c.bin.join("caravan-bench-sqlcipher");
    let work = c.out.join("work");
    let s = |x: &Path| x.display().to_string();
    let (loads, edits, kdf) = if c.tiny {
        ("20", "20", "fast")
    } else {
        ("200", "200", "default")
    };
    let app_edits = if c.tiny { "5" } else { "50" };

    for &n in &c.sync_cases {
        let dir = fixture_dir(c, n);
        eprintln!(
            "== fixture: {n} cases x {} changes ({})",
            c.changes,
            dir.display()
        );
        let st = Command::new(&worker)
            .args(["gen", "--dir", &s(&dir), "--cases", &n.to_string()])
            .args(["--changes", &c.changes.to_string()])
            .status()
            .context("starting the worker")?;
        if !st.success() {
            bail!("fixture generation failed");
        }
    }
    for &n in &c.cases {
        let dir = app_fixture_dir(c, n);
        eprintln!(
            "== fixture: {n} cases filled through the app's use cases ({})",
            dir.display()
        );
        let st = Command::new(&worker)
            .args([
                "gen-app",
                "--dir",
                &s(&dir),
                "--cases",
                &n.to_string(),
                "--kdf",
                kdf,
            ])
            .status()
            .context("starting the worker")?;
        if !st.success() {
            bail!("the app's fixture generation failed");
        }
    }

    let mut results = Results::new();
    for round in 1..=c.rounds {
        for &n in &c.cases {
            let app = Run {
                peer: report::CARAVAN_APP,
                program: worker.clone(),
                args: ["app", "--fixture", &s(&app_fixture_dir(c, n)), "--work"]
                    .into_iter()
                    .map(String::from)
                    .chain([s(&work.join("app"))])
                    .chain(["--opens", loads, "--edits", app_edits, "--kdf", kdf].map(String::from))
                    .collect(),
            };
            run_one(&format!("{n} cases"), &app, round, c.rounds, &mut results)?;
        }
        for &n in &c.sync_cases {
            let fx = s(&fixture_dir(c, n));
            let storage = |peer, program: &Path| Run {
                peer,
                program: program.to_path_buf(),
                args: ["storage", "--fixture", &fx, "--work", &s(&work.join(peer))]
                    .into_iter()
                    .chain(["--loads", loads, "--edits", edits, "--kdf", kdf])
                    .map(String::from)
                    .collect(),
            };
            let sync = |peer, mode: &str, floor: &str| Run {
                peer,
                program: worker.clone(),
                args: ["sync", "--fixture", &fx, "--mode", mode, "--floor", floor]
                    .into_iter()
                    .map(String::from)
                    .chain(["--cases".into(), n.to_string()])
                    .chain(["--changes".into(), c.changes.to_string()])
                    .collect(),
            };
            let runs = [
                storage(report::CARAVAN_VAULT, &worker),
                storage(report::PLAINTEXT_VAULT, &plaintext),
                storage(report::SQLCIPHER, &sqlcipher),
                sync(report::CARAVAN_BUNDLES, "bundle", "true"),
                sync(report::CARAVAN_SESSION, "session", "false"),
                Run {
                    peer: report::AUTOMERGE_REPO,
                    program: PathBuf::from("node"),
                    args: vec![
                        s(&c.node.join("peer.mjs")),
                        "--fixture".into(),
                        fx.clone(),
                        "--work".into(),
                        s(&work.join("automerge-repo")),
                    ],
                },
            ];
            for r in &runs {
                run_one(&format!("{n} cases"), r, round, c.rounds, &mut results)?;
            }
        }
        let unlock = Run {
            peer: report::CARAVAN_VAULT,
            program: worker.clone(),
            args: ["unlock", "--work", &s(&work.join("unlock"))]
                .into_iter()
                .map(String::from)
                .chain(["--rfc-first".into(), (!c.tiny).to_string()])
                .collect(),
        };
        run_one("unlock", &unlock, round, c.rounds, &mut results)?;
    }

    let md = report::render(c, &results, started.elapsed())?;
    let path = c.out.join("report.md");
    std::fs::write(&path, &md)?;
    println!("{md}");
    eprintln!("report written to {}", path.display());
    if c.tiny {
        report::check_complete(c, &results)?;
        eprintln!("tiny run: every figure was produced");
    }
    Ok(())
}

/// The vault filled through caravan-core's use cases, for the app's path.
pub fn app_fixture_dir(c: &Config, n: usize) -> PathBuf {
    c.out.join(format!("app-fixture-{n}"))
}

pub fn fixture_dir(c: &Config, n: usize) -> PathBuf {
    c.out.join(format!("fixture-{n}x{}", c.changes))
}

fn run_one(
    workload: &str,
    r: &Run,
    round: usize,
    rounds: usize,
    results: &mut Results,
) -> Result<()> {
    eprintln!("-- round {round}/{rounds}: {workload}: {}", r.peer);
    let out = Command::new(&r.program)
        .args(&r.args)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("starting {}", r.program.display()))?;
    if !out.status.success() {
        bail!("{} ({workload}) failed: {}", r.peer, out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut seen = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if let ["FIGURE", name, value, _unit] = f[..] {
            let v: f64 = value
                .parse()
                .with_context(|| format!("{}: bad value in {line:?}", r.peer))?;
            results
                .entry((workload.to_string(), r.peer.to_string(), name.to_string()))
                .or_default()
                .push(v);
            seen += 1;
        }
    }
    if seen == 0 {
        bail!("{} ({workload}) printed no figures", r.peer);
    }
    Ok(())
}
