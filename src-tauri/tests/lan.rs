//! LAN sync through the window's commands: two app states of one team in
//! this process, one dialling the other by address; a case made on one
//! reaches the other, live edits follow, and stopping or locking ends it.
//! The status the window shows is kept from the service's events
//! (`caravan_desktop::lan::book`), checked here on its own too.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use caravan_core::model::Role;
use caravan_desktop::dto::LanPeerState;
use caravan_desktop::lan::book::{Book, Origin, shareable};
use caravan_net::lan::service::LanEvent;
use serde_json::{Value, json};
use tauri::{Listener, Manager};

use crate::shell::{PASS, Shell, enrol, founder, holds, new_case, shell};
use crate::util::wait_until;

const WAIT: Duration = Duration::from_secs(60);

/// An admin's and an investigator's vaults of one team, each open in a
/// shell of its own.
fn team(root: &std::path::Path) -> (Shell, Shell) {
    let mut admin = founder(&root.join("admin"));
    enrol(&mut admin, &root.join("inv"), "Aida", Role::Investigator);
    admin.lock();
    let a = Shell::on(&root.join("admin"));
    let b = Shell::on(&root.join("inv"));
    for s in [&a, &b] {
        s.ok("unlock", json!({ "passphrase": PASS }));
    }
    (a, b)
}

fn start(s: &Shell, connect: &[String]) -> Value {
    s.ok(
        "lan_start",
        json!({ "request": { "discovery": false, "connect": connect, "port": null } }),
    )
}

fn port(status: &Value) -> u16 {
    let listening = status["listening"].as_str().expect("listening");
    listening.rsplit(':').next().unwrap().parse().unwrap()
}

/// The first peer in `state`, from the status the window reads.
fn peer_in(s: &Shell, state: &str) -> Option<Value> {
    let status = s.ok("lan_status", json!({}));
    status["peers"]
        .as_array()?
        .iter()
        .find(|p| p["state"] == state)
        .cloned()
}

#[test]
fn two_laptops_sync_by_address_live_until_stopped_or_locked() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = team(root.path());
    let heard = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = heard.clone();
    a.window()
        .app_handle()
        .listen_any(caravan_desktop::lan::LAN_EVENT, move |e| {
            log.lock().unwrap().push(e.payload().to_string());
        });
    let first = new_case(&b, "LAN-1");
    let listening = start(&a, &[]);
    assert_eq!(listening["running"], true);
    let address = format!("127.0.0.1:{}", port(&listening));
    start(&b, std::slice::from_ref(&address));
    let state = || format!("{}", b.ok("lan_status", json!({})));
    let synced = wait_until(
        "the dialled laptop to be synced",
        WAIT,
        || peer_in(&b, "synced"),
        state,
    );
    assert_eq!(synced["address"], address.as_str());
    assert_eq!(synced["last_error_code"], Value::Null);
    wait_until(
        "the case on the listening laptop",
        WAIT,
        || holds(&a, &first).then_some(()),
        state,
    );
    let seen = wait_until(
        "the investigator named on the admin's list",
        WAIT,
        || peer_in(&a, "synced").filter(|p| p["name"] == "Aida"),
        || format!("{}", a.ok("lan_status", json!({}))),
    );
    assert!(seen["applied"].as_u64().unwrap() > 0, "{seen}");
    // An edit while connected reaches the other laptop with no new start.
    let second = new_case(&b, "LAN-2");
    wait_until(
        "the live edit on the listening laptop",
        WAIT,
        || holds(&a, &second).then_some(()),
        state,
    );
    assert!(
        heard
            .lock()
            .unwrap()
            .iter()
            .any(|e| e.contains("\"synced\"")),
        "the window was not told"
    );
    let stopped = b.ok("lan_stop", json!({}));
    assert_eq!(stopped["running"], false);
    // Stopped, the dialling laptop still lists the device it synced with,
    // and when.
    assert!(stopped["peers"][0]["last_sync_ms"].is_i64(), "{stopped}");
    // Locking the listening laptop stops its LAN sync and frees its port.
    a.ok("lock", json!({}));
    assert_eq!(a.ok("lan_status", json!({}))["running"], false);
    wait_until(
        "the port closed",
        WAIT,
        || {
            std::net::TcpStream::connect(&address)
                .is_err()
                .then_some(())
        },
        || "still accepting".into(),
    );
}

#[test]
fn a_typed_address_that_does_not_answer_fails_alone_by_code() {
    let root = tempfile::tempdir().unwrap();
    let (a, _b) = team(root.path());
    start(&a, &[]);
    // A port nothing listens on: taken and released at once.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = free.local_addr().unwrap().to_string();
    drop(free);
    a.ok("lan_connect", json!({ "address": dead }));
    let failed = wait_until(
        "the dial to fail",
        WAIT,
        || peer_in(&a, "failed"),
        || format!("{}", a.ok("lan_status", json!({}))),
    );
    assert_eq!(failed["address"], dead.as_str());
    assert!(
        failed["last_error_code"]
            .as_str()
            .unwrap()
            .starts_with("net."),
        "{failed}"
    );
    // The listening run goes on.
    assert_eq!(a.ok("lan_status", json!({}))["running"], true);
    a.ok("lan_stop", json!({}));
}

