//! The relay roster: made from the team document by an admin's device,
//! refused when signed by anyone else or altered after signing.

use super::fixture::*;
use crate::identity::DeviceKeys;
use crate::roster::{MAX_MEMBER_ID, Roster, RosterDevice, RosterError, SignedRoster};

const RELAY: [u8; 32] = [7; 32];

#[test]
fn lists_every_active_device_with_its_member_and_admin_flag() {
    let t = team();
    let signed = t.admin.signed_roster(RELAY, T0 + 5).unwrap();
    let roster = signed.open().unwrap();
    assert_eq!(roster.team_id, t.admin.team_id().0);
    assert_eq!(roster.relay_key, RELAY);
    assert_eq!(roster.version, (T0 + 5) as u64);
    assert_eq!(roster.devices.len(), 4);
    let admin = roster.device(&t.admin.device().0).unwrap();
    assert!(admin.admin);
    assert_eq!(admin.member, member(&t.admin));
    let inv = roster.device(&t.inv_a.device().0).unwrap();
    assert!(!inv.admin);
    assert_eq!(inv.member, member(&t.inv_a));
    // A later roster has a higher version.
    let later = t
        .admin
        .signed_roster(RELAY, T0 + 6)
        .unwrap()
        .open()
        .unwrap();
    assert!(later.version > roster.version);
}

#[test]
fn a_revoked_device_is_left_out() {
    let mut t = team();
    let gone = t.inv_b.device();
    t.admin.revoke(&gone, None, T0 + 1).unwrap();
    let roster = t
        .admin
        .signed_roster(RELAY, T0 + 2)
        .unwrap()
        .open()
        .unwrap();
    assert!(roster.device(&gone.0).is_none());
    assert_eq!(roster.devices.len(), 3);
}

#[test]
fn a_non_admin_device_makes_no_roster() {
    let t = team();
    let err = t.inv_a.signed_roster(RELAY, T0).unwrap_err();
    assert_eq!(err.code(), "sync.denied");
}

#[test]
fn attacker_a_roster_signed_by_a_non_admin_is_refused() {
    // A modified client of an investigator signs a roster that names its
    // own device as the admin's: it is not an admin in the roster it was
    // given, so it lists itself as one. Only a roster that keeps the real
    // flags survives `open`, and then the signer is no admin.
    let t = team();
    let mut roster = t.admin.signed_roster(RELAY, T0).unwrap().open().unwrap();
    let honest_flags = SignedRoster::sign(&roster, t.inv_a.keys());
    assert!(matches!(
        honest_flags.open(),
        Err(RosterError::SignerNotAdmin)
    ));
    // Listing itself as admin passes `open` (the roster is consistent);
    // the relay refuses it because the roster it holds does not list the
    // signer as an admin (checked there).
    for d in &mut roster.devices {
        d.admin = d.device == t.inv_a.device().0;
    }
    let forged = SignedRoster::sign(&roster, t.inv_a.keys());
    let opened = forged.open().unwrap();
    let held = t.admin.signed_roster(RELAY, T0).unwrap().open().unwrap();
    assert!(!held.is_admin(&forged.signer));
    assert!(opened.is_admin(&forged.signer));
}

#[test]
fn attacker_a_roster_altered_after_signing_is_refused() {
    let t = team();
    let signed = t.admin.signed_roster(RELAY, T0).unwrap();
    // Flip each byte of the body in turn: none passes.
    for i in 0..signed.body.len() {
        let mut bad = signed.clone();
        bad.body[i] ^= 0x01;
        assert!(
            matches!(bad.open(), Err(RosterError::BadSignature)),
            "byte {i}"
        );
    }
    let mut bad = signed.clone();
    bad.signature[3] ^= 0x80;
    assert!(matches!(bad.open(), Err(RosterError::BadSignature)));
    // Another admin-looking key claiming the signature.
    let mut bad = signed.clone();
    bad.signer = DeviceKeys::generate().unwrap().id().0;
    assert!(matches!(bad.open(), Err(RosterError::BadSignature)));
}

#[test]
fn bounds_are_checked_after_the_signature() {
    let keys = DeviceKeys::generate().unwrap();
    let mut roster = Roster {
        team_id: [1; 16],
        version: 1,
        issued_at: 1,
        relay_key: RELAY,
        devices: vec![RosterDevice {
            device: keys.id().0,
            member: "m".repeat(MAX_MEMBER_ID + 1),
            admin: true,
        }],
    };
    let err = SignedRoster::sign(&roster, &keys).open().unwrap_err();
    assert_eq!(err.code(), "roster.malformed");
    roster.devices[0].member = "m".into();
    roster.devices.push(roster.devices[0].clone());
    let err = SignedRoster::sign(&roster, &keys).open().unwrap_err();
    assert_eq!(err.code(), "roster.malformed");
    // Trailing bytes and garbage, signed, are malformed; never a panic.
    let mut signed = SignedRoster::sign(&roster, &keys);
    signed.body.push(0);
    signed.signature = keys.sign(&[crate::roster::ROSTER_CONTEXT, &signed.body].concat());
    assert_eq!(signed.open().unwrap_err().code(), "roster.malformed");
    let body = vec![0xff; 64];
    let garbage = SignedRoster {
        signature: keys.sign(&[crate::roster::ROSTER_CONTEXT, &body].concat()),
        body,
        signer: keys.id().0,
    };
    assert_eq!(garbage.open().unwrap_err().code(), "roster.malformed");
}

#[test]
fn a_huge_device_count_is_refused_without_allocating_it() {
    let keys = DeviceKeys::generate().unwrap();
    // The header, then a device count of 2^32: postcard would otherwise
    // try to read that many entries.
    let mut body = Vec::new();
    body.extend_from_slice(&[0u8; 16]);
    body.extend_from_slice(&[1, 1]);
    body.extend_from_slice(&[0u8; 32]);
    body.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x10]);
    let signed = SignedRoster {
        signature: keys.sign(&[crate::roster::ROSTER_CONTEXT, &body].concat()),
        body,
        signer: keys.id().0,
    };
    assert_eq!(signed.open().unwrap_err().code(), "roster.malformed");
}
