//! Forged, foreign, revoked, over-reaching and damaged input: each refused
//! with its own code, and the receiving replica unchanged where the whole
//! bundle is refused.

use caravan_model::Role;

use super::fixture::*;
use crate::bundle::{Limits, Recipient};
use crate::identity::DeviceKeys;
use crate::replica::Replica;

fn heads_of(r: &mut Replica) -> Vec<Vec<automerge::ChangeHash>> {
    let ids: Vec<String> = std::iter::once("team".to_string())
        .chain(r.cases.keys().cloned())
        .collect();
    ids.iter().map(|id| r.heads(id).unwrap()).collect()
}

/// The code of `r`'s refusal of a whole `bundle`, once `r`'s documents
/// are checked unchanged by it.
fn refused_whole(r: &mut Replica, bundle: &[u8]) -> &'static str {
    let before = heads_of(r);
    let code = r.import(bundle, &Limits::default()).unwrap_err().code();
    assert_eq!(heads_of(r), before, "refused with {code}, and changed");
    code
}

fn quarantine_codes(from: &mut Replica, to: &mut Replica) -> Vec<String> {
    let report = send(from, to);
    report.quarantined.iter().map(|q| q.code.clone()).collect()
}

#[test]
fn prosecutor_editing_evidence_is_quarantined() {
    let (mut t, c1) = shared();
    let phone = phone(&member(&t.inv_a));
    t.inv_a
        .edit_case(
            &c1,
            caravan_model::Edit::Insert {
                id: "e1".into(),
                record: caravan_model::Record::Evidence(phone),
            },
            T0,
            catalog(),
        )
        .unwrap();
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.admin, &mut t.prosecutor);
    forge(&mut t.prosecutor, &c1, |d| {
        put(d, &["evidence", "e1", "seal_number"], "S-999")
    });
    let codes = quarantine_codes(&mut t.prosecutor, &mut t.admin);
    assert_eq!(codes, ["policy.denied"]);
    let case = case_of(&t.admin, &c1);
    assert_eq!(
        case.evidence["e1"].seal_number.as_deref(),
        Some("S-1"),
        "nothing of it was applied"
    );
    assert_eq!(t.admin.quarantine().len(), 1);
}

#[test]
fn prosecutor_editing_a_victims_record_is_quarantined() {
    let (mut t, c1) = shared();
    prosecutor_renames_v1(&mut t, &c1, "changed by prosecutor");
    let codes = quarantine_codes(&mut t.prosecutor, &mut t.admin);
    assert_eq!(codes, ["policy.denied"]);
    assert_eq!(case_of(&t.admin, &c1).victims["v1"].pseudonym, "V-v1");
}

#[test]
fn investigator_signing_off_a_gate_is_quarantined_with_what_depends_on_it() {
    let (mut t, c1) = shared();
    let approval = caravan_model::Approval {
        stage: Some(caravan_model::Stage::Identification),
        subject: "self-approved".into(),
        decision: caravan_model::Decision::Approved,
        comment: None,
        by: member(&t.inv_a),
        at: T0,
    };
    forge(&mut t.inv_a, &c1, |d| {
        use automerge::ReadDoc;
        let (_, approvals) = d.get(automerge::ROOT, "approvals").unwrap().unwrap();
        autosurgeon::reconcile_prop(d, &approvals, "fake", &approval).unwrap();
    });
    // A valid edit on top of the forged one cannot be applied without it.
    add_victim(&mut t.inv_a, &c1, "v9", "Later");
    let codes = quarantine_codes(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes, ["policy.denied", "sync.depends_on_quarantined"]);
    assert!(case_of(&t.admin, &c1).approvals.is_empty());
}

#[test]
fn forged_signature_is_quarantined() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "v2", "Other");
    let head = t.inv_a.heads(&c1).unwrap()[0];
    t.inv_a.signatures.insert(head, [7u8; 64]);
    let codes = quarantine_codes(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes, ["sync.bad_change_signature"]);
}

#[test]
fn change_under_another_devices_actor_is_quarantined() {
    let (mut t, c1) = shared();
    let a_actor = t.inv_a.device().actor();
    forge(&mut t.inv_b, &c1, |d| {
        d.set_actor(a_actor.clone());
        put(d, &["victims", "v1", "pseudonym"], "pretending to be A");
    });
    // Signed by B's key (the forge helper signs only its own actor's changes),
    // so B signs it explicitly as it would have to.
    let hash = t.inv_b.heads(&c1).unwrap()[0];
    let sig = sign_as(&t.inv_b, &c1, &hash);
    t.inv_b.signatures.insert(hash, sig);
    let codes = quarantine_codes(&mut t.inv_b, &mut t.admin);
    assert_eq!(codes, ["sync.bad_change_signature"]);
}

