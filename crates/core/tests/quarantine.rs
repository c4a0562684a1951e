//! The supervisor's review of the quarantine on real vaults: the list with
//! names and arrival times, release (judged again, never a bypass) and
//! discard, both limited to supervisors and admins, audited, and kept
//! across a lock and unlock.

use caravan_core::model::Role;
use caravan_core::*;

use crate::util::*;

fn codes(rows: &[exchange::QuarantineRow]) -> Vec<&str> {
    rows.iter().map(|r| r.code.as_str()).collect()
}

#[test]
fn a_supervisor_reviews_the_quarantine_and_release_judges_again() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let mut sup = enrol(
        &mut admin,
        &dirs.path().join("sup"),
        "Dana",
        Role::Supervisor,
    );
    swap(&mut admin, &mut inv);
    swap(&mut admin, &mut sup);

    // The investigator opens a case and writes in it while the admin, not
    // yet having it, makes them a prosecutor: the case's first change is
    // refused by the team as the admin knows it, and what builds on it waits.
    let case = inv
        .create_case(NewCaseInput {
            reference: "KZ-1".into(),
            title: "Greenhouses".into(),
            jurisdiction: "KZ".into(),
        })
        .unwrap();
    inv.add_note(&case, "first visit").unwrap();
    admin.set_role("Aibek", Role::Prosecutor).unwrap();
    swap(&mut admin, &mut sup);
    let report = swap(&mut inv, &mut admin);
    // Only the team changes land: the case key's wraps and the
    // investigator's audit log head.
    assert_eq!(report.applied, 2, "{report:?}");
    assert_eq!(report.docs_changed, ["team"], "{report:?}");
    let rows = admin.quarantine().unwrap();
    assert_eq!(
        codes(&rows),
        ["policy.denied", "sync.depends_on_quarantined"],
        "{rows:?}"
    );
    let genesis = rows[0].change.clone();
    assert!(rows.iter().all(|r| r.case_id == case));
    assert!(
        rows.iter()
            .all(|r| r.author_name.as_deref() == Some("Aibek"))
    );
    assert!(
        rows.iter()
            .all(|r| r.relayed_by_name.as_deref() == Some("Aibek"))
    );
    assert!(
        rows.iter()
            .all(|r| r.arrived_at_ms.is_some_and(|t| t >= T0))
    );

    // An investigator may not review; an unknown change is not found.
    swap(&mut inv, &mut sup);
    let denied = inv.release_quarantined(None, &genesis).unwrap_err();
    assert_eq!(denied.code(), "core.denied");
    let denied = inv.discard_quarantined(None, &genesis).unwrap_err();
    assert_eq!(denied.code(), "core.denied");
    assert_eq!(
        admin
            .release_quarantined(None, "ffffffff")
            .unwrap_err()
            .code(),
        "core.not_found"
    );

    // Released while the role still forbids it: it stays, nothing applied.
    let r = admin
        .release_quarantined(Some(&case), &genesis[..12])
        .unwrap();
    assert!(!r.applied, "{r:?}");
    assert_eq!(r.reasons[0].code, "policy.denied");
    assert_eq!(admin.quarantine().unwrap().len(), 2);

    // The admin gives the role back: the release now applies the case and
    // the note that waited on it, and it survives a lock and unlock.
    admin.set_role("Aibek", Role::Investigator).unwrap();
    let r = admin.release_quarantined(None, &genesis).unwrap();
    assert!(r.applied && r.changes_applied == 2, "{r:?}");
    let mut admin = reopen(admin);
    assert!(admin.quarantine().unwrap().is_empty());
    assert_eq!(admin.show_case(&case).unwrap().notes.len(), 1);
    let log = admin.audit_log(None).unwrap();
    let releases: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "sync.quarantine_release")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(releases.len(), 2, "{releases:?}");
    assert!(releases[0].contains("still quarantined (policy.denied)"));
    assert!(releases[1].contains("applied"));

    // The supervisor's device, which learnt of the role change first,
    // quarantined the same changes; it discards the first one: off its
    // list, audited, kept so across a lock and unlock.
    let rows = sup.quarantine().unwrap();
    assert_eq!(
        codes(&rows),
        ["policy.denied", "sync.depends_on_quarantined"]
    );
    let d = sup.discard_quarantined(None, &genesis).unwrap();
    assert_eq!(d.codes, ["policy.denied"]);
    let sup = reopen(sup);
    assert_eq!(
        codes(&sup.quarantine().unwrap()),
        ["sync.depends_on_quarantined"]
    );
    assert!(
        sup.audit_log(None)
            .unwrap()
            .iter()
            .any(|e| e.action == "sync.quarantine_discard" && e.detail.contains(&genesis))
    );
}

#[test]
fn a_change_no_longer_in_quarantine_is_refused_input() {
    let e = CoreError::Sync(sync::SyncError::NotQuarantined {
        change: "3e7c50c1".into(),
    });
    assert_eq!(e.code(), "sync.not_quarantined");
    assert_eq!(e.kind(), ErrorKind::Rejected);
}
