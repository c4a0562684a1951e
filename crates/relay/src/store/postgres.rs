//! The shared store: PostgreSQL, for several relay processes behind one
//! address. Appends and roster changes are announced with NOTIFY in their
//! own transactions, so every process hears of them once they commit.

use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;
use caravan_net::relay_proto::Envelope;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;
use zeroize::Zeroizing;

use super::pg_schema::{APPEND, ENVELOPE, LOCK, PAGE_BODIES, PAGE_SIZES, SCHEMA, SWEEP};
use super::{
    DeviceId, NewEnvelope, NewRoster, Page, Reader, Result, Store, StoreError, StoredEnvelope,
    StoredRoster, TeamId, TeamStats, backend, page_len, signed, to_array, unsigned,
};
use crate::hub::Hub;

const INSERT_ENVELOPE: &str = "INSERT INTO envelopes (team_id, seq, from_device, at_ms, body, size) VALUES ($1, $2, $3, $4, $5, $6)";
const INSERT_RECIPIENTS: &str =
    "INSERT INTO recipients (team_id, seq, member) SELECT $1, $2, unnest($3::TEXT[])";

/// The channels every process listens on.
pub const ENVELOPES_CHANNEL: &str = "caravan_envelopes";
pub const ROSTERS_CHANNEL: &str = "caravan_rosters";

#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    config: tokio_postgres::Config,
}

impl PgStore {
    /// Connects (a URL or `key=value` string) and makes the schema.
    pub async fn connect(url: &str, pool_size: usize) -> Result<PgStore> {
        let config = tokio_postgres::Config::from_str(url).map_err(backend)?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size)
            .build()
            .map_err(backend)?;
        let store = PgStore { pool, config };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
            .await
            .map_err(backend)?;
        tx.batch_execute(SCHEMA).await.map_err(backend)?;
        tx.commit().await.map_err(backend)
    }
}

fn hex_payload(team: &TeamId, n: u64) -> String {
    format!("{}:{n}", hex::encode(team))
}

