//! The embedded store: one SQLite file (WAL, synchronous=FULL, so an
//! envelope acknowledged with `Stored` survives a crash). One connection
//! behind a mutex, used from tokio's blocking threads: SQLite writes one
//! transaction at a time anyway.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use caravan_net::relay_proto::Envelope;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use zeroize::Zeroizing;

use super::{
    DeviceId, NewEnvelope, NewRoster, Page, Reader, Result, Store, StoreError, StoredEnvelope,
    StoredRoster, TeamId, TeamStats, backend, page_len, signed, to_array, unsigned,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS relay_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS teams (
  team_id BLOB PRIMARY KEY,
  roster BLOB NOT NULL,
  roster_version INTEGER NOT NULL,
  next_seq INTEGER NOT NULL DEFAULT 1,
  used_bytes INTEGER NOT NULL DEFAULT 0,
  retention_days INTEGER,
  quota_bytes INTEGER
);
CREATE TABLE IF NOT EXISTS roster_devices (
  team_id BLOB NOT NULL,
  device BLOB NOT NULL,
  member TEXT NOT NULL,
  PRIMARY KEY (team_id, device)
);
CREATE TABLE IF NOT EXISTS envelopes (
  team_id BLOB NOT NULL,
  seq INTEGER NOT NULL,
  from_device BLOB NOT NULL,
  at_ms INTEGER NOT NULL,
  body BLOB NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (team_id, seq)
);
CREATE TABLE IF NOT EXISTS recipients (
  team_id BLOB NOT NULL,
  seq INTEGER NOT NULL,
  member TEXT NOT NULL,
  PRIMARY KEY (team_id, seq, member)
);
CREATE INDEX IF NOT EXISTS recipients_by_member ON recipients (team_id, member, seq);
CREATE TABLE IF NOT EXISTS cursors (
  team_id BLOB NOT NULL,
  device BLOB NOT NULL,
  cursor INTEGER NOT NULL,
  PRIMARY KEY (team_id, device)
);
";

/// Two connections: appends and other writes go through one (SQLite
/// writes one transaction at a time anyway); fetches and other reads
/// through the other, so a large fetch page does not hold up appends (WAL
/// lets a reader see every committed transaction while a writer works).
pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(backend)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(backend)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(backend)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(backend)?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (or creates) `dir/relay.sqlite`.
    pub fn open(dir: &Path) -> Result<SqliteStore> {
        std::fs::create_dir_all(dir).map_err(backend)?;
        let path = dir.join("relay.sqlite");
        let writer = connect(&path)?;
        writer.execute_batch(SCHEMA).map_err(backend)?;
        Ok(SqliteStore {
            writer: Arc::new(Mutex::new(writer)),
            reader: Arc::new(Mutex::new(connect(&path)?)),
        })
    }

    /// Runs `f` on the writing connection, on a blocking thread.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        Self::on(self.writer.clone(), f).await
    }

    /// Runs `f` on the reading connection.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        Self::on(self.reader.clone(), f).await
    }

    async fn on<T: Send + 'static>(
        conn: Arc<Mutex<Connection>>,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        tokio::task::spawn_blocking(move || {
            let mut c = conn
                .lock()
                .map_err(|_| backend("the storage lock is poisoned"))?;
            f(&mut c)
        })
        .await
        .map_err(backend)?
    }
}

fn held_version(tx: &Transaction<'_>, team: &TeamId) -> Result<Option<u64>> {
    tx.query_row(
        "SELECT roster_version FROM teams WHERE team_id = ?1",
        [&team[..]],
        |r| r.get::<_, i64>(0),
    )
    .optional()
    .map_err(backend)?
    .map(unsigned)
    .transpose()
}

