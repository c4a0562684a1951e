//! Relays in the team document: an admin's addition reaches every device;
//! a member who is not an admin cannot add, repoint or remove one, even
//! with a raw change signed with its real device key; and teams founded
//! without relays still read as teams with none.

use automerge::ReadDoc;
use automerge::transaction::Transactable;

use super::fixture::*;
use crate::replica::Replica;
use crate::team::RelayEntry;
use crate::team::TEAM_DOC_ID;

const URL: &str = "wss://relay.example.org";

fn relay_key() -> String {
    "ab".repeat(32)
}

fn admin_adds_relay(admin: &mut Replica) {
    admin
        .edit_team(|team, keys| team.add_relay(keys, &relay_key(), URL, T0))
        .unwrap();
}

/// A modified client on `r`'s device writes the team document directly
/// and signs the result with the device's real key.
fn forge_team(r: &mut Replica, f: impl FnOnce(&mut automerge::AutoCommit)) {
    let before = r.heads(TEAM_DOC_ID).unwrap();
    let doc = r.team.automerge_mut();
    f(doc);
    doc.commit_with(at_t0());
    r.sign_new(TEAM_DOC_ID, &before).unwrap();
}

fn relays_map(doc: &mut automerge::AutoCommit) -> automerge::ObjId {
    match doc.get(automerge::ROOT, "relays").unwrap() {
        Some((_, id)) => id,
        None => doc
            .put_object(automerge::ROOT, "relays", automerge::ObjType::Map)
            .unwrap(),
    }
}

#[test]
fn an_admins_relay_reaches_every_device() {
    let mut t = team();
    admin_adds_relay(&mut t.admin);
    let report = send(&mut t.admin, &mut t.inv_a);
    assert!(report.quarantined.is_empty(), "{report:?}");
    let relays = t.inv_a.team().unwrap().relays;
    assert_eq!(relays[&relay_key()].url, URL);
    assert_eq!(relays[&relay_key()].added_by, member(&t.admin));
    // And its removal.
    assert!(
        t.admin
            .edit_team(|team, keys| team.remove_relay(keys, &relay_key(), T0))
            .unwrap()
    );
    let report = send(&mut t.admin, &mut t.inv_a);
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert!(t.inv_a.team().unwrap().relays.is_empty());
}

#[test]
fn a_member_who_is_not_an_admin_cannot_add_a_relay_with_the_team_api() {
    let mut t = team();
    send(&mut t.admin, &mut t.inv_a);
    let refused = t
        .inv_a
        .edit_team(|team, keys| team.add_relay(keys, &relay_key(), URL, T0))
        .unwrap_err();
    assert_eq!(refused.code(), "sync.denied");
}

/// The attacker, an investigator, adds a relay of its own to the team
/// document with raw Automerge (the map made too, as in a team that had
/// none) and signs it with its device key: every device refuses it.
#[test]
fn a_relay_a_member_who_is_not_an_admin_adds_is_quarantined() {
    let mut t = team();
    send(&mut t.admin, &mut t.inv_a);
    let by = member(&t.inv_a);
    forge_team(&mut t.inv_a, |doc| {
        let relays = relays_map(doc);
        autosurgeon::reconcile_prop(
            doc,
            &relays,
            "cd".repeat(32).as_str(),
            &RelayEntry {
                url: "wss://attacker.example.net".into(),
                added_at: T0,
                added_by: by,
            },
        )
        .unwrap();
    });
    let report = send(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes(&report), ["policy.denied"]);
    assert!(t.admin.team().unwrap().relays.is_empty());
    assert!(!t.admin.team.has_relays_map());
}

/// Repointing the admin's relay at another address, or removing it, is
/// refused the same way; the admin's entry stands.
#[test]
fn a_member_who_is_not_an_admin_cannot_repoint_or_remove_a_relay() {
    let mut t = team();
    admin_adds_relay(&mut t.admin);
    send(&mut t.admin, &mut t.inv_a);
    let mut other = copy_of(&mut t.inv_a);
    forge_team(&mut t.inv_a, |doc| {
        let relays = relays_map(doc);
        let (_, entry) = doc.get(&relays, relay_key().as_str()).unwrap().unwrap();
        doc.put(&entry, "url", "wss://attacker.example.net")
            .unwrap();
    });
    forge_team(&mut other, |doc| {
        let relays = relays_map(doc);
        doc.delete(&relays, relay_key().as_str()).unwrap();
    });
    for forger in [&mut t.inv_a, &mut other] {
        let report = send(forger, &mut t.admin);
        assert_eq!(codes(&report), ["policy.denied"]);
        assert_eq!(t.admin.team().unwrap().relays[&relay_key()].url, URL);
    }
}

/// A team is founded without a `relays` map, as before relays existed, so
/// that a device of an earlier version takes its first change; it reads
/// as a team with no relay, and the first relay added makes the map.
#[test]
fn a_team_without_relays_reads_as_one_with_none() {
    let mut t = team();
    assert!(!t.admin.team.has_relays_map());
    assert!(t.admin.team().unwrap().relays.is_empty());
    admin_adds_relay(&mut t.admin);
    assert!(t.admin.team.has_relays_map());
    let report = send(&mut t.admin, &mut t.prosecutor);
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert_eq!(t.prosecutor.team().unwrap().relays.len(), 1);
}
