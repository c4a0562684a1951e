// Shared by the bench and the memory-measurement example (include!d).
// Deterministic fixture: N cases of ~100 changes each, cached on disk.

use caravan_vault::automerge::transaction::Transactable;
use caravan_vault::automerge::{Automerge, AutomergeError, ROOT};
use caravan_vault::*;
use std::path::PathBuf;

pub const CASES: u64 = 10_000;
pub const CHANGES: u64 = 100;
pub const PASS: &str = "benchmark vault passphrase, not secret";

pub fn case_id(i: u64) -> DocId {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&i.to_be_bytes());
    b[8..].copy_from_slice(&(i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).to_be_bytes());
    DocId(b)
}

pub fn name(i: u64) -> String {
    const F: &[&str] = &[
        "aigerim", "bakyt", "dilnoza", "erlan", "gulnara", "ilyas", "kamila", "madina", "nurlan",
        "saule",
    ];
    const L: &[&str] = &[
        "abenova",
        "karimova",
        "nurlanov",
        "sadykov",
        "tokaeva",
        "usmanov",
        "zhakupova",
        "rakhimov",
    ];
    format!("{} {} {i}", F[(i % 10) as usize], L[(i / 10 % 8) as usize])
}

pub fn fixture_dir() -> PathBuf {
    let base = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("target"));
    let kind = if ENCRYPTION_DISABLED {
        "plaintext"
    } else {
        "encrypted"
    };
    base.join(format!("vault-bench-fixture-{kind}-{CASES}x{CHANGES}"))
}

pub fn ensure_fixture() -> PathBuf {
    let dir = fixture_dir();
    if dir.join("complete").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let t = std::time::Instant::now();
    let params = CreateParams {
        kdf: KdfParams::default(),
        policy: PassphrasePolicy::default(),
    };
    let (mut v, _) = Vault::create(&dir, &Passphrase::from(PASS), &params).unwrap();
    for i in 0..CASES {
        let id = case_id(i);
        let mut d = Automerge::new();
        for c in 0..CHANGES {
            d.transact::<_, _, AutomergeError>(|tx| {
                match c % 4 {
                    0 => tx.put(ROOT, "title", format!("Case {i} rev {c}"))?,
                    1 => tx.put(ROOT, format!("person{}", c % 7), name(i + c))?,
                    2 => tx.put(ROOT, format!("note{}", c % 5), format!("Interview note {c} for case {i}: the witness described the route and the recruiter."))?,
                    _ => tx.put(ROOT, format!("check{}", c % 11), c % 3 == 0)?,
                }
                Ok(())
            })
            .unwrap();
        }
        v.save_doc(&id, &d, &[]).unwrap();
        v.put_case_index(&CaseIndexEntry {
            case_id: id,
            title: format!("Case {i}"),
            reference: format!("KZ-2026-{i:05}"),
            stage: "investigation".into(),
            status: "open".into(),
            assignees: vec![format!("investigator-{}", i % 40)],
            updated_at_ms: 1_700_000_000_000 + i as i64,
            search_terms: vec![name(i), name(i + 1), format!("kz-2026-{i:05}")],
            jurisdiction: "KZ".into(),
            open_task_dues: Vec::new(),
            open_international_deadlines: Vec::new(),
            measure_ends: Vec::new(),
            progress_percent: 0,
            conflicts: 0,
            dashboard: Default::default(),
            layout: 0,
        })
        .unwrap();
    }
    v.lock();
    std::fs::write(dir.join("complete"), b"").unwrap();
    eprintln!("fixture generated in {:?}", t.elapsed());
    dir
}
