//! How the vault keeps a case: as a snapshot, compacted by size.

use crate::util::*;

/// A new case is stored as one snapshot at once, and so is a case a bundle
/// brings; after that the chunks added since the snapshot never outweigh
/// it (automerge-repo's rule), so loading a case replays at most about its
/// own size.
#[test]
fn a_case_is_stored_as_a_snapshot_and_compacted_by_size() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-1", "Kiln");
    let s = inv.case_storage(&case).unwrap();
    assert_eq!((s.snapshots, s.incrementals), (1, 0));
    inv.add_note(&case, "First visit").unwrap();
    let s = inv.case_storage(&case).unwrap();
    assert_eq!((s.snapshots, s.incrementals), (1, 1));
    let mut compacted = 0;
    for i in 0..60 {
        inv.add_note(&case, &format!("Visit {i}: the foreman was not there"))
            .unwrap();
        let s = inv.case_storage(&case).unwrap();
        assert_eq!(s.snapshots, 1);
        assert!(s.incremental_bytes < s.snapshot_bytes, "{s:?}");
        compacted += usize::from(s.incrementals == 0);
    }
    assert!(compacted > 0, "sixty notes never outweighed the snapshot");
    swap(&mut inv, &mut admin);
    let s = admin.case_storage(&case).unwrap();
    assert_eq!((s.snapshots, s.incrementals), (1, 0));
}
