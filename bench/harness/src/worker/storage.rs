//! Caravan's side of the storage comparison (and, built with the plaintext
//! feature, its own plaintext baseline), the bare-SQLite commit floor, and
//! the unlock cost with its Argon2id anchors.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use argon2::{Algorithm, Argon2, Params, Version};
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ROOT};
use caravan_bench::{PASSPHRASE, doc_id};
use caravan_bench_fixture::{Args, Rng, figure_ms, median, read_records, report_peak_rss};
use caravan_vault::{
    CaseIndexEntry, CreateParams, KdfParams, Passphrase, PassphrasePolicy, UnlockOptions, Vault,
};

fn kdf(args: &Args) -> Result<KdfParams> {
    match args.str("kdf")? {
        "default" => Ok(KdfParams::default()),
        // Tiny (CI) runs only: every figure but the unlock one.
        "fast" => Ok(KdfParams::insecure_fast_for_tests()),
        k => bail!("unknown --kdf {k:?} (default or fast)"),
    }
}

pub fn run(args: &Args) -> Result<()> {
    let fixture = Path::new(args.str("fixture")?);
    let work = Path::new(args.str("work")?);
    let loads = args.usize("loads")?;
    let edits = args.usize("edits")?;
    ensure!(
        loads > 0 && edits > 0,
        "--loads and --edits must be positive"
    );
    let kdf = kdf(args)?;
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work)?;

    // Parsing the fixture is not part of any figure: every peer gets the
    // documents in memory, as the application would hold them.
    let docs: Vec<Automerge> = read_records(&fixture.join("docs.rec"))?
        .iter()
        .map(|b| Automerge::load(b).context("fixture document"))
        .collect::<Result<_>>()?;
    let index: Vec<CaseIndexEntry> = read_records(&fixture.join("index.rec"))?
        .iter()
        .map(|b| serde_json::from_slice(b).context("fixture index entry"))
        .collect::<Result<_>>()?;
    ensure!(
        !docs.is_empty() && docs.len() == index.len(),
        "empty fixture"
    );

    let dir = work.join("vault");
    let pass = Passphrase::from(PASSPHRASE);
    let params = CreateParams {
        kdf,
        policy: PassphrasePolicy::default(),
    };
    let (mut v, _code) = Vault::create(&dir, &pass, &params)?;

    // Bulk import: each case durable on its own (document, then index entry),
    // as the application stores cases arriving from a bundle.
    let t = Instant::now();
    for (c, (doc, entry)) in docs.iter().zip(&index).enumerate() {
        v.save_doc(&doc_id(c), doc, &[])?;
        v.put_case_index(entry)?;
    }
    figure_ms("storage.bulk_import", t.elapsed());
    v.lock();

    // Open + list: what a person waits for between passphrase and case list.
    let opts = UnlockOptions { kdf_floor: kdf };
    let t = Instant::now();
    let mut v = Vault::unlock_with_options(&dir, &pass, &opts)?;
    let n = v.list_cases()?.entries.len();
    figure_ms("storage.open_and_list", t.elapsed());
    ensure!(n == docs.len(), "listed {n} of {} cases", docs.len());
    let t = Instant::now();
    let n = v.list_cases()?.entries.len();
    figure_ms("storage.list_warm", t.elapsed());
    ensure!(n == docs.len(), "listed {n} cases");

    // Load one case: median of `loads` random loads.
    let mut rng = Rng::new(caravan_bench::SEED ^ 0x10ad);
    let mut samples = Vec::with_capacity(loads);
    for _ in 0..loads {
        let c = rng.below(docs.len());
        let t = Instant::now();
        let doc = v.load_doc(&doc_id(c))?.context("case not found")?;
        samples.push(t.elapsed());
        ensure!(!doc.get_heads().is_empty(), "empty case loaded");
    }
    figure_ms("storage.load_one_case", median(&mut samples));

    // Durable commit of one edit, alternating with a bare SQLite FULL commit
    // of the same number of bytes on the same disk, so both see the same
    // fsync weather.
    let (commit, bare) = commits(&mut v, work, edits)?;
    figure_ms("storage.commit_one_edit", commit);
    figure_ms("floor.bare_sqlite_commit", bare);
    v.lock();
    report_peak_rss("storage")?;
    let _ = std::fs::remove_dir_all(work);
    Ok(())
}

fn commits(v: &mut Vault, work: &Path, edits: usize) -> Result<(Duration, Duration)> {
    let bare = rusqlite::Connection::open(work.join("bare.db"))?;
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB NOT NULL);",
    )?;
    let id = doc_id(0);
    let mut doc = v.load_doc(&id)?.context("case 0 missing")?;
    let mut heads = doc.get_heads();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
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
        let len = doc.save_after(&heads).len();
        let t = Instant::now();
        heads = v.save_doc(&id, &doc, &heads)?;
        ours.push(t.elapsed());
        let blob = vec![0x5a_u8; len];
        let t = Instant::now();
        bare.execute("INSERT INTO t(v) VALUES (?1)", [&blob])?;
        theirs.push(t.elapsed());
    }
    Ok((median(&mut ours), median(&mut theirs)))
}

/// Unlock at the default parameters, and bare Argon2id at the anchors.
pub fn unlock(args: &Args) -> Result<()> {
    let work = Path::new(args.str("work")?);
    let big = args.flag("rfc-first")?;
    let _ = std::fs::remove_dir_all(work);
    let dir = work.join("vault");
    let pass = Passphrase::from(PASSPHRASE);
    let (v, _) = Vault::create(&dir, &pass, &CreateParams::default())?;
    v.lock();
    let t = Instant::now();
    Vault::unlock(&dir, &pass)?.lock();
    figure_ms("unlock.vault_default", t.elapsed());
    let d = KdfParams::default();
    figure_ms("unlock.argon2id_default", argon2(d.m_kib, d.t, d.p)?);
    // OWASP Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1.
    figure_ms("unlock.argon2id_owasp", argon2(19 * 1024, 2, 1)?);
    if big {
        // RFC 9106 first recommended option: m = 2 GiB, t = 1, p = 4.
        figure_ms(
            "unlock.argon2id_rfc9106_first",
            argon2(2 * 1024 * 1024, 1, 4)?,
        );
    }
    report_peak_rss("unlock")?;
    let _ = std::fs::remove_dir_all(work);
    Ok(())
}

fn argon2(m_kib: u32, t: u32, p: u32) -> Result<Duration> {
    let params = Params::new(m_kib, t, p, Some(32)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let a = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = [0u8; 32];
    let start = Instant::now();
    a.hash_password_into(PASSPHRASE.as_bytes(), b"caravan-bench-salt", &mut out)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(start.elapsed())
}
