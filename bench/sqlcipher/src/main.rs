//! The SQLCipher peer: the same Automerge case documents and index entries
//! stored "the obvious way" in an SQLCipher database (page-level AES-256,
//! PBKDF2-HMAC-SHA512 key derivation at SQLCipher 4's defaults): one row per
//! document snapshot or incremental chunk, one JSON row per index entry, WAL
//! and synchronous = FULL like Caravan's vault. Prints the same figures as
//! the Caravan worker's `storage` subcommand.

#![forbid(unsafe_code)]

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ROOT};
use caravan_bench_fixture::{Args, Rng, figure_ms, median, read_records, report_peak_rss};
use rusqlite::{Connection, params};

/// The same passphrase the vault uses; SQLCipher derives its key from it.
const PASSPHRASE: &str = "benchmark vault passphrase, not a secret";
/// Same seed as the Caravan worker, so both load the same random cases.
const SEED: u64 = 0x0ca7_a7a0_2026_0001;

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let cmd = argv.next().unwrap_or_default();
    let result = Args::parse(argv).and_then(|args| match cmd.as_str() {
        "storage" => run(&args),
        other => bail!("unknown subcommand {other:?} (expected: storage --name value ...)"),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("caravan-bench-sqlcipher: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open(path: &Path, fast_kdf: bool) -> Result<Connection> {
    let c = Connection::open(path)?;
    c.pragma_update(None, "key", PASSPHRASE)?;
    if fast_kdf {
        // Tiny (CI) runs only, like the vault's fast Argon2 there.
        c.pragma_update(None, "kdf_iter", 1000)?;
    }
    c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")?;
    Ok(c)
}

fn case_key(c: usize) -> Vec<u8> {
    (c as u64).to_be_bytes().to_vec()
}

fn run(args: &Args) -> Result<()> {
    let fixture = Path::new(args.str("fixture")?);
    let work = Path::new(args.str("work")?);
    let loads = args.usize("loads")?;
    let edits = args.usize("edits")?;
    ensure!(
        loads > 0 && edits > 0,
        "--loads and --edits must be positive"
    );
    let fast_kdf = match args.str("kdf")? {
        "default" => false,
        "fast" => true,
        k => bail!("unknown --kdf {k:?} (default or fast)"),
    };
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work)?;
    let docs: Vec<Automerge> = read_records(&fixture.join("docs.rec"))?
        .iter()
        .map(|b| Automerge::load(b).context("fixture document"))
        .collect::<Result<_>>()?;
    let index = read_records(&fixture.join("index.rec"))?;
    ensure!(
        !docs.is_empty() && docs.len() == index.len(),
        "empty fixture"
    );
    let db = work.join("cases.db");

    let mut c = open(&db, fast_kdf)?;
    c.execute_batch(
        "CREATE TABLE docs(case_id BLOB NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL,
                           PRIMARY KEY (case_id, seq));
         CREATE TABLE cases(case_id BLOB PRIMARY KEY, entry BLOB NOT NULL);",
    )?;
    // Bulk import: one durable transaction per case (document + index entry).
    let t = Instant::now();
    for (i, (doc, entry)) in docs.iter().zip(&index).enumerate() {
        let tx = c.transaction()?;
        tx.execute(
            "INSERT INTO docs(case_id, seq, bytes) VALUES (?1, 0, ?2)",
            params![case_key(i), doc.save()],
        )?;
        tx.execute(
            "INSERT INTO cases(case_id, entry) VALUES (?1, ?2)",
            params![case_key(i), entry],
        )?;
        tx.commit()?;
    }
    figure_ms("storage.bulk_import", t.elapsed());
    drop(c);

    let t = Instant::now();
    let c = open(&db, fast_kdf)?;
    let n = list(&c)?;
    figure_ms("storage.open_and_list", t.elapsed());
    ensure!(n == docs.len(), "listed {n} of {} cases", docs.len());
    let t = Instant::now();
    let n = list(&c)?;
    figure_ms("storage.list_warm", t.elapsed());
    ensure!(n == docs.len(), "listed {n} cases");

    let mut rng = Rng::new(SEED ^ 0x10ad);
    let mut samples = Vec::with_capacity(loads);
    for _ in 0..loads {
        let i = rng.below(docs.len());
        let t = Instant::now();
        let doc = load(&c, i)?;
        samples.push(t.elapsed());
        ensure!(!doc.get_heads().is_empty(), "empty case loaded");
    }
    figure_ms("storage.load_one_case", median(&mut samples));

    // Durable commit of one edit: the change appended as a chunk row.
    let mut doc = load(&c, 0)?;
    let mut heads = doc.get_heads();
    let mut samples = Vec::with_capacity(edits);
    for k in 0..edits {
        doc.transact::<_, _, AutomergeError>(|tx| {
            tx.put(
                ROOT,
                "bench_note",
                format!("edit {k}: the witness confirmed the date of departure"),
            )?;
            Ok(())
        })
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let t = Instant::now();
        let chunk = doc.save_after(&heads);
        c.execute(
            "INSERT INTO docs(case_id, seq, bytes) VALUES (?1, ?2, ?3)",
            params![case_key(0), k as i64 + 1, chunk],
        )?;
        heads = doc.get_heads();
        samples.push(t.elapsed());
    }
    figure_ms("storage.commit_one_edit", median(&mut samples));
    drop(c);
    report_peak_rss("storage")?;
    let _ = std::fs::remove_dir_all(work);
    Ok(())
}

/// Every index entry, parsed and sorted most recent first (what the case
/// list shows).
fn list(c: &Connection) -> Result<usize> {
    let mut stmt = c.prepare_cached("SELECT entry FROM cases")?;
    let mut entries: Vec<serde_json::Value> = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))?
        .map(|b| Ok(serde_json::from_slice(&b?)?))
        .collect::<Result<_>>()?;
    entries.sort_by_key(|e| std::cmp::Reverse(e["updated_at_ms"].as_i64().unwrap_or(0)));
    Ok(entries.len())
}

fn load(c: &Connection, i: usize) -> Result<Automerge> {
    let mut stmt = c.prepare_cached("SELECT bytes FROM docs WHERE case_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([case_key(i)])?;
    let mut doc: Option<Automerge> = None;
    while let Some(r) = rows.next()? {
        let b: Vec<u8> = r.get(0)?;
        match &mut doc {
            None => doc = Some(Automerge::load(&b)?),
            Some(d) => {
                d.load_incremental(&b)?;
            }
        }
    }
    doc.context("case not found")
}
