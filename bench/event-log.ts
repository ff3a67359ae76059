/**
 * Event-log benchmark: sustained SQLite writes (target ≥ 500,000 records/s) and replay to random
 * moments of a 1-million-record log from the nearest snapshot (target ≤ 1 s each). The log is a
 * synthetic but valid cluster history (nodes, pods created/bound/running/ready/deleted), folded
 * with `evolve` while it is generated so that snapshots are real states. Also: reading the whole
 * run back (records()), and scanning it through the plain-SQL `events` view (node:sqlite).
 *
 *   node bench/event-log.ts          RECORDS=200000 node bench/event-log.ts
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { canonicalJson } from "../src/model/canonical.ts";
import { eventSubject, type ClusterEvent } from "../src/model/cluster-event.ts";
import { evolve } from "../src/model/evolve.ts";
import { Prng } from "../src/model/prng.ts";
import { emptyState, snapshotOf } from "../src/model/state.ts";
import type { LogRecord } from "../src/log/record.ts";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import { replay } from "../src/sim/replay.ts";
import { deployment } from "../test/sim/plan-fixture.ts";

const recordsTotal = Number(process.env.RECORDS ?? 1_000_000);
const snapshotEvery = 50_000;

/**
 * Records are generated in small batches and each batch is appended right away, as the sim appends
 * a record right after canonicalJson builds its payload. The payload is a rope of many small
 * pieces that the sink's first look flattens cheaply while it is young; in batches of 10,000 the
 * ropes would survive a GC scavenge (copied, then flattened cold), which doubled this bench's write
 * figure at no cost to the sim. The clock is read twice per batch.
 */
const batchRecords = 100;

/** Yields a valid history: events in time order, each applicable to the state before it. */
function* history(prng: Prng): Generator<ClusterEvent> {
  const template = deployment("bench", "app", 1, 250, 256 * 2 ** 20).spec.template;
  yield { kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: "bench", namespace: "", uid: "ns-bench", labels: {}, creationMs: 0 } } };
  for (let i = 0; i < 500; i++) {
    yield {
      kind: "NodeAdded",
      node: {
        kind: "Node",
        metadata: { name: `n${i}`, namespace: "", uid: `node-${i}`, labels: { "topology.kubernetes.io/zone": `z${i % 3}` }, creationMs: 0 },
        spec: { unschedulable: false, taints: [] },
        status: { capacity: { cpu: 64_000, memory: 256 * 2 ** 30, pods: 250 }, allocatable: { cpu: 64_000, memory: 256 * 2 ** 30, pods: 250 }, ready: "True", readyTransitionMs: 0 },
      },
    };
  }
  const live: string[] = [];
  for (let n = 0; ; n++) {
    const key = `bench/app-${n}`;
    yield { kind: "PodCreated", pod: { kind: "Pod", metadata: { name: `app-${n}`, namespace: "bench", uid: `pod-${n}`, labels: { app: "app" }, creationMs: 0 }, spec: JSON.parse(JSON.stringify(template.spec)), status: { phase: "Pending", ready: false } } };
    yield { kind: "PodBound", key, nodeName: `n${prng.int(0, 500)}` };
    yield { kind: "PodRunning", key };
    yield { kind: "PodReadyChanged", key, ready: true };
    live.push(key);
    if (live.length > 20_000) {
      const victim = live.splice(prng.int(0, live.length), 1)[0] as string;
      yield { kind: "PodDeleting", key: victim, reason: "ScaleDown" };
      yield { kind: "PodRemoved", key: victim };
    }
  }
}

