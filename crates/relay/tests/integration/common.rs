//! A team of real devices, relays in process or as child processes, and
//! throw-away PostgreSQL databases.

use std::sync::Arc;
use std::time::Duration;

use caravan_model::Role;
use caravan_net::relay_client::RelayClient;
use caravan_relay::store::Store;
use caravan_relay::store::postgres::PgStore;
use caravan_relay::store::sqlite::SqliteStore;
use caravan_relay::{Config, Running};
use caravan_sync::join::JoinRequest;
use caravan_sync::{DeviceKeys, Replica};

pub const T0: i64 = 1_767_000_000_000;

/// Every wait in the tests ends by this (a hang is a failure, not a
/// timing assertion).
pub const PATIENCE: Duration = Duration::from_secs(60);

pub struct Team {
    pub admin: Replica,
    pub inv_a: Replica,
    pub inv_b: Replica,
}

pub fn enrol(admin: &mut Replica, name: &str, role: Role) -> Replica {
    let keys = DeviceKeys::generate().unwrap();
    let request =
        JoinRequest::from_text(&JoinRequest::new(&keys, name, "laptop").to_text()).unwrap();
    let package = admin.approve(&request, role, T0).unwrap();
    Replica::accept(keys, &package, &admin.team_id().into()).unwrap()
}

pub fn team() -> Team {
    let mut admin = Replica::found(
        DeviceKeys::generate().unwrap(),
        "Unit",
        "Supervisor",
        "office",
        T0,
    )
    .unwrap();
    let inv_a = enrol(&mut admin, "Investigator A", Role::Investigator);
    let inv_b = enrol(&mut admin, "Investigator B", Role::Investigator);
    Team {
        admin,
        inv_a,
        inv_b,
    }
}

/// The founding device of an unrelated team.
pub fn other_team() -> Replica {
    Replica::found(
        DeviceKeys::generate().unwrap(),
        "Other unit",
        "Admin",
        "pc",
        T0,
    )
    .unwrap()
}

pub fn member(r: &Replica) -> String {
    r.me().unwrap().0
}

pub fn team_id(r: &Replica) -> [u8; 16] {
    r.team_id().0
}

/// Which store a test runs against.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite(Arc<tempfile::TempDir>),
    Postgres(String),
}

impl Backend {
    pub fn sqlite() -> Backend {
        Backend::Sqlite(Arc::new(tempfile::tempdir().unwrap()))
    }

    pub async fn open(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(dir) => Arc::new(SqliteStore::open(dir.path()).unwrap()),
            Backend::Postgres(url) => Arc::new(PgStore::connect(url, 8).await.unwrap()),
        }
    }
}

/// A fresh database on the PostgreSQL server `CARAVAN_TEST_POSTGRES`
/// names (a `key=value` string); `None` when it is not set, which CI
/// does not allow.
pub async fn postgres() -> Option<String> {
    let Ok(base) = std::env::var("CARAVAN_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the PostgreSQL tests: set CARAVAN_TEST_POSTGRES (scripts/test does)"
        );
        // Straight to the process's stderr: the test harness would
        // otherwise keep the line to itself when the test passes.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: PostgreSQL part of this test (CARAVAN_TEST_POSTGRES is not set)"
        );
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap();
    let name = format!("caravan_t_{}", hex::encode(rand_bytes::<6>()));
    let driver = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = driver.await;
    Some(format!("{base} dbname={name}"))
}

/// Ends every relay's listening connection to the database `db` (as a
/// restart or a network fault would); how many were ended.
pub async fn end_listeners(db: &str) -> usize {
    let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(conn);
    let ended = client
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND query LIKE 'LISTEN caravan%'",
            &[],
        )
        .await
        .unwrap();
    drop(client);
    let _ = driver.await;
    ended.len()
}

pub fn rand_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).unwrap();
    b
}

/// Every backend this run can test: SQLite, and PostgreSQL if set.
pub async fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::sqlite()];
    if let Some(url) = postgres().await {
        all.push(Backend::Postgres(url));
    }
    all
}

pub fn test_config() -> Config {
    Config {
        sweep_every: Duration::from_secs(3600),
        ..Config::default()
    }
}

pub async fn relay(backend: &Backend, config: Config) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    caravan_relay::start(backend.open().await, config, listener)
        .await
        .unwrap()
}

/// A relay on a fresh SQLite store with [`test_config`]: the store (kept
/// alive with the relay), the relay, its address and its key.
pub async fn sqlite_relay() -> (Backend, Running, String, [u8; 32]) {
    let backend = Backend::sqlite();
    let relay = relay(&backend, test_config()).await;
    let (url, key) = (url(&relay), relay.public_key);
    (backend, relay, url, key)
}

pub fn url(r: &Running) -> String {
    format!("ws://{}", r.addr)
}

/// Registers the team's roster through an unauthenticated connection.
pub async fn register(url: &str, key: [u8; 32], admin: &Replica, at: i64) -> u64 {
    let mut c = RelayClient::open(url, key).await.unwrap();
    c.register(admin.signed_roster(key, at).unwrap())
        .await
        .unwrap()
}

pub async fn connect(url: &str, key: [u8; 32], r: &Replica) -> RelayClient {
    RelayClient::connect(url, key, team_id(r), r.keys())
        .await
        .unwrap()
}

/// Every envelope waiting for `c` after `after`, by sequence number,
/// fetched page by page (at most 100 pages).
pub async fn fetch_all(
    c: &mut RelayClient,
    mut after: u64,
) -> std::collections::HashMap<u64, Vec<u8>> {
    let mut held = std::collections::HashMap::new();
    for _ in 0..100 {
        let (items, more) = c.fetch(after, 200).await.unwrap();
        for e in items {
            after = e.seq;
            held.insert(e.seq, e.body);
        }
        if !more {
            break;
        }
    }
    held
}

/// Waits for a `Notify` at most [`PATIENCE`].
pub async fn notified(c: &mut RelayClient) -> u64 {
    tokio::time::timeout(PATIENCE, c.next_notify())
        .await
        .expect("a notification")
        .unwrap()
}

/// The stable code of a failed call.
pub fn code<T>(r: Result<T, caravan_net::NetError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

/// A plain HTTP GET on loopback: status line and body.
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(PATIENCE, s.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}
