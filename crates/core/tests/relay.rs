//! Relays: admins pin them in the team document; envelopes go out for
//! each member with something new, count as sent only once the relay
//! confirms them, and come in with a durable cursor that a bad envelope
//! never blocks.

use caravan_core::model::Role;
use caravan_core::*;

use crate::util::*;

const KEY: &str = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e";

/// An admin and an investigator who both know the team's relay.
fn with_relay(dir: &std::path::Path) -> (Workspace, Workspace) {
    let (mut admin, mut inv) = admin_and_investigator(dir);
    admin.add_relay("relay.example.org:8443", KEY).unwrap();
    swap(&mut admin, &mut inv);
    (admin, inv)
}

fn imported(r: RelayReceipt) -> exchange::ImportSummary {
    match r {
        RelayReceipt::Imported { summary, .. } => summary,
        RelayReceipt::Skipped { code, .. } => panic!("skipped: {code}"),
    }
}

#[test]
fn admins_pin_relays_and_every_device_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = with_relay(dir.path());
    let relays = inv.relays().unwrap();
    assert_eq!(relays.len(), 1);
    assert_eq!(relays[0].url, "wss://relay.example.org:8443");
    assert_eq!(relays[0].added_by_name, "Saule");
    assert_eq!(relays[0].last_sync_ms, None);

    let e = inv.add_relay("wss://mine.example.net", &"77".repeat(32));
    assert_eq!(e.unwrap_err().code(), "core.denied");
    assert_eq!(inv.remove_relay(KEY).unwrap_err().code(), "core.denied");
    for (url, key) in [
        ("https://relay.example.org", KEY),
        ("relay.example.org", KEY),
        ("wss://user:pw@relay.example.org", KEY),
        ("relay.example.org:99999", KEY),
        ("wss://relay.example.org", &"00".repeat(32)),
        ("wss://relay.example.org", &"zz".repeat(32)),
        ("wss://relay.example.org", "abcd"),
    ] {
        let e = admin.add_relay(url, key).unwrap_err();
        assert_eq!(e.code(), "core.invalid", "{url} {key}");
    }
    let view = admin
        .add_relay("WS://10.0.0.5:9000/caravan", &KEY.to_uppercase())
        .unwrap();
    assert_eq!(view.url, "ws://10.0.0.5:9000/caravan", "a new address");
    assert_eq!(view.key, KEY);
    admin.remove_relay(KEY).unwrap();
    assert!(admin.relays().unwrap().is_empty());
    assert_eq!(
        admin.remove_relay(KEY).unwrap_err().code(),
        "core.not_found"
    );
    assert_eq!(
        admin.relay_outbox(KEY).unwrap_err().code(),
        "core.not_found"
    );
}

/// An upload the relay did not confirm records nothing: the next outbox
/// writes the envelope again. Once confirmed, a member with nothing new
/// gets nothing, until there is something new.
#[test]
fn an_envelope_counts_as_sent_only_once_the_relay_stored_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = with_relay(dir.path());
    let admin_member = admin.me().unwrap().0;
    let case = open_case(&mut inv, "KZ-1", "Relayed");

    let first = inv.relay_outbox(KEY).unwrap();
    assert_eq!(first.len(), 1, "the admin alone has other devices");
    assert_eq!(first[0].member, admin_member);
    // The upload failed: nothing was confirmed.
    inv.relay_failed(KEY, "relay.unavailable").unwrap();
    assert_eq!(
        inv.relays().unwrap()[0].last_error_code.as_deref(),
        Some("relay.unavailable")
    );
    let again = inv.relay_outbox(KEY).unwrap();
    assert_eq!(again.len(), 1, "written again");
    assert_ne!(again[0].token, first[0].token);

    inv.relay_sent(KEY, &[again[0].token]).unwrap();
    assert!(inv.relay_outbox(KEY).unwrap().is_empty(), "nothing new");
    let view = &inv.relays().unwrap()[0];
    assert!(view.last_sync_ms.is_some());
    assert_eq!(view.last_error_code, None);
    // A token confirmed twice, or one never handed out, changes nothing.
    inv.relay_sent(KEY, &[again[0].token, 999]).unwrap();

    // The record is kept: after unlocking again nothing is new (the
    // audit log's head rides along with news and alone makes none).
    let mut inv = reopen(inv);
    assert!(inv.relay_outbox(KEY).unwrap().is_empty());
    let got = imported(admin.relay_received(KEY, 1, &again[0].body).unwrap());
    assert!(got.docs_changed.contains(&case.to_string()));

    // An edit is news, and its envelope carries what is new alone (the
    // edit, and the audit head the edit moved).
    inv.set_field(case.as_str(), "header/title", "Edited")
        .unwrap();
    let news = inv.relay_outbox(KEY).unwrap();
    assert_eq!(news.len(), 1);
    let got = imported(admin.relay_received(KEY, 2, &news[0].body).unwrap());
    assert_eq!(
        (got.applied, got.already_had),
        (2, 0),
        "nothing carried twice"
    );
    assert_eq!(admin.show_case(case.as_str()).unwrap().title, "Edited");
    inv.relay_sent(KEY, &[news[0].token]).unwrap();

    // The admin's envelope tells the investigator what the admin holds.
    admin
        .set_field(case.as_str(), "header/title", "Edited by the admin")
        .unwrap();
    let back = admin.relay_outbox(KEY).unwrap();
    let back = back
        .iter()
        .find(|e| e.member == inv.me().unwrap().0)
        .unwrap();
    imported(inv.relay_received(KEY, 3, &back.body).unwrap());
    assert!(inv.relay_outbox(KEY).unwrap().is_empty());
}

