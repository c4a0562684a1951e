//! Behaviour of the public API: keys and unlock, bad input, storage.

use crate::common::*;

use caravan_vault::automerge::Automerge;
use caravan_vault::*;

#[test]
fn data_survives_lock_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let case = DocId::random().unwrap();
    let (mut v, _) = create(dir.path());
    let mut d = Automerge::new();
    put(&mut d, "title", "Case A");
    let heads = v.save_doc(&case, &d, &[]).unwrap();
    put(&mut d, "stage", "investigation");
    v.save_doc(&case, &d, &heads).unwrap();
    v.put_case_index(&entry(case, "Case A", &["aigerim"], 5))
        .unwrap();
    let att = v
        .put_attachment("photo.jpg", "image/jpeg", &mut &b"jpegbytes"[..])
        .unwrap();
    v.set_device_identity(&SecretBytes::from_slice(b"device-secret"))
        .unwrap();
    v.put_team_key(3, &SecretBytes::from_slice(b"team3"))
        .unwrap();
    v.put_team_key(1, &SecretBytes::from_slice(b"team1"))
        .unwrap();
    v.put_peer_sync_state(b"peer-a", b"state").unwrap();
    v.put_change_signature(&[5; 32], b"sig").unwrap();
    let q = QuarantinedChange {
        change_hash: [6; 32],
        doc: case,
        change: vec![1, 2],
        reason: "role".into(),
        at_ms: 9,
    };
    v.quarantine_change(&q).unwrap();
    v.audit_append("investigator-1", "case.opened", "Case A")
        .unwrap();
    v.lock();

    let v = unlock(dir.path()).unwrap();
    let d = v.load_doc(&case).unwrap().unwrap();
    assert_eq!(get_str(&d, "title").as_deref(), Some("Case A"));
    assert_eq!(get_str(&d, "stage").as_deref(), Some("investigation"));
    assert_eq!(v.list_cases().unwrap().entries[0].title, "Case A");
    let mut out = Vec::new();
    assert_eq!(v.read_attachment(&att.id, &mut out).unwrap(), att);
    assert_eq!(out, b"jpegbytes");
    assert_eq!(
        v.device_identity().unwrap().unwrap().expose(),
        b"device-secret"
    );
    assert_eq!(v.team_key_epochs().unwrap(), vec![1, 3]);
    assert_eq!(
        v.peer_sync_state(b"peer-a").unwrap().unwrap().expose(),
        b"state"
    );
    assert_eq!(v.change_signature(&[5; 32]).unwrap().unwrap(), b"sig");
    assert_eq!(v.quarantined_changes().unwrap(), vec![q]);
    let actions: Vec<String> = v
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions.first().map(String::as_str), Some("vault.created"));
    assert!(actions.contains(&"case.opened".to_string()));
    assert!(actions.contains(&"attachment.added".to_string()));
    v.audit_verify().unwrap();
    assert!(v.check_records().unwrap().is_empty());
    v.integrity_check().unwrap();
}

#[test]
fn wrong_passphrase_and_recovery_code_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (v, code) = create(dir.path());
    v.lock();
    let before = all_files(dir.path());
    type Attempt<'a> = Box<dyn Fn() -> Result<Vault> + 'a>;
    let cases: Vec<(Attempt<'_>, &str)> = vec![
        (
            Box::new(|| {
                Vault::unlock_with_options(
                    dir.path(),
                    &Passphrase::from("correct horse battery stapl"),
                    &UnlockOptions::insecure_fast_for_tests(),
                )
            }),
            "vault.wrong_passphrase",
        ),
        (
            Box::new(|| Vault::unlock(dir.path(), &Passphrase::from(""))),
            "vault.wrong_passphrase",
        ),
        (
            Box::new(|| Vault::unlock_with_recovery(dir.path(), "")),
            "vault.recovery_code_typo",
        ),
        (
            Box::new(|| Vault::unlock_with_recovery(dir.path(), &other_code())),
            "vault.wrong_recovery_code",
        ),
        (
            Box::new(|| Vault::unlock_with_recovery(dir.path(), &typo(&code.to_string()))),
            "vault.recovery_code_typo",
        ),
    ];
    for (f, want) in cases {
        let e = f().unwrap_err();
        assert_eq!(e.code(), want, "{e}");
        assert!(!e.to_string().contains(PASS));
        assert_eq!(
            all_files(dir.path()),
            before,
            "a failed unlock must not write"
        );
    }
    Vault::unlock_with_recovery(dir.path(), &code.to_string()).unwrap();
}

