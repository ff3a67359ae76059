/**
 * Event-log benchmark: sustained SQLite writes (target ≥ 500,000 records/s) and replay to random
 * moments of a 1-million-record log from the nearest snapshot (target ≤ 1 s each). The log is a
 * synthetic but valid cluster history (nodes, pods created/bound/running/ready/deleted), folded
 * with `evolve` while it is generated so that snapshots are real states.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson } from "../src/model/canonical.ts";
import { eventSubject, type ClusterEvent } from "../src/model/cluster-event.ts";
import { evolve } from "../src/model/evolve.ts";
import { Prng } from "../src/model/prng.ts";
import { emptyState, snapshotOf } from "../src/model/state.ts";
import type { LogRecord } from "../src/sim/log/record.ts";
import { SqliteLog } from "../src/sim/log/sqlite-log.ts";
import { replay } from "../src/sim/replay.ts";
import { deployment } from "../test/sim/plan-fixture.ts";

const recordsTotal = Number(process.env.RECORDS ?? 1_000_000);
const snapshotEvery = 50_000;

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

function build(path: string): { writeSeconds: number; snapshotSeconds: number; serializeSeconds: number; durationMs: number } {
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
  const events = history(prng);
  while (seq < recordsTotal) {
    const t0 = performance.now();
    for (let i = 0; i < 10_000 && seq < recordsTotal; i++, seq++) {
      const event = events.next().value as ClusterEvent;
      atMs += prng.int(0, 8);
      batch.push({ seq, atMs, kind: event.kind, subject: eventSubject(event), payload: canonicalJson(event), exogenous: false });
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
  return { writeSeconds, snapshotSeconds, serializeSeconds, durationMs: atMs };
}

const dir = mkdtempSync(join(tmpdir(), "kubetwin-logbench-"));
try {
  const path = join(dir, "log.db");
  const built = build(path);
  console.log(
    `log: wrote ${recordsTotal} records in ${built.writeSeconds.toFixed(2)} s → ${Math.round(recordsTotal / built.writeSeconds)} records/s sustained (target ≥ 500,000; fingerprinting included)`,
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
  log.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
