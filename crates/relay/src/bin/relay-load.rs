//! Load bench for the relay (run by hand, never by the tests), over
//! loopback against the relay binary as a child process, for SQLite and,
//! with `--postgres`, PostgreSQL (the stores alternate within each round):
//!
//! - memory per idle authenticated connection (the relay's RSS, from
//!   /proc/<pid>/status, before and after opening them);
//! - appends per second from concurrent uploaders;
//! - fan-out latency, p50 and p99, at a fixed upload rate, from an
//!   upload's start to the moment each subscriber learns of the envelope
//!   (the `Notify` naming it or a later one: a device fetches everything
//!   after its cursor); run twice, with subscribers that only read
//!   `Notify` (the relay's forwarding alone), then with subscribers that
//!   fetch after their cursor on every `Notify`, as a device does (without
//!   acknowledging), which also gives the latency to the envelope held.
//!
//! Each phase also reports the CPU the relay process used (utime + stime
//! from /proc/<pid>/stat over the phase's wall time; 100 % is one core),
//! and the bench's own, since its clients share the machine.
//!
//! The bench raises its soft file-descriptor limit (`setrlimit`, up to the
//! hard limit) to hold the connections; the relay, its child, inherits it.
//!
//! ```sh
//! cargo build --release -p caravan-relay
//! target/release/relay-load [--postgres "host=… dbname=…"]
//! ```
//!
//! Every phase is bounded in count and time.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
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
    #[arg(long, default_value_t = 2000)]
    connections: usize,
    /// Envelopes appended for the appends/s figure.
    #[arg(long, default_value_t = 4000)]
    appends: usize,
    /// Concurrent uploaders (devices) for the appends/s figure.
    #[arg(long, default_value_t = 16)]
    uploaders: usize,
    /// Subscribers for the fan-out figure.
    #[arg(long, default_value_t = 100)]
    subscribers: usize,
    /// Envelopes per second during the fan-out run.
    #[arg(long, default_value_t = 200)]
    rate: u32,
    /// Seconds the fan-out run lasts.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
    /// Envelope body size in bytes.
    #[arg(long, default_value_t = 1024)]
    body: usize,
    /// Rounds; every store is measured once in each.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Also measure against this PostgreSQL database.
    #[arg(long)]
    postgres: Option<String>,
}

/// Every wait ends by this.
const PATIENCE: Duration = Duration::from_secs(120);
/// How long subscribers wait for news of the last upload after the upload
/// run's planned end.
const DRAIN: Duration = Duration::from_secs(30);

struct Relay {
    child: Child,
    url: String,
    key: [u8; 32],
    _dir: Option<TempDir>,
}

impl Relay {
    fn pid(&self) -> u32 {
        self.child.id()
    }
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

#[derive(Clone, Copy, PartialEq)]
enum Store {
    Sqlite,
    Postgres,
}

impl Store {
    fn label(self) -> &'static str {
        match self {
            Store::Sqlite => "SQLite",
            Store::Postgres => "PostgreSQL",
        }
    }
}

fn spawn_relay(store: Store, args: &Args) -> anyhow::Result<Relay> {
    let (flags, dir) = match store {
        Store::Sqlite => {
            let dir = std::env::temp_dir().join(format!(
                "relay-load-{}-{}",
                std::process::id(),
                fresh_suffix()?
            ));
            std::fs::create_dir_all(&dir)?;
            let flags = vec!["--data".to_string(), dir.display().to_string()];
            (flags, Some(TempDir(dir)))
        }
        Store::Postgres => {
            let url = args.postgres.clone().context("no --postgres")?;
            (vec!["--postgres".to_string(), url], None)
        }
    };
    let exe = std::env::current_exe()?.with_file_name("caravan-relay");
    let mut child = Command::new(&exe)
        .args(["--listen", "127.0.0.1:0", "--quota-mb", "100000"])
        .args(&flags)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("no stdout")?).read_line(&mut line)?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut relay = Relay {
        child,
        url: String::new(),
        key: [0u8; 32],
        _dir: dir,
    };
    if words.len() != 6 {
        bail!("unexpected first line from the relay: {line}");
    }
    hex::decode_to_slice(words[2], &mut relay.key)?;
    relay.url = format!("ws://{}", words[5]);
    Ok(relay)
}

