// The automerge-repo side of the relay's fan-out figure (relay-load,
// crates/relay): automerge-repo's sync server — a Repo with NodeFS storage
// behind the WebSocket server adapter, sharePolicy false, as
// automerge-repo-sync-server runs it — in its own process, and in this
// process one writer Repo and N subscriber Repos, each over its own
// WebSocket, all on one document. The writer makes RATE changes a second,
// each setting `n` and a BODY-byte value (the relay's envelope is an opaque
// body of the same size). Latency runs from just before `change()` to the
// moment a subscriber's document holds that change (a later one counts for
// every earlier one: the writer is the only author). Every setting is
// automerge-repo's default (it batches each hop for up to 100 ms).
//
// The server's CPU is utime + stime from /proc/<pid>/stat over the run
// (100 % is one core); its memory is VmRSS at the end and VmHWM.
//
// Usage: node relay-compare.mjs [--subscribers 100] [--rate 200]
//          [--seconds 10] [--body 1024] [--rounds 3]
//        node relay-compare.mjs server --dir DIR   (the server alone)
// Every wait is bounded; the server is ended by its own pid.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, loadavg, availableParallelism } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";
import { Repo } from "@automerge/automerge-repo";
import {
  WebSocketClientAdapter,
  WebSocketServerAdapter,
} from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";

const PATIENCE_MS = 120_000;

// Progress to standard error, the report to standard output.
const say = (line) => process.stderr.write(`${line}\n`);
const out = (line) => process.stdout.write(`${line}\n`);

// automerge-repo logs each message it fails to take ("error receiving
// message", with the whole message) with console.log: counted per round
// and reported instead.
let libraryErrors = 0;
function countLibraryLogs() {
  console.log = () => {
    libraryErrors++;
  };
}
const DRAIN_MS = 30_000;

