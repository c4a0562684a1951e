//! Tamper detection: flipping any byte of any ciphertext row, or swapping
//! two rows' ciphertexts, is detected and names the record; every other
//! record still loads. Audit chain tampering is detected and located.

use crate::common::*;

use caravan_vault::automerge::Automerge;
use caravan_vault::*;
use rusqlite::Connection;

/// (table, key columns) of every table holding ciphertext in column `ct`.
const TABLES: &[(&str, &str)] = &[
    ("doc_chunks", "doc_id, seq"),
    ("case_index", "doc_id"),
    ("attachments", "att_id"),
    ("attachment_chunks", "att_id, idx"),
    ("records", "kind, tag"),
    ("audit", "seq"),
];

fn populated() -> (tempfile::TempDir, Vec<DocId>) {
    let (dir, mut v) = new_vault();
    let ids: Vec<DocId> = (0..2).map(|_| DocId::random().unwrap()).collect();
    for (n, id) in ids.iter().enumerate() {
        let mut d = Automerge::new();
        let mut heads = vec![];
        for i in 0..2 {
            put(&mut d, &format!("k{i}"), (n * 10 + i) as i64);
            heads = v.save_doc(id, &d, &heads).unwrap();
        }
        v.put_case_index(&entry(*id, &format!("Case {n}"), &["x"], n as i64))
            .unwrap();
    }
    let data = vec![3u8; ATTACHMENT_CHUNK_SIZE + 10];
    v.put_attachment("a.bin", "application/octet-stream", &mut &data[..])
        .unwrap();
    v.put_attachment("b.bin", "application/octet-stream", &mut &data[..5])
        .unwrap();
    v.put_team_key(1, &SecretBytes::from_slice(b"k1")).unwrap();
    v.put_peer_sync_state(b"p", b"s").unwrap();
    v.lock();
    (dir, ids)
}

