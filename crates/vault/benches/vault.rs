//! Vault benchmarks (criterion). Fixture: 10,000 cases x ~100 changes,
//! generated deterministically and cached under the target dir.
//!
//! Run: `cargo bench -p caravan-vault` and, for the encryption-overhead
//! comparison ONLY, `cargo bench -p caravan-vault --features
//! INSECURE-plaintext-benchmark-only` (never used by the product).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

include!("fixture.rs");

fn pass() -> Passphrase {
    Passphrase::from(PASS)
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() * 95 / 100])
}

fn benches(c: &mut Criterion) {
    let dir = ensure_fixture();
    let label = if ENCRYPTION_DISABLED {
        "plaintext(INSECURE)"
    } else {
        "encrypted"
    };
    let mut g = c.benchmark_group(label);
    g.sample_size(10).measurement_time(Duration::from_secs(8));

    g.bench_function("unlock_default_kdf", |b| {
        b.iter(|| Vault::unlock(&dir, &pass()).unwrap().lock())
    });
    g.bench_function("unlock_and_list_all_cases", |b| {
        b.iter(|| {
            let v = Vault::unlock(&dir, &pass()).unwrap();
            black_box(v.list_cases().unwrap().entries.len());
            v.lock();
        })
    });

    // Unlock (includes pre-loading the index), then the first search and
    // the first list right after it.
    let t = Instant::now();
    let mut v = Vault::unlock(&dir, &pass()).unwrap();
    let unlock = t.elapsed();
    let t = Instant::now();
    let hits = v.search_cases("gulnara toka").unwrap().len();
    let first_search = t.elapsed();
    let t = Instant::now();
    let n = v.list_cases().unwrap().entries.len();
    eprintln!(
        "[{label}] unlock {unlock:?}; first search after unlock: {hits} hits in {first_search:?}; \
         first list of {n} cases: {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let hits = v.search_cases("dilnoza karim").unwrap().len();
    eprintln!(
        "[{label}] warm search 'dilnoza karim': {hits} hits in {:?}",
        t.elapsed()
    );

    g.bench_function("search_name_fragment_warm", |b| {
        b.iter(|| black_box(v.search_cases("gulnara toka").unwrap().len()))
    });

    // Load one random case: criterion median plus a manual p95.
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % CASES
    };
    let samples: Vec<Duration> = (0..2000)
        .map(|_| {
            let id = case_id(next());
            let t = Instant::now();
            black_box(v.load_doc(&id).unwrap().unwrap());
            t.elapsed()
        })
        .collect();
    let (med, p95) = percentiles(samples);
    eprintln!("[{label}] load random case: median {med:?}, p95 {p95:?}");
    g.bench_function("load_random_case", |b| {
        b.iter(|| black_box(v.load_doc(&case_id(next())).unwrap()))
    });

    // Baseline for the commit: a bare SQLite WAL, synchronous=FULL commit
    // of one 600-byte row on the same file system (no vault code at all).
    {
        let base = dir.with_extension("baseline");
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        let c = rusqlite::Connection::open(base.join("b.db")).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB NOT NULL);",
        )
        .unwrap();
        let blob = vec![0x5au8; 600];
        let samples: Vec<Duration> = (0..2000)
            .map(|_| {
                let t = Instant::now();
                c.execute("INSERT INTO t(v) VALUES (?1)", [&blob]).unwrap();
                t.elapsed()
            })
            .collect();
        let (med, p95) = percentiles(samples);
        eprintln!(
            "[{label}] baseline bare SQLite FULL commit of 600 B: median {med:?}, p95 {p95:?}"
        );
        drop(c);
        let _ = std::fs::remove_dir_all(&base);
    }

    // Durable commit of one edit on a scratch document, default config
    // (automatic compaction every 64 chunks, amortised into the numbers).
    let scratch = DocId([0xEE; 16]);
    let mut d = Automerge::new();
    let mut heads = vec![];
    let mut k = 0u64;
    let samples: Vec<Duration> = (0..2000)
        .map(|_| {
            k += 1;
            d.transact::<_, _, AutomergeError>(|tx| {
                tx.put(
                    ROOT,
                    "note",
                    format!("edit {k}: the witness confirmed the date of departure"),
                )?;
                Ok(())
            })
            .unwrap();
            let t = Instant::now();
            heads = v.save_doc(&scratch, &d, &heads).unwrap();
            t.elapsed()
        })
        .collect();
    let (med, p95) = percentiles(samples);
    eprintln!("[{label}] durable commit of one edit: median {med:?}, p95 {p95:?}");
    g.bench_function("durable_commit_one_edit", |b| {
        b.iter(|| {
            k += 1;
            d.transact::<_, _, AutomergeError>(|tx| {
                tx.put(ROOT, "note", format!("edit {k}"))?;
                Ok(())
            })
            .unwrap();
            heads = v.save_doc(&scratch, &d, &heads).unwrap();
        })
    });
    v.delete_doc(&scratch).unwrap();
    g.finish();
    v.lock();
}

criterion_group!(vault_benches, benches);
criterion_main!(vault_benches);