/// Envelopes come in order; one refused as a whole is skipped with its
/// code and the cursor passes it; a replayed one changes nothing; the
/// cursor is kept with what each envelope brought.
#[test]
fn the_cursor_moves_past_every_envelope_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = with_relay(dir.path());
    let case = open_case(&mut inv, "KZ-1", "Relayed");
    let env = inv.relay_outbox(KEY).unwrap().remove(0);
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 0);

    let got = imported(admin.relay_received(KEY, 5, &env.body).unwrap());
    assert!(got.applied > 0);
    assert_eq!(got.sender_name, "Aibek");
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 5);

    let replay = imported(admin.relay_received(KEY, 5, &env.body).unwrap());
    assert_eq!((replay.applied, replay.quarantined.len()), (0, 0));
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 5);

    let mut damaged = env.body.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    for (seq, body, code) in [
        (6, b"not a bundle".to_vec(), "sync.not_a_bundle"),
        (7, damaged, "sync.bad_signature"),
    ] {
        let r = admin.relay_received(KEY, seq, &body).unwrap();
        assert_eq!(
            r,
            RelayReceipt::Skipped {
                seq,
                code: code.into()
            }
        );
        assert_eq!(admin.relay_cursor(KEY).unwrap(), seq);
    }
    assert_eq!(
        admin.relays().unwrap()[0].last_error_code.as_deref(),
        Some("sync.bad_signature")
    );
    let admin = reopen(admin);
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 7);
    let mut admin = admin;
    assert_eq!(admin.show_case(case.as_str()).unwrap().title, "Relayed");
}

/// A revoked device's envelope still queued at the relay is skipped; a
/// stranger's, of another team, too; the queue goes on.
#[test]
fn envelopes_of_revoked_and_foreign_devices_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = with_relay(dir.path());
    let mut lost = enrol(
        &mut admin,
        &dir.path().join("lost"),
        "Dana",
        Role::Investigator,
    );
    swap(&mut admin, &mut lost);
    let admin_member = admin.me().unwrap().0;
    open_case(&mut lost, "KZ-9", "From a lost laptop");
    let from_lost = lost.relay_outbox(KEY).unwrap();
    let to_admin = from_lost.iter().find(|e| e.member == admin_member).unwrap();
    admin.revoke("Dana", Some("laptop lost".into())).unwrap();

    let mut stranger = founder(&dir.path().join("stranger"), "Another unit");
    let (foreign, _) = stranger.export_bundle(None, &mut |_| {}).unwrap();

    let r = admin.relay_received(KEY, 1, &to_admin.body).unwrap();
    assert!(matches!(r, RelayReceipt::Skipped { ref code, .. } if code == "sync.sender_revoked"));
    let r = admin.relay_received(KEY, 2, &foreign).unwrap();
    assert!(matches!(r, RelayReceipt::Skipped { ref code, .. } if code == "sync.wrong_team"));
    let case = open_case(&mut inv, "KZ-1", "Still arrives");
    let env = inv.relay_outbox(KEY).unwrap();
    let env = env.iter().find(|e| e.member == admin_member).unwrap();
    imported(admin.relay_received(KEY, 3, &env.body).unwrap());
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 3);
    assert_eq!(
        admin.show_case(case.as_str()).unwrap().title,
        "Still arrives"
    );
}