/// Rows as (key-where-clause, ct). `records` is WITHOUT ROWID: keyed by (kind, tag).
fn rows(c: &Connection, table: &str, keys: &str) -> Vec<(String, Vec<u8>)> {
    let mut s = c
        .prepare(&format!("SELECT {keys}, ct FROM {table}"))
        .unwrap();
    let n = keys.split(',').count();
    s.query_map([], |r| {
        let mut conds = Vec::new();
        for (i, k) in keys.split(',').enumerate() {
            let v: rusqlite::types::Value = r.get(i)?;
            let lit = match v {
                rusqlite::types::Value::Integer(x) => x.to_string(),
                rusqlite::types::Value::Blob(b) => format!(
                    "x'{}'",
                    b.iter().map(|x| format!("{x:02x}")).collect::<String>()
                ),
                other => panic!("unexpected key {other:?}"),
            };
            conds.push(format!("{} = {lit}", k.trim()));
        }
        Ok((conds.join(" AND "), r.get(n)?))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

/// Flips byte `at` of the ciphertext of the first of `rows` (as `rows`
/// reads them from `table`) whose key names `id`.
fn flip_byte(dir: &std::path::Path, table: &str, rows: &[(String, Vec<u8>)], id: &str, at: usize) {
    let (key, ct) = rows.iter().find(|(w, _)| w.contains(id)).unwrap();
    let mut b = ct.clone();
    b[at] ^= 0xff;
    set_ct(dir, table, key, &b);
}

fn set_ct(dir: &std::path::Path, table: &str, cond: &str, ct: &[u8]) {
    let c = Connection::open(dir.join(DB_FILE)).unwrap();
    c.execute(&format!("UPDATE {table} SET ct = ?1 WHERE {cond}"), [ct])
        .unwrap();
}

#[test]
fn flipping_any_byte_of_any_ciphertext_is_detected() {
    let (dir, _ids) = populated();
    let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    let all: Vec<(&str, String, Vec<u8>)> = TABLES
        .iter()
        .flat_map(|(t, k)| rows(&c, t, k).into_iter().map(move |(w, ct)| (*t, w, ct)))
        .collect();
    drop(c);
    assert!(all.len() >= 15, "fixture covers every table: {}", all.len());
    for (table, cond, ct) in &all {
        // version byte, nonce, ciphertext body, tag (first/last), middle.
        let positions = [0, 1, 24, 25, ct.len() / 2, ct.len() - 16, ct.len() - 1];
        for &pos in &positions {
            let mut bad = ct.clone();
            bad[pos] ^= 0x01;
            set_ct(dir.path(), table, cond, &bad);
            let v = unlock(dir.path()).unwrap();
            let found = v.check_records().unwrap();
            assert!(
                !found.is_empty(),
                "flip {table} [{cond}] byte {pos} undetected"
            );
            if *table != "audit" {
                assert_eq!(found.len(), 1, "exactly the flipped record: {found:?}");
                assert_eq!(found[0].table, *table);
            } else {
                assert_eq!(v.audit_verify().unwrap_err().code(), "vault.audit_tampered");
            }
            // Every other case still loads / lists.
            let listing = v.list_cases().unwrap();
            let expected_entries = if *table == "case_index" { 1 } else { 2 };
            assert_eq!(listing.entries.len(), expected_entries);
            v.lock();
            set_ct(dir.path(), table, cond, ct);
        }
    }
    let v = unlock(dir.path()).unwrap();
    assert!(v.check_records().unwrap().is_empty(), "restored");
}

#[test]
fn corrupt_rows_name_the_record_and_the_rest_loads() {
    let (dir, ids) = populated();
    let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    let idx = rows(&c, "case_index", "doc_id");
    let chunks = rows(&c, "doc_chunks", "doc_id, seq");
    drop(c);
    // Corrupt case 0's index entry and its first chunk.
    flip_byte(dir.path(), "case_index", &idx, &ids[0].to_hex(), 30);
    flip_byte(dir.path(), "doc_chunks", &chunks, &ids[0].to_hex(), 40);

    let v = unlock(dir.path()).unwrap();
    let e = v.load_doc(&ids[0]).unwrap_err();
    assert_eq!(e.code(), "vault.corrupt_record");
    assert!(
        e.to_string()
            .contains(&format!("doc_chunks/{}#1", ids[0].to_hex())),
        "{e}"
    );
    let e = v.case_index(&ids[0]).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("case_index/{}", ids[0].to_hex())),
        "{e}"
    );
    let listing = v.list_cases().unwrap();
    assert_eq!(listing.entries.len(), 1);
    assert_eq!(listing.corrupt.len(), 1);
    assert_eq!(listing.corrupt[0].row, ids[0].to_hex());
    let d1 = v.load_doc(&ids[1]).unwrap().unwrap();
    assert_eq!(get_i64(&d1, "k1"), Some(11));
}

#[test]
fn swapping_two_rows_ciphertexts_is_detected() {
    let (dir, _) = populated();
    let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    type Rows = Vec<(String, Vec<u8>)>;
    let per_table: Vec<(&str, Rows)> = TABLES.iter().map(|(t, k)| (*t, rows(&c, t, k))).collect();
    drop(c);
    for (table, rs) in per_table {
        assert!(rs.len() >= 2, "{table} has two rows");
        let (a, b) = (&rs[0], &rs[1]);
        set_ct(dir.path(), table, &a.0, &b.1);
        set_ct(dir.path(), table, &b.0, &a.1);
        let v = unlock(dir.path()).unwrap();
        let found = v.check_records().unwrap();
        if table == "audit" {
            assert!(matches!(
                v.audit_verify().unwrap_err(),
                VaultError::AuditTampered(AuditProblem::Reordered { .. })
            ));
        } else {
            assert_eq!(
                found.len(),
                2,
                "{table}: both swapped rows reported: {found:?}"
            );
        }
        v.lock();
        set_ct(dir.path(), table, &a.0, &a.1);
        set_ct(dir.path(), table, &b.0, &b.1);
    }
}

fn audit_vault() -> tempfile::TempDir {
    let (dir, mut v) = new_vault();
    for i in 0..8 {
        v.audit_append("u", "case.edited", &format!("edit {i}"))
            .unwrap();
    }
    let n = v.audit_verify().unwrap().entries;
    assert_eq!(n, 9);
    v.lock();
    dir
}

/// Finding 9: a wiped log is not silently started again by the next entry.
#[test]
fn finding_9_a_wiped_audit_log_is_never_started_again() {
    let dir = audit_vault();
    let mut v = unlock(dir.path()).unwrap();
    Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .execute_batch("DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head';")
        .unwrap();
    match v.audit_append("someone", "case.view", "") {
        Err(VaultError::AuditTampered(AuditProblem::Wiped)) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        v.audit_verify(),
        Err(VaultError::AuditTampered(AuditProblem::Wiped))
    ));
}

