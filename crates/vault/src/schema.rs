//! Vault database schema: numbered, append-only migrations.
//!
//! Never edit or reorder an existing migration: append a new one and bump
//! nothing else — `FORMAT_VERSION` is the number of migrations. Every
//! migration runs inside the caller's transaction.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, VaultError};

/// SQLite `application_id` of a Caravan vault ("CRVV").
pub const APPLICATION_ID: i32 = 0x4352_5656;
/// Magic stored in `meta` under key `magic`.
pub const MAGIC: &[u8] = b"CARAVAN-VAULT";
/// File name of the database inside the vault folder.
pub const DB_FILE: &str = "vault.db";
/// File name of the process lock inside the vault folder.
pub const LOCK_FILE: &str = "vault.lock";

/// The migrations, in order. Migration `i` (1-based) takes the schema from
/// version `i - 1` to version `i`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: base tables.
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
     CREATE TABLE keyslots(kind TEXT PRIMARY KEY, m_kib INTEGER NOT NULL, t INTEGER NOT NULL,
                           p INTEGER NOT NULL, salt BLOB NOT NULL, wrapped BLOB NOT NULL) WITHOUT ROWID;
     CREATE TABLE doc_chunks(doc_id BLOB NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL,
                             ct BLOB NOT NULL, PRIMARY KEY(doc_id, seq));
     CREATE TABLE case_index(doc_id BLOB PRIMARY KEY, ct BLOB NOT NULL);
     CREATE TABLE attachments(att_id BLOB PRIMARY KEY, ct BLOB NOT NULL);
     CREATE TABLE attachment_chunks(att_id BLOB NOT NULL, idx INTEGER NOT NULL, ct BLOB NOT NULL,
                                    PRIMARY KEY(att_id, idx));
     CREATE TABLE audit(seq INTEGER PRIMARY KEY, ct BLOB NOT NULL);",
    // 2: encrypted key/value records (device keys, team keys, sync state,
    //    change signatures, quarantine).
    "CREATE TABLE records(kind INTEGER NOT NULL, tag BLOB NOT NULL, ct BLOB NOT NULL,
                          PRIMARY KEY(kind, tag)) WITHOUT ROWID;",
    // 3: records of kinds 7 (held change) and 8 (quarantined change), one
    //    per change, replace the application state record that held them
    //    all. No table changes; the version keeps earlier builds, which
    //    would not see those records, from opening the vault.
    "-- record kinds 7 and 8",
];

/// Current format version (= number of migrations).
pub const FORMAT_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_put(conn: &Connection, key: &str, value: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn format_version(conn: &Connection) -> Result<u32> {
    let v = meta_get(conn, "format_version")?
        .ok_or_else(|| VaultError::NotAVault("the vault database".into()))?;
    let arr: [u8; 4] = v
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::NotAVault("the vault database".into()))?;
    Ok(u32::from_be_bytes(arr))
}

/// Applies migrations `from+1 ..= to` (within the caller's transaction).
pub(crate) fn migrate(conn: &Connection, from: u32, to: u32) -> Result<()> {
    for v in from + 1..=to {
        let sql = MIGRATIONS[(v - 1) as usize];
        conn.execute_batch(sql)?;
        if v > 1 || meta_exists(conn)? {
            meta_put(conn, "format_version", &v.to_be_bytes())?;
        }
        tracing::info!(version = v, "vault schema migrated");
    }
    Ok(())
}

fn meta_exists(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
