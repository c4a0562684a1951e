//! Peak-memory workload for docs/benchmarks.md: unlock the benchmark
//! fixture, list all cases, search, load 200 random cases. Run under
//! `/usr/bin/time -v` (after `cargo bench` has generated the fixture).

include!("../benches/fixture.rs");

fn main() {
    let dir = ensure_fixture();
    let t = std::time::Instant::now();
    let v = Vault::unlock(&dir, &Passphrase::from(PASS)).unwrap();
    let t_unlock = t.elapsed();
    let n = v.list_cases().unwrap().entries.len();
    let t_list = t.elapsed();
    let hits = v.search_cases("madina sadykov").unwrap().len();
    let mut loaded = 0;
    for i in 0..200u64 {
        if v.load_doc(&case_id(i * 49 % CASES)).unwrap().is_some() {
            loaded += 1;
        }
    }
    println!(
        "unlock {t_unlock:?}; unlock+list {n} cases {t_list:?}; search hits {hits}; loaded {loaded}; total {:?}",
        t.elapsed()
    );
    v.lock();
}