#[async_trait]
impl Store for PgStore {
    async fn relay_secret(&self, fresh: [u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
        let c = self.pool.get().await.map_err(backend)?;
        c.execute(
            "INSERT INTO relay_identity (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
            &[&&fresh[..]],
        )
        .await
        .map_err(backend)?;
        let row = c
            .query_one("SELECT secret FROM relay_identity WHERE id = 1", &[])
            .await
            .map_err(backend)?;
        let secret: Zeroizing<Vec<u8>> = Zeroizing::new(row.get(0));
        Ok(Zeroizing::new(to_array(&secret)?))
    }

    async fn roster(&self, team: TeamId) -> Result<Option<StoredRoster>> {
        let c = self.pool.get().await.map_err(backend)?;
        let row = c
            .query_opt(
                "SELECT roster, roster_version FROM teams WHERE team_id = $1",
                &[&&team[..]],
            )
            .await
            .map_err(backend)?;
        row.map(|r| {
            Ok(StoredRoster {
                signed: r.get(0),
                version: unsigned(r.get(1))?,
            })
        })
        .transpose()
    }

    async fn roster_version(&self, team: TeamId) -> Result<Option<u64>> {
        let c = self.pool.get().await.map_err(backend)?;
        c.query_opt(
            "SELECT roster_version FROM teams WHERE team_id = $1",
            &[&&team[..]],
        )
        .await
        .map_err(backend)?
        .map(|r| unsigned(r.get(0)))
        .transpose()
    }

    async fn put_roster(&self, r: NewRoster) -> Result<()> {
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        let team = &r.team[..];
        let version = signed(r.version)?;
        let changed = match r.replaces {
            None => tx
                .execute(
                    "INSERT INTO teams (team_id, roster, roster_version) VALUES ($1, $2, $3)
                     ON CONFLICT (team_id) DO NOTHING",
                    &[&team, &r.signed, &version],
                )
                .await,
            Some(old) => tx
                .execute(
                    "UPDATE teams SET roster = $2, roster_version = $3 WHERE team_id = $1 AND roster_version = $4",
                    &[&team, &r.signed, &version, &signed(old)?],
                )
                .await,
        }
        .map_err(backend)?;
        if changed != 1 {
            let held = tx
                .query_opt(
                    "SELECT roster_version FROM teams WHERE team_id = $1",
                    &[&team],
                )
                .await
                .map_err(backend)?
                .map(|row| unsigned(row.get(0)))
                .transpose()?;
            return Err(StoreError::StaleRoster {
                held: held.unwrap_or(0),
            });
        }
        tx.execute("DELETE FROM roster_devices WHERE team_id = $1", &[&team])
            .await
            .map_err(backend)?;
        let ins = tx
            .prepare("INSERT INTO roster_devices (team_id, device, member) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .await
            .map_err(backend)?;
        for (device, member) in &r.devices {
            tx.execute(&ins, &[&team, &&device[..], member])
                .await
                .map_err(backend)?;
        }
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&ROSTERS_CHANNEL, &hex_payload(&r.team, r.version)],
        )
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn append(&self, e: NewEnvelope, quota: u64) -> Result<u64> {
        let mut c = self.pool.get().await.map_err(backend)?;
        let tx = c.transaction().await.map_err(backend)?;
        // Prepared once per pooled connection, then only executed: the
        // team's row lock below is held for as few round trips as can be.
        let (append, envelope, recipients, notify) = tokio::try_join!(
            tx.prepare_cached(APPEND),
            tx.prepare_cached(INSERT_ENVELOPE),
            tx.prepare_cached(INSERT_RECIPIENTS),
            tx.prepare_cached("SELECT pg_notify($1, $2)"),
        )
        .map_err(backend)?;
        let team = &e.team[..];
        let size = signed(e.body.len() as u64)?;
        // The row lock taken here is held to the commit: the next append
        // of the team waits, so numbers commit in order.
        let row = tx
            .query_opt(&append, &[&team, &size, &signed(quota)?])
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            let t = tx
                .query_opt(
                    "SELECT used_bytes, quota_bytes FROM teams WHERE team_id = $1",
                    &[&team],
                )
                .await
                .map_err(backend)?;
            return Err(match t {
                None => StoreError::UnknownTeam,
                Some(t) => StoreError::Quota {
                    used: unsigned(t.get(0))?,
                    quota: t
                        .get::<_, Option<i64>>(1)
                        .map(unsigned)
                        .transpose()?
                        .unwrap_or(quota),
                },
            });
        };
        let seq: i64 = row.get(0);
        let mut to = e.to.clone();
        to.sort();
        to.dedup();
        let payload = hex_payload(&e.team, unsigned(seq)?);
        let from = &e.from[..];
        let row: [&(dyn ToSql + Sync); 6] = [&team, &seq, &from, &e.at_ms, &e.body, &size];
        let rcpt: [&(dyn ToSql + Sync); 3] = [&team, &seq, &to];
        let note: [&(dyn ToSql + Sync); 2] = [&ENVELOPES_CHANNEL, &payload];
        // Sent together (one connection pipelines them); the NOTIFY is
        // delivered at the commit, like the rows.
        tokio::try_join!(
            tx.execute(&envelope, &row),
            tx.execute(&recipients, &rcpt),
            tx.execute(&notify, &note),
        )
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        unsigned(seq)
    }

