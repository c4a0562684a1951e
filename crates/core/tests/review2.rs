//! Second review (audit heads): a vault rolled back to an older copy, then
//! used until its log is longer than the head its peers hold, verifies
//! clean once the head it wrote before the rollback comes back.

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

fn closed(ws: Workspace, f: impl FnOnce(&Path)) -> Workspace {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    f(&dir);
    Workspace::unlock(&dir, &pass(), &opts()).unwrap()
}

#[test]
fn review2_a_rolled_back_vault_used_past_the_head_its_peers_hold_is_still_found_out() {
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

    // What the insider wants forgotten, logged, its head sent to the team.
    inv.add_note(&case, "second visit").unwrap();
    inv.audit_log(None).unwrap();
    swap(&mut inv, &mut admin);
    let honest = inv.audit_verify().unwrap();

    // The vault folder is put back as it was, and used (any audited work)
    // until its log is longer than the head the team holds, before the
    // next exchange.
    let mut inv = closed(inv, |dir| {
        std::fs::remove_dir_all(dir).unwrap();
        copy_dir(&backup, dir);
    });
    let mut n = 0;
    while inv.audit_log(None).unwrap().len() as u64 <= honest.entries + 1 {
        inv.add_note(&case, &format!("filler {n}")).unwrap();
        n += 1;
    }

    // Its next exchanges bring back the head it wrote before the rollback:
    // entry `honest.entries` of its log is another one now.
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
        honest.entries
    );
}
