//! Finding 9: a vault folder rolled back to an older copy is consistent in
//! itself; the heads of its audit log that its peers hold show it.

use std::path::Path;

use caravan_core::*;

use crate::util::*;

/// Locks `ws`, lets `f` act on its closed vault folder, and unlocks it.
fn closed(ws: Workspace, f: impl FnOnce(&Path)) -> Workspace {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    f(&dir);
    Workspace::unlock(&dir, &pass(), &opts()).unwrap()
}

/// An admin and an investigator whose vault is copied after one exchange,
/// used further (its head sent to the team), then put back as the copy:
/// returns both, the case, and the entries the log held before it was
/// put back.
fn rolled_back(dir: &Path) -> (Workspace, Workspace, CaseId, u64) {
    let backup = dir.join("backup");
    let (mut admin, mut inv) = admin_and_investigator(dir);
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
    let honest = inv.audit_verify().unwrap().entries;

    // The vault folder is put back as it was.
    let inv = closed(inv, |dir| {
        std::fs::remove_dir_all(dir).unwrap();
        copy_dir(&backup, dir);
    });
    (admin, inv, case, honest)
}

#[test]
fn finding_9_a_vault_rolled_back_to_an_older_copy_is_found_out_from_its_peers() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv, _, honest) = rolled_back(dirs.path());
    let alone = inv.audit_verify().unwrap();
    assert!(
        alone.entries < honest,
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

/// Found by the second review: the copy, used until its log was longer
/// than the head its peers held, verified clean once that head came back.
#[test]
fn review2_a_rolled_back_vault_used_past_the_head_its_peers_hold_is_still_found_out() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv, case, honest) = rolled_back(dirs.path());
    // Used (any audited work) until its log is longer than the head the
    // team holds, before the next exchange.
    let mut n = 0;
    while inv.audit_log(None).unwrap().len() as u64 <= honest + 1 {
        inv.add_note(&case, &format!("filler {n}")).unwrap();
        n += 1;
    }

    // Its next exchanges bring back the head it wrote before the rollback:
    // entry `honest` of its log is another one now.
    swap(&mut inv, &mut admin);
    swap(&mut admin, &mut inv);
    assert!(
        inv.quarantine()
            .unwrap()
            .iter()
            .any(|q| q.code == "sync.own_actor_forged"),
        "the head written before the rollback came back"
    );
    let verdict = inv.audit_verify();
    assert!(
        verdict.is_err(),
        "the rolled-back log verifies clean against its peers ({} entries; \
         the head it wrote before the rollback, {} entries, is not checked \
         because a longer one of the copy's own outranks it)",
        verdict.as_ref().map(|v| v.entries).unwrap_or(0),
        honest
    );
}