#[test]
fn change_by_a_non_member_relayed_by_a_member_is_quarantined() {
    let (mut t, c1) = shared();
    let outsider = DeviceKeys::generate().unwrap();
    let team_id = t.inv_a.team_id;
    let doc = t.inv_a.cases.get_mut(&c1).unwrap();
    let mut fork = doc.fork().with_actor(outsider.id().actor());
    put(&mut fork, &["victims", "v1", "pseudonym"], "outsider");
    fork.commit();
    let change = fork.get_last_local_change().unwrap();
    doc.apply_changes([change.clone()]).unwrap();
    t.inv_a.signatures.insert(
        change.hash(),
        outsider.sign(&crate::trust::change_message(&team_id, &c1, &change.hash())),
    );
    let codes = quarantine_codes(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes, ["sync.unknown_device"]);
}

#[test]
fn revoked_device_is_cut_off() {
    let (mut t, c1) = shared();
    revoke_b_then_b_writes(&mut t, &c1);
    // Its own bundles are refused whole, under the old key too.
    let from_b = t.inv_b.export(&Recipient::AnyMember, T0).unwrap();
    assert_eq!(refused_whole(&mut t.admin, &from_b), "sync.sender_revoked");
    // Relayed by a member who has not heard of the revocation, its new change is quarantined.
    let report = send(&mut t.inv_b, &mut t.inv_a);
    assert_eq!(report.applied, 1);
    let codes = quarantine_codes(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes, ["sync.revoked_device"]);
    // New bundles use a key B does not have.
    let fresh = t.admin.export(&Recipient::AnyMember, T0).unwrap();
    assert_eq!(refused_whole(&mut t.inv_b, &fresh), "sync.unreadable");
    // Everyone else picks up the new key from the bundle itself.
    let to_p = export_to(&mut t.admin, &t.prosecutor);
    t.prosecutor.import(&to_p, &Limits::default()).unwrap();
    let epoch = t.admin.team().unwrap().current_epoch();
    assert_eq!(epoch, 2);
    assert!(t.prosecutor.team_key(2).is_some());
}

#[test]
fn bundle_for_another_team_is_refused() {
    let (mut t, _) = shared();
    let mut other = other_team();
    let bundle = other.export(&Recipient::AnyMember, T0).unwrap();
    assert_eq!(refused_whole(&mut t.admin, &bundle), "sync.wrong_team");
}

#[test]
fn every_flipped_byte_and_every_truncation_is_refused_and_changes_nothing() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "v3", "Flip");
    let bundle = export_to(&mut t.inv_a, &t.admin);
    let before = heads_of(&mut t.admin);
    let limits = Limits::default();
    for i in 0..bundle.len() {
        let mut bad = bundle.clone();
        bad[i] ^= 0x01;
        let err = t
            .admin
            .import(&bad, &limits)
            .expect_err(&format!("flip at {i} was accepted"));
        assert!(
            [
                "sync.bad_signature",
                "sync.not_a_bundle",
                "sync.malformed",
                "sync.truncated",
                "sync.too_large",
                "sync.future_version",
                "sync.wrong_team",
                "sync.no_key",
                "sync.unreadable",
                "sync.old_format",
                "sync.unknown_sender"
            ]
            .contains(&err.code()),
            "flip at {i}: {}",
            err.code()
        );
    }
    for len in (0..bundle.len()).step_by(7).chain([bundle.len() - 1]) {
        let err = t.admin.import(&bundle[..len], &limits).unwrap_err();
        assert!(
            ["sync.truncated", "sync.not_a_bundle", "sync.malformed"].contains(&err.code()),
            "cut at {len}: {}",
            err.code()
        );
    }
    assert_eq!(heads_of(&mut t.admin), before);
    assert!(t.admin.quarantine().is_empty());
    // The intact bundle still imports.
    assert_eq!(t.admin.import(&bundle, &limits).unwrap().applied, 1);
}

#[test]
fn oversized_and_future_bundles_are_refused_before_reading() {
    let (mut t, _) = shared();
    let bundle = t.inv_a.export(&Recipient::AnyMember, T0).unwrap();
    let mut huge = bundle.clone();
    huge[10..14].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(refused_whole(&mut t.admin, &huge), "sync.too_large");
    let mut future = bundle.clone();
    future[8..10].copy_from_slice(&4u16.to_be_bytes());
    let err = t.admin.import(&future, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sync.future_version");
    assert_eq!(
        err.to_string(),
        "this bundle was written by a newer version of Caravan (format 4); update Caravan to read it"
    );
    // A bundle of the format that sealed every case under the team key is
    // not read, whoever sent it.
    let mut older = bundle.clone();
    older[8..10].copy_from_slice(&1u16.to_be_bytes());
    let err = t.admin.import(&older, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sync.old_format");
    assert_eq!(
        t.admin
            .import(b"PK\x03\x04 a zip file", &Limits::default())
            .unwrap_err()
            .code(),
        "sync.not_a_bundle"
    );
}

#[test]
fn replayed_bundle_is_a_harmless_no_op() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "v4", "Replay");
    let bundle = export_to(&mut t.inv_a, &t.admin);
    let first = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(first.applied, 1);
    let heads = heads_of(&mut t.admin);
    let again = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(
        (again.applied, again.held, again.quarantined.len()),
        (0, 0, 0)
    );
    assert!(again.already_had >= 1);
    assert_eq!(heads_of(&mut t.admin), heads);
}