fn put_roster(c: &mut Connection, r: &NewRoster) -> Result<()> {
    let tx = c.transaction().map_err(backend)?;
    let held = held_version(&tx, &r.team)?;
    if held != r.replaces {
        return Err(StoreError::StaleRoster {
            held: held.unwrap_or(0),
        });
    }
    let version = signed(r.version)?;
    if held.is_none() {
        tx.execute(
            "INSERT INTO teams (team_id, roster, roster_version) VALUES (?1, ?2, ?3)",
            params![&r.team[..], r.signed, version],
        )
    } else {
        tx.execute(
            "UPDATE teams SET roster = ?2, roster_version = ?3 WHERE team_id = ?1",
            params![&r.team[..], r.signed, version],
        )
    }
    .map_err(backend)?;
    tx.execute(
        "DELETE FROM roster_devices WHERE team_id = ?1",
        [&r.team[..]],
    )
    .map_err(backend)?;
    {
        let mut ins = tx
            .prepare("INSERT OR IGNORE INTO roster_devices (team_id, device, member) VALUES (?1, ?2, ?3)")
            .map_err(backend)?;
        for (device, member) in &r.devices {
            ins.execute(params![&r.team[..], &device[..], member])
                .map_err(backend)?;
        }
    }
    tx.commit().map_err(backend)
}

