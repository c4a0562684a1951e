//! `relay register` and `sync relay` between real `caravan` processes
//! through a relay on loopback (SQLite store): an admin registers the
//! relay, an investigator who joined afterwards finds it in the team
//! document, and cases go both ways, each device acknowledging what it
//! imported; a second round finds nothing new.

use std::sync::Arc;

use caravan_relay::store::Store;
use caravan_relay::store::postgres::PgStore;
use caravan_relay::store::sqlite::SqliteStore;
use serde_json::Value;

use crate::common::{Device, enrol, new_case};

/// A relay on loopback, served by a runtime of its own for the test.
struct Relay {
    url: String,
    key: String,
    _runtime: tokio::runtime::Runtime,
    _dir: Option<tempfile::TempDir>,
}

fn serve(
    store: Arc<dyn Store>,
    runtime: tokio::runtime::Runtime,
    dir: Option<tempfile::TempDir>,
) -> Relay {
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn relay() -> Relay {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    serve(store, runtime(), Some(dir))
}

/// A relay process over the PostgreSQL database `url`.
fn pg_relay(url: &str) -> Relay {
    let rt = runtime();
    let store = rt.block_on(PgStore::connect(url, 4)).unwrap();
    serve(Arc::new(store), rt, None)
}

/// A fresh database on the test cluster (`CARAVAN_TEST_POSTGRES`, set by
/// scripts/test); `None` without one, which CI does not allow.
fn fresh_database() -> Option<String> {
    let Ok(base) = std::env::var("CARAVAN_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CARAVAN_TEST_POSTGRES is not set: scripts/test starts a PostgreSQL cluster for this"
        );
        eprintln!("SKIPPED: no PostgreSQL (CARAVAN_TEST_POSTGRES is not set)");
        return None;
    };
    let name = format!("cli_{}", hex::encode(rand::random::<[u8; 6]>()));
    runtime().block_on(async {
        let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .unwrap();
        let task = tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        drop(client);
        let _ = task.await;
    });
    Some(format!("{base} dbname={name}"))
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

    // Revoked: the admin's next sync tells the relay, which turns the
    // device away from then on.
    admin.ok(&["team", "revoke", &inv_id, "--reason", "laptop lost"]);
    admin.json(&["sync", "relay"]);
    let (code, err) = inv.fail(&["sync", "relay"]);
    assert!(err.contains("relay.not_on_roster"), "{code}: {err}");
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

#[test]
fn three_devices_converge_through_two_relay_processes_on_one_postgresql() {
    let Some(db) = fresh_database() else {
        return;
    };
    // Two relay processes over one database: one key (made by the first,
    // stored in the database), two addresses.
    let a = pg_relay(&db);
    let b = pg_relay(&db);
    assert_eq!(a.key, b.key);
    let admin = Device::new();
    admin.json(&[
        "init", "--team", "Unit 7", "--name", "Aigul", "--device", "office",
    ]);
    admin.json(&["relay", "register", "--url", &a.url, "--key", &a.key]);
    let (inv1, inv1_id) = enrol(&admin, "investigator", "Timur");
    let (inv2, inv2_id) = enrol(&admin, "investigator", "Dana");
    admin.json(&["sync", "relay"]);

    // Offline, each opens a case; the supervisor's is for both.
    let c1 = new_case(&inv1, "PG-1");
    let c2 = new_case(&inv2, "PG-2");
    let c3 = new_case(&admin, "PG-3");
    admin.ok(&["team", "grant", &c3, &inv1_id]);
    admin.ok(&["team", "grant", &c3, &inv2_id]);

    // The first investigator goes through one process, the second through
    // the other; the supervisor, having seen the first's case, lets the
    // second see it too.
    let round = |d: &Device, via: &str| d.json(&["sync", "relay", "--via", via]);
    for _ in 0..2 {
        round(&inv1, &a.url);
        round(&inv2, &b.url);
        round(&admin, &a.url);
    }
    admin.ok(&["team", "grant", &c1, &inv2_id]);
    for _ in 0..2 {
        round(&admin, &b.url);
        round(&inv1, &a.url);
        round(&inv2, &b.url);
    }
    let has = |d: &Device| {
        let mut ids = case_ids(&d.json(&["case", "list"]));
        ids.sort();
        ids
    };
    let mut all = vec![c1.clone(), c2.clone(), c3.clone()];
    all.sort();
    assert_eq!(has(&admin), all, "the supervisor holds every case");
    assert_eq!(
        has(&inv2),
        all,
        "the second investigator, granted the first's case"
    );
    let mut first = vec![c1, c3];
    first.sort();
    assert_eq!(
        has(&inv1),
        first,
        "the first investigator, what they may see"
    );
}

/// A TCP forwarder that keeps a copy of every byte both ways; its address.
fn tap(to: std::net::SocketAddr) -> (std::net::SocketAddr, Arc<std::sync::Mutex<Vec<u8>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let all = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = std::net::TcpStream::connect(to) else {
                return;
            };
            for (mut from, mut into) in [
                (client.try_clone().unwrap(), server.try_clone().unwrap()),
                (server, client),
            ] {
                let seen = all.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 << 10];
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 || into.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        seen.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                    let _ = into.shutdown(std::net::Shutdown::Write);
                });
            }
        }
    });
    (addr, seen)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn neither_the_wire_nor_the_relay_store_holds_a_case_in_the_clear() {
    const CANARY: &str = "Canary-Gulnara-Seitkali-4420";
    let relay = relay();
    let admin = Device::new();
    let init = admin.json(&[
        "init", "--team", "Unit 7", "--name", "Aigul", "--device", "office",
    ]);
    admin.json(&[
        "relay", "register", "--url", &relay.url, "--key", &relay.key,
    ]);
    let (inv, _) = enrol(&admin, "investigator", "Timur");
    admin.json(&["sync", "relay"]);
    let case = inv.json(&[
        "case",
        "new",
        "--reference",
        "CANARY-1",
        "--title",
        CANARY,
        "--jurisdiction",
        "KZ",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let relay_addr: std::net::SocketAddr = relay.url.trim_start_matches("ws://").parse().unwrap();
    let (tapped, seen) = tap(relay_addr);
    let via = format!("ws://{tapped}");
    inv.json(&["sync", "relay", "--via", &via]);
    admin.json(&["sync", "relay", "--via", &via]);
    // It went through, title and all.
    let shown = admin.json(&["case", "show", &case]);
    assert_eq!(shown["title"], CANARY, "{shown}");

    let team_id = init["team"]["id"].as_str().unwrap();
    let me = inv.json(&["team", "members"]);
    let wire = seen.lock().unwrap().clone();
    assert!(wire.len() > 1000, "only {} bytes seen", wire.len());
    let mut needles: Vec<Vec<u8>> = vec![
        CANARY.as_bytes().to_vec(),
        b"Unit 7".to_vec(),
        b"Timur".to_vec(),
        team_id.as_bytes().to_vec(),
    ];
    if let Ok(raw) = hex::decode(team_id) {
        needles.push(raw);
    }
    for d in me["members"].as_array().into_iter().flatten() {
        for dev in d["devices"].as_array().into_iter().flatten() {
            if let Some(raw) = dev["id"].as_str().and_then(|h| hex::decode(h).ok()) {
                needles.push(raw);
            }
        }
    }
    for n in &needles {
        assert!(
            !contains(&wire, n),
            "{} on the wire in the clear",
            String::from_utf8_lossy(n)
        );
    }
    // The relay's store: every file of it, the write-ahead log included.
    let dir = relay._dir.as_ref().unwrap().path();
    let mut stored = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        stored += bytes.len();
        for n in [CANARY.as_bytes(), b"Unit 7".as_slice(), b"Timur".as_slice()] {
            assert!(
                !contains(&bytes, n),
                "{} in the relay's store",
                String::from_utf8_lossy(n)
            );
        }
    }
    assert!(stored > 0);
}
