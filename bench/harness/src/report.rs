//! The report: medians with min–max per figure, ratios of medians with the
//! min–max of the per-round ratios (rounds are paired: A and B of the same
//! round ran back to back), and each ratio against its target.

use std::fmt::Write;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::{Config, Results};

pub const CARAVAN_VAULT: &str = "Caravan vault";
pub const PLAINTEXT_VAULT: &str = "plaintext vault";
pub const SQLCIPHER: &str = "SQLCipher";
pub const CARAVAN_BUNDLES: &str = "Caravan bundles";
pub const CARAVAN_SESSION: &str = "Caravan session";
pub const AUTOMERGE_REPO: &str = "automerge-repo";
pub const CARAVAN_APP: &str = "Caravan app";

/// The app's own path (`Workspace`, as the window and the CLI run it), with
/// the goal at 10,000 cases: an upper bound in the figure's unit.
const APP: &[(&str, &str, Option<f64>)] = &[
    (
        "app.unlock",
        "unlock (Argon2id included) until the case list can be asked",
        Some(500.0),
    ),
    (
        "app.rss_after_unlock",
        "resident memory after unlock",
        Some(150.0),
    ),
    ("app.list", "list every case", Some(50.0)),
    ("app.search", "search a name across cases", Some(50.0)),
    ("app.open_p50", "open a case (`show_case`), median", None),
    (
        "app.open_p95",
        "open a case (`show_case`), 95th percentile",
        Some(10.0),
    ),
    (
        "app.edit",
        "one durable edit (`set_text` of a narrative), median",
        None,
    ),
    (
        "floor.bare_sqlite_commit",
        "bare SQLite `synchronous=FULL` commit of the text, alternating",
        None,
    ),
    (
        "app.dashboard",
        "the dashboard (`progress_report`)",
        Some(200.0),
    ),
    ("app.peak_rss", "peak memory of the worker", None),
];

const STORAGE: &[(&str, &str)] = &[
    (
        "storage.bulk_import",
        "bulk import, all cases (one durable commit per case)",
    ),
    (
        "storage.open_and_list",
        "open (key derivation) + list all cases",
    ),
    ("storage.list_warm", "list all cases again (warm)"),
    (
        "storage.load_one_case",
        "load one case (median of random loads)",
    ),
    (
        "storage.commit_one_edit",
        "durable commit of one edit (median)",
    ),
    ("storage.peak_rss", "peak memory of the worker"),
];
/// Sync figures, each with its goal as a ratio to automerge-repo.
const SYNC: &[(&str, &str, Option<f64>)] = &[
    ("sync.cold", "cold sync, wall time", Some(0.3)),
    ("sync.cold.bytes", "cold sync, bytes on the wire", Some(1.0)),
    (
        "sync.incremental",
        "incremental (100 edits / 50 cases), wall time",
        Some(0.2),
    ),
    (
        "sync.incremental.bytes",
        "incremental, bytes on the wire",
        Some(0.5),
    ),
    (
        "sync.divergent",
        "divergent (1,000 + 1,000 changes / 100 cases), wall time",
        Some(0.5),
    ),
    (
        "sync.divergent.bytes",
        "divergent, bytes on the wire",
        Some(1.1),
    ),
    (
        "sync.peak_rss",
        "peak memory of the worker (both sides)",
        Some(0.3),
    ),
];
const UNLOCK: &[(&str, &str)] = &[
    (
        "unlock.vault_default",
        "vault unlock, default Argon2id (m=64 MiB, t=3, p=4), incl. index",
    ),
    (
        "unlock.argon2id_default",
        "bare Argon2id, same parameters (RFC 9106 second option)",
    ),
    (
        "unlock.argon2id_owasp",
        "anchor: OWASP minimum (m=19 MiB, t=2, p=1)",
    ),
    (
        "unlock.argon2id_rfc9106_first",
        "anchor: RFC 9106 first option (m=2 GiB, t=1, p=4)",
    ),
];