/// Finding 9: a log rolled back behind the head other devices hold, or
/// rolled back and written again, fails against that head.
#[test]
fn finding_9_a_log_is_checked_against_the_head_peers_hold() {
    let dir = audit_vault();
    let mut v = unlock(dir.path()).unwrap();
    let held = v.audit_verify().unwrap();
    let anchor = [(held.entries, held.head_hash)];
    v.audit_append("someone", "case.view", "").unwrap();
    assert!(
        v.audit_verify_anchored(&anchor).is_ok(),
        "a longer log is fine"
    );
    match v.audit_verify_anchored(&[(held.entries + 5, held.head_hash)]) {
        Err(VaultError::AuditTampered(AuditProblem::RolledBack { peers_hold, found })) => {
            assert_eq!((peers_hold, found), (held.entries + 5, held.entries + 1));
        }
        other => panic!("{other:?}"),
    }
    match v.audit_verify_anchored(&[(held.entries, [9; 32])]) {
        Err(VaultError::AuditTampered(AuditProblem::Diverged { seq })) => {
            assert_eq!(seq, held.entries);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn audit_tampering_is_detected_and_located() {
    type Tamper = fn(&Connection);
    let table: &[(&str, Tamper, AuditProblem)] = &[
        (
            "modify entry 4",
            |c| {
                let ct: Vec<u8> = c
                    .query_row("SELECT ct FROM audit WHERE seq = 4", [], |r| r.get(0))
                    .unwrap();
                let mut b = ct;
                b[50] ^= 1;
                c.execute("UPDATE audit SET ct = ?1 WHERE seq = 4", [b])
                    .unwrap();
            },
            AuditProblem::Modified { seq: 4 },
        ),
        (
            "delete entry 5",
            |c| {
                c.execute("DELETE FROM audit WHERE seq = 5", []).unwrap();
            },
            AuditProblem::Deleted { seq: 5 },
        ),
        (
            "delete 5 and renumber",
            |c| {
                c.execute_batch("DELETE FROM audit WHERE seq = 5; UPDATE audit SET seq = seq - 1 WHERE seq > 5;").unwrap();
            },
            AuditProblem::Reordered { seq: 5, holds: 6 },
        ),
        (
            "swap entries 3 and 6",
            |c| {
                c.execute_batch("UPDATE audit SET seq = -3 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = -3;").unwrap();
            },
            AuditProblem::Reordered { seq: 3, holds: 6 },
        ),
        (
            "truncate after entry 7",
            |c| {
                c.execute("DELETE FROM audit WHERE seq > 7", []).unwrap();
            },
            AuditProblem::Truncated {
                expected: 10,
                found: 7,
            },
        ),
        (
            "delete head",
            |c| {
                c.execute("DELETE FROM meta WHERE key = 'audit_head'", [])
                    .unwrap();
            },
            AuditProblem::HeadInvalid,
        ),
        (
            "truncate everything",
            |c| {
                c.execute("DELETE FROM audit", []).unwrap();
            },
            AuditProblem::Truncated {
                expected: 10,
                found: 0,
            },
        ),
        (
            // Finding 9 of the trust review: this used to verify clean.
            "finding 9: delete every entry and the head",
            |c| {
                c.execute_batch("DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head';")
                    .unwrap();
            },
            AuditProblem::Wiped,
        ),
    ];
    for (what, tamper, want) in table {
        let dir = audit_vault();
        // Tamper while the vault is open (an unlock would append an entry
        // after the head, turning a truncation into a gap: also detected).
        let v = unlock(dir.path()).unwrap();
        tamper(&Connection::open(dir.path().join(DB_FILE)).unwrap());
        match v.audit_verify() {
            Err(VaultError::AuditTampered(p)) => assert_eq!(&p, want, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
}
