//! `caravan-relay`: serves the relay on an address, with SQLite in a
//! directory (the default) or a shared PostgreSQL database.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use caravan_relay::store::Store;
use caravan_relay::store::postgres::PgStore;
use caravan_relay::store::sqlite::SqliteStore;
use caravan_relay::{Config, start};
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "caravan-relay",
    version,
    about = "Stores and forwards Caravan's encrypted envelopes"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7447", env = "CARAVAN_RELAY_LISTEN")]
    listen: String,
    /// Directory of the SQLite store (made if missing).
    #[arg(long, env = "CARAVAN_RELAY_DATA", conflicts_with = "postgres")]
    data: Option<PathBuf>,
    /// PostgreSQL connection string: several relays may share one database.
    #[arg(long, env = "CARAVAN_RELAY_POSTGRES")]
    postgres: Option<String>,
    /// Days an envelope is kept when not every device has acknowledged it.
    #[arg(long, default_value_t = 30)]
    retention_days: u32,
    /// Megabytes of envelopes each team may hold.
    #[arg(long, default_value_t = 1024)]
    quota_mb: u64,
    /// The largest envelope taken, in megabytes.
    #[arg(long, default_value_t = 32)]
    max_envelope_mb: usize,
    /// Seconds between sweeps of acknowledged and expired envelopes.
    #[arg(long, default_value_t = 60)]
    sweep_seconds: u64,
    /// Take only these teams (their ids, shown under Team in the app);
    /// repeatable or comma-separated. Without it any team may register.
    #[arg(long = "allow-team", value_name = "TEAM_ID", value_delimiter = ',', env = "CARAVAN_RELAY_ALLOW_TEAMS", value_parser = parse_team_id)]
    allow_team: Vec<[u8; 16]>,
}

fn parse_team_id(text: &str) -> Result<[u8; 16], String> {
    hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("{text:?} is not a team id (32 hexadecimal digits)"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let store: Arc<dyn Store> = match (&args.postgres, &args.data) {
        (Some(url), _) => Arc::new(
            PgStore::connect(url, 16)
                .await
                .context("connecting to PostgreSQL")?,
        ),
        (None, Some(dir)) => {
            Arc::new(SqliteStore::open(dir).context("opening the data directory")?)
        }
        (None, None) => anyhow::bail!("give --data DIR (SQLite) or --postgres URL"),
    };
    let config = Config {
        max_envelope: args.max_envelope_mb.saturating_mul(1024 * 1024),
        quota_bytes: args.quota_mb.saturating_mul(1024 * 1024),
        retention_ms: i64::from(args.retention_days) * 86_400_000,
        sweep_every: Duration::from_secs(args.sweep_seconds.max(1)),
        allowed_teams: (!args.allow_team.is_empty())
            .then(|| args.allow_team.iter().copied().collect()),
    };
    match &config.allowed_teams {
        Some(teams) => tracing::info!(teams = teams.len(), "only the listed teams may register"),
        None => {
            tracing::warn!("any team may register (first come): list the teams with --allow-team")
        }
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let relay = start(store, config, listener).await?;
    // One line, on stdout, for the admin (and scripts) to read.
    println!(
        "caravan-relay key {} listening on {}",
        hex::encode(relay.public_key),
        relay.addr
    );
    shutdown_signal().await;
    tracing::info!("shutting down");
    relay.shutdown(Duration::from_secs(30)).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}
