//! The relay through outages it must survive without losing anything it
//! acknowledged: killed (SIGKILL, by its own pid) while a device
//! downloads; its PostgreSQL going away under load (every connection of
//! its database ended and new ones refused for a while, then back); and
//! a real restart of a PostgreSQL cluster of the test's own under load.

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

/// Uploads 200 envelopes from one device while the outage runs, each
/// failure retried on a fresh connection; returns once all are
/// acknowledged, having checked that the outage was felt and that every
/// envelope acknowledged is held afterwards.
async fn uploads_survive<F: std::future::Future<Output = ()>>(db: &str, outage: F) {
    let t = team();
    let relay = spawn_relay(&["--postgres", db]);
    let key = relay.key;
    register(&relay.url, key, &t.admin, T0).await;
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
    assert!(!uploader.is_finished(), "the outage comes under load");
    outage.await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_under_load_loses_nothing_acknowledged() {
    let Some(db) = postgres().await else { return };
    // The test database's name: the last `dbname=` (the base string
    // names the cluster's own first).
    let name = db
        .split_whitespace()
        .filter_map(|kv| kv.strip_prefix("dbname="))
        .next_back()
        .unwrap()
        .to_string();
    uploads_survive(&db, async {
        let dba = admin().await;
        // The database goes away: new connections refused, every one
        // there (the relay's pool and its listener) ended, for two
        // seconds.
        dba.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
            .await
            .unwrap();
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_loses_nothing_acknowledged() {
    if postgres().await.is_none() {
        return;
    }
    let Some(cluster) = OwnCluster::create() else {
        return;
    };
    let db = cluster.url();
    uploads_survive(&db, async {
        // A fast shutdown ends every session and rolls back what was not
        // committed, then the cluster starts again.
        let restart = tokio::task::spawn_blocking({
            let (version, name) = (cluster.version.clone(), cluster.name.clone());
            move || pg_ctl(&["pg_ctlcluster", &version, &name, "restart", "-m", "fast"])
        });
        restart.await.unwrap().expect("the cluster restarted");
    })
    .await;
}

/// A PostgreSQL cluster of one test's own, made beside the one scripts/test
/// runs the tests on (inside its `pg_virtualenv`), so that restarting it
/// disturbs no other test. Dropped with its data when the test ends.
struct OwnCluster {
    version: String,
    name: String,
    port: u16,
}

impl OwnCluster {
    /// `None` (the test says it is skipped) outside a `pg_virtualenv`.
    fn create() -> Option<OwnCluster> {
        let (Some(conf_root), Ok(version)) = (
            std::env::var_os("PG_CLUSTER_CONF_ROOT"),
            std::env::var("PGVERSION"),
        ) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the restart test inside scripts/test's pg_virtualenv"
            );
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the PostgreSQL restart test needs the pg_virtualenv scripts/test makes"
            );
            return None;
        };
        let name = format!("restart{}", std::process::id());
        // Its data beside the virtual environment's own cluster, in the
        // temporary directory that goes when the environment does.
        let data = std::path::Path::new(&conf_root)
            .parent()
            .expect("pg_virtualenv's directory")
            .join("data")
            .join(&version)
            .join(&name);
        let data = data.to_str().expect("a UTF-8 temporary path");
        // Trust on the cluster's own loopback port: a throw-away cluster
        // of one test, with no data but the test's.
        pg_ctl(&[
            "pg_createcluster",
            &version,
            &name,
            "-d",
            data,
            "--start",
            "--",
            "--auth=trust",
        ])
        .expect("a PostgreSQL cluster of the test's own");
        let listed = pg_ctl(&["pg_lsclusters", "--no-header"]).expect("pg_lsclusters");
        let port = listed
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|cols| cols.get(1) == Some(&name.as_str()))
            .and_then(|cols| cols.get(2)?.parse().ok())
            .expect("the new cluster's port");
        Some(OwnCluster {
            version,
            name,
            port,
        })
    }

    fn url(&self) -> String {
        format!(
            "host=localhost port={} user=postgres dbname=postgres",
            self.port
        )
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = pg_ctl(&["pg_dropcluster", &self.version, &self.name, "--stop"]);
    }
}

/// Runs one of postgresql-common's cluster commands; its output, or what
/// it said when it failed.
fn pg_ctl(args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new(args[0])
        .args(&args[1..])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", args[0]))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
