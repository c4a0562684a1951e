//! The app's own path: a vault filled through caravan-core's use cases, as
//! the window and the command line fill it, then measured through the same
//! `Workspace` they run — unlock, the case list, a search, opening a case,
//! a durable edit and the dashboard — each beside its floor.
//!
//! `gen-app` writes the vault once per size (cached like the other
//! fixtures); `app` copies it and measures the copy, so every round starts
//! from the same vault.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use caravan_bench_fixture::{Args, Rng, figure, figure_ms, median, report_peak_rss};
use caravan_core::model::{EvidenceKind, Exploitation, ItemStatus, Role, Gender};
use caravan_core::vault::Passphrase;
use caravan_core::{
    CaseFilter, Clock, CustodyInput, EvidenceInput, ItemUpdate, NewCaseInput, OpenOptions,
    PersonInput, PersonKind, SystemClock, TaskInput, Workspace,
};

const PASSPHRASE: &str = "benchmark passphrase: four unrelated words";
/// Written once the vault is whole; a change to what it holds changes this.
const APP_FIXTURE_FORMAT: &[u8] =
    b"2: cases filled through caravan-core, index with the dashboard's figures";

fn pass() -> Passphrase {
    Passphrase::new(PASSPHRASE.into())
}

/// The key derivation: the app's own, or the tests' cheap one for tiny runs.
fn opts(fast: bool) -> OpenOptions {
    if fast {
        OpenOptions::insecure_fast_kdf(Arc::new(SystemClock))
    } else {
        OpenOptions::default()
    }
}