fn values<'a>(r: &'a Results, w: &str, peer: &str, fig: &str) -> Option<&'a [f64]> {
    r.get(&(w.to_string(), peer.to_string(), fig.to_string()))
        .map(Vec::as_slice)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

fn num(fig: &str, v: f64) -> String {
    if fig.ends_with(".bytes") {
        let s = format!("{:.0}", v);
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        out
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn unit(fig: &str) -> &'static str {
    if fig.ends_with(".bytes") {
        "B"
    } else if fig.ends_with("peak_rss") || fig.ends_with("rss_after_unlock") {
        "MiB"
    } else {
        "ms"
    }
}

fn cell(r: &Results, w: &str, peer: &str, fig: &str) -> String {
    match values(r, w, peer, fig) {
        None => "—".into(),
        Some(v) => {
            let (lo, hi) = min_max(v);
            format!(
                "{} {} ({}–{})",
                num(fig, median(v)),
                unit(fig),
                num(fig, lo),
                num(fig, hi)
            )
        }
    }
}

/// Ratio of medians of (wa, pa, fa) over (wb, pb, fb), with the range of the
/// per-round ratios and the verdict against `target`.
fn ratio(
    r: &Results,
    w: &str,
    (pa, fa): (&str, &str),
    (pb, fb): (&str, &str),
    target: Option<f64>,
) -> String {
    ratio_across(r, (w, pa, fa), (w, pb, fb), target)
}

/// [`ratio`] of figures from two workloads.
fn ratio_across(
    r: &Results,
    (wa, pa, fa): (&str, &str, &str),
    (wb, pb, fb): (&str, &str, &str),
    target: Option<f64>,
) -> String {
    let (Some(a), Some(b)) = (values(r, wa, pa, fa), values(r, wb, pb, fb)) else {
        return "—".into();
    };
    let m = median(a) / median(b);
    let per_round: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
    let (lo, hi) = min_max(&per_round);
    let verdict = match target {
        Some(t) if m <= t => format!(" **met** (≤ {t})"),
        Some(t) => format!(" **MISSED** (≤ {t})"),
        None => String::new(),
    };
    format!("{m:.2}× ({lo:.2}–{hi:.2}){verdict}")
}

/// Whether the median of a figure is within its goal.
fn goal(r: &Results, w: &str, peer: &str, fig: &str, limit: Option<f64>) -> String {
    match (values(r, w, peer, fig), limit) {
        (Some(v), Some(l)) if median(v) <= l => format!("**met** (≤ {l} {})", unit(fig)),
        (Some(_), Some(l)) => format!("**MISSED** (≤ {l} {})", unit(fig)),
        _ => "—".into(),
    }
}

/// `storage_w`: the storage workload whose SQLCipher load the open is
/// compared with (loading one case hardly depends on how many there are).
fn app_section(
    md: &mut String,
    c: &Config,
    r: &Results,
    (w, storage_w): (&str, &str),
    n: usize,
) -> Result<()> {
    writeln!(md, "## The app's own path — {w}\n")?;
    let fill =
        std::fs::read_to_string(crate::app_fixture_dir(c, n).join("fill.txt")).unwrap_or_default();
    if !fill.trim().is_empty() {
        writeln!(
            md,
            "Vault filled through caravan-core's use cases: {}\n",
            fill.trim()
        )?;
    }
    writeln!(md, "| figure | {CARAVAN_APP} | goal at 10,000 cases |")?;
    writeln!(md, "|---|---|---|")?;
    for &(fig, label, limit) in APP {
        writeln!(
            md,
            "| {label} | {} | {} |",
            cell(r, w, CARAVAN_APP, fig),
            goal(r, w, CARAVAN_APP, fig, limit)
        )?;
    }
    writeln!(
        md,
        "| open a case, p95 ÷ SQLCipher's load of one case (median, {storage_w}) | {} | ≤ 1.0 |",
        ratio_across(
            r,
            (w, CARAVAN_APP, "app.open_p95"),
            (storage_w, SQLCIPHER, "storage.load_one_case"),
            Some(1.0)
        )
    )?;
    writeln!(
        md,
        "| durable edit ÷ bare SQLite FULL commit | {} | ≤ 1.1 |\n",
        ratio(
            r,
            w,
            (CARAVAN_APP, "app.edit"),
            (CARAVAN_APP, "floor.bare_sqlite_commit"),
            Some(1.1)
        )
    )?;
    Ok(())
}

fn machine() -> String {
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or("?".into(), |k| format!("{:.1} GiB", k / 1024.0 / 1024.0));
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    format!("{nproc} cores ({cpu}), {mem} RAM, load average at the end {load}")
}

pub fn render(c: &Config, r: &Results, took: Duration) -> Result<String> {
    let mut md = String::new();
    let mode = if c.tiny {
        "tiny (CI smoke run: proves the harness works, numbers mean nothing)"
    } else {
        "full"
    };
    writeln!(md, "# Caravan benchmark report — {mode}\n")?;
    writeln!(md, "- Machine: {}", machine())?;
    writeln!(
        md,
        "- Rounds: {} (every peer is its own process; peers alternate within each round)",
        c.rounds
    )?;
    let list = |v: &[usize]| {
        v.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" and ")
    };
    writeln!(
        md,
        "- Workloads: the app's path at {} cases; storage and sync at {} cases x {} changes; harness wall time {:.0} s",
        list(&c.cases),
        list(&c.sync_cases),
        c.changes,
        took.as_secs_f64()
    )?;
    writeln!(
        md,
        "- Cells: median (min–max over rounds). Ratios: ratio of medians (min–max of the per-round ratios).\n"
    )?;
    let storage_w = format!("{} cases", c.sync_cases[c.sync_cases.len() - 1]);
    for &n in &c.cases {
        let w = format!("{n} cases");
        app_section(&mut md, c, r, (&w, &storage_w), n)?;
    }
    for &n in &c.sync_cases {
        let w = format!("{n} cases");
        writeln!(md, "## Storage — {w}\n")?;
        writeln!(
            md,
            "| figure | {CARAVAN_VAULT} | {PLAINTEXT_VAULT} | {SQLCIPHER} | Caravan ÷ plaintext | Caravan ÷ SQLCipher |"
        )?;
        writeln!(md, "|---|---|---|---|---|---|")?;
        for &(fig, label) in STORAGE {
            let ms = !fig.ends_with("peak_rss");
            let vs_sqlcipher = matches!(
                fig,
                "storage.open_and_list" | "storage.list_warm" | "storage.load_one_case"
            )
            .then_some(1.0);
            writeln!(
                md,
                "| {label} | {} | {} | {} | {} | {} |",
                cell(r, &w, CARAVAN_VAULT, fig),
                cell(r, &w, PLAINTEXT_VAULT, fig),
                cell(r, &w, SQLCIPHER, fig),
                ratio(
                    r,
                    &w,
                    (CARAVAN_VAULT, fig),
                    (PLAINTEXT_VAULT, fig),
                    ms.then_some(1.15)
                ),
                ratio(r, &w, (CARAVAN_VAULT, fig), (SQLCIPHER, fig), vs_sqlcipher),
            )?;
        }
        writeln!(md, "\n## Sync — {w}\n")?;
        writeln!(
            md,
            "| figure | {CARAVAN_BUNDLES} | {CARAVAN_SESSION} | {AUTOMERGE_REPO} | bundles ÷ automerge-repo | session ÷ automerge-repo |"
        )?;
        writeln!(md, "|---|---|---|---|---|---|")?;
        for &(fig, label, target) in SYNC {
            writeln!(
                md,
                "| {label} | {} | {} | {} | {} | {} |",
                cell(r, &w, CARAVAN_BUNDLES, fig),
                cell(r, &w, CARAVAN_SESSION, fig),
                cell(r, &w, AUTOMERGE_REPO, fig),
                ratio(r, &w, (CARAVAN_BUNDLES, fig), (AUTOMERGE_REPO, fig), target),
                ratio(r, &w, (CARAVAN_SESSION, fig), (AUTOMERGE_REPO, fig), target),
            )?;
        }
        writeln!(md, "\n## The floor — {w}\n")?;
        writeln!(md, "| pair | Caravan | building block alone | ratio |")?;
        writeln!(md, "|---|---|---|---|")?;
        writeln!(
            md,
            "| import the signed, encrypted base bundle vs bare Automerge `load_incremental` of the same changes | {} | {} | {} |",
            cell(r, &w, CARAVAN_BUNDLES, "floor.bundle_import"),
            cell(r, &w, CARAVAN_BUNDLES, "floor.bare_apply"),
            ratio(
                r,
                &w,
                (CARAVAN_BUNDLES, "floor.bundle_import"),
                (CARAVAN_BUNDLES, "floor.bare_apply"),
                Some(1.5)
            ),
        )?;
        writeln!(
            md,
            "| durable commit of one edit vs bare SQLite `synchronous=FULL` commit of as many bytes (alternating) | {} | {} | {} |\n",
            cell(r, &w, CARAVAN_VAULT, "storage.commit_one_edit"),
            cell(r, &w, CARAVAN_VAULT, "floor.bare_sqlite_commit"),
            ratio(
                r,
                &w,
                (CARAVAN_VAULT, "storage.commit_one_edit"),
                (CARAVAN_VAULT, "floor.bare_sqlite_commit"),
                Some(1.2)
            ),
        )?;
    }
    writeln!(md, "## Unlock\n")?;
    writeln!(md, "| figure | median (min–max) |")?;
    writeln!(md, "|---|---|")?;
    for &(fig, label) in UNLOCK {
        writeln!(
            md,
            "| {label} | {} |",
            cell(r, "unlock", CARAVAN_VAULT, fig)
        )?;
    }
    writeln!(
        md,
        "| vault unlock ÷ bare Argon2id at the same parameters | {} |",
        ratio(
            r,
            "unlock",
            (CARAVAN_VAULT, "unlock.vault_default"),
            (CARAVAN_VAULT, "unlock.argon2id_default"),
            None
        )
    )?;
    Ok(md)
}