fn fresh_suffix() -> anyhow::Result<String> {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b)?;
    Ok(hex::encode(b))
}

/// Raises the soft limit on open files to hold `need` (the child relay
/// inherits it); fails if the hard limit is lower.
fn raise_fd_limit(need: u64) -> anyhow::Result<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft >= need {
        return Ok(soft);
    }
    if hard < need {
        bail!(
            "the hard limit on open files is {hard}, {need} are needed: raise it \
             (ulimit -Hn as root) or ask for fewer --connections"
        );
    }
    setrlimit(Resource::RLIMIT_NOFILE, need, hard)?;
    Ok(need)
}

fn proc_field(pid: &str, key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("no {key} for {pid}"))
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    proc_field(&pid.to_string(), "VmRSS:")
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start at the
    // third, the state; utime and stime are the 14th and 15th.
    let rest = stat
        .rfind(')')
        .map(|i| &stat[i + 1..])
        .context("malformed stat")?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = f.get(11).context("no utime")?.parse()?;
    let stime: u64 = f.get(12).context("no stime")?.parse()?;
    Ok(utime + stime)
}

/// (busy, all) jiffies of the whole machine, from /proc/stat.
fn machine_ticks() -> anyhow::Result<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let f: Vec<u64> = stat
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("cpu "))
        .context("no cpu line")?
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let all: u64 = f.iter().take(8).sum();
    // idle and iowait
    let idle = f.get(3).copied().unwrap_or(0) + f.get(4).copied().unwrap_or(0);
    Ok((all - idle, all))
}

/// CPU of the relay, of this process and of the whole machine over a
/// phase.
struct Meter {
    relay: String,
    relay0: u64,
    own0: u64,
    machine0: (u64, u64),
    at: Instant,
}

/// A phase's CPU: the relay's and the bench's (100 % is one core), and the
/// whole machine's (100 % is every core busy, whoever uses them).
struct Cpu {
    relay: f64,
    own: f64,
    machine: f64,
}

impl Meter {
    fn start(relay: &Relay) -> anyhow::Result<Meter> {
        let relay = relay.pid().to_string();
        Ok(Meter {
            relay0: cpu_ticks(&relay)?,
            own0: cpu_ticks("self")?,
            machine0: machine_ticks()?,
            relay,
            at: Instant::now(),
        })
    }

    fn stop(&self) -> anyhow::Result<Cpu> {
        let tick = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
            .ok()
            .flatten()
            .unwrap_or(100) as f64;
        let secs = self.at.elapsed().as_secs_f64().max(1e-9);
        let pct = |now: u64, then: u64| 100.0 * now.saturating_sub(then) as f64 / tick / secs;
        let (busy, all) = machine_ticks()?;
        Ok(Cpu {
            relay: pct(cpu_ticks(&self.relay)?, self.relay0),
            own: pct(cpu_ticks("self")?, self.own0),
            machine: 100.0 * busy.saturating_sub(self.machine0.0) as f64
                / all.saturating_sub(self.machine0.1).max(1) as f64,
        })
    }
}

/// The figures of one store in one round, in a fixed order.
type Figures = Vec<(String, f64)>;

fn put(fig: &mut Figures, name: impl Into<String>, value: f64) {
    fig.push((name.into(), value));
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
    let register = async {
        let mut c = RelayClient::open(&relay.url, relay.key).await?;
        c.register(SignedRoster::sign(&roster, &devices[0])).await
    };
    tokio::time::timeout(PATIENCE, register)
        .await
        .context("registering the team timed out")??;
    Ok(Team { id, devices })
}

