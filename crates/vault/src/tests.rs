//! Unit tests that need crate internals: migrations from every earlier
//! version, disk full, newer format.

use crate::schema::{FORMAT_VERSION, meta_put};
use crate::*;
use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};

fn pw() -> Passphrase {
    Passphrase::from("correct horse battery staple")
}

fn create(dir: &std::path::Path) -> Vault {
    Vault::create(dir, &pw(), &CreateParams::insecure_fast_for_tests())
        .unwrap()
        .0
}

fn fast() -> UnlockOptions {
    UnlockOptions::insecure_fast_for_tests()
}

fn doc_with(key: &str, val: i64) -> Automerge {
    let mut d = Automerge::new();
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, key, val)?;
        Ok(())
    })
    .unwrap();
    d
}

#[test]
fn migrates_from_every_earlier_version() {
    for v in 1..FORMAT_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let id = DocId([9; 16]);
        {
            let (mut vault, _code) = Vault::create_at_version(
                dir.path(),
                &pw(),
                &CreateParams::insecure_fast_for_tests(),
                v,
            )
            .unwrap();
            assert_eq!(crate::schema::format_version(&vault.conn).unwrap(), v);
            let d = doc_with("k", 42);
            vault.save_doc(&id, &d, &[]).unwrap();
            vault.lock();
        }
        let mut vault = Vault::unlock_with_options(dir.path(), &pw(), &fast()).unwrap();
        assert_eq!(
            crate::schema::format_version(&vault.conn).unwrap(),
            FORMAT_VERSION,
            "from v{v}"
        );
        let d = vault.load_doc(&id).unwrap().unwrap();
        assert_eq!(d.get(ROOT, "k").unwrap().unwrap().0.to_string(), "42");
        // Tables of later migrations work.
        vault
            .put_team_key(1, &SecretBytes::from_slice(b"k1"))
            .unwrap();
        assert_eq!(vault.team_key(1).unwrap().unwrap().expose(), b"k1");
        vault.audit_verify().unwrap();
        vault.integrity_check().unwrap();
    }
}

#[test]
fn newer_format_is_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = create(dir.path());
    meta_put(
        &vault.conn,
        "format_version",
        &(FORMAT_VERSION + 1).to_be_bytes(),
    )
    .unwrap();
    vault.lock();
    let e = Vault::unlock_with_options(dir.path(), &pw(), &fast()).unwrap_err();
    assert_eq!(e.code(), "vault.newer_format");
    assert!(e.to_string().contains("Update Caravan"));
    let e = Vault::unlock_with_recovery(dir.path(), &RecoveryCode::generate().unwrap().to_string())
        .unwrap_err();
    assert_eq!(e.code(), "vault.newer_format");
}

#[test]
fn disk_full_rolls_back_and_vault_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let id = DocId([1; 16]);
    let mut vault = create(dir.path());
    let d = doc_with("before", 1);
    vault.save_doc(&id, &d, &[]).unwrap();
    let pages: i64 = vault
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    vault
        .conn
        .execute_batch(&format!("PRAGMA max_page_count = {}", pages + 2))
        .unwrap();
    // A 1 MiB attachment cannot fit in two more pages.
    let big = vec![7u8; 1 << 20];
    let e = vault
        .put_attachment("scan.pdf", "application/pdf", &mut &big[..])
        .unwrap_err();
    assert_eq!(e.code(), "vault.disk_full");
    assert!(vault.attachment_ids().unwrap().is_empty(), "rolled back");
    // Documents too.
    let mut d2 = doc_with("big", 2);
    let heads = d2.get_heads();
    d2.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(
            ROOT,
            "blob",
            automerge::ScalarValue::Bytes(
                (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect(),
            ),
        )?;
        Ok(())
    })
    .unwrap();
    let e = vault.save_doc(&DocId([2; 16]), &d2, &heads).unwrap_err();
    assert_eq!(e.code(), "vault.disk_full");
    vault.lock();
    let vault = Vault::unlock_with_options(dir.path(), &pw(), &fast()).unwrap();
    vault.integrity_check().unwrap();
    let d = vault.load_doc(&id).unwrap().unwrap();
    assert!(d.get(ROOT, "before").unwrap().is_some());
    assert!(vault.load_doc(&DocId([2; 16])).unwrap().is_none());
    vault.audit_verify().unwrap();
}

#[test]
fn kdf_params_are_raised_on_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let vault = create(dir.path());
    assert_eq!(
        vault.kdf_params().unwrap(),
        KdfParams::insecure_fast_for_tests()
    );
    vault.lock();
    let floor = KdfParams {
        m_kib: 256,
        t: 2,
        p: 1,
    };
    let v =
        Vault::unlock_with_options(dir.path(), &pw(), &UnlockOptions { kdf_floor: floor }).unwrap();
    assert_eq!(v.kdf_params().unwrap(), floor);
    v.lock();
    // Still opens with the same passphrase, and the recovery slot is untouched.
    Vault::unlock_with_options(dir.path(), &pw(), &fast())
        .unwrap()
        .lock();
}