fn append(c: &mut Connection, e: &NewEnvelope, quota: u64) -> Result<u64> {
    let size = signed(e.body.len() as u64)?;
    let tx = c
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(backend)?;
    let seq: Option<i64> = tx
        .query_row(
            "UPDATE teams SET next_seq = next_seq + 1, used_bytes = used_bytes + ?2
             WHERE team_id = ?1 AND used_bytes + ?2 <= COALESCE(quota_bytes, ?3)
             RETURNING next_seq - 1",
            params![&e.team[..], size, signed(quota)?],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    let Some(seq) = seq else {
        let used: Option<(i64, Option<i64>)> = tx
            .query_row(
                "SELECT used_bytes, quota_bytes FROM teams WHERE team_id = ?1",
                [&e.team[..]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(backend)?;
        return Err(match used {
            None => StoreError::UnknownTeam,
            Some((used, own)) => StoreError::Quota {
                used: unsigned(used)?,
                quota: own.map(unsigned).transpose()?.unwrap_or(quota),
            },
        });
    };
    tx.execute(
        "INSERT INTO envelopes (team_id, seq, from_device, at_ms, body, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![&e.team[..], seq, &e.from[..], e.at_ms, e.body, size],
    )
    .map_err(backend)?;
    {
        let mut ins = tx
            .prepare("INSERT OR IGNORE INTO recipients (team_id, seq, member) VALUES (?1, ?2, ?3)")
            .map_err(backend)?;
        for m in &e.to {
            ins.execute(params![&e.team[..], seq, m]).map_err(backend)?;
        }
    }
    tx.commit().map_err(backend)?;
    unsigned(seq)
}

const PAGE_SIZES: &str = "SELECT e.seq, e.size FROM recipients r
  JOIN envelopes e ON e.team_id = r.team_id AND e.seq = r.seq
  WHERE r.team_id = ?1 AND r.member = ?2 AND r.seq > ?3 AND e.from_device != ?4
  ORDER BY r.seq LIMIT ?5";
const PAGE_BODIES: &str = "SELECT e.seq, e.from_device, e.at_ms, e.body FROM recipients r
  JOIN envelopes e ON e.team_id = r.team_id AND e.seq = r.seq
  WHERE r.team_id = ?1 AND r.member = ?2 AND r.seq > ?3 AND e.from_device != ?4 AND r.seq <= ?5
  ORDER BY r.seq";

fn fetch(
    c: &mut Connection,
    rd: &Reader,
    after: u64,
    limit: u32,
    max_bytes: usize,
) -> Result<Page> {
    let after = signed(after)?;
    // Sizes first (limit + 1 rows, to know whether more wait), then the
    // bodies of those that fit: never more than a page of bodies in memory.
    let mut st = c.prepare_cached(PAGE_SIZES).map_err(backend)?;
    let rows: Vec<(i64, i64)> = st
        .query_map(
            params![
                &rd.team[..],
                rd.member,
                after,
                &rd.device[..],
                i64::from(limit) + 1
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(backend)?
        .collect::<std::result::Result<_, _>>()
        .map_err(backend)?;
    let sizes: Vec<i64> = rows.iter().take(limit as usize).map(|r| r.1).collect();
    let n = page_len(&sizes, max_bytes);
    let Some(last) = rows.get(n.saturating_sub(1)).filter(|_| n > 0) else {
        return Ok(Page::default());
    };
    let mut st = c.prepare_cached(PAGE_BODIES).map_err(backend)?;
    let items = st
        .query_map(
            params![&rd.team[..], rd.member, after, &rd.device[..], last.0],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            },
        )
        .map_err(backend)?
        .map(|row| {
            let (seq, from, at_ms, body) = row.map_err(backend)?;
            Ok(Envelope {
                seq: unsigned(seq)?,
                from: to_array(&from)?,
                at_ms,
                body,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        more: rows.len() > n,
    })
}

/// Deletes envelopes past retention, and envelopes every device they are
/// for has acknowledged — but not one addressed to a member with no
/// device on the roster yet (a member just enrolled, before an admin's
/// device sends the relay the new roster): that one waits for its devices,
/// until retention.
const SWEEP: &str = "DELETE FROM envelopes WHERE at_ms < ?1 - COALESCE(
    (SELECT t.retention_days * 86400000 FROM teams t WHERE t.team_id = envelopes.team_id), ?2)
  OR (NOT EXISTS (
    SELECT 1 FROM recipients r
    JOIN roster_devices d ON d.team_id = r.team_id AND d.member = r.member
    LEFT JOIN cursors c ON c.team_id = d.team_id AND c.device = d.device
    WHERE r.team_id = envelopes.team_id AND r.seq = envelopes.seq
      AND d.device != envelopes.from_device AND COALESCE(c.cursor, 0) < envelopes.seq)
  AND NOT EXISTS (
    SELECT 1 FROM recipients r
    WHERE r.team_id = envelopes.team_id AND r.seq = envelopes.seq
      AND NOT EXISTS (SELECT 1 FROM roster_devices d
        WHERE d.team_id = r.team_id AND d.member = r.member
          AND d.device != envelopes.from_device)))
  RETURNING team_id, size";

fn sweep(c: &mut Connection, now_ms: i64, retention_ms: i64) -> Result<u64> {
    let tx = c.transaction().map_err(backend)?;
    let mut freed: HashMap<Vec<u8>, i64> = HashMap::new();
    let mut count = 0u64;
    {
        let mut st = tx.prepare(SWEEP).map_err(backend)?;
        let mut rows = st.query(params![now_ms, retention_ms]).map_err(backend)?;
        while let Some(row) = rows.next().map_err(backend)? {
            let team: Vec<u8> = row.get(0).map_err(backend)?;
            let size: i64 = row.get(1).map_err(backend)?;
            *freed.entry(team).or_default() += size;
            count += 1;
        }
    }
    for (team, bytes) in freed {
        tx.execute(
            "UPDATE teams SET used_bytes = MAX(0, used_bytes - ?2) WHERE team_id = ?1",
            params![team, bytes],
        )
        .map_err(backend)?;
    }
    tx.execute(
        "DELETE FROM recipients WHERE NOT EXISTS (SELECT 1 FROM envelopes e
           WHERE e.team_id = recipients.team_id AND e.seq = recipients.seq)",
        [],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)?;
    Ok(count)
}

#[async_trait]
impl Store for SqliteStore {
    async fn relay_secret(&self, fresh: [u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
        let fresh = Zeroizing::new(fresh);
        self.run(move |c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(backend)?;
            tx.execute(
                "INSERT OR IGNORE INTO relay_identity (id, secret) VALUES (1, ?1)",
                [&fresh[..]],
            )
            .map_err(backend)?;
            let secret = Zeroizing::new(
                tx.query_row("SELECT secret FROM relay_identity WHERE id = 1", [], |r| {
                    r.get::<_, Vec<u8>>(0)
                })
                .map_err(backend)?,
            );
            tx.commit().map_err(backend)?;
            Ok(Zeroizing::new(to_array(&secret)?))
        })
        .await
    }

    async fn roster(&self, team: TeamId) -> Result<Option<StoredRoster>> {
        self.read(move |c| {
            let row: Option<(Vec<u8>, i64)> = c
                .query_row(
                    "SELECT roster, roster_version FROM teams WHERE team_id = ?1",
                    [&team[..]],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(backend)?;
            row.map(|(signed, v)| {
                Ok(StoredRoster {
                    signed,
                    version: unsigned(v)?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn roster_version(&self, team: TeamId) -> Result<Option<u64>> {
        self.read(move |c| {
            let tx = c.transaction().map_err(backend)?;
            held_version(&tx, &team)
        })
        .await
    }

    async fn put_roster(&self, roster: NewRoster) -> Result<()> {
        self.run(move |c| put_roster(c, &roster)).await
    }

    async fn append(&self, e: NewEnvelope, quota: u64) -> Result<u64> {
        self.run(move |c| append(c, &e, quota)).await
    }

    async fn fetch(
        &self,
        reader: &Reader,
        after: u64,
        limit: u32,
        max_bytes: usize,
    ) -> Result<Page> {
        let reader = reader.clone();
        self.read(move |c| fetch(c, &reader, after, limit, max_bytes))
            .await
    }

    async fn ack(&self, team: TeamId, device: DeviceId, seq: u64) -> Result<()> {
        let seq = signed(seq.min(i64::MAX as u64))?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO cursors (team_id, device, cursor)
                 VALUES (?1, ?2, MIN(?3, (SELECT next_seq - 1 FROM teams WHERE team_id = ?1)))
                 ON CONFLICT (team_id, device) DO UPDATE SET cursor = MAX(cursor, excluded.cursor)",
                params![&team[..], &device[..], seq],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn cursor(&self, team: TeamId, device: DeviceId) -> Result<u64> {
        self.read(move |c| {
            let v: Option<i64> = c
                .query_row(
                    "SELECT cursor FROM cursors WHERE team_id = ?1 AND device = ?2",
                    params![&team[..], &device[..]],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            unsigned(v.unwrap_or(0))
        })
        .await
    }

    async fn sweep(&self, now_ms: i64, retention_ms: i64) -> Result<u64> {
        self.run(move |c| sweep(c, now_ms, retention_ms)).await
    }

    async fn envelope(
        &self,
        team: TeamId,
        seq: u64,
        max_body: usize,
    ) -> Result<Option<StoredEnvelope>> {
        let (at, max_body) = (signed(seq)?, signed(max_body as u64)?);
        self.read(move |c| {
            let row: Option<(Vec<u8>, i64, i64, Option<Vec<u8>>)> = c
                .query_row(
                    "SELECT from_device, at_ms, size, CASE WHEN size <= ?3 THEN body END
                     FROM envelopes WHERE team_id = ?1 AND seq = ?2",
                    params![&team[..], at, max_body],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(backend)?;
            let Some((from, at_ms, size, body)) = row else {
                return Ok(None);
            };
            let mut st = c
                .prepare_cached("SELECT member FROM recipients WHERE team_id = ?1 AND seq = ?2")
                .map_err(backend)?;
            let to = st
                .query_map(params![&team[..], at], |r| r.get(0))
                .map_err(backend)?
                .collect::<std::result::Result<Vec<String>, _>>()
                .map_err(backend)?;
            Ok(Some(StoredEnvelope {
                seq,
                from: to_array(&from)?,
                at_ms,
                to,
                size: unsigned(size)?,
                body,
            }))
        })
        .await
    }

    async fn stats(&self) -> Result<Vec<TeamStats>> {
        self.read(|c| {
            let mut st = c
                .prepare("SELECT t.team_id, (SELECT COUNT(*) FROM envelopes e WHERE e.team_id = t.team_id), t.used_bytes FROM teams t")
                .map_err(backend)?;
            st.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))
                .map_err(backend)?
                .map(|row| {
                    let (team, n, bytes) = row.map_err(backend)?;
                    Ok(TeamStats { team: to_array(&team)?, envelopes: unsigned(n)?, bytes: unsigned(bytes)? })
                })
                .collect()
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        self.read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(backend))
            .await
    }

    fn announces(&self) -> bool {
        false
    }
}