async fn connect(relay: &Relay, t: &Team, i: usize) -> anyhow::Result<RelayClient> {
    let c = RelayClient::connect(&relay.url, relay.key, t.id, &t.devices[i]);
    Ok(tokio::time::timeout(PATIENCE, c)
        .await
        .context("connecting timed out")??)
}

async fn idle_connections(relay: &Relay, n: usize, fig: &mut Figures) -> anyhow::Result<()> {
    let t = team(relay, n).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(relay.pid())?;
    let meter = Meter::start(relay)?;
    let mut held = Vec::with_capacity(n);
    for i in 0..t.devices.len() {
        held.push(connect(relay, &t, i).await?);
    }
    let connect_secs = meter.at.elapsed().as_secs_f64();
    let relay_cpu = meter.stop()?.relay;
    // Let the relay settle the connections it just took.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(relay.pid())?;
    // Every tenth connection answers a ping: they are held, not closed.
    for c in held.iter_mut().step_by(10) {
        tokio::time::timeout(PATIENCE, c.ping())
            .await
            .context("ping timed out")??;
    }
    let per = (after.saturating_sub(before) as f64) / n.max(1) as f64;
    eprintln!(
        "  idle connections: {n} in {connect_secs:.1} s, relay RSS {before} KiB -> {after} KiB, \
         {per:.1} KiB per connection, relay CPU {relay_cpu:.0}% while connecting"
    );
    put(fig, "idle connections held", n as f64);
    put(fig, "relay RSS per idle connection (KiB)", per);
    put(
        fig,
        "relay RSS with the connections (MiB)",
        after as f64 / 1024.0,
    );
    put(
        fig,
        "connections opened per second",
        n as f64 / connect_secs,
    );
    drop(held);
    Ok(())
}