    async fn fetch(&self, rd: &Reader, after: u64, limit: u32, max_bytes: usize) -> Result<Page> {
        let c = self.pool.get().await.map_err(backend)?;
        let (team, device, after) = (&rd.team[..], &rd.device[..], signed(after)?);
        let rows = c
            .query(
                PAGE_SIZES,
                &[&team, &rd.member, &after, &device, &(i64::from(limit) + 1)],
            )
            .await
            .map_err(backend)?;
        let sizes: Vec<i64> = rows.iter().take(limit as usize).map(|r| r.get(1)).collect();
        let n = page_len(&sizes, max_bytes);
        if n == 0 {
            return Ok(Page::default());
        }
        let last: i64 = rows[n - 1].get(0);
        let items = c
            .query(PAGE_BODIES, &[&team, &rd.member, &after, &device, &last])
            .await
            .map_err(backend)?
            .into_iter()
            .map(|r| {
                Ok(Envelope {
                    seq: unsigned(r.get(0))?,
                    from: to_array(r.get::<_, &[u8]>(1))?,
                    at_ms: r.get(2),
                    body: r.get(3),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            more: rows.len() > n,
        })
    }

    async fn ack(&self, team: TeamId, device: DeviceId, seq: u64) -> Result<()> {
        let c = self.pool.get().await.map_err(backend)?;
        c.execute(
            "INSERT INTO cursors (team_id, device, cursor)
             VALUES ($1, $2, LEAST($3, (SELECT next_seq - 1 FROM teams WHERE team_id = $1)))
             ON CONFLICT (team_id, device) DO UPDATE SET cursor = GREATEST(cursors.cursor, excluded.cursor)",
            &[&&team[..], &&device[..], &signed(seq.min(i64::MAX as u64))?],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn cursor(&self, team: TeamId, device: DeviceId) -> Result<u64> {
        let c = self.pool.get().await.map_err(backend)?;
        let row = c
            .query_opt(
                "SELECT cursor FROM cursors WHERE team_id = $1 AND device = $2",
                &[&&team[..], &&device[..]],
            )
            .await
            .map_err(backend)?;
        unsigned(row.map(|r| r.get(0)).unwrap_or(0))
    }

    async fn sweep(&self, now_ms: i64, retention_ms: i64) -> Result<u64> {
        let c = self.pool.get().await.map_err(backend)?;
        let row = c
            .query_one(SWEEP, &[&now_ms, &retention_ms])
            .await
            .map_err(backend)?;
        unsigned(row.get(0))
    }

    async fn envelope(
        &self,
        team: TeamId,
        seq: u64,
        max_body: usize,
    ) -> Result<Option<StoredEnvelope>> {
        let c = self.pool.get().await.map_err(backend)?;
        let st = c.prepare_cached(ENVELOPE).await.map_err(backend)?;
        let max_body = signed(max_body as u64)?;
        let Some(row) = c
            .query_opt(&st, &[&&team[..], &signed(seq)?, &max_body])
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        Ok(Some(StoredEnvelope {
            seq,
            from: to_array(row.get::<_, &[u8]>(0))?,
            at_ms: row.get(1),
            size: unsigned(row.get(2))?,
            body: row.get(3),
            to: row.get(4),
        }))
    }

    async fn stats(&self) -> Result<Vec<TeamStats>> {
        let c = self.pool.get().await.map_err(backend)?;
        c.query(
            "SELECT t.team_id, (SELECT COUNT(*) FROM envelopes e WHERE e.team_id = t.team_id), t.used_bytes FROM teams t",
            &[],
        )
        .await
        .map_err(backend)?
        .into_iter()
        .map(|r| {
            Ok(TeamStats {
                team: to_array(r.get::<_, &[u8]>(0))?,
                envelopes: unsigned(r.get(1))?,
                bytes: unsigned(r.get(2))?,
            })
        })
        .collect()
    }

    async fn ping(&self) -> Result<()> {
        let c = self.pool.get().await.map_err(backend)?;
        c.execute("SELECT 1", &[]).await.map_err(backend)?;
        Ok(())
    }

    fn announces(&self) -> bool {
        true
    }

    /// Listens for the announcements of every process (this one included)
    /// and publishes them to `hub`; reconnects when the listening
    /// connection drops.
    fn listen(&self, hub: Arc<Hub>) {
        tokio::spawn(super::pg_listen::run(
            self.config.clone(),
            self.clone(),
            hub,
        ));
    }
}
