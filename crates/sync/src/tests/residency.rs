//! A replica that holds cases not in memory never exchanges on part of
//! what it holds: a case left out would be offered as missing, and a
//! peer's changes to it taken for a case this device lacks.

use automerge::AutoCommit;

use super::fixture::*;
use crate::bundle::{Limits, Recipient};
use crate::replica::Replica;
use crate::session::Session;

/// `r` as the core rebuilds it at unlock: every case named, none read.
fn unlocked(r: &mut Replica) -> (Replica, Vec<(String, AutoCommit)>) {
    let keys = crate::identity::DeviceKeys::from_bytes(&r.keys.to_secret_bytes());
    let team_keys: Vec<_> = r.team_keys().cloned().collect();
    let cases: Vec<(String, AutoCommit)> = r
        .cases
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let ids = cases.iter().map(|(k, _)| k.clone());
    let lazy = Replica::restore_unloaded(
        keys,
        r.team.automerge_mut().clone(),
        team_keys,
        ids,
        r.state(),
    )
    .unwrap();
    (lazy, cases)
}

#[test]
fn exchanges_refuse_until_every_case_and_signature_is_in_memory() {
    let mut t = team();
    let case = open_case(&mut t.inv_a, C1);
    send(&mut t.inv_a, &mut t.admin);
    let bundle = export_to(&mut t.inv_a, &t.admin);
    let signatures: Vec<_> = t.admin.signatures.iter().map(|(h, s)| (*h, *s)).collect();
    let (mut admin, cases) = unlocked(&mut t.admin);
    assert_eq!(admin.case_ids().collect::<Vec<_>>(), [&case]);
    assert_eq!(admin.loaded_count(), 0);

    let code = |e: crate::SyncError| e.code();
    let to = Recipient::AnyMember;
    assert_eq!(
        code(admin.export(&to, T0).unwrap_err()),
        "sync.not_resident"
    );
    let limits = Limits::default();
    assert_eq!(
        code(admin.import(&bundle, &limits).unwrap_err()),
        "sync.not_resident"
    );
    let device = t.inv_a.device();
    assert_eq!(
        code(admin.revoke(&device, None, T0).unwrap_err()),
        "sync.not_resident"
    );
    let mut session = Session::new(&admin, None, T0).unwrap();
    assert_eq!(
        code(session.poll(&mut admin).unwrap_err()),
        "sync.not_resident"
    );

    // Cases alone are not enough: a bundle carries signatures.
    for (id, doc) in cases {
        admin.load_case(&id, doc);
    }
    assert_eq!(
        code(admin.export(&to, T0).unwrap_err()),
        "sync.not_resident"
    );
    admin.load_signatures(signatures);
    admin.import(&bundle, &limits).unwrap();
    admin.export(&to, T0).unwrap();
}

#[test]
fn a_case_with_changes_not_yet_stored_stays_in_memory() {
    let mut t = team();
    let case = open_case(&mut t.inv_a, C1);
    let stored = t.inv_a.heads(&case).unwrap();
    add_victim(&mut t.inv_a, &case, "v1", "Not yet stored");
    assert!(!t.inv_a.unload_case(&case, &stored));
    assert!(t.inv_a.is_loaded(&case));
    let now = t.inv_a.heads(&case).unwrap();
    assert!(t.inv_a.unload_case(&case, &now));
    assert!(!t.inv_a.is_loaded(&case) && t.inv_a.holds_case(&case));
}