function options(argv) {
  const out = { subscribers: 100, rate: 200, seconds: 10, body: 1024, rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]} (expected --name value)`);
    }
    out[k] = k === "dir" || k === "url" ? argv[i + 1] : Number(argv[i + 1]);
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function within(ms, promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function server(dir) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  new Repo({
    network: [new WebSocketServerAdapter(wss)],
    storage: new NodeFSStorageAdapter(dir),
    sharePolicy: async () => false,
  });
  out(`port ${wss.address().port}`);
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/);
  return Number(f[11]) + Number(f[12]);
}

function statusKib(pid, key) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(key));
  return Number(line.split(/\s+/)[1]);
}

// (busy, all) jiffies of the whole machine.
function machineTicks() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const all = f.reduce((a, b) => a + b, 0);
  return [all - f[3] - f[4], all];
}

// Linux reports /proc CPU times in USER_HZ, 100 a second.
const TICKS = 100;

async function startServer(self) {
  const dir = mkdtempSync(join(tmpdir(), "relay-compare-"));
  const child = spawn(process.execPath, [self, "server", "--dir", dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await within(
    PATIENCE_MS,
    new Promise((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the server exited (${code})`)));
    }),
    "starting the server",
  );
  const port = Number(first.split(" ")[1]);
  return {
    child,
    url: `ws://127.0.0.1:${port}`,
    stop() {
      child.kill(); // its own pid
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Clients keep automerge-repo's default share policy (a Repo that shares
// nothing with the server never asks it for a document either).
async function client(url) {
  const repo = new Repo({ network: [new WebSocketClientAdapter(url)] });
  // A find before the server is a peer answers "unavailable" at once.
  await within(PATIENCE_MS, repo.networkSubsystem.whenReady(), "connecting");
  for (const t0 = Date.now(); repo.peers.length === 0; ) {
    if (Date.now() - t0 > PATIENCE_MS) throw new Error("the server never became a peer");
    await sleep(5);
  }
  return repo;
}

// Milliseconds since the epoch, sub-millisecond, comparable across the
// processes of this machine.
const now = () => performance.timeOrigin + performance.now();

// The writer, in its own process so that the subscribers' work does not
// delay its changes: makes the document, prints its url, waits for "go" on
// standard input, makes the changes, prints when each was made, and stays
// connected until standard input closes.
async function writer(o) {
  const repo = await client(o.url);
  const handle = repo.create({ n: 0 });
  out(`url ${handle.url}`);
  const lines = createInterface({ input: process.stdin });
  await within(PATIENCE_MS, once(lines, "line"), "waiting for go");
  const total = o.rate * o.seconds;
  const sent = [0];
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const period = 1000 / o.rate;
  for (let i = 1; i <= total; i++) {
    // Catches up when behind, as the relay bench's interval does.
    await sleep(t0 + (i - 1) * period - now());
    sent.push(now());
    const body = new Uint8Array(o.body).fill(i & 0xff);
    handle.change((d) => {
      d.n = i;
      d.body = body;
    });
  }
  const secs = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  out(JSON.stringify({ sent, secs, cpu: (100 * (cpu.user + cpu.system)) / 1e6 / secs }));
  await within(PATIENCE_MS, once(lines, "close"), "waiting for the end");
  await within(5_000, repo.shutdown(), "closing the repo").catch(() => {});
  process.exit(0);
}

async function round(self, o) {
  const srv = await startServer(self);
  const repos = [];
  const w = spawn(
    process.execPath,
    [self, "writer", "--url", srv.url, "--rate", o.rate, "--seconds", o.seconds, "--body", o.body].map(String),
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  try {
    const wLines = createInterface({ input: w.stdout });
    const [first] = await within(PATIENCE_MS, once(wLines, "line"), "starting the writer");
    const url = first.split(" ")[1];
    // The server holds the document once a reader finds it there. A Repo
    // that was told "unavailable" keeps that answer: each try is a new one.
    for (let attempt = 0; ; attempt++) {
      const probe = await client(srv.url);
      try {
        await within(PATIENCE_MS, probe.find(url), "finding the document");
        break;
      } catch (e) {
        if (attempt >= 40) throw e;
        await sleep(250);
      } finally {
        await within(5_000, probe.shutdown(), "closing a repo").catch(() => {});
      }
    }
    const total = o.rate * o.seconds;
    const subs = [];
    for (let i = 0; i < o.subscribers; i++) {
      const repo = await client(srv.url);
      repos.push(repo);
      subs.push(await within(PATIENCE_MS, repo.find(url), "finding the document"));
    }
    // Per subscriber: (newest change held, when), computed against the
    // writer's times at the end.
    const news = subs.map(() => []);
    let finished = 0;
    let allDone;
    const done = new Promise((r) => (allDone = r));
    subs.forEach((h, j) => {
      let seen = 0;
      h.on("change", ({ doc }) => {
        const n = doc.n ?? 0;
        if (n <= seen) return;
        seen = n;
        news[j].push([n, now()]);
        if (n >= total && ++finished === subs.length) allDone();
      });
    });
    const report = within(PATIENCE_MS + o.seconds * 1000, once(wLines, "line"), "the writer's report");
    const pid = srv.child.pid;
    const errors0 = libraryErrors;
    const ticks0 = cpuTicks(pid);
    const machine0 = machineTicks();
    const own0 = process.cpuUsage();
    const t0 = now();
    w.stdin.write("go\n");
    const [line] = await report;
    const { sent, secs: uploadSecs, cpu: writerCpu } = JSON.parse(line);
    await Promise.race([done, sleep(t0 + o.seconds * 1000 + DRAIN_MS - now())]);
    const secs = (now() - t0) / 1000;
    const cpu = (100 * (cpuTicks(pid) - ticks0)) / TICKS / secs;
    const own = process.cpuUsage(own0);
    const ownCpu = (100 * (own.user + own.system)) / 1e6 / secs;
    const machine1 = machineTicks();
    const machine = (100 * (machine1[0] - machine0[0])) / Math.max(1, machine1[1] - machine0[1]);
    const rss = statusKib(pid, "VmRSS:");
    const peak = statusKib(pid, "VmHWM:");
    // A change held means every earlier one is held (one author).
    const latencies = [];
    for (const list of news) {
      let seen = 0;
      for (const [n, at] of list) {
        for (let k = seen + 1; k <= n; k++) latencies.push(at - sent[k]);
        seen = n;
      }
    }
    latencies.sort((a, b) => a - b);
    const pick = (q) =>
      latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] : 0;
    const r = {
      p50: pick(0.5),
      p99: pick(0.99),
      learnt: (100 * latencies.length) / (total * o.subscribers),
      rate: total / uploadSecs,
      cpu,
      ownCpu,
      writerCpu,
      machine,
      libraryErrors: libraryErrors - errors0,
      rss: rss / 1024,
      peak: peak / 1024,
    };
    say(
      `  automerge-repo fan-out: ${total} changes at ${o.rate}/s (achieved ${r.rate.toFixed(0)}/s) ` +
        `to ${o.subscribers} subscribers, ${latencies.length}/${total * o.subscribers} learnt of, ` +
        `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, server CPU ${cpu.toFixed(0)}%, ` +
        `subscribers' CPU ${ownCpu.toFixed(0)}%, writer CPU ${writerCpu.toFixed(0)}%, machine ` +
        `${machine.toFixed(0)}% busy, server RSS ${r.rss.toFixed(1)} MiB (peak ${r.peak.toFixed(1)}), ` +
        `${r.libraryErrors} messages the subscribers' Repos failed to take`,
    );
    return r;
  } finally {
    for (const repo of repos) {
      try {
        await within(5_000, repo.shutdown(), "closing a repo");
      } catch {
        // Closed by the process's end anyway.
      }
    }
    w.stdin.end();
    w.kill(); // its own pid
    srv.stop();
  }
}

function num(v) {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function cell(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  const median = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return `${num(median)} (${num(v[0])}–${num(v[n - 1])})`;
}

async function main() {
  const self = fileURLToPath(import.meta.url);
  const argv = process.argv.slice(2);
  // Standard output carries this script's own lines only.
  countLibraryLogs();
  if (argv[0] === "server") {
    await server(options(argv.slice(1)).dir);
    return;
  }
  if (argv[0] === "writer") {
    await writer(options(argv.slice(1)));
    return;
  }
  const o = options(argv);
  say(
    `relay-compare: automerge-repo sync server, ${o.rounds} rounds, ${o.subscribers} subscribers, ` +
      `${o.rate} changes/s for ${o.seconds} s, ${o.body} B values; ${availableParallelism()} cores, ` +
      `load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const rounds = [];
  for (let i = 0; i < o.rounds; i++) {
    say(`round ${i + 1} — automerge-repo`);
    rounds.push(await round(self, o));
  }
  const rows = [
    ["fan-out p50 (ms)", "p50"],
    ["fan-out p99 (ms)", "p99"],
    ["changes learnt of by subscribers (%)", "learnt"],
    ["change rate achieved (/s)", "rate"],
    ["server CPU during fan-out (%)", "cpu"],
    ["subscribers' process CPU during fan-out (%)", "ownCpu"],
    ["writer's process CPU while writing (%)", "writerCpu"],
    ["machine CPU busy during fan-out (% of all cores)", "machine"],
    ["messages the subscribers' Repos failed to take", "libraryErrors"],
    ["server RSS at the end (MiB)", "rss"],
    ["server peak RSS (MiB)", "peak"],
  ];
  out("\n| figure | automerge-repo sync server |\n|---|---|");
  for (const [label, key] of rows) out(`| ${label} | ${cell(rounds.map((r) => r[key]))} |`);
  out(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
