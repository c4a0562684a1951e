//! Load bench for the relay (run by hand, never by the tests), over
//! loopback against the relay binary as a child process:
//!
//! - memory per idle authenticated connection (the relay's RSS, from
//!   /proc/<pid>/status, before and after opening them);
//! - appends per second (SQLite, and PostgreSQL with `--postgres`);
//! - fan-out latency, p50 and p99, from an upload's start to each
//!   subscriber's `Notify`, at a fixed upload rate.
//!
//! ```sh
//! cargo build --release -p caravan-relay
//! target/release/relay-load --connections 200 --subscribers 100 --rate 200
//! ```
//!
//! Every phase is bounded in count and time.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use caravan_net::relay_client::RelayClient;
use caravan_sync::DeviceKeys;
use caravan_sync::roster::{Roster, RosterDevice, SignedRoster};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Load bench for caravan-relay (loopback only)")]
struct Args {
    /// Idle authenticated connections to hold.
    #[arg(long, default_value_t = 200)]
    connections: usize,
    /// Envelopes appended for the appends/s figure.
    #[arg(long, default_value_t = 2000)]
    appends: usize,
    /// Concurrent uploaders for the appends/s figure.
    #[arg(long, default_value_t = 4)]
    uploaders: usize,
    /// Subscribers for the fan-out figure.
    #[arg(long, default_value_t = 100)]
    subscribers: usize,
    /// Envelopes per second during the fan-out run.
    #[arg(long, default_value_t = 200)]
    rate: u32,
    /// Seconds the fan-out run lasts.
    #[arg(long, default_value_t = 5)]
    seconds: u32,
    /// Envelope body size in bytes.
    #[arg(long, default_value_t = 1024)]
    body: usize,
    /// Also measure appends/s against this PostgreSQL database.
    #[arg(long)]
    postgres: Option<String>,
}

/// Every wait ends by this.
const PATIENCE: Duration = Duration::from_secs(120);

struct Relay {
    child: Child,
    url: String,
    key: [u8; 32],
    _dir: Option<TempDir>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        // Ends the child by its own pid.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn spawn_relay(store: &[String], dir: Option<TempDir>) -> anyhow::Result<Relay> {
    let exe = std::env::current_exe()?.with_file_name("caravan-relay");
    let mut child = Command::new(&exe)
        .args(["--listen", "127.0.0.1:0", "--quota-mb", "100000"])
        .args(store)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("no stdout")?).read_line(&mut line)?;
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() != 6 {
        bail!("unexpected first line from the relay: {line}");
    }
    let mut key = [0u8; 32];
    hex::decode_to_slice(words[2], &mut key)?;
    Ok(Relay {
        child,
        url: format!("ws://{}", words[5]),
        key,
        _dir: dir,
    })
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS")
}

/// A team of `n` devices, all of member "all" (the first is the admin's),
/// registered on the relay.
struct Team {
    id: [u8; 16],
    devices: Vec<Arc<DeviceKeys>>,
}

async fn team(relay: &Relay, n: usize) -> anyhow::Result<Team> {
    let devices: Vec<Arc<DeviceKeys>> = (0..n.max(1))
        .map(|_| DeviceKeys::generate().map(Arc::new))
        .collect::<Result<_, _>>()?;
    let mut id = [0u8; 16];
    getrandom::fill(&mut id)?;
    let roster = Roster {
        team_id: id,
        version: 1,
        issued_at: 1,
        relay_key: relay.key,
        devices: devices
            .iter()
            .enumerate()
            .map(|(i, d)| RosterDevice {
                device: d.id().0,
                member: "all".into(),
                admin: i == 0,
            })
            .collect(),
    };
    let mut c = RelayClient::open(&relay.url, relay.key).await?;
    c.register(SignedRoster::sign(&roster, &devices[0])).await?;
    Ok(Team { id, devices })
}