function build(path: string): { writeSeconds: number; snapshotSeconds: number; serializeSeconds: number; durationMs: number; payloadChars: number } {
  const log = SqliteLog.open(path, { create: true });
  const runId = log.createRun({ scenario: "bench", scenarioHash: "bench", seed: 1, variant: "baseline", parameters: "{}", codeVersion: "bench", durationMs: 0, createdWall: "" });
  const sink = log.sinkForRun(runId);
  const state = emptyState();
  const prng = Prng.fromSeed(1);
  const batch: LogRecord[] = [];
  let writeSeconds = 0;
  let snapshotSeconds = 0;
  let serializeSeconds = 0;
  let seq = 0;
  let atMs = 0;
  let payloadChars = 0;
  const events = history(prng);
  while (seq < recordsTotal) {
    const t0 = performance.now();
    for (let i = 0; i < batchRecords && seq < recordsTotal; i++, seq++) {
      const event = events.next().value as ClusterEvent;
      atMs += prng.int(0, 8);
      const payload = canonicalJson(event);
      payloadChars += payload.length;
      batch.push({ seq, atMs, kind: event.kind, subject: eventSubject(event), payload, exogenous: false });
      evolve(state, event, atMs);
    }
    const t1 = performance.now();
    for (const r of batch) sink.append(r);
    const t2 = performance.now();
    if (seq % snapshotEvery === 0) sink.snapshot(seq - 1, atMs, snapshotOf(state));
    const t3 = performance.now();
    serializeSeconds += (t1 - t0) / 1000;
    writeSeconds += (t2 - t1) / 1000;
    snapshotSeconds += (t3 - t2) / 1000;
    batch.length = 0;
  }
  const t3 = performance.now();
  const fingerprint = sink.finish();
  writeSeconds += (performance.now() - t3) / 1000;
  log.finishRun(runId, { status: "done", fingerprint, eventCount: seq, summary: "{}" });
  log.close();
  return { writeSeconds, snapshotSeconds, serializeSeconds, durationMs: atMs, payloadChars };
}

const dir = mkdtempSync(join(tmpdir(), "kubetwin-logbench-"));
try {
  const path = join(dir, "log.db");
  const built = build(path);
  console.log(
    `log: wrote ${recordsTotal} records (payload ${(built.payloadChars / recordsTotal).toFixed(0)} chars on average) in ${built.writeSeconds.toFixed(2)} s → ${Math.round(recordsTotal / built.writeSeconds)} records/s sustained (target ≥ 500,000; fingerprinting included)`,
  );
  console.log(
    `log: plus ${Math.floor(recordsTotal / snapshotEvery)} full-state snapshots (20,000 pods each) in ${built.snapshotSeconds.toFixed(2)} s; all together ${Math.round(recordsTotal / (built.writeSeconds + built.snapshotSeconds))} records/s; file ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`log: generating + canonical JSON + evolve took ${built.serializeSeconds.toFixed(2)} s (not part of the write figure)`);
  const log = SqliteLog.open(path, { create: false });
  const runId = log.latestRunId() as number;
  const prng = Prng.fromSeed(2);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const atMs = prng.int(0, built.durationMs + 1);
    const t0 = performance.now();
    const snapshot = log.snapshotBefore(runId, atMs);
    const state = replay(log.records(runId, { afterSeq: snapshot?.seq ?? -1, atMsMax: atMs }), atMs, snapshot);
    times.push(performance.now() - t0);
    if (state.nodes.size !== 500) throw new Error("replay lost nodes");
  }
  times.sort((a, b) => a - b);
  console.log(`log: replay to 20 random moments of the ${recordsTotal}-record log: median ${times[10]?.toFixed(0)} ms, max ${times[19]?.toFixed(0)} ms (target ≤ 1,000 ms)`);
  let t0 = performance.now();
  let read = 0;
  for (const r of log.records(runId)) read += r.seq >= 0 ? 1 : 0;
  const readSeconds = (performance.now() - t0) / 1000;
  log.close();
  t0 = performance.now();
  const db = new DatabaseSync(path, { readOnly: true });
  const counted = db.prepare("SELECT count(*) AS n, sum(length(payload)) AS chars FROM events WHERE run_id = ?").get(runId) as { n: number; chars: number };
  db.close();
  const viewSeconds = (performance.now() - t0) / 1000;
  if (read !== recordsTotal || counted.n !== recordsTotal || counted.chars !== built.payloadChars) throw new Error("read back a different log");
  console.log(`log: read all records back in ${readSeconds.toFixed(2)} s (${Math.round(read / readSeconds)} records/s); the SQL events view scans them in ${viewSeconds.toFixed(2)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
