//! The relay binary killed mid-upload (SIGKILL, by its own pid through
//! `Child::kill`): nothing it acknowledged is lost, and a client
//! reconnects to the restarted relay.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use caravan_net::relay_client::RelayClient;

use super::common::*;

pub(super) struct RelayProcess {
    child: Child,
    pub(super) url: String,
    pub(super) key: [u8; 32],
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the relay binary with `args`; reads the line it prints.
pub(super) fn spawn_relay(args: &[&str]) -> RelayProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_caravan-relay"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "caravan-relay key <hex> listening on <addr>"
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.len(), 6, "{line}");
    let mut key = [0u8; 32];
    hex::decode_to_slice(words[2], &mut key).unwrap();
    RelayProcess {
        child,
        url: format!("ws://{}", words[5]),
        key,
    }
}

pub(super) fn body(i: u32) -> Vec<u8> {
    let mut b = vec![(i % 251) as u8; 64 * 1024];
    b[..4].copy_from_slice(&i.to_be_bytes());
    b
}

async fn killed_mid_upload_loses_nothing_acknowledged(args: &[&str]) {
    let t = team();
    let first = spawn_relay(args);
    let key = first.key;
    register(&first.url, key, &t.admin, T0).await;
    let (tx, mut acked) = tokio::sync::mpsc::channel::<(u64, u32)>(1000);
    let (url, keys, team, to) = (
        first.url.clone(),
        t.inv_a.keys().to_secret_bytes(),
        team_id(&t.admin),
        member(&t.inv_b),
    );
    let uploader = tokio::spawn(async move {
        let keys = caravan_sync::DeviceKeys::from_bytes(&keys);
        let mut a = RelayClient::connect(&url, key, team, &keys).await.unwrap();
        for i in 0..500u32 {
            match a.upload(vec![to.clone()], body(i)).await {
                Ok(seq) => tx.send((seq, i)).await.unwrap(),
                Err(_) => return,
            }
        }
    });
    let mut stored = Vec::new();
    // Kill once some envelopes are acknowledged, while more are in flight.
    while stored.len() < 20 {
        let got = tokio::time::timeout(PATIENCE, acked.recv()).await.unwrap();
        stored.push(got.expect("uploads are acknowledged"));
    }
    drop(first);
    tokio::time::timeout(PATIENCE, uploader)
        .await
        .unwrap()
        .unwrap();
    while let Ok(got) = acked.try_recv() {
        stored.push(got);
    }
    let second = spawn_relay(args);
    assert_eq!(second.key, key, "the relay keeps its key across restarts");
    let mut b = connect(&second.url, key, &t.inv_b).await;
    let held = fetch_all(&mut b, 0).await;
    for (seq, i) in &stored {
        assert_eq!(
            held.get(seq),
            Some(&body(*i)),
            "envelope {seq} was acknowledged and lost"
        );
    }
    // The sender reconnects and goes on.
    let mut a = connect(&second.url, key, &t.inv_a).await;
    a.upload(vec![member(&t.inv_b)], b"after".to_vec())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_relay_killed_mid_upload() {
    let dir = tempfile::tempdir().unwrap();
    killed_mid_upload_loses_nothing_acknowledged(&["--data", dir.path().to_str().unwrap()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_relay_killed_mid_upload() {
    let Some(db) = postgres().await else { return };
    killed_mid_upload_loses_nothing_acknowledged(&["--postgres", &db]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_connections_with_a_reason() {
    let t = team();
    let (backend, relay, url, key) = sqlite_relay().await;
    register(&url, key, &t.admin, T0).await;
    let mut a = connect(&url, key, &t.inv_a).await;
    let seq = a
        .upload(vec![member(&t.inv_b)], b"kept".to_vec())
        .await
        .unwrap();
    relay.shutdown(PATIENCE).await;
    assert_eq!(code(a.next_notify().await), "relay.unavailable");
    let again = super::common::relay(&backend, test_config()).await;
    let mut b = connect(&super::common::url(&again), key, &t.inv_b).await;
    assert_eq!(b.fetch(0, 10).await.unwrap().0[0].seq, seq);
    again.shutdown(PATIENCE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_what_is_in_hand_and_exits_cleanly() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let t = team();
    let dir = tempfile::tempdir().unwrap();
    let args = ["--data", dir.path().to_str().unwrap()];
    let mut relay = spawn_relay(&args);
    let key = relay.key;
    register(&relay.url, key, &t.admin, T0).await;
    let mut a = connect(&relay.url, key, &t.inv_a).await;
    let seq = a
        .upload(vec![member(&t.inv_b)], b"kept".to_vec())
        .await
        .unwrap();
    let pid = Pid::from_raw(i32::try_from(relay.child.id()).unwrap());
    kill(pid, Signal::SIGTERM).unwrap();
    // The relay says why it ends the connection without being asked: the
    // next message on it is that reason (not subscribed: nothing else).
    assert_eq!(
        code(
            tokio::time::timeout(PATIENCE, a.next_notify())
                .await
                .unwrap()
        ),
        "relay.unavailable"
    );
    let status = tokio::task::spawn_blocking(move || relay.child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    let again = spawn_relay(&args);
    let mut b = connect(&again.url, key, &t.inv_b).await;
    assert_eq!(b.fetch(0, 10).await.unwrap().0[0].seq, seq);
}
