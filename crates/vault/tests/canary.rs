//! Canary: distinctive strings written through every path (case title,
//! person's name, note, attachment content and name, audit detail, key
//! material, sync state) never appear in any file of the vault folder —
//! database, WAL, shared memory, lock — while open, after compaction, or
//! after locking.

use crate::common::*;

use caravan_vault::automerge::Automerge;
use caravan_vault::*;

const CANARIES: &[&str] = &[
    "CANARY-Zhanar-Abenova-7f3q",
    "Канарейка-Айгерим-Нурланова",
    "canary note: safe house at 12 Abai street",
];

fn assert_absent(dir: &std::path::Path, when: &str) {
    let files = all_files(dir);
    assert!(
        files.iter().any(|(n, _)| n.ends_with(DB_FILE)),
        "database present"
    );
    for (name, bytes) in &files {
        for c in CANARIES {
            assert!(
                !contains(bytes, c.as_bytes()),
                "{when}: canary {c:?} found in {name}"
            );
            // Also a distinctive fragment, in case of partial writes.
            assert!(
                !contains(bytes, &c.as_bytes()[..12]),
                "{when}: canary fragment found in {name}"
            );
        }
    }
}

#[test]
fn canary_never_reaches_disk() {
    let (dir, mut v) = new_vault();
    let id = DocId::random().unwrap();
    let mut d = Automerge::new();
    // Many small incremental saves (uncompressed change chunks).
    let fields = CANARIES.iter().enumerate();
    let heads = save_each(
        &mut v,
        &id,
        &mut d,
        fields.map(|(i, c)| (format!("field{i}"), *c)),
    );
    put(&mut d, "person_name", CANARIES[0]);
    put(&mut d, "note", CANARIES[2]);
    v.save_doc(&id, &d, &heads).unwrap();
    v.put_case_index(&entry(id, CANARIES[0], &[CANARIES[1], CANARIES[2]], 1))
        .unwrap();
    let payload: Vec<u8> = CANARIES
        .iter()
        .flat_map(|c| c.as_bytes().iter().copied())
        .cycle()
        .take(300_000)
        .collect();
    v.put_attachment(CANARIES[0], "text/plain", &mut &payload[..])
        .unwrap();
    v.audit_append("investigator", "victim.revealed", CANARIES[1])
        .unwrap();
    v.set_device_identity(&SecretBytes::from_slice(CANARIES[0].as_bytes()))
        .unwrap();
    v.put_peer_sync_state(CANARIES[1].as_bytes(), CANARIES[2].as_bytes())
        .unwrap();
    v.quarantine_change(&QuarantinedChange {
        change_hash: [1; 32],
        doc: id,
        change: CANARIES[2].as_bytes().to_vec(),
        reason: CANARIES[0].into(),
        at_ms: 0,
    })
    .unwrap();
    // The vault is open: the WAL holds the recent pages.
    assert_absent(dir.path(), "while open");
    v.compact_doc(&id).unwrap();
    assert_absent(dir.path(), "after compaction");
    let loaded = v.load_doc(&id).unwrap().unwrap();
    assert_eq!(
        get_str(&loaded, "person_name").as_deref(),
        Some(CANARIES[0]),
        "data really was written"
    );
    v.lock();
    assert_absent(dir.path(), "after lock");
    let v = unlock(dir.path()).unwrap();
    assert_eq!(v.search_cases(&CANARIES[1][..10]).unwrap().len(), 1);
    assert_absent(dir.path(), "after unlock and search");
}