/// Tiny mode's assertion: every figure of every peer was produced, finite
/// and positive. Speed is never asserted.
pub fn check_complete(c: &Config, r: &Results) -> Result<()> {
    let mut want: Vec<(String, &str, &str)> = Vec::new();
    for &n in &c.cases {
        for &(fig, _, _) in APP {
            want.push((format!("{n} cases"), CARAVAN_APP, fig));
        }
    }
    for &n in &c.sync_cases {
        let w = format!("{n} cases");
        for peer in [CARAVAN_VAULT, PLAINTEXT_VAULT, SQLCIPHER] {
            for &(fig, _) in STORAGE {
                want.push((w.clone(), peer, fig));
            }
        }
        for peer in [CARAVAN_VAULT, PLAINTEXT_VAULT] {
            want.push((w.clone(), peer, "floor.bare_sqlite_commit"));
        }
        for peer in [CARAVAN_BUNDLES, CARAVAN_SESSION, AUTOMERGE_REPO] {
            for &(fig, _, _) in SYNC {
                want.push((w.clone(), peer, fig));
            }
        }
        want.push((w.clone(), CARAVAN_BUNDLES, "floor.bundle_import"));
        want.push((w.clone(), CARAVAN_BUNDLES, "floor.bare_apply"));
    }
    for &(fig, _) in &UNLOCK[..3] {
        want.push(("unlock".into(), CARAVAN_VAULT, fig));
    }
    let mut bad = Vec::new();
    for (w, peer, fig) in &want {
        match values(r, w, peer, fig) {
            Some(v) if v.len() == c.rounds && v.iter().all(|x| x.is_finite() && *x > 0.0) => {}
            Some(v) => bad.push(format!("{w} / {peer} / {fig}: {v:?}")),
            None => bad.push(format!("{w} / {peer} / {fig}: missing")),
        }
    }
    if !bad.is_empty() {
        bail!("figures missing or not positive:\n  {}", bad.join("\n  "));
    }
    Ok(())
}
