//! Finding 3 of the trust review: a member could put keys of future
//! epochs into a bundle header or a session Hello; the receiver kept them,
//! and after the admin revoked that member and rotated, the receiver held
//! the member's key for the new epoch. Each test crafts what a modified
//! client sends, signed with the member's real device key.

use std::collections::BTreeMap;

use automerge::ReadDoc;

use super::fixture::*;
use super::session::{pump, sync};
use crate::bundle::{Limits, Recipient, offer, open_meta, parse};
use crate::identity::PublicDevice;
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::session::Session;
use crate::team::{KeyEpoch, TEAM_DOC_ID, epoch_key};

/// Every document's heads, the held and quarantined changes and the keys:
/// what a refused input must leave as it was.
fn snapshot(r: &mut Replica) -> (Vec<Vec<automerge::ChangeHash>>, usize, usize, Vec<u32>) {
    let heads = r.doc_ids().iter().map(|id| r.heads(id).unwrap()).collect();
    let epochs = r.team_keys.keys().copied().collect();
    (heads, r.held.len(), r.quarantine.len(), epochs)
}

/// `bundle`, written by `sender`, opened with the sender's own key and
/// sealed again under `key`, its meta naming `key`'s epoch and its header
/// offering `key` to the devices `to`: what a modified client can send,
/// signed with its real key.
fn reseal(sender: &mut Replica, bundle: &[u8], key: &TeamKey, to: &[PublicDevice]) -> Vec<u8> {
    let (mut meta, _, docs) = sender.open_docs(bundle);
    meta.epoch = key.epoch;
    let offers = to
        .iter()
        .map(|d| serde_bytes::ByteBuf::from(offer(&sender.team_id, key, d).unwrap()))
        .collect();
    sender.seal_docs(&meta, docs, key, offers)
}

/// Whether `key` reads `bundle`.
fn opens(key: &TeamKey, bundle: &[u8]) -> bool {
    let parsed = parse(bundle, &Limits::default()).unwrap();
    open_meta(&parsed.header.team_id, &parsed.header.meta, key).is_some()
}

/// A modified client's `epoch`: an entry in its own copy of the team
/// document with a key of its choosing sealed to `to` and to itself, signed
/// as its own change, and the key held. Its ordinary session code then
/// speaks under that epoch and offers the key in its Hello.
fn plant_epoch(attacker: &mut Replica, to: &Replica, epoch: u32) -> TeamKey {
    let key = TeamKey::generate(epoch).unwrap();
    let mut wraps = BTreeMap::new();
    for device in [to.keys.public(), attacker.keys.public()] {
        wraps.insert(
            device.id.to_hex(),
            hex::encode(key.seal_for(&device).unwrap()),
        );
    }
    let by = member(attacker);
    let before = attacker.heads(TEAM_DOC_ID).unwrap();
    let doc = attacker.team.automerge_mut();
    let (_, epochs) = doc.get(automerge::ROOT, "key_epochs").unwrap().unwrap();
    autosurgeon::reconcile_prop(
        doc,
        &epochs,
        epoch_key(epoch).as_str(),
        &KeyEpoch {
            created_at: T0,
            created_by: by,
            wraps,
        },
    )
    .unwrap();
    doc.commit();
    attacker.sign_new(TEAM_DOC_ID, &before).unwrap();
    attacker.team_keys.insert(epoch, key.clone());
    key
}

/// A team where investigator B may see the case investigator A opened.
fn shared() -> (Team, String) {
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", "Name");
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    send(&mut t.admin, &mut t.inv_b);
    (t, c1)
}

/// `shared`, after the admin rotated the team key and told A, not B.
fn b_missed_a_rotation() -> Team {
    let (mut t, _) = shared();
    t.admin.rotate(T0).unwrap();
    send(&mut t.admin, &mut t.inv_a);
    assert!(t.inv_b.team_key(2).is_none(), "B missed the rotation");
    t
}