fn other_code() -> String {
    // A valid code for some other vault.
    let d = tempfile::tempdir().unwrap();
    create(d.path()).1.to_string()
}

fn typo(code: &str) -> String {
    let mut c: Vec<char> = code.chars().collect();
    c[3] = if c[3] == 'X' { 'Y' } else { 'X' };
    c.into_iter().collect()
}

#[test]
fn recovery_then_new_passphrase_and_new_code() {
    let dir = tempfile::tempdir().unwrap();
    let (v, code) = create(dir.path());
    v.lock();
    let mut v = Vault::unlock_with_recovery(dir.path(), &code.to_string().to_lowercase()).unwrap();
    assert_eq!(v.unlocked_with(), UnlockedWith::RecoveryCode);
    let newpw = Passphrase::from("a new and long enough passphrase");
    let weak = v.change_passphrase(
        &Passphrase::from("short"),
        &PassphrasePolicy::default(),
        &KdfParams::insecure_fast_for_tests(),
    );
    assert_eq!(weak.unwrap_err().code(), "vault.weak_passphrase");
    v.change_passphrase(
        &newpw,
        &PassphrasePolicy::default(),
        &KdfParams::insecure_fast_for_tests(),
    )
    .unwrap();
    let new_code = v.regenerate_recovery_code().unwrap();
    v.lock();
    assert_eq!(
        unlock(dir.path()).unwrap_err().code(),
        "vault.wrong_passphrase"
    );
    Vault::unlock_with_options(
        dir.path(),
        &newpw,
        &UnlockOptions::insecure_fast_for_tests(),
    )
    .unwrap()
    .lock();
    assert_eq!(
        Vault::unlock_with_recovery(dir.path(), &code.to_string())
            .unwrap_err()
            .code(),
        "vault.wrong_recovery_code"
    );
    Vault::unlock_with_recovery(dir.path(), &new_code.to_string()).unwrap();
}

