//! The relay through outages it must survive without losing anything it
//! acknowledged: killed (SIGKILL, by its own pid) while a device
//! downloads, and its PostgreSQL going away under load (every connection
//! of its database ended and new ones refused for a while — what a
//! database restart looks like from the relay — then back).

use std::collections::HashMap;
use std::time::Duration;

use caravan_net::relay_client::RelayClient;

use super::common::*;
use super::faults::{body, spawn_relay};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_download_the_device_resumes_from_its_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--data", dir.path().to_str().unwrap()];
    let t = team();
    let first = spawn_relay(&args);
    let key = first.key;
    register(&first.url, key, &t.admin, T0).await;
    let mut a = connect(&first.url, key, &t.inv_a).await;
    let mut sent = HashMap::new();
    for i in 0..300u32 {
        let seq = a.upload(vec![member(&t.inv_b)], body(i)).await.unwrap();
        sent.insert(seq, body(i));
    }
    // The device takes one page, keeps it (its cursor moves), and the
    // relay dies while the device asks for the next.
    let mut b = connect(&first.url, key, &t.inv_b).await;
    let (page, more) = b.fetch(0, 50).await.unwrap();
    assert!(more);
    let mut held: HashMap<u64, Vec<u8>> = page.into_iter().map(|e| (e.seq, e.body)).collect();
    let cursor = *held.keys().max().unwrap();
    let pending = tokio::spawn(async move { b.fetch(cursor, 200).await });
    drop(first);
    let _ = tokio::time::timeout(PATIENCE, pending).await.unwrap();

    let second = spawn_relay(&args);
    let mut b = connect(&second.url, key, &t.inv_b).await;
    held.extend(fetch_all(&mut b, cursor).await);
    assert_eq!(held.len(), sent.len(), "every envelope, once each");
    for (seq, body) in &sent {
        assert_eq!(held.get(seq), Some(body), "envelope {seq}");
    }
}

/// A connection to the cluster's own database (not the test's: one
/// cannot refuse connections to the database one is connected to).
async fn admin() -> tokio_postgres::Client {
    let base = std::env::var("CARAVAN_TEST_POSTGRES").unwrap();
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_under_load_loses_nothing_acknowledged() {
    let Some(db) = postgres().await else { return };
    let t = team();
    let relay = spawn_relay(&["--postgres", &db]);
    let key = relay.key;
    register(&relay.url, key, &t.admin, T0).await;
    // The test database's name: the last `dbname=` (the base string
    // names the cluster's own first).
    let name = db
        .split_whitespace()
        .filter_map(|kv| kv.strip_prefix("dbname="))
        .next_back()
        .unwrap()
        .to_string();
    // Uploads run on; each failure is retried on a fresh connection.
    let (url, keys, team_id, to) = (
        relay.url.clone(),
        t.inv_a.keys().to_secret_bytes(),
        team_id(&t.admin),
        member(&t.inv_b),
    );
    let uploader = tokio::spawn(async move {
        let keys = caravan_sync::DeviceKeys::from_bytes(&keys);
        let mut acked = Vec::new();
        let mut failures = 0u32;
        let mut client: Option<RelayClient> = None;
        let mut i = 0u32;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        while i < 200 && tokio::time::Instant::now() < deadline {
            if client.is_none() {
                client = RelayClient::connect(&url, key, team_id, &keys).await.ok();
            }
            let Some(c) = client.as_mut() else {
                failures += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            match c.upload(vec![to.clone()], body(i)).await {
                Ok(seq) => {
                    acked.push((seq, i));
                    i += 1;
                }
                Err(_) => {
                    failures += 1;
                    client = None;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        (acked, failures)
    });
    // Under load: some acknowledged first.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let dba = admin().await;
    // The database goes away: new connections refused, every one there
    // (the relay's pool and its listener) ended, for two seconds.
    dba.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .await
        .unwrap();
    assert!(!uploader.is_finished(), "the outage comes under load");
    let ended = dba
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1",
            &[&name],
        )
        .await
        .unwrap();
    assert!(!ended.is_empty(), "the relay's connections were ended");
    tokio::time::sleep(Duration::from_secs(2)).await;
    dba.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .await
        .unwrap();
    let (acked, failures) = tokio::time::timeout(Duration::from_secs(120), uploader)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        acked.len(),
        200,
        "uploads resumed once the database was back"
    );
    assert!(failures > 0, "the outage was felt");
    // Nothing acknowledged is lost, and the relay itself never died.
    let mut b = connect(&relay.url, key, &t.inv_b).await;
    let held = fetch_all(&mut b, 0).await;
    for (seq, i) in &acked {
        assert_eq!(
            held.get(seq),
            Some(&body(*i)),
            "envelope {seq} was acknowledged and lost"
        );
    }
}