#[test]
fn finding_3_a_future_key_planted_in_a_bundle_header_is_never_kept_or_used() {
    let (mut t, c1) = shared();
    // A seals a key of its choosing for epoch 2, which does not exist yet,
    // to B, and encrypts its bundle under it.
    let planted = TeamKey::generate(2).unwrap();
    let to_b = Recipient::Member(member(&t.inv_b));
    let honest = t.inv_a.export(&to_b, T0).unwrap();
    let bundle = reseal(&mut t.inv_a, &honest, &planted, &[t.inv_b.keys.public()]);
    // The key reads this bundle and nothing more: its changes, judged like
    // any others, arrive; the key is not kept.
    let report = t.inv_b.import(&bundle, &Limits::default()).unwrap();
    assert!(report.quarantined.is_empty());
    assert_eq!(case_of(&t.inv_b, &c1).victims.len(), 1);
    assert!(t.inv_b.team_key(2).is_none(), "the planted key was kept");
    assert_eq!(t.inv_b.team().unwrap().current_epoch(), 1);

    // The admin revokes A, which rotates the team key.
    let a = t.inv_a.device();
    t.admin
        .revoke(&a, Some("device seized".into()), T0)
        .unwrap();
    send(&mut t.admin, &mut t.inv_b);
    let admins = t.admin.team_key(2).unwrap().clone();
    assert!(
        t.inv_b.team_key(2).unwrap().same_key(&admins),
        "B's key for the new epoch is the admin's"
    );
    // What B writes now is under the admin's key: A's key does not open it.
    let from_b = t.inv_b.export(&Recipient::AnyMember, T0).unwrap();
    assert_eq!(t.inv_b.open_docs(&from_b).0.epoch, 2);
    assert!(opens(&admins, &from_b));
    assert!(!opens(&planted, &from_b));

    // A's new work under its planted key is refused, and nothing of it
    // kept: B knows A is revoked, so the bundle is refused on its sender
    // before its body is read with any key.
    add_victim(&mut t.inv_a, &c1, "v9", "After revocation");
    let later = t.inv_a.export(&to_b, T0).unwrap();
    let bundle = reseal(&mut t.inv_a, &later, &planted, &[t.inv_b.keys.public()]);
    let before = snapshot(&mut t.inv_b);
    let err = t.inv_b.import(&bundle, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sync.sender_revoked");
    assert_eq!(snapshot(&mut t.inv_b), before);
    assert!(t.inv_b.team_key(2).unwrap().same_key(&admins));
    assert_eq!(case_of(&t.inv_b, &c1).victims.len(), 1);
}

#[test]
fn finding_3_a_future_key_planted_in_a_session_hello_is_never_kept_or_used() {
    let (mut t, c1) = shared();
    send(&mut t.inv_a, &mut t.admin);
    // A's client invents epoch 2 in its own team document, with its key
    // sealed to B, and syncs with B: its Hello offers that key and every
    // frame it sends is sealed under it.
    let planted = plant_epoch(&mut t.inv_a, &t.inv_b, 2);
    add_victim(&mut t.inv_a, &c1, "v2", "Second");
    let (_, at_b) = sync(&mut t.inv_a, &mut t.inv_b);
    // B read the session; A's own epoch entry is an investigator writing
    // the team's keys, quarantined like any such change; A's case work,
    // judged like any other, arrived; the key was not kept.
    let codes: Vec<&str> = at_b.quarantined.iter().map(|q| q.code.as_str()).collect();
    assert_eq!(codes, ["policy.denied"]);
    assert_eq!(case_of(&t.inv_b, &c1).victims.len(), 2);
    assert!(t.inv_b.team_key(2).is_none(), "the planted key was kept");
    assert_eq!(t.inv_b.team().unwrap().current_epoch(), 1);

    // The admin revokes A and rotates; B learns of it in a session.
    let a = t.inv_a.device();
    t.admin.revoke(&a, None, T0).unwrap();
    sync(&mut t.admin, &mut t.inv_b);
    let admins = t.admin.team_key(2).unwrap().clone();
    assert!(
        t.inv_b.team_key(2).unwrap().same_key(&admins),
        "B's key for the new epoch is the admin's"
    );

    // A comes back speaking under its planted key: B refuses it, and A's
    // key cannot read what B says now.
    let mut sa = Session::new(&t.inv_a, None, T0).unwrap();
    let mut sb = Session::new(&t.inv_b, None, T0).unwrap();
    let hello_a = sa.poll(&mut t.inv_a).unwrap().unwrap();
    let hello_b = sb.poll(&mut t.inv_b).unwrap().unwrap();
    let before = snapshot(&mut t.inv_b);
    let err = sb.receive(&mut t.inv_b, &hello_a).unwrap_err();
    assert_eq!(err.code(), "sync.sender_revoked");
    assert_eq!(snapshot(&mut t.inv_b), before);
    assert!(t.inv_b.team_key(2).unwrap().same_key(&admins));
    assert!(t.inv_a.team_key(2).unwrap().same_key(&planted));
    let err = sa.receive(&mut t.inv_a, &hello_b).unwrap_err();
    assert_eq!(err.code(), "sync.bad_signature", "A cannot read B");
}

#[test]
fn finding_3_a_planted_key_for_an_existing_epoch_in_a_session_is_refused() {
    let mut t = b_missed_a_rotation();
    // A, still a member, rewrites epoch 2 in its copy of the team document
    // with a key of its own sealed to B, and syncs with B under it.
    let planted = plant_epoch(&mut t.inv_a, &t.inv_b, 2);
    let mut sa = Session::new(&t.inv_a, None, T0).unwrap();
    let mut sb = Session::new(&t.inv_b, None, T0).unwrap();
    let before = snapshot(&mut t.inv_b);
    let (side, err) = pump(&mut t.inv_a, &mut sa, &mut t.inv_b, &mut sb).unwrap_err();
    // The rotation that arrives in the session seals another key to B.
    assert_eq!((side, err.code()), ('b', "sync.forged_key"));
    // Nothing of the refused frame was kept. An earlier frame may have
    // left changes held for dependencies it lacked (when a Bloom filter
    // kept back the change they build on): they are judged when those
    // arrive, below.
    let (heads, _, quarantined, keys) = snapshot(&mut t.inv_b);
    let (heads_before, _, quarantined_before, keys_before) = before;
    assert_eq!(
        (heads, quarantined, keys),
        (heads_before, quarantined_before, keys_before),
        "nothing of it was kept"
    );
    assert!(t.inv_b.team_key(2).is_none());
    assert!(!planted.same_key(t.admin.team_key(2).unwrap()));
    // Nothing valid is lost: the admin's session brings the rotation.
    sync(&mut t.admin, &mut t.inv_b);
    assert!(
        t.inv_b
            .team_key(2)
            .unwrap()
            .same_key(t.admin.team_key(2).unwrap())
    );
    assert!(t.inv_b.held().is_empty(), "every held change was judged");
}

#[test]
fn finding_3_a_planted_key_for_an_existing_epoch_that_opens_to_another_key_is_refused() {
    let mut t = b_missed_a_rotation();
    // A relays the rotation to B, but seals another key for epoch 2 to B
    // and encrypts under it.
    let to_b = Recipient::Member(member(&t.inv_b));
    let honest = t.inv_a.export(&to_b, T0).unwrap();
    let planted = TeamKey::generate(2).unwrap();
    let bundle = reseal(&mut t.inv_a, &honest, &planted, &[t.inv_b.keys.public()]);
    let before = snapshot(&mut t.inv_b);
    let err = t.inv_b.import(&bundle, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sync.forged_key");
    assert_eq!(snapshot(&mut t.inv_b), before, "nothing of it was kept");
    assert!(t.inv_b.team_key(2).is_none());

    // Nothing valid is lost: the honest bundle lands, with the admin's key.
    t.inv_b.import(&honest, &Limits::default()).unwrap();
    let admins = t.admin.team_key(2).unwrap();
    assert!(t.inv_b.team_key(2).unwrap().same_key(admins));
    // A's bundle also carried the case keys A sealed for B.
    send(&mut t.inv_a, &mut t.admin);
    assert_eq!(t.inv_b.heads(TEAM_DOC_ID), t.admin.heads(TEAM_DOC_ID));
}

#[test]
fn finding_3_a_key_planted_before_keys_were_judged_is_dropped_at_unlock() {
    let (mut t, _) = shared();
    // What a vault written before this check may hold: A's key for epoch
    // 2, taken from a bundle header before the epoch existed.
    let planted = TeamKey::generate(2).unwrap();
    let restore = |r: &mut Replica, epoch_2: &TeamKey| {
        let keys = vec![r.team_key(1).unwrap().clone(), epoch_2.clone()];
        Replica::restore(
            crate::identity::DeviceKeys::from_bytes(&r.keys.to_secret_bytes()),
            r.team.automerge().clone(),
            keys,
            r.cases.clone(),
            r.signatures.clone(),
            r.state(),
        )
        .unwrap()
    };
    let b = restore(&mut t.inv_b, &planted);
    assert!(
        b.team_key(2).is_none(),
        "an epoch the team lacks is dropped"
    );
    assert!(
        b.team_key(1)
            .unwrap()
            .same_key(t.admin.team_key(1).unwrap())
    );

    let a = t.inv_a.device();
    t.admin.revoke(&a, None, T0).unwrap();
    send(&mut t.admin, &mut t.inv_b);
    let b = restore(&mut t.inv_b, &planted);
    assert!(
        b.team_key(2)
            .unwrap()
            .same_key(t.admin.team_key(2).unwrap()),
        "the key the team document seals to B replaces the planted one"
    );
}

#[test]
fn two_admins_rotating_at_once_is_not_taken_for_a_planted_key() {
    let (mut t, _) = shared();
    let mut admin_2 = enrol(&mut t.admin, "Second admin", caravan_model::Role::Admin);
    send(&mut t.admin, &mut t.inv_a);
    send(&mut t.admin, &mut admin_2);
    // Both admins rotate offline: two different keys for epoch 2.
    t.admin.rotate(T0).unwrap();
    admin_2.rotate(T0).unwrap();
    assert!(
        !t.admin
            .team_key(2)
            .unwrap()
            .same_key(admin_2.team_key(2).unwrap())
    );
    // A hears from one admin, then from the other: neither bundle is
    // refused, whichever key A held when the second arrived.
    send(&mut t.admin, &mut t.inv_a);
    let report = send(&mut admin_2, &mut t.inv_a);
    assert!(report.quarantined.is_empty());
    // Every device settles on the key the merged team document shows.
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.inv_a, &mut admin_2);
    let a = t.inv_a.team_key(2).unwrap();
    assert!(a.same_key(t.admin.team_key(2).unwrap()));
    assert!(a.same_key(admin_2.team_key(2).unwrap()));
    let from_a = t.inv_a.export(&Recipient::AnyMember, T0).unwrap();
    assert!(opens(t.admin.team_key(2).unwrap(), &from_a));
}