#[test]
fn lan_commands_refuse_by_code() {
    let s = shell();
    let start_req = json!({ "request": { "discovery": false, "connect": [] } });
    assert_eq!(s.code("lan_start", start_req.clone()), "app.locked");
    s.ok("create_vault", json!({ "passphrase": PASS }));
    // No team yet: nothing to sync with.
    let no_team = s.code("lan_start", start_req);
    assert!(
        no_team.starts_with("team.") || no_team.starts_with("core."),
        "{no_team}"
    );
    assert_eq!(s.ok("lan_status", json!({}))["running"], false);
    assert_eq!(
        s.code("lan_connect", json!({ "address": "10.0.0.2:4000" })),
        "app.lan_stopped"
    );
    let bad = json!({ "request": { "discovery": false, "connect": ["laptop"] } });
    assert_eq!(s.code("lan_start", bad), "core.invalid");
}

fn connected(peer: &str) -> LanEvent {
    LanEvent::Connected {
        peer: peer.into(),
        name: "Aida".into(),
    }
}

#[test]
fn the_status_gives_a_dialled_address_to_the_device_that_answers() {
    let mut b = Book::default();
    let dial = Origin::Dial("10.0.0.2:4000".into());
    b.dialling("10.0.0.2:4000");
    b.apply(&dial, connected("d1"));
    let p = &b.status.peers;
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].device.as_deref(), Some("d1"));
    assert_eq!(p[0].address.as_deref(), Some("10.0.0.2:4000"));
    assert_eq!(p[0].state, LanPeerState::Connected);
}

#[test]
fn the_status_guesses_no_address_when_two_were_found() {
    let mut b = Book::default();
    for a in ["10.0.0.2:1", "10.0.0.3:1"] {
        b.apply(
            &Origin::Main,
            LanEvent::Found {
                address: a.into(),
                peer: None,
            },
        );
    }
    b.apply(&Origin::Main, connected("d1"));
    let dev = b.status.peers.iter().find(|p| p.device.is_some()).unwrap();
    assert_eq!(dev.address, None);
    assert_eq!(b.status.peers.len(), 3);
    // With one found, the device that connects is at that address.
    let mut one = Book::default();
    one.apply(
        &Origin::Main,
        LanEvent::Found {
            address: "10.0.0.2:1".into(),
            peer: None,
        },
    );
    one.apply(&Origin::Main, connected("d1"));
    assert_eq!(one.status.peers.len(), 1);
    assert_eq!(one.status.peers[0].address.as_deref(), Some("10.0.0.2:1"));
}

#[test]
fn a_device_found_by_its_advert_keeps_its_address_whoever_else_is_found() {
    let mut b = Book::default();
    for (address, peer) in [("10.0.0.2:1", "d1"), ("10.0.0.3:1", "d2")] {
        b.apply(
            &Origin::Main,
            LanEvent::Found {
                address: address.into(),
                peer: Some(peer.into()),
            },
        );
    }
    b.apply(&Origin::Main, connected("d2"));
    let p = &b.status.peers;
    assert_eq!(p.len(), 2);
    let d2 = p
        .iter()
        .find(|p| p.device.as_deref() == Some("d2"))
        .unwrap();
    assert_eq!(d2.address.as_deref(), Some("10.0.0.3:1"));
    assert_eq!(d2.state, LanPeerState::Connected);
    let d1 = p
        .iter()
        .find(|p| p.device.as_deref() == Some("d1"))
        .unwrap();
    assert_eq!(d1.state, LanPeerState::Found);
}

#[test]
fn a_public_network_is_in_the_status() {
    let mut b = Book::default();
    assert!(!b.status.public_network);
    b.apply(&Origin::Main, LanEvent::PublicNetwork);
    assert!(b.status.public_network);
}

#[test]
fn a_failure_no_device_is_known_for_is_the_last_error() {
    let mut b = Book::default();
    b.apply(
        &Origin::Main,
        LanEvent::Failed {
            peer: None,
            code: "net.handshake".into(),
            message: String::new(),
        },
    );
    assert_eq!(b.status.last_error_code.as_deref(), Some("net.handshake"));
    assert!(b.status.peers.is_empty());
}

#[test]
fn an_unspecified_listening_address_is_shared_as_this_devices_addresses() {
    assert_eq!(shareable("10.1.2.3:4000"), vec!["10.1.2.3:4000"]);
    assert!(
        shareable("0.0.0.0:4000")
            .iter()
            .all(|a| a.ends_with(":4000") && !a.starts_with("127."))
    );
    assert!(shareable("not an address").is_empty());
}
