//! What the relay stores is what it was given, sealed: a canary sealed
//! inside an envelope never appears in the SQLite files or a pg_dump.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use super::common::*;

const CANARY: &[u8] = b"CANARY-7f3a-victim-name-Aigerim-Nurlanovna";

fn sealed() -> Vec<u8> {
    let key = rand_bytes::<32>();
    let cipher = ChaCha20Poly1305::new(&Key::from(key));
    let mut plain = b"case notes: ".to_vec();
    plain.extend_from_slice(CANARY);
    let nonce = rand_bytes::<12>();
    let mut out = nonce.to_vec();
    out.extend(
        cipher
            .encrypt(&Nonce::from(nonce), plain.as_slice())
            .unwrap(),
    );
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn upload_canary(backend: &Backend) -> Vec<u8> {
    let t = team();
    let relay = relay(backend, test_config()).await;
    let (url, key) = (url(&relay), relay.public_key);
    register(&url, key, &t.admin, T0).await;
    let mut a = connect(&url, key, &t.inv_a).await;
    let body = sealed();
    assert!(!contains(&body, CANARY));
    a.upload(vec![member(&t.inv_b)], body.clone())
        .await
        .unwrap();
    relay.shutdown(PATIENCE).await;
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canary_never_reaches_the_sqlite_files() {
    let backend = Backend::sqlite();
    let body = upload_canary(&backend).await;
    let Backend::Sqlite(dir) = &backend else {
        unreachable!()
    };
    let mut all = Vec::new();
    for name in ["relay.sqlite", "relay.sqlite-wal"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(name)) {
            all.extend(bytes);
        }
    }
    // The sealed body is there (the scan sees what was stored)...
    assert!(contains(&all, &body[12..44]));
    // ...and the canary is not.
    assert!(!contains(&all, CANARY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canary_never_reaches_a_pg_dump() {
    let Some(db) = postgres().await else { return };
    let backend = Backend::Postgres(db.clone());
    let body = upload_canary(&backend).await;
    let out = std::process::Command::new("pg_dump")
        .arg("--dbname")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = out.stdout;
    assert!(
        contains(&dump, hex::encode(&body[12..44]).as_bytes()),
        "the sealed body is in the dump"
    );
    assert!(!contains(&dump, CANARY));
    assert!(!contains(&dump, hex::encode(CANARY).as_bytes()));
}