/// Regression: a vault locked and opened again while another thread of the
/// same process starts programs was refused as "in use" now and then — the
/// started program held a copy of the lock file between its fork and exec.
#[cfg(unix)]
#[test]
fn reopening_while_another_thread_starts_programs_is_not_in_use() {
    let dir = tempfile::tempdir().unwrap();
    create(dir.path()).0.lock();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let stopped = || stop.load(std::sync::atomic::Ordering::Relaxed);
    let outcome = std::thread::scope(|s| {
        s.spawn(|| {
            while !stopped() {
                std::process::Command::new("true").status().unwrap();
            }
        });
        // The spawning thread is stopped however the rounds end, so a
        // failure is reported instead of waiting for that thread for ever.
        let outcome = std::panic::catch_unwind(|| {
            for round in 0..200 {
                let v = unlock(dir.path())
                    .unwrap_or_else(|e| panic!("round {round}: {} ({e})", e.code()));
                v.lock();
            }
        });
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        outcome
    });
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn not_a_vault_in_use_already_exists_weak() {
    let dir = tempfile::tempdir().unwrap();
    // Not a vault: empty folder, missing folder, garbage file, other SQLite db.
    assert_eq!(unlock(dir.path()).unwrap_err().code(), "vault.not_a_vault");
    assert_eq!(
        unlock(&dir.path().join("missing")).unwrap_err().code(),
        "vault.not_a_vault"
    );
    let g = dir.path().join("garbage");
    std::fs::create_dir(&g).unwrap();
    std::fs::write(g.join(DB_FILE), vec![0x42u8; 10_000]).unwrap();
    assert_eq!(unlock(&g).unwrap_err().code(), "vault.not_a_vault");
    let o = dir.path().join("other");
    std::fs::create_dir(&o).unwrap();
    rusqlite::Connection::open(o.join(DB_FILE))
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let e = unlock(&o).unwrap_err();
    assert_eq!(e.code(), "vault.not_a_vault");
    assert!(e.to_string().contains("not a Caravan vault"));

    let vdir = dir.path().join("v");
    let (v, _) = create(&vdir);
    let e = unlock(&vdir).unwrap_err();
    assert_eq!(e.code(), "vault.in_use");
    assert!(e.to_string().contains("in use"));
    assert_eq!(create_err(&vdir).code(), "vault.already_exists");
    v.lock();
    assert_eq!(create_err(&vdir).code(), "vault.already_exists");
    unlock(&vdir).unwrap();

    let e = Vault::create(
        &dir.path().join("w"),
        &Passphrase::from("password"),
        &CreateParams::insecure_fast_for_tests(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "vault.weak_passphrase");
}

fn create_err(dir: &std::path::Path) -> VaultError {
    Vault::create(dir, &pw(), &CreateParams::insecure_fast_for_tests()).unwrap_err()
}

#[test]
fn attachments_stream_limit_and_verified_export() {
    let (dir, mut v) = new_vault();
    let data: Vec<u8> = (0..(3 * ATTACHMENT_CHUNK_SIZE + 123))
        .map(|i| (i % 251) as u8)
        .collect();
    let src = dir.path().join("scan.pdf");
    std::fs::write(&src, &data).unwrap();
    let info = v.import_attachment_file(&src, "application/pdf").unwrap();
    assert_eq!(info.size, data.len() as u64);
    assert_eq!(info.chunk_count, 4);
    assert_eq!(info.file_name, "scan.pdf");
    let dest = dir.path().join("out.pdf");
    v.export_attachment(&info.id, &dest).unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    // The plaintext copy is its owner's alone, and nothing else is left.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    assert!(
        all_files(dir.path())
            .iter()
            .all(|(n, _)| !n.contains("caravan-partial"))
    );
    // Empty attachment.
    let empty = v
        .put_attachment("empty.txt", "text/plain", &mut &b""[..])
        .unwrap();
    let mut out = Vec::new();
    v.read_attachment(&empty.id, &mut out).unwrap();
    assert!(out.is_empty());

    // Over the limit: refused, nothing stored (stream and file paths).
    v.set_config(VaultConfig {
        attachment_max_bytes: 100_000,
        ..VaultConfig::default()
    });
    let before = v.attachment_ids().unwrap();
    let e = v
        .put_attachment("big.bin", "application/octet-stream", &mut &data[..])
        .unwrap_err();
    assert_eq!(e.code(), "vault.attachment_too_large");
    assert!(e.to_string().contains("100000"));
    assert_eq!(
        v.import_attachment_file(&src, "application/pdf")
            .unwrap_err()
            .code(),
        "vault.attachment_too_large"
    );
    assert_eq!(v.attachment_ids().unwrap(), before);
    assert_eq!(
        v.attachment_info(&AttachmentId([0; 16]))
            .unwrap_err()
            .code(),
        "vault.not_found"
    );
    v.delete_attachment(&info.id).unwrap();
    assert_eq!(v.attachment_ids().unwrap(), vec![empty.id]);
}

#[test]
fn export_of_tampered_attachment_leaves_no_file() {
    let (dir, mut v) = new_vault();
    let data = vec![1u8; 2 * ATTACHMENT_CHUNK_SIZE];
    let info = v
        .put_attachment("a.bin", "application/octet-stream", &mut &data[..])
        .unwrap();
    v.lock();
    // Delete the last chunk: the export must fail and leave nothing behind.
    let c = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute("DELETE FROM attachment_chunks WHERE idx = 1", [])
        .unwrap();
    drop(c);
    let mut v = unlock(dir.path()).unwrap();
    let dest = dir.path().join("out.bin");
    let e = v.export_attachment(&info.id, &dest).unwrap_err();
    assert_eq!(e.code(), "vault.corrupt_record");
    assert!(!dest.exists());
    assert!(
        all_files(dir.path())
            .iter()
            .all(|(n, _)| !n.contains("caravan-partial"))
    );
}

#[test]
fn case_list_and_search() {
    let (_dir, mut v) = new_vault();
    let ids: Vec<DocId> = (0..5).map(|_| DocId::random().unwrap()).collect();
    let names = [
        "aigerim nurlanovna",
        "bakyt",
        "dilnoza karimova",
        "aibek",
        "nurlan",
    ];
    for (i, id) in ids.iter().enumerate() {
        v.put_case_index(&entry(*id, &format!("Case {i}"), &[names[i]], i as i64))
            .unwrap();
    }
    let list = v.list_cases().unwrap();
    assert_eq!(list.entries.len(), 5);
    assert_eq!(list.entries[0].case_id, ids[4], "most recent first");
    let table: &[(&str, &[usize])] = &[
        ("nurlan", &[4, 0]),
        ("ai", &[3, 0]),
        ("karim", &[2]),
        ("zzz", &[]),
        ("", &[]),
    ];
    for (q, want) in table {
        let got: Vec<DocId> = v
            .search_cases(q)
            .unwrap()
            .iter()
            .map(|e| e.case_id)
            .collect();
        let want: Vec<DocId> = want.iter().map(|i| ids[*i]).collect();
        assert_eq!(got, want, "query {q:?}");
    }
    // Update goes through the cache.
    v.put_case_index(&entry(ids[1], "Case 1", &["renamed"], 99))
        .unwrap();
    assert_eq!(v.search_cases("renamed").unwrap()[0].case_id, ids[1]);
    assert!(v.search_cases("bakyt").unwrap().is_empty());
    v.delete_case_index(&ids[1]).unwrap();
    assert_eq!(v.list_cases().unwrap().entries.len(), 4);
    assert!(v.case_index(&ids[1]).unwrap().is_none());
}

#[test]
fn debug_output_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, code) = create(dir.path());
    let id = DocId::random().unwrap();
    let e = entry(id, "Secret Title", &["victim name"], 1);
    v.put_case_index(&e).unwrap();
    let a = v
        .put_attachment("victim-photo.jpg", "image/jpeg", &mut &b"x"[..])
        .unwrap();
    let dumps = [
        format!("{v:?}"),
        format!("{e:?}"),
        format!("{code:?}"),
        format!("{:?}", pw()),
        format!("{a:?}"),
        format!("{:?}", v.list_cases().unwrap()),
        format!("{:?}", SecretBytes::from_slice(b"topsecret")),
    ];
    for d in dumps {
        for s in [
            "Secret Title",
            "victim",
            &code.to_string(),
            PASS,
            "topsecret",
        ] {
            assert!(!d.contains(s), "{d} leaks {s}");
        }
    }
}

