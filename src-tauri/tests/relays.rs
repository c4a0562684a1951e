//! Relays through the window's commands, against a relay served in this
//! process (SQLite store, loopback): the admin adds it (its roster is
//! sent), an investigator enrolled afterwards is let in once the admin's
//! next round sends the new roster, and a case goes from one to the other,
//! by "sync now" and in the background.

use std::path::Path;

use caravan_core::Workspace;
use caravan_core::model::Role;
use caravan_relay::loopback::{LoopbackRelay, loopback};
use serde_json::{Value, json};

use crate::shell::{PASS, Shell, enrol, founder, holds, new_case, opts, pass};

/// A relay on loopback, serving until the test's value is dropped (its
/// store's folder after it).
fn relay() -> (LoopbackRelay, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (loopback(dir.path()).unwrap(), dir)
}

/// Enrols an investigator with the admin's vault, which the shell `a`
/// holds open: it is locked for the enrolment and opened again.
fn enrol_investigator(a: &Shell, admin_dir: &Path, inv_dir: &Path) -> Shell {
    a.ok("lock", json!({}));
    let mut admin = Workspace::unlock(admin_dir, &pass(), &opts()).unwrap();
    enrol(&mut admin, inv_dir, "Aida", Role::Investigator);
    admin.lock();
    a.ok("unlock", json!({ "passphrase": PASS }));
    let b = Shell::on(inv_dir);
    b.ok("unlock", json!({ "passphrase": PASS }));
    b
}

/// A founder's vault in `root`'s folder `admin`, open in a shell; the
/// folder an investigator's vault goes in.
fn founder_unlocked(root: &Path) -> (Shell, std::path::PathBuf, std::path::PathBuf) {
    let (admin_dir, inv_dir) = (root.join("admin"), root.join("inv"));
    founder(&admin_dir).lock();
    let a = Shell::on(&admin_dir);
    a.ok("unlock", json!({ "passphrase": PASS }));
    (a, admin_dir, inv_dir)
}

fn sync_now(s: &Shell, key: &str) -> Result<Value, Value> {
    s.call("relay_sync_now", json!({ "key": key }))
}

#[test]
fn a_case_travels_through_a_relay_the_admin_added_in_the_window() {
    let (relay, _store) = relay();
    let root = tempfile::tempdir().unwrap();
    let (a, admin_dir, inv_dir) = founder_unlocked(root.path());
    assert_eq!(a.ok("relays", json!({})), json!([]));
    let bad = json!({ "url": relay.url, "key": "not a key" });
    assert_eq!(a.code("relay_add", bad), "core.invalid");
    let added = a.ok("relay_add", json!({ "url": relay.url, "key": relay.key }));
    assert_eq!(added[0]["key"], relay.key.as_str());
    assert_eq!(added[0]["last_error_code"], Value::Null, "{added}");

    let b = enrol_investigator(&a, &admin_dir, &inv_dir);
    // The join package carried the team document, and the relay in it.
    assert_eq!(b.ok("relays", json!({}))[0]["url"], relay.url.as_str());
    assert_eq!(
        b.code("relay_add", json!({ "url": relay.url, "key": relay.key })),
        "core.denied"
    );
    // The relay knows the roster of before the enrolment until the admin's
    // next round sends the new one.
    let refused = sync_now(&b, &relay.key).unwrap_err();
    assert_eq!(refused["code"], "relay.not_on_roster");
    let listed = b.ok("relays", json!({}));
    assert_eq!(listed[0]["last_error_code"], "relay.not_on_roster");
    sync_now(&a, &relay.key).unwrap();

    let case = new_case(&b, "RELAY-1");
    let sent = sync_now(&b, &relay.key).unwrap();
    assert!(sent["uploaded"].as_u64().unwrap() >= 1, "{sent}");
    assert_eq!(sent["relay"]["last_error_code"], Value::Null, "{sent}");
    let got = sync_now(&a, &relay.key).unwrap();
    assert!(got["applied"].as_u64().unwrap() > 0, "{got}");
    assert!(got["relay"]["last_sync_ms"].is_i64(), "{got}");
    assert!(holds(&a, &case), "the case did not arrive");

    assert_eq!(a.ok("relay_remove", json!({ "key": relay.key })), json!([]));
    assert_eq!(
        sync_now(&a, &relay.key).unwrap_err()["code"],
        "core.not_found"
    );
}

#[test]
fn a_relay_that_does_not_answer_is_added_and_shows_why() {
    let root = tempfile::tempdir().unwrap();
    founder(&root.path().join("admin")).lock();
    let a = Shell::on(&root.path().join("admin"));
    a.ok("unlock", json!({ "passphrase": PASS }));
    // A port nothing listens on: taken and released at once.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}", free.local_addr().unwrap());
    drop(free);
    let key = "ab".repeat(32);
    let added = a.ok("relay_add", json!({ "url": url, "key": key }));
    let code = added[0]["last_error_code"].as_str().unwrap_or_default();
    assert!(code.starts_with("net."), "{added}");
    let refused = sync_now(&a, &key).unwrap_err();
    assert!(
        refused["code"].as_str().unwrap().starts_with("net."),
        "{refused}"
    );
}

/// Whether `f` holds within a minute (polled; no timing is asserted).
fn eventually(f: impl Fn() -> bool) -> bool {
    (0..600).any(|_| {
        let ok = f();
        if !ok {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        ok
    })
}

/// With a relay in the team, edits travel with no "sync now": the admin's
/// watch sends the roster that lets the new investigator in, the
/// investigator's watch starts again after its refusal and sends the case,
/// and the admin's watch takes it; an edit made while connected follows.
/// Locking ends the watches.
#[test]
fn edits_travel_through_a_relay_in_the_background() {
    let (relay, _store) = relay();
    let root = tempfile::tempdir().unwrap();
    let (a, admin_dir, inv_dir) = founder_unlocked(root.path());
    a.ok("relay_add", json!({ "url": relay.url, "key": relay.key }));
    let b = enrol_investigator(&a, &admin_dir, &inv_dir);
    let first = new_case(&b, "BG-1");
    a.start_background();
    b.start_background();
    assert!(
        eventually(|| holds(&a, &first)),
        "the case did not arrive in the background"
    );
    assert_eq!(a.watched_relays(), vec![relay.key.clone()]);
    let second = new_case(&b, "BG-2");
    assert!(
        eventually(|| holds(&a, &second)),
        "an edit made while connected did not follow"
    );
    let listed = a.ok("relays", json!({}));
    assert!(listed[0]["last_sync_ms"].is_i64(), "{listed}");
    a.ok("lock", json!({}));
    assert!(a.watched_relays().is_empty(), "a watch outlived the lock");
}