async fn appends(relay: &Relay, args: &Args, fig: &mut Figures) -> anyhow::Result<()> {
    let uploaders = args.uploaders.max(1);
    let t = team(relay, uploaders + 1).await?;
    let per = args.appends / uploaders;
    let mut clients = Vec::with_capacity(uploaders);
    for i in 1..=uploaders {
        clients.push(connect(relay, &t, i).await?);
    }
    let meter = Meter::start(relay)?;
    let mut tasks = Vec::new();
    for mut c in clients {
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
    let secs = meter.at.elapsed().as_secs_f64();
    let cpu = meter.stop()?;
    let total = per * uploaders;
    let rate = total as f64 / secs;
    eprintln!(
        "  appends: {total} of {} bytes from {uploaders} uploaders in {secs:.2} s, {rate:.0}/s, \
         relay CPU {:.0}%, bench CPU {:.0}%, machine {:.0}% busy",
        args.body, cpu.relay, cpu.own, cpu.machine
    );
    put(fig, "appends per second", rate);
    put(fig, "relay CPU while appending (%)", cpu.relay);
    Ok(())
}

/// Subscribers that only read `Notify`, or that also fetch on each one.
#[derive(Clone, Copy, PartialEq)]
enum Subscribers {
    NotifyOnly,
    Fetching,
}

async fn fan_out(
    relay: &Relay,
    args: &Args,
    mode: Subscribers,
    fig: &mut Figures,
) -> anyhow::Result<()> {
    let fetching = mode == Subscribers::Fetching;
    let t = team(relay, args.subscribers + 1).await?;
    let total = (args.rate * args.seconds) as usize;
    let mut subs = Vec::with_capacity(args.subscribers);
    for i in 1..t.devices.len() {
        let mut c = connect(relay, &t, i).await?;
        // Returns once the relay has taken the subscription.
        tokio::time::timeout(PATIENCE, c.subscribe())
            .await
            .context("subscribe timed out")??;
        subs.push(c);
    }
    let mut up = connect(relay, &t, 0).await?;
    // The team is fresh and has one uploader: the i-th upload is number i
    // (checked below). A subscriber stops on news of the last.
    let last = total as u64;
    let deadline =
        tokio::time::Instant::now() + Duration::from_secs(u64::from(args.seconds)) + DRAIN;
    let meter = Meter::start(relay)?;
    let tasks: Vec<_> = subs
        .into_iter()
        .map(|mut c| {
            tokio::spawn(async move {
                // (number, when) of each Notify, and of each envelope fetched.
                let mut news = Vec::with_capacity(total);
                let mut held = Vec::with_capacity(total);
                let mut cursor = 0;
                while cursor < last {
                    let Ok(Ok(seq)) = tokio::time::timeout_at(deadline, c.next_notify()).await
                    else {
                        break;
                    };
                    news.push((seq, Instant::now()));
                    if !fetching {
                        cursor = cursor.max(seq);
                        continue;
                    }
                    // As a device does: fetch everything after its cursor
                    // (Notify that arrive meanwhile are kept in order).
                    while seq > cursor {
                        let page = tokio::time::timeout_at(deadline, c.fetch(cursor, 1000)).await;
                        let Ok(Ok((items, more))) = page else {
                            return (news, held);
                        };
                        let at = Instant::now();
                        for e in &items {
                            held.push((e.seq, at));
                            cursor = cursor.max(e.seq);
                        }
                        if items.is_empty() || !more {
                            break;
                        }
                    }
                }
                (news, held)
            })
        })
        .collect();
    let mut tick =
        tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1))));
    let body = vec![0x33; args.body];
    let mut sent: HashMap<u64, Instant> = HashMap::with_capacity(total);
    let mut newest = 0;
    for _ in 0..total {
        tick.tick().await;
        let at = Instant::now();
        let seq = tokio::time::timeout(PATIENCE, up.upload(vec!["all".into()], body.clone()))
            .await
            .context("upload timed out")??;
        sent.insert(seq, at);
        newest = newest.max(seq);
    }
    let upload_secs = meter.at.elapsed().as_secs_f64();
    if newest != last {
        bail!("the last upload got number {newest}, not {last}");
    }
    let mut latencies = Vec::with_capacity(total * args.subscribers);
    let mut fetched = Vec::with_capacity(total * args.subscribers);
    for task in tasks {
        // Each subscriber ends by the deadline.
        let (news, held) = task.await?;
        fetched.extend(
            held.iter()
                .filter_map(|(seq, at)| Some(at.saturating_duration_since(*sent.get(seq)?))),
        );
        // A `Notify` names the newest envelope the relay knows of: the
        // device learns of every envelope up to it.
        let mut seen = 0;
        for (seq, at) in news {
            for s in seen + 1..=seq {
                if let Some(sent_at) = sent.get(&s) {
                    latencies.push(at.saturating_duration_since(*sent_at));
                }
            }
            seen = seen.max(seq);
        }
    }
    let cpu = meter.stop()?;
    let peak = proc_field(&relay.pid().to_string(), "VmHWM:")?;
    latencies.sort();
    fetched.sort();
    let pick = |l: &[Duration], q: f64| {
        l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1000.0
    };
    let expected = total * args.subscribers;
    let (p50, p99) = (pick(&latencies, 0.50), pick(&latencies, 0.99));
    let (f50, f99) = (pick(&fetched, 0.50), pick(&fetched, 0.99));
    eprintln!(
        "  fan-out ({}): {total} envelopes at {}/s (achieved {:.0}/s) to {} subscribers, {}/{expected} \
         learnt of (Notify), p50 {p50:.1} ms, p99 {p99:.1} ms; {}/{expected} fetched, p50 \
         {f50:.1} ms, p99 {f99:.1} ms; relay CPU {:.0}%, bench CPU {:.0}%, machine {:.0}% busy, \
         relay peak RSS {peak} KiB",
        if fetching {
            "Notify + fetch"
        } else {
            "Notify only"
        },
        args.rate,
        total as f64 / upload_secs,
        args.subscribers,
        latencies.len(),
        fetched.len(),
        cpu.relay,
        cpu.own,
        cpu.machine,
    );
    let pct = |n: usize| 100.0 * n as f64 / expected.max(1) as f64;
    let m = if fetching {
        "Notify + fetch"
    } else {
        "Notify only"
    };
    put(fig, format!("fan-out ({m}): to Notify, p50 (ms)"), p50);
    put(fig, format!("fan-out ({m}): to Notify, p99 (ms)"), p99);
    put(
        fig,
        format!("fan-out ({m}): envelopes learnt of (%)"),
        pct(latencies.len()),
    );
    if fetching {
        put(
            fig,
            format!("fan-out ({m}): to the envelope held, p50 (ms)"),
            f50,
        );
        put(
            fig,
            format!("fan-out ({m}): to the envelope held, p99 (ms)"),
            f99,
        );
        put(
            fig,
            format!("fan-out ({m}): envelopes fetched (%)"),
            pct(fetched.len()),
        );
    }
    put(
        fig,
        format!("fan-out ({m}): upload rate achieved (/s)"),
        total as f64 / upload_secs,
    );
    put(fig, format!("fan-out ({m}): relay CPU (%)"), cpu.relay);
    put(
        fig,
        format!("fan-out ({m}): bench (clients) CPU (%)"),
        cpu.own,
    );
    put(
        fig,
        format!("fan-out ({m}): machine CPU busy (% of all cores)"),
        cpu.machine,
    );
    put(
        fig,
        format!("fan-out ({m}): relay peak RSS (MiB)"),
        peak as f64 / 1024.0,
    );
    Ok(())
}