/// `--dir`: the fixture folder; `--cases`; `--kdf fast|default`.
pub fn generate(args: &Args) -> Result<()> {
    let dir = PathBuf::from(args.str("dir")?);
    let cases = args.usize("cases")?;
    let opts = opts(args.str("kdf")? == "fast");
    if std::fs::read(dir.join("complete")).is_ok_and(|v| v == APP_FIXTURE_FORMAT) {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let started = Instant::now();
    let (mut admin, _) = Workspace::create(&dir.join("admin"), &pass(), &opts)?;
    admin.found_team("Almaty unit", "Saule", "office")?;
    let (mut ws, _) = Workspace::create(&dir.join("vault"), &pass(), &opts)?;
    let request = ws.join_request("Aibek", "field laptop")?;
    let package = admin.approve_join(&request, Role::Investigator)?;
    ws.accept_join(&package, &admin.team_view()?.fingerprint)?;
    admin.lock();
    let mut rng = Rng::new(0x000c_a5e5);
    let mut edits = 0;
    let mut per_edit = Vec::new();
    for c in 0..cases {
        let t = Instant::now();
        let n = fill_case(&mut ws, c, &mut rng)?;
        edits += n;
        per_edit.push(t.elapsed() / n);
        if (c + 1) % 500 == 0 {
            eprintln!(
                "   {} cases, {edits} edits, {:.1} ms per edit lately",
                c + 1,
                per_edit[per_edit.len() - 100..]
                    .iter()
                    .sum::<Duration>()
                    .as_secs_f64()
                    * 10.0
            );
        }
    }
    ws.lock();
    // How filling grows with the caseload: the first and last tenth.
    let tenth = (cases / 10).max(1);
    let first = median(&mut per_edit[..tenth].to_vec());
    let last = median(&mut per_edit[cases - tenth..].to_vec());
    std::fs::write(
        dir.join("fill.txt"),
        format!(
            "{cases} cases, {edits} edits in {:.0} s; per edit {:.2} ms (first tenth) {:.2} ms (last tenth)\n",
            started.elapsed().as_secs_f64(),
            first.as_secs_f64() * 1e3,
            last.as_secs_f64() * 1e3
        ),
    )?;
    std::fs::write(dir.join("complete"), APP_FIXTURE_FORMAT)?;
    Ok(())
}

/// One case as an investigator fills it: two victims, three evidence items
/// (one handed over), six checklist ticks, three tasks, the narrative and a
/// note. Returns the number of use cases run.
fn fill_case(ws: &mut Workspace, c: usize, rng: &mut Rng) -> Result<u32> {
    let case = ws.create_case(NewCaseInput {
        reference: format!("ALM-{:05}", c),
        title: format!(
            "Case {c}: {}",
            rng.pick(&["brick kiln", "construction site", "sewing workshop", "farm"])
        ),
        jurisdiction: "KZ".into(),
    })?;
    let mut n = 1;
    for (i, name) in [("V-1", "Гульнара Ахмедова"), ("V-2", "Dilnoza Karimova")] {
        let mut p = PersonInput::new(PersonKind::Victim, i, &format!("{name} {c}"));
        p.sex = Gender::Feminine;
        p.age_at_trafficking = Some(16 + u64::try_from(rng.below(20))?);
        p.exploitation = vec![Exploitation::ForcedLabour];
        ws.add_person(&case, p)?;
        n += 1;
    }
    let now = SystemClock.now_ms();
    for (label, kind) in [
        ("Phone", EvidenceKind::Phone),
        ("Ledger", EvidenceKind::Document),
        ("Passport", EvidenceKind::Document),
    ] {
        let item = ws.add_evidence(
            &case,
            EvidenceInput {
                label: label.into(),
                kind,
                description: "Seized at the site".into(),
                seized_at: Some(now - 86_400_000),
                seized_by: Some("Det. Omarov".into()),
                seized_from: None,
                location: Some("Kaskelen".into()),
                seal_number: Some(format!("S-{c}-{label}")),
            },
        )?;
        n += 1;
        if label == "Phone" {
            ws.transfer_custody(
                &case,
                &item,
                CustodyInput {
                    from: "Det. Omarov".into(),
                    to: "Forensic lab".into(),
                    place: "Almaty".into(),
                    at: Some(now - 3_600_000),
                    seal_number: None,
                    purpose: Some("extraction".into()),
                },
            )?;
            n += 1;
        }
    }
    let lists = ws.checklists(&case, None, "en")?;
    let list = lists.first().context("a new case has a checklist")?;
    for item in list.items.iter().take(6) {
        ws.set_item(
            &case,
            &list.template_id,
            &item.id,
            ItemUpdate {
                status: ItemStatus::Done,
                reason: None,
                note: Some("done at the first contact".into()),
                evidence_ids: Vec::new(),
                interview_ids: Vec::new(),
            },
        )?;
        n += 1;
    }
    for title in [
        "Request phone records",
        "Interview the foreman",
        "Check the bank transfers",
    ] {
        ws.add_task(
            &case,
            TaskInput {
                title: title.into(),
                assignee: None,
                due: None,
                stage: None,
            },
        )?;
        n += 1;
    }
    ws.set_text(
        &case,
        "narrative",
        "Two women were recruited online for work abroad; documents taken on arrival.",
    )?;
    ws.add_note(&case, "The foreman's phone number was found in the ledger.")?;
    Ok(n + 2)
}

/// `--fixture`: the folder `gen-app` wrote; `--work`; `--opens`, `--edits`;
/// `--kdf` as given to `gen-app`.
pub fn run(args: &Args) -> Result<()> {
    let fixture = Path::new(args.str("fixture")?);
    let work = Path::new(args.str("work")?);
    let (opens, edits) = (args.usize("opens")?, args.usize("edits")?);
    let opts = opts(args.str("kdf")? == "fast");
    let _ = std::fs::remove_dir_all(work);
    copy_dir(&fixture.join("vault"), &work.join("vault"))?;
    let dir = work.join("vault");

    let t = Instant::now();
    let mut ws = Workspace::unlock(&dir, &pass(), &opts)?;
    figure_ms("app.unlock", t.elapsed());
    figure("app.rss_after_unlock", rss_kib()? as f64 / 1024.0, "MiB");

    let all = CaseFilter::default();
    let ids: Vec<String> = ws
        .list_cases(&all)?
        .cases
        .into_iter()
        .map(|c| c.id.to_string())
        .collect();
    ensure!(!ids.is_empty(), "the vault holds no case");
    figure_ms("app.list", repeat(9, || ws.list_cases(&all).map(drop))?);
    let search = CaseFilter {
        query: Some("akhmedova 7".into()),
        ..CaseFilter::default()
    };
    figure_ms(
        "app.search",
        repeat(9, || ws.list_cases(&search).map(drop))?,
    );

    let mut rng = Rng::new(0x0000_0be7);
    let mut samples = Vec::with_capacity(opens);
    for _ in 0..opens {
        let id = rng.pick(&ids).clone();
        let t = Instant::now();
        ws.show_case(&id)?;
        samples.push(t.elapsed());
    }
    samples.sort();
    figure_ms("app.open_p50", samples[samples.len() / 2]);
    figure_ms(
        "app.open_p95",
        samples[(samples.len() * 95).div_ceil(100) - 1],
    );

    let (edit, bare) = durable_edits(&mut ws, &ids, work, edits, &mut rng)?;
    figure_ms("app.edit", edit);
    figure_ms("floor.bare_sqlite_commit", bare);
    figure_ms(
        "app.dashboard",
        repeat(3, || ws.progress_report().map(drop))?,
    );
    ws.lock();
    report_peak_rss("app")?;
    let _ = std::fs::remove_dir_all(work);
    Ok(())
}

/// A narrative edit through the core (one change, fsynced with its audit
/// entry) on a case the person has open, as in the app (opening it is
/// measured above, not here), alternating with a bare SQLite FULL commit
/// of the text's bytes.
fn durable_edits(
    ws: &mut Workspace,
    ids: &[String],
    work: &Path,
    edits: usize,
    rng: &mut Rng,
) -> Result<(Duration, Duration)> {
    let bare = rusqlite::Connection::open(work.join("bare.db"))?;
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB NOT NULL);",
    )?;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for k in 0..edits {
        let id = rng.pick(ids).clone();
        let text = format!("Edit {k}: the witness confirmed the date of departure.");
        ws.show_case(&id)?;
        let t = Instant::now();
        ws.set_text(&id, "narrative", &text)?;
        ours.push(t.elapsed());
        let t = Instant::now();
        bare.execute("INSERT INTO t(v) VALUES (?1)", [text.as_bytes()])?;
        theirs.push(t.elapsed());
    }
    Ok((median(&mut ours), median(&mut theirs)))
}

/// The median of `n` runs of `f`.
fn repeat(n: usize, mut f: impl FnMut() -> caravan_core::Result<()>) -> Result<Duration> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f()?;
        v.push(t.elapsed());
    }
    Ok(median(&mut v))
}

/// This process's resident set now (VmRSS), in KiB.
fn rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .context("no VmRSS in /proc/self/status")?;
    line.split_whitespace()
        .nth(1)
        .context("malformed VmRSS line")?
        .parse()
        .context("malformed VmRSS value")
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