#[test]
fn every_error_has_a_stable_code() {
    let errs = [
        (VaultError::WrongPassphrase, "vault.wrong_passphrase"),
        (VaultError::InUse, "vault.in_use"),
        (
            VaultError::NewerFormat {
                found: 9,
                supported: 2,
            },
            "vault.newer_format",
        ),
        (VaultError::NotAVault("x".into()), "vault.not_a_vault"),
        (
            VaultError::CorruptRecord(caravan_vault::RecordRef {
                table: "t",
                row: "r".into(),
            }),
            "vault.corrupt_record",
        ),
        (
            VaultError::AttachmentTooLarge { limit: 1 },
            "vault.attachment_too_large",
        ),
        (VaultError::DiskFull, "vault.disk_full"),
        (
            VaultError::AuditTampered(AuditProblem::Deleted { seq: 3 }),
            "vault.audit_tampered",
        ),
    ];
    for (e, code) in errs {
        assert_eq!(e.code(), code);
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn missing_middle_chunk_is_reported() {
    let (dir, mut v) = new_vault();
    let id = DocId::random().unwrap();
    let mut d = Automerge::new();
    save_each(
        &mut v,
        &id,
        &mut d,
        (0..3).map(|i| (format!("k{i}"), i as i64)),
    );
    assert_eq!(v.doc_stats(&id).unwrap().incrementals, 3);
    v.lock();
    let c = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute("DELETE FROM doc_chunks WHERE seq = 2", [])
        .unwrap();
    drop(c);
    let v = unlock(dir.path()).unwrap();
    assert_eq!(
        v.load_doc(&id).unwrap_err().code(),
        "vault.document_incomplete"
    );
    let _ = d.get_heads();
}

/// A new vault whose `save_doc` compacts a document of `chunks` chunks,
/// and a new document to save in it.
fn compacting_doc(chunks: u32) -> (tempfile::TempDir, Vault, DocId, Automerge) {
    let (dir, mut v) = new_vault();
    v.set_config(VaultConfig {
        compact_after_chunks: chunks,
        ..VaultConfig::default()
    });
    (dir, v, DocId::random().unwrap(), Automerge::new())
}

#[test]
fn auto_compaction_keeps_chunks_appended_by_others() {
    // save_doc compacts from the caller's document only when it knows that
    // document holds everything stored; a chunk appended in between (e.g.
    // from sync) must survive the compaction.
    let (dir, mut v, id, mut d) = compacting_doc(4);
    let mut heads = vec![];
    put(&mut d, "base", 1i64);
    heads = v.save_doc(&id, &d, &heads).unwrap();
    let mut other = d.fork();
    put(&mut other, "from_peer", 7i64);
    v.append_doc_chunk(&id, &other.save_after(&heads)).unwrap();
    for i in 0..10 {
        put(&mut d, &format!("k{i}"), i as i64);
        heads = v.save_doc(&id, &d, &heads).unwrap();
        let st = v.doc_stats(&id).unwrap();
        assert!(st.snapshots <= 1 && st.incrementals < 4, "{st:?}");
    }
    let loaded = v.load_doc(&id).unwrap().unwrap();
    assert_eq!(get_i64(&loaded, "from_peer"), Some(7));
    assert_eq!(get_i64(&loaded, "k9"), Some(9));
    // After a load the session's own saves compact from memory; the result
    // must be the same document.
    let mut d = loaded;
    let mut heads = d.get_heads();
    for i in 10..30 {
        put(&mut d, &format!("k{i}"), i as i64);
        heads = v.save_doc(&id, &d, &heads).unwrap();
    }
    v.lock();
    let v = unlock(dir.path()).unwrap();
    let loaded = v.load_doc(&id).unwrap().unwrap();
    assert_eq!(loaded.get_heads(), d.get_heads());
    assert_eq!(get_i64(&loaded, "from_peer"), Some(7));
    assert_eq!(get_i64(&loaded, "k29"), Some(29));
    assert_eq!(v.doc_stats(&id).unwrap().snapshots, 1);
}

#[test]
fn a_document_is_replaced_by_a_snapshot_of_the_copy_that_wrote_it() {
    let (dir, mut v, id, mut d) = compacting_doc(1000);
    let mut heads = vec![];
    for i in 0..5 {
        put(&mut d, &format!("k{i}"), i as i64);
        heads = v.save_doc(&id, &d, &heads).unwrap();
    }
    assert_eq!(v.doc_stats(&id).unwrap().incrementals, 5);
    v.replace_doc_with_snapshot(&id, &d.save()).unwrap();
    let st = v.doc_stats(&id).unwrap();
    assert_eq!((st.snapshots, st.incrementals), (1, 0), "{st:?}");
    // Later chunks go on top of it, and all of it survives a restart.
    put(&mut d, "k5", 5i64);
    v.save_doc(&id, &d, &heads).unwrap();
    v.lock();
    let v = unlock(dir.path()).unwrap();
    let loaded = v.load_doc(&id).unwrap().unwrap();
    assert_eq!(loaded.get_heads(), d.get_heads());
    assert_eq!(get_i64(&loaded, "k0"), Some(0));
    assert_eq!(get_i64(&loaded, "k5"), Some(5));
}

#[test]
fn auto_compaction_still_reports_a_damaged_chunk() {
    let (dir, mut v, id, mut d) = compacting_doc(3);
    let heads = save_each(
        &mut v,
        &id,
        &mut d,
        (0..2).map(|i| (format!("k{i}"), i as i64)),
    );
    // Damage seq 1 behind the open vault's back.
    let c = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.execute(
        "UPDATE doc_chunks SET ct = CAST(zeroblob(LENGTH(ct)) AS BLOB) WHERE seq = 1",
        [],
    )
    .unwrap();
    drop(c);
    put(&mut d, "k2", 2i64);
    let e = v.save_doc(&id, &d, &heads).unwrap_err();
    assert_eq!(e.code(), "vault.corrupt_record");
}

#[test]
fn finding_11_each_held_or_quarantined_change_is_a_record_of_its_own() {
    // Together far over what one record may hold (16 MiB), each its own
    // row: none is refused, and removing one leaves the others.
    let (dir, mut v) = new_vault();
    let value = |i: u8| vec![i; 1 << 20];
    v.transaction(|tx| {
        for i in 0..24u8 {
            tx.put_record(RecordKind::HeldChange, &[b'h', i], &value(i))?;
        }
        tx.put_record(RecordKind::QuarantinedChange, b"q", b"refused")?;
        Ok(())
    })
    .unwrap();
    v.transaction(|tx| {
        assert!(tx.delete_record(RecordKind::HeldChange, &[b'h', 3])?);
        assert!(!tx.delete_record(RecordKind::HeldChange, b"never stored")?);
        Ok(())
    })
    .unwrap();
    v.lock();

    let v = unlock(dir.path()).unwrap();
    let mut held = v.list_records(RecordKind::HeldChange).unwrap();
    held.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(held.len(), 23);
    assert!(
        held.iter()
            .all(|(k, val)| k[1] != 3 && val.expose() == value(k[1]).as_slice())
    );
    let q = v.list_records(RecordKind::QuarantinedChange).unwrap();
    assert_eq!(q[0].1.expose(), b"refused");
    // The kinds are known to the integrity scan.
    assert!(v.check_records().unwrap().is_empty());
}