/// An envelope the relay stored that never reached the member (past the
/// relay's retention, or skipped there) is made up for once the member's
/// own envelope shows what it holds.
#[test]
fn an_envelope_lost_after_the_relay_stored_it_is_made_up_for() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = with_relay(dir.path());
    let inv_member = inv.me().unwrap().0;
    let case = open_case(&mut inv, "KZ-1", "Lost once");
    let lost = inv.relay_outbox(KEY).unwrap();
    inv.relay_sent(KEY, &[lost[0].token]).unwrap();
    assert!(inv.relay_outbox(KEY).unwrap().is_empty());

    // The admin never fetched it, and writes to the investigator.
    open_case(&mut admin, "KZ-2", "The admin's own");
    let from_admin = admin.relay_outbox(KEY).unwrap();
    let to_inv = from_admin.iter().find(|e| e.member == inv_member).unwrap();
    imported(inv.relay_received(KEY, 1, &to_inv.body).unwrap());

    let again = inv.relay_outbox(KEY).unwrap();
    assert_eq!(again.len(), 1, "the admin lacks the case");
    imported(admin.relay_received(KEY, 1, &again[0].body).unwrap());
    assert_eq!(admin.show_case(case.as_str()).unwrap().title, "Lost once");
}

/// The admin's device signs the roster the relay admits devices by: every
/// active device, with its member; a revoked one is no longer on it.
#[test]
fn the_admin_signs_the_relays_roster_of_active_devices() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, inv) = with_relay(dir.path());
    let lost = enrol(
        &mut admin,
        &dir.path().join("lost"),
        "Dana",
        Role::Investigator,
    );
    let roster = admin.relay_roster(KEY).unwrap().open().unwrap();
    assert_eq!(roster.devices.len(), 3);
    assert_eq!(hex_key(roster.relay_key), KEY);
    let inv_device = inv.device().unwrap().id;
    let entry = roster
        .devices
        .iter()
        .find(|d| hex_key(d.device) == inv_device)
        .unwrap();
    assert_eq!(
        (entry.member.as_str(), entry.admin),
        (inv.me().unwrap().0.as_str(), false)
    );

    admin.revoke("Dana", None).unwrap();
    let later = admin.relay_roster(KEY).unwrap().open().unwrap();
    assert_eq!(later.devices.len(), 2);
    assert!(later.version > roster.version);
    let lost_device = lost.device().unwrap().id;
    assert!(
        later
            .devices
            .iter()
            .all(|d| hex_key(d.device) != lost_device)
    );

    assert_eq!(inv.relay_roster(KEY).unwrap_err().code(), "core.denied");
}

fn hex_key(k: [u8; 32]) -> String {
    k.iter().map(|b| format!("{b:02x}")).collect()
}

/// Regression: a relay behind this device's cursor (restored from a
/// backup, or one that once sent a number far ahead) is fetched from its
/// own record again; the cursor never moves forward this way.
#[test]
fn a_relay_behind_the_cursor_rewinds_it_and_never_forwards_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = with_relay(dir.path());
    let _case = open_case(&mut inv, "KZ-9", "Rewound");
    let env = inv.relay_outbox(KEY).unwrap().remove(0);
    imported(admin.relay_received(KEY, u64::MAX, &env.body).unwrap());
    assert_eq!(admin.relay_cursor(KEY).unwrap(), u64::MAX);
    admin.relay_rewind(KEY, 7).unwrap();
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 7);
    admin.relay_rewind(KEY, 9).unwrap();
    assert_eq!(admin.relay_cursor(KEY).unwrap(), 7, "never forward");
    // What comes again changes nothing.
    let again = imported(admin.relay_received(KEY, 8, &env.body).unwrap());
    assert_eq!(again.applied, 0);
}