/// One store, one round: a fresh relay for the connections and appends,
/// and one for each fan-out run (so its memory is that run's alone).
async fn measure(store: Store, args: &Args) -> anyhow::Result<Figures> {
    let mut fig = Figures::new();
    let relay = spawn_relay(store, args)?;
    idle_connections(&relay, args.connections, &mut fig).await?;
    appends(&relay, args, &mut fig).await?;
    drop(relay);
    for mode in [Subscribers::NotifyOnly, Subscribers::Fetching] {
        let relay = spawn_relay(store, args)?;
        fan_out(&relay, args, mode, &mut fig).await?;
    }
    Ok(fig)
}

fn num(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Median (min–max) over the rounds.
fn cell(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "—".into();
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    format!("{} ({}–{})", num(median), num(v[0]), num(v[n - 1]))
}

fn summary(stores: &[Store], rounds: &[Vec<Figures>]) {
    println!();
    print!("| figure |");
    for s in stores {
        print!(" {} |", s.label());
    }
    println!();
    println!("|---|{}", "---|".repeat(stores.len()));
    let names: Vec<&str> = rounds
        .first()
        .and_then(|r| r.first())
        .map(|f| f.iter().map(|(n, _)| n.as_str()).collect())
        .unwrap_or_default();
    for (k, name) in names.iter().enumerate() {
        print!("| {name} |");
        for (j, _) in stores.iter().enumerate() {
            let values = rounds
                .iter()
                .filter_map(|r| r.get(j).and_then(|f| f.get(k)).map(|(_, v)| *v))
                .collect();
            print!(" {} |", cell(values));
        }
        println!();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let need = (args.connections + args.subscribers + args.uploaders) as u64 + 256;
    let limit = raise_fd_limit(need)?;
    let mut stores = vec![Store::Sqlite];
    if args.postgres.is_some() {
        stores.push(Store::Postgres);
    }
    eprintln!(
        "relay-load: {} rounds, {} connections, {} appends from {} uploaders, {} subscribers at \
         {}/s for {} s, {} B bodies; open-file limit {limit}; {} cores, load average {}",
        args.rounds,
        args.connections,
        args.appends,
        args.uploaders,
        args.subscribers,
        args.rate,
        args.seconds,
        args.body,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim(),
    );
    let mut rounds = Vec::with_capacity(args.rounds);
    for round in 0..args.rounds.max(1) {
        let mut figures = Vec::with_capacity(stores.len());
        for store in &stores {
            eprintln!("round {} — {}", round + 1, store.label());
            figures.push(measure(*store, &args).await?);
        }
        rounds.push(figures);
    }
    summary(&stores, &rounds);
    println!(
        "\nload average at the end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    Ok(())
}
