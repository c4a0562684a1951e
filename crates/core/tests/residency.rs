//! Cases are read from the vault when used, not at unlock, and saved ones
//! leave memory again: nothing a person did may depend on which cases
//! happen to be in memory.

use caravan_core::*;

use crate::util::*;

fn reopen_with_cap(ws: Workspace, resident_bytes: u64) -> Workspace {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    let opts = OpenOptions {
        resident_bytes,
        ..opts()
    };
    Workspace::unlock(&dir, &pass(), &opts).unwrap()
}

fn cases(ws: &mut Workspace, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| open_case(ws, &format!("KZ-{i}"), &format!("Kiln {i}")).to_string())
        .collect()
}

#[test]
fn unlock_reads_no_case_and_a_case_is_read_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let mut inv = founder(dir.path(), "Almaty TIP unit");
    let ids = cases(&mut inv, 4);
    let mut inv = reopen(inv);
    assert_eq!(inv.cases_in_memory(), 0);
    // The list, the dashboard's report and the conflicts overview answer
    // from the index.
    assert_eq!(
        inv.list_cases(&CaseFilter::default()).unwrap().cases.len(),
        4
    );
    assert_eq!(inv.progress_report().unwrap().cases.len(), 4);
    assert!(inv.conflicts(None, false).unwrap().is_empty());
    assert_eq!(inv.cases_in_memory(), 0);
    assert_eq!(inv.show_case(&ids[2]).unwrap().title, "Kiln 2");
    assert_eq!(inv.cases_in_memory(), 1);
}

#[test]
fn cases_that_leave_memory_keep_every_edit() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let ids = cases(&mut inv, 3);
    // A cap below one case: only the case in use stays.
    let mut inv = reopen_with_cap(inv, 1);
    for round in 0..3 {
        for id in &ids {
            inv.add_note(id, &format!("visit {round}")).unwrap();
            assert_eq!(inv.cases_in_memory(), 1);
        }
    }
    let mut inv = reopen(inv);
    for id in &ids {
        let notes = inv.show_case(id).unwrap().notes;
        let bodies: Vec<&str> = notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(bodies.len(), 3, "{bodies:?}");
        for round in 0..3 {
            assert!(bodies.contains(&format!("visit {round}").as_str()));
        }
    }
}

/// An exchange must compare every case, in memory or not: a case left out
/// would be sent as missing, or its peer's changes taken for a new case.
#[test]
fn exchanges_carry_and_merge_cases_that_were_not_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (admin, inv) = admin_and_investigator(dir.path());
    let mut inv = reopen_with_cap(inv, 1);
    let ids = cases(&mut inv, 3);
    let mut admin = reopen_with_cap(admin, 1);
    swap(&mut inv, &mut admin);
    assert_eq!(
        admin
            .list_cases(&CaseFilter::default())
            .unwrap()
            .cases
            .len(),
        3
    );
    // Both sides edit every case; neither holds them in memory when the
    // bundles cross.
    for (i, id) in ids.iter().enumerate() {
        inv.add_note(id, "investigator's visit").unwrap();
        admin
            .set_field(id, "header/title", &format!("Kiln {i}, Shymkent"))
            .unwrap();
    }
    let mut inv = reopen_with_cap(inv, 1);
    let mut admin = reopen_with_cap(admin, 1);
    assert_eq!(admin.cases_in_memory(), 0);
    swap(&mut inv, &mut admin);
    swap(&mut admin, &mut inv);
    assert!(admin.cases_in_memory() <= 1 && inv.cases_in_memory() <= 1);
    for ws in [&mut admin, &mut inv] {
        for (i, id) in ids.iter().enumerate() {
            let case = ws.show_case(id).unwrap();
            assert_eq!(case.title, format!("Kiln {i}, Shymkent"));
            let bodies: Vec<String> = case.notes.into_iter().map(|n| n.body).collect();
            assert_eq!(bodies, ["investigator's visit"]);
        }
    }
}

#[test]
fn a_damaged_case_is_named_and_every_other_case_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let ids = cases(&mut inv, 3);
    let vault = inv.vault_dir().to_path_buf();
    inv.lock();
    let db = rusqlite::Connection::open(vault.join(vault::DB_FILE)).unwrap();
    let damaged = hex::decode(&ids[1]).unwrap();
    db.execute(
        "UPDATE doc_chunks SET ct = CAST(zeroblob(LENGTH(ct)) AS BLOB) WHERE doc_id = ?1",
        [&damaged],
    )
    .unwrap();
    drop(db);
    let mut inv = Workspace::unlock(&vault, &pass(), &opts()).unwrap();
    assert_eq!(
        inv.list_cases(&CaseFilter::default()).unwrap().cases.len(),
        3
    );
    let e = inv.show_case(&ids[1]).unwrap_err();
    assert_eq!(e.code(), "vault.corrupt_record");
    let list = inv.list_cases(&CaseFilter::default()).unwrap();
    assert_eq!(list.unreadable.len(), 1, "{:?}", list.unreadable);
    inv.add_note(&ids[0], "still works").unwrap();
    // An exchange goes on without the damaged case, to be restored from
    // a peer that holds it.
    swap(&mut inv, &mut admin);
    let admin_cases = admin.list_cases(&CaseFilter::default()).unwrap().cases;
    assert_eq!(admin_cases.len(), 2);
    assert!(admin_cases.iter().all(|c| c.id != ids[1]));
}

/// The list's count of conflicts is skipped only for a device's own edits
/// on a case without any: a merge counts again, and so does deciding one.
#[test]
fn the_lists_conflict_count_follows_merges_and_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "KZ-1", "Kiln").to_string();
    swap(&mut inv, &mut admin);
    let conflicts = |ws: &mut Workspace| {
        let list = ws.list_cases(&CaseFilter::default()).unwrap();
        list.cases.iter().find(|c| c.id == case).unwrap().conflicts
    };
    inv.add_note(&case, "a visit").unwrap();
    assert_eq!(conflicts(&mut inv), 0);
    inv.set_field(&case, "header/title", "Kiln, Shymkent")
        .unwrap();
    admin
        .set_field(&case, "header/title", "Shymkent kiln")
        .unwrap();
    swap(&mut admin, &mut inv);
    assert_eq!(conflicts(&mut inv), 1);
    inv.add_note(&case, "another visit").unwrap();
    assert_eq!(conflicts(&mut inv), 1);
    let field = &inv.conflicts(Some(&case), false).unwrap()[0];
    let choice = field.values[0].choice.clone();
    inv.resolve(&case, "header/title", &choice).unwrap();
    assert_eq!(conflicts(&mut inv), 0);
    inv.add_note(&case, "a third visit").unwrap();
    assert_eq!(conflicts(&mut inv), 0);
}