#[test]
fn join_package_opens_only_on_its_device() {
    let mut t = team();
    let keys = DeviceKeys::generate().unwrap();
    let request = crate::join::JoinRequest::new(&keys, "New investigator", "tablet");
    let package = t.admin.approve(&request, Role::Investigator, T0).unwrap();
    let thief = DeviceKeys::generate().unwrap();
    assert_eq!(
        Replica::accept(thief, &package, &t.admin.team_id().into())
            .unwrap_err()
            .code(),
        "sync.not_for_this_device"
    );
    let mut flipped = package.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 1;
    assert_eq!(
        Replica::accept(
            DeviceKeys::from_bytes(&keys.to_secret_bytes()),
            &flipped,
            &t.admin.team_id().into()
        )
        .unwrap_err()
        .code(),
        "sync.bad_signature"
    );
    let wrong_team = crate::team::TeamId([9; 16]);
    assert_eq!(
        Replica::accept(
            DeviceKeys::from_bytes(&keys.to_secret_bytes()),
            &package,
            &wrong_team.into()
        )
        .unwrap_err()
        .code(),
        "sync.wrong_team"
    );
    let joined = Replica::accept(keys, &package, &t.admin.team_id().into()).unwrap();
    assert_eq!(joined.me().unwrap().1, Role::Investigator);
    // A tampered request text is refused.
    let text = request.to_text();
    let tampered = text.replace("CARAVAN-JOIN1:", "CARAVAN-JOIN1:00");
    assert!(crate::join::JoinRequest::from_text(&tampered).is_err());
    assert!(crate::join::JoinRequest::from_text("hello").is_err());
}

#[test]
fn an_authors_signature_of_a_later_change_vouches_for_what_it_builds_on() {
    let (mut t, c1) = shared();
    for n in 0..3 {
        add_victim(&mut t.inv_a, &c1, &format!("s{n}"), "Signed");
    }
    // Damage A's stored signature of the middle change: only the newest
    // change's signature travels, and it vouches for the middle one, whose
    // junk is never sent nor stored.
    let mut doc = t.inv_a.cases[&c1].clone();
    let newest = t.inv_a.heads(&c1).unwrap()[0];
    let middle = doc.get_change_by_hash(&newest).unwrap().deps()[0];
    t.inv_a.signatures.insert(middle, [1u8; 64]);
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!((report.applied, report.quarantined.len()), (3, 0));
    assert!(!t.admin.signatures.contains_key(&middle));
    assert!(t.admin.signatures.contains_key(&newest));

    // Damage the newest instead: nothing vouches for A's three changes,
    // and all are refused as unsigned until A's signature arrives.
    let (mut t, c1) = shared();
    for n in 0..3 {
        add_victim(&mut t.inv_a, &c1, &format!("s{n}"), "Signed");
    }
    let newest = t.inv_a.heads(&c1).unwrap()[0];
    let genuine = t.inv_a.signatures.insert(newest, [1u8; 64]).unwrap();
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!(report.applied, 0);
    assert_eq!(codes(&report), ["sync.bad_change_signature"; 3]);
    t.inv_a.signatures.insert(newest, genuine);
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!((report.applied, report.quarantined.len()), (3, 0));
    assert!(t.admin.quarantine().is_empty());
}

#[test]
fn a_change_under_this_devices_own_actor_is_refused() {
    let (mut t, c1) = shared();
    // A copy of the admin's keys (e.g. a cloned disk) writes a change the
    // admin's device never made, and a member carries it back.
    let admin_actor = t.admin.device().actor();
    let doc = t.inv_a.cases.get_mut(&c1).unwrap();
    let mut twin = doc.fork().with_actor(admin_actor);
    put(&mut twin, &["header", "title"], "written by a clone");
    twin.commit();
    let change = twin.get_last_local_change().unwrap();
    doc.apply_changes([change.clone()]).unwrap();
    let sig = sign_as(&t.admin, &c1, &change.hash());
    t.inv_a.signatures.insert(change.hash(), sig);
    let codes = quarantine_codes(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes, ["sync.own_actor_forged"]);
}
