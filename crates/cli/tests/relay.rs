//! `relay register` and `sync relay` between real `caravan` processes
//! through a relay on loopback (SQLite store): an admin registers the
//! relay, an investigator who joined afterwards finds it in the team
//! document, and cases go both ways, each device acknowledging what it
//! imported; a second round finds nothing new.

use std::sync::Arc;

use caravan_relay::store::sqlite::SqliteStore;
use serde_json::Value;

use crate::common::{Device, enrol, new_case};

/// A relay on loopback, served by a runtime of its own for the test.
struct Relay {
    url: String,
    key: String,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn relay() -> Relay {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let running = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        caravan_relay::start(store, caravan_relay::Config::default(), listener)
            .await
            .unwrap()
    });
    let relay = Relay {
        url: format!("ws://{}", running.addr),
        key: hex::encode(running.public_key),
        _runtime: runtime,
        _dir: dir,
    };
    // Serves until the runtime is dropped with the test's `Relay`.
    std::mem::forget(running);
    relay
}

fn case_ids(list: &Value) -> Vec<String> {
    list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn cases_travel_both_ways_through_a_relay() {
    let relay = relay();
    let admin = Device::new();
    admin.json(&[
        "init", "--team", "Unit 7", "--name", "Aigul", "--device", "office",
    ]);
    let registered = admin.json(&[
        "relay", "register", "--url", &relay.url, "--key", &relay.key,
    ]);
    assert_eq!(registered["relay"]["key"], relay.key.as_str());
    // Enrolled after the registration: the relay is in the team document
    // the investigator's join package carries.
    let (inv, inv_id) = enrol(&admin, "investigator", "Timur");
    let listed = inv.json(&["relay", "list"]);
    assert_eq!(listed[0]["key"], relay.key.as_str(), "{listed}");
    // Until the admin's device tells the relay of the new device, the
    // relay turns it away; the admin's next sync sends the new roster.
    let (code, err) = inv.fail(&["sync", "relay"]);
    assert!(err.contains("relay.not_on_roster"), "{code}: {err}");
    admin.json(&["sync", "relay"]);

    let theirs = new_case(&inv, "RELAY-1");
    let sent = inv.json(&["sync", "relay"]);
    assert!(sent["uploaded"].as_u64().unwrap() >= 1, "{sent}");
    let got = admin.json(&["sync", "relay"]);
    assert!(got["imported"].as_u64().unwrap() >= 1, "{got}");
    assert!(case_ids(&admin.json(&["case", "list"])).contains(&theirs));

    // A case the supervisor opens reaches the investigator once they may
    // see it (need to know): granted, then carried by the relay.
    let ours = new_case(&admin, "RELAY-2");
    admin.ok(&["team", "grant", &ours, &inv_id]);
    admin.json(&["sync", "relay"]);
    inv.json(&["sync", "relay"]);
    assert!(case_ids(&inv.json(&["case", "list"])).contains(&ours));

    // The investigator's answer (the keys it wrote for the case it was
    // granted) goes back once; then nothing new either way: nothing sent,
    // nothing fetched again (each device's cursor moved past what it
    // imported).
    inv.json(&["sync", "relay"]);
    admin.json(&["sync", "relay"]);
    for d in [&inv, &admin] {
        let again = d.json(&["sync", "relay"]);
        assert_eq!(again["uploaded"], 0, "{again}");
        assert_eq!(again["imported"], 0, "{again}");
    }
    let relays = admin.json(&["relay", "list"]);
    assert!(relays[0]["last_sync_ms"].is_i64(), "{relays}");
}

#[test]
fn a_relay_with_another_key_is_refused_and_the_failure_is_recorded() {
    let relay = relay();
    let admin = Device::new();
    admin.json(&[
        "init", "--team", "Unit 7", "--name", "Aigul", "--device", "office",
    ]);
    // The address is the relay's, the key is not: the handshake fails.
    let wrong = hex::encode([7u8; 32]);
    let (code, err) = admin.fail(&["relay", "register", "--url", &relay.url, "--key", &wrong]);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("error[net."), "{err}");
    let relays = admin.json(&["relay", "list"]);
    assert!(
        relays[0]["last_error_code"]
            .as_str()
            .unwrap()
            .starts_with("net."),
        "{relays}"
    );
}