async fn idle_connections(relay: &Relay, n: usize) -> anyhow::Result<()> {
    let t = team(relay, n).await?;
    let before = rss_kib(relay.child.id())?;
    let mut held = Vec::with_capacity(n);
    for d in &t.devices {
        held.push(RelayClient::connect(&relay.url, relay.key, t.id, d).await?);
    }
    // Let the relay settle the connections it just took.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(relay.child.id())?;
    let per = (after.saturating_sub(before) as f64) / n.max(1) as f64;
    println!(
        "idle connections: {n}, relay RSS {before} KiB -> {after} KiB, {per:.1} KiB per connection"
    );
    drop(held);
    Ok(())
}

async fn appends(relay: &Relay, label: &str, args: &Args) -> anyhow::Result<()> {
    let t = team(relay, args.uploaders + 1).await?;
    let per = args.appends / args.uploaders.max(1);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for d in t.devices.iter().skip(1).take(args.uploaders.max(1)) {
        let mut c = RelayClient::connect(&relay.url, relay.key, t.id, d).await?;
        let body = vec![0x5a; args.body];
        tasks.push(tokio::spawn(async move {
            for _ in 0..per {
                c.upload(vec!["all".into()], body.clone()).await?;
            }
            Ok::<_, caravan_net::NetError>(())
        }));
    }
    for task in tasks {
        tokio::time::timeout(PATIENCE, task).await???;
    }
    let secs = start.elapsed().as_secs_f64();
    let total = per * args.uploaders.max(1);
    println!(
        "appends ({label}): {total} of {} bytes in {secs:.2} s, {:.0}/s",
        args.body,
        total as f64 / secs
    );
    Ok(())
}

async fn fan_out(relay: &Relay, args: &Args) -> anyhow::Result<()> {
    let t = team(relay, args.subscribers + 1).await?;
    let total = (args.rate * args.seconds) as usize;
    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; total + 1]));
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::new(Mutex::new(Vec::new()));
    let mut subs = Vec::new();
    for d in t.devices.iter().skip(1) {
        let mut c = RelayClient::connect(&relay.url, relay.key, t.id, d).await?;
        c.subscribe().await?;
        c.ping().await?;
        let (sent, latencies) = (sent.clone(), latencies.clone());
        subs.push(tokio::spawn(async move {
            for _ in 0..total {
                let Ok(Ok(seq)) = tokio::time::timeout(PATIENCE, c.next_notify()).await else {
                    return;
                };
                let at = sent
                    .lock()
                    .ok()
                    .and_then(|s| s.get(seq as usize).copied().flatten());
                if let Some(at) = at {
                    latencies.lock().map(|mut l| l.push(at.elapsed())).ok();
                }
            }
        }));
    }
    let mut up = RelayClient::connect(&relay.url, relay.key, t.id, &t.devices[0]).await?;
    let mut tick =
        tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1))));
    let body = vec![0x33; args.body];
    for i in 0..total {
        tick.tick().await;
        // The team is fresh: the i-th upload gets number i + 1.
        sent.lock()
            .map(|mut s| s[i + 1] = Some(Instant::now()))
            .ok();
        up.upload(vec!["all".into()], body.clone()).await?;
    }
    for s in subs {
        let _ = tokio::time::timeout(PATIENCE, s).await;
    }
    let mut l = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    l.sort();
    let pick = |q: f64| {
        l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1)))
            .copied()
    };
    println!(
        "fan-out: {total} envelopes at {}/s to {} subscribers, {} notifications, p50 {:?}, p99 {:?}",
        args.rate,
        args.subscribers,
        l.len(),
        pick(0.50).unwrap_or_default(),
        pick(0.99).unwrap_or_default()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = std::env::temp_dir().join(format!("relay-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = vec!["--data".to_string(), dir.display().to_string()];
    let relay = spawn_relay(&store, Some(TempDir(dir)))?;
    idle_connections(&relay, args.connections).await?;
    appends(&relay, "SQLite", &args).await?;
    fan_out(&relay, &args).await?;
    if let Some(url) = &args.postgres {
        let pg = spawn_relay(&["--postgres".to_string(), url.clone()], None)?;
        appends(&pg, "PostgreSQL", &args).await?;
    }
    Ok(())
}
