// The automerge-repo peer of the sync comparison: two Repos in one Node
// process, each with NodeFS storage, connected by automerge-repo's
// MessageChannel network adapter, syncing the same Automerge documents the
// Caravan worker syncs (read from the fixture the Rust side generated).
// Prints the same FIGURE lines as the Caravan worker.
//
// Usage: node peer.mjs --fixture DIR --work DIR

import { readFileSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import * as A from "@automerge/automerge";
import { Repo, stringifyAutomergeUrl, parseAutomergeUrl } from "@automerge/automerge-repo";
import { MessageChannelNetworkAdapter } from "@automerge/automerge-repo-network-messagechannel";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";

function args() {
  const out = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    if (!a[i].startsWith("--") || a[i + 1] === undefined) {
      throw new Error(`bad argument ${a[i]} (expected --name value)`);
    }
    out[a[i].slice(2)] = a[i + 1];
  }
  for (const k of ["fixture", "work"]) if (!out[k]) throw new Error(`missing --${k}`);
  return out;
}

// Same record format as bench/fixture: u32 LE count, then u32 LE length + bytes.
function readRecords(path) {
  const b = readFileSync(path);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
  const count = v.getUint32(pos, true);
  pos += 4;
  const out = [];
  for (let i = 0; i < count; i++) {
    const len = v.getUint32(pos, true);
    pos += 4;
    out.push(new Uint8Array(b.buffer, b.byteOffset + pos, len));
    pos += len;
  }
  return out;
}

// Tagged record: first 4 bytes are the case number.
function untag(r) {
  const c = new DataView(r.buffer, r.byteOffset, 4).getUint32(0, true);
  return [c, r.subarray(4)];
}

// A fixed document id per case, so both repos agree without a lookup.
function docId(c) {
  const bin = new Uint8Array(16);
  new DataView(bin.buffer).setUint32(12, c + 1);
  bin[0] = 0xca;
  return parseAutomergeUrl(stringifyAutomergeUrl(bin)).documentId;
}

function figure(name, value, unit) {
  process.stdout.write(`FIGURE\t${name}\t${value}\t${unit}\n`);
}

const same = (x, y) => x.length === y.length && [...x].sort().join() === [...y].sort().join();

// Resolves once the handle's document has exactly `target` heads.
function reach(handle, target) {
  return new Promise((resolve) => {
    const check = () => {
      if (same(A.getHeads(handle.doc()), target)) {
        handle.off("change", check);
        resolve();
        return true;
      }
      return false;
    };
    if (!check()) handle.on("change", check);
  });
}

// Counts what crosses the channel: the bytes of every message's payload.
function counted(port, counter) {
  const post = port.postMessage.bind(port);
  port.postMessage = (m, t) => {
    counter.bytes += m?.data?.byteLength ?? 0;
    return post(m, t);
  };
  return port;
}

async function main() {
  const { fixture, work } = args();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const docs = readRecords(join(fixture, "docs.rec"));
  const inc = readRecords(join(fixture, "inc_a.rec")).map(untag);
  const divA = readRecords(join(fixture, "div_a.rec")).map(untag);
  const divB = readRecords(join(fixture, "div_b.rec")).map(untag);
  const ids = docs.map((_, c) => docId(c));

  const counter = { bytes: 0 };
  const { port1, port2 } = new MessageChannel();
  const repoA = new Repo({
    storage: new NodeFSStorageAdapter(join(work, "a")),
    network: [new MessageChannelNetworkAdapter(counted(port1, counter))],
  });
  // Setup, not timed: A holds every case, durably.
  const handlesA = docs.map((bytes, c) => repoA.import(bytes, { docId: ids[c] }));
  await repoA.flush();
  const baseHeads = handlesA.map((h) => A.getHeads(h.doc()));

  // Cold: B starts empty and asks for every case.
  let t = performance.now();
  const repoB = new Repo({
    storage: new NodeFSStorageAdapter(join(work, "b")),
    network: [new MessageChannelNetworkAdapter(counted(port2, counter))],
  });
  const handlesB = await Promise.all(ids.map((id) => repoB.find(id)));
  await Promise.all(handlesB.map((h, c) => reach(h, baseHeads[c])));
  figure("sync.cold", performance.now() - t, "ms");
  figure("sync.cold.bytes", counter.bytes, "B");
  // Let both repos finish writing what they received before the next
  // figure starts, so it is not charged with the previous one's storage.
  await Promise.all([repoA.flush(), repoB.flush()]);

  // Incremental: A applies the 100 edits; B follows.
  counter.bytes = 0;
  t = performance.now();
  for (const [c, bytes] of inc) handlesA[c].update((d) => A.loadIncremental(d, bytes));
  await Promise.all(inc.map(([c]) => reach(handlesB[c], A.getHeads(handlesA[c].doc()))));
  figure("sync.incremental", performance.now() - t, "ms");
  figure("sync.incremental.bytes", counter.bytes, "B");
  await Promise.all([repoA.flush(), repoB.flush()]);

  // Divergent: both sides apply their 1,000 changes in the same tick, so
  // neither sees the other's before both are made; then both converge.
  counter.bytes = 0;
  t = performance.now();
  for (const [c, bytes] of divA) handlesA[c].update((d) => A.loadIncremental(d, bytes));
  for (const [c, bytes] of divB) handlesB[c].update((d) => A.loadIncremental(d, bytes));
  const targets = divA.map(([c]) => [
    c,
    [...A.getHeads(handlesA[c].doc()), ...A.getHeads(handlesB[c].doc())],
  ]);
  await Promise.all(
    targets.flatMap(([c, heads]) => [reach(handlesA[c], heads), reach(handlesB[c], heads)]),
  );
  figure("sync.divergent", performance.now() - t, "ms");
  figure("sync.divergent.bytes", counter.bytes, "B");
  figure("sync.peak_rss", process.resourceUsage().maxRSS / 1024, "MiB");

  await Promise.all([repoA.flush(), repoB.flush()]);
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`automerge-repo peer: ${e?.stack ?? e}\n`);
  process.exit(1);
});
