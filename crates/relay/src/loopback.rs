//! A relay on loopback with a SQLite store, served by a runtime of its own
//! until dropped: for the tests of the front ends that sync through one.

use std::path::Path;
use std::sync::Arc;

use crate::store::sqlite::SqliteStore;
use crate::{Config, Running, StartError};

pub struct LoopbackRelay {
    /// `ws://127.0.0.1:port`.
    pub url: String,
    /// The relay's public key, in hex, as an admin types it.
    pub key: String,
    // Dropped before the runtime that serves it.
    _running: Running,
    _runtime: tokio::runtime::Runtime,
}

/// Starts a relay on a free loopback port, storing in `dir`.
pub fn loopback(dir: &Path) -> Result<LoopbackRelay, StartError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| StartError::Listen(e.to_string()))?;
    let store = Arc::new(SqliteStore::open(dir)?);
    let running = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| StartError::Listen(e.to_string()))?;
        crate::start(store, Config::default(), listener).await
    })?;
    Ok(LoopbackRelay {
        url: format!("ws://{}", running.addr),
        key: hex::encode(running.public_key),
        _running: running,
        _runtime: runtime,
    })
}
