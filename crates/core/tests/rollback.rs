//! Finding 9: a vault folder rolled back to an older copy is consistent in
//! itself; the head of its audit log that its peers hold shows it.

use std::path::Path;

use caravan_core::*;

use crate::util::*;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Locks `ws`, lets `f` act on its closed vault folder, and unlocks it.
fn closed(ws: Workspace, f: impl FnOnce(&Path)) -> Workspace {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    f(&dir);
    Workspace::unlock(&dir, &pass(), &opts()).unwrap()
}

#[test]
fn finding_9_a_vault_rolled_back_to_an_older_copy_is_found_out_from_its_peers() {
    let dirs = tempfile::tempdir().unwrap();
    let backup = dirs.path().join("backup");
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let case = inv
        .create_case(NewCaseInput {
            reference: "KZ-9".into(),
            title: "Brick kiln".into(),
            jurisdiction: "KZ".into(),
        })
        .unwrap();
    inv.add_note(&case, "first visit").unwrap();
    swap(&mut inv, &mut admin);
    let mut inv = closed(inv, |dir| copy_dir(dir, &backup));

    // What the insider wants forgotten: more work, logged, and its head
    // sent to the team with the next bundle.
    inv.add_note(&case, "second visit").unwrap();
    inv.audit_log(None).unwrap();
    swap(&mut inv, &mut admin);
    let honest = inv.audit_verify().unwrap();

    // The vault folder is put back as it was.
    let mut inv = closed(inv, |dir| {
        std::fs::remove_dir_all(dir).unwrap();
        copy_dir(&backup, dir);
    });
    let alone = inv.audit_verify().unwrap();
    assert!(
        alone.entries < honest.entries,
        "the rolled-back log verifies in itself"
    );

    // Its next exchanges with the team bring back the head it wrote before.
    swap(&mut inv, &mut admin);
    swap(&mut admin, &mut inv);
    let err = inv.audit_verify().unwrap_err();
    assert_eq!(err.code(), "vault.audit_tampered");
    assert!(err.to_string().contains("rolled back"), "{err}");

    // A device whose vault was not rolled back verifies clean against the
    // head its peers hold.
    swap(&mut admin, &mut inv);
    admin.audit_verify().unwrap();
}
