/**
 * A synthetic run written through the real SqliteLog API (schema, sinks, metrics, summary), shaped
 * like a kubetwin run: nodes, deployments, pods that are created, bound, started, made ready,
 * replaced over time, faults that take a zone down, and metric series sampled every 10 s that are
 * folded from the very same events. Returns the truth the report must show.
 */
import { canonicalJson } from "../../src/model/canonical.ts";
import { Prng } from "../../src/model/prng.ts";
import type { LogRecord } from "../../src/log/record.ts";
import type { SqliteLog } from "../../src/log/sqlite-log.ts";

export interface SyntheticSpec {
  seed: number;
  variant: string;
  nodes: number;
  zones: number;
  workloads: number;
  podsPerWorkload: number;
  durationMs: number;
  /** Fraction of pods replaced per virtual minute (rolling churn). */
  churnPerMinute: number;
  faults: { atMs: number; fault: string; zone: number; label: string; healAfterMs: number }[];
  metricEveryMs: number;
}

export interface SyntheticTruth {
  runId: number;
  eventCount: number;
  faultTimesMs: number[];
  boundMs: number[];
  runningMs: number[];
  metricTimesMs: number[];
  /** A record that exists exactly once, for filter tests. */
  needle: { text: string; seq: number; kind: string; subject: string };
  summary: Record<string, unknown>;
}

type Ev = { atMs: number; order: number; exogenous: boolean; event: Record<string, unknown> & { kind: string } };

function subjectOf(e: Ev["event"]): string {
  if (e.kind === "Fault") return String(e.target);
  if (e.kind === "NamespaceCreated") return `namespace/${(e.namespace as { metadata: { name: string } }).metadata.name}`;
  if (e.kind === "PodCreated") {
    const meta = (e.pod as { metadata: { namespace: string; name: string } }).metadata;
    return `pod/${meta.namespace}/${meta.name}`;
  }
  if (e.kind.startsWith("Pod")) return `pod/${String(e.key)}`;
  if (e.kind === "NodeAdded") return `node/${(e.node as { metadata: { name: string } }).metadata.name}`;
  if (e.kind.startsWith("Node") || e.kind.startsWith("Machine")) return `node/${String(e.name)}`;
  if (e.kind === "DeploymentCreated") return `deployment/${String((e.deployment as { metadata: { namespace: string; name: string } }).metadata.namespace)}/${String((e.deployment as { metadata: { name: string } }).metadata.name)}`;
  return "cluster";
}

function podObject(ns: string, name: string, workload: string, atMs: number) {
  return {
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, labels: { app: workload, "pod-template-hash": "7d9f8c6b5" }, creationMs: atMs, ownerReferences: [{ kind: "ReplicaSet", name: `${workload}-7d9f8c6b5`, uid: `rs-${workload}`, controller: true }] },
    spec: { containers: [{ name: "main", image: `registry.example/${workload}:1.4.2`, requests: { cpu: 250, memory: 268435456 }, limits: { cpu: 500, memory: 536870912 } }], priority: 0, schedulerName: "default-scheduler" },
    status: { phase: "Pending" },
  };
}

export function buildSyntheticEvents(spec: SyntheticSpec): { events: Ev[]; boundMs: number[]; runningMs: number[]; needle: SyntheticTruth["needle"] } {
  const prng = new Prng(`synthetic/${spec.seed}`);
  const lat = prng.fork("latency");
  const churn = prng.fork("churn");
  const events: Ev[] = [];
  let order = 0;
  const push = (atMs: number, exogenous: boolean, event: Ev["event"]) => events.push({ atMs, order: order++, exogenous, event });
  const nodeName = (i: number) => `node-${String(i).padStart(4, "0")}`;
  const zoneOf = (i: number) => i % spec.zones;
  const downUntil = new Map<number, { from: number; to: number }>();
  for (const f of spec.faults) downUntil.set(f.zone, { from: f.atMs, to: f.atMs + f.healAfterMs });
  const nodeDownAt = (node: number, t: number) => {
    const w = downUntil.get(zoneOf(node));
    return w !== undefined && t >= w.from && t < w.to;
  };
  push(0, true, { kind: "NamespaceCreated", namespace: { metadata: { name: "shop", namespace: "", uid: "ns-shop", labels: {}, creationMs: 0 } } });
  for (let i = 0; i < spec.nodes; i++) {
    push(0, true, { kind: "NodeAdded", node: { metadata: { name: nodeName(i), namespace: "", uid: `n${i}`, labels: { "topology.kubernetes.io/zone": `zone-${zoneOf(i)}` }, creationMs: 0 }, spec: {}, status: { ready: "True" } } });
  }
  const boundMs: number[] = [];
  const runningMs: number[] = [];
  let needle: SyntheticTruth["needle"] | undefined;
  let podSerial = 0;
  const startPod = (workload: string, createdAtMs: number): { name: string; node: number; endAtMs: number } => {
    const name = `${workload}-${(podSerial++).toString(36).padStart(5, "0")}`;
    const key = `shop/${name}`;
    let node = lat.int(0, spec.nodes);
    for (let tries = 0; tries < 8 && nodeDownAt(node, createdAtMs); tries++) node = lat.int(0, spec.nodes);
    const toBound = Math.round(lat.logNormal(40, 1.2));
    const toRunning = toBound + 300 + Math.round(lat.logNormal(1500, 0.6));
    push(createdAtMs, false, { kind: "PodCreated", pod: podObject("shop", name, workload, createdAtMs) });
    if (createdAtMs + toBound < spec.durationMs) {
      const isNeedle = needle === undefined && podSerial === 5;
      push(createdAtMs + toBound, false, { kind: "PodBound", key, nodeName: isNeedle ? "node-needle-xyz" : nodeName(node) });
      boundMs.push(toBound);
      if (isNeedle) needle = { text: "node-needle-xyz", seq: -1, kind: "PodBound", subject: `pod/${key}` };
    }
    if (createdAtMs + toRunning < spec.durationMs) {
      push(createdAtMs + toRunning, false, { kind: "PodRunning", key });
      push(createdAtMs + toRunning + 2000, false, { kind: "PodReadyChanged", key, ready: true });
      runningMs.push(toRunning);
    }
    return { name, node, endAtMs: createdAtMs + toRunning };
  };
  for (let w = 0; w < spec.workloads; w++) {
    const workload = `app-${String(w).padStart(3, "0")}`;
    push(0, true, { kind: "DeploymentCreated", deployment: { metadata: { name: workload, namespace: "shop", uid: `d${w}`, labels: {}, creationMs: 0 }, spec: { replicas: spec.podsPerWorkload } } });
    for (let p = 0; p < spec.podsPerWorkload; p++) {
      let createdAtMs = 1000 + Math.floor((p * 60_000) / spec.podsPerWorkload) + w * 7;
      // each replica slot lives as a chain of pods: churn or a zone outage ends one, a new one follows
      for (let guard = 0; guard < 10_000 && createdAtMs < spec.durationMs; guard++) {
        const pod = startPod(workload, createdAtMs);
        const key = `shop/${pod.name}`;
        const lifeMs = Math.round(churn.exponential(60_000 / Math.max(spec.churnPerMinute, 1e-9)));
        let endAtMs = Math.max(pod.endAtMs + 5000, createdAtMs + lifeMs);
        const outage = downUntil.get(zoneOf(pod.node));
        const failed = outage !== undefined && outage.from > createdAtMs && outage.from < endAtMs;
        if (failed) endAtMs = outage.from + 40_000;
        if (endAtMs >= spec.durationMs) break;
        if (failed) push(endAtMs, false, { kind: "PodFailed", key, reason: "NodeLost" });
        else push(endAtMs, false, { kind: "PodDeleting", key, reason: "RollingUpdate" });
        push(endAtMs + 1500, false, { kind: "PodRemoved", key });
        createdAtMs = endAtMs + 200;
      }
    }
  }
  for (const f of spec.faults) {
    push(f.atMs, true, { kind: "Fault", fault: f.fault, target: `zone/zone-${f.zone}`, label: f.label });
    for (let i = 0; i < spec.nodes; i++) {
      if (zoneOf(i) !== f.zone) continue;
      push(f.atMs, true, { kind: "MachineDown", name: nodeName(i), reason: f.fault });
      push(f.atMs + 40_000, false, { kind: "NodeReadyChanged", name: nodeName(i), ready: "False" });
      if (f.atMs + f.healAfterMs < spec.durationMs) {
        push(f.atMs + f.healAfterMs, true, { kind: "MachineUp", name: nodeName(i) });
        push(f.atMs + f.healAfterMs + 5000, false, { kind: "NodeReadyChanged", name: nodeName(i), ready: "True" });
      }
    }
  }
  events.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  if (needle === undefined) throw new Error("synthetic: no needle pod");
  return { events, boundMs, runningMs, needle };
}

/** Folds the events into the metric series the runner samples every `everyMs`. */
function sampleMetrics(events: Ev[], spec: SyntheticSpec, emit: (name: string, atMs: number, value: number) => void): number[] {
  const phase = new Map<string, string>();
  const counts: Record<string, number> = { pending: 0, running: 0, ready: 0, failed: 0, terminating: 0 };
  const workloadReady = new Map<string, number>();
  let nodesReady = 0;
  let nodesNotReady = 0;
  const times: number[] = [];
  let next = 0;
  const workloadOf = (subject: string) => subject.slice("pod/shop/".length).replace(/-[0-9a-z]{5}$/, "");
  const flush = (t: number) => {
    times.push(t);
    for (const [k, v] of Object.entries(counts)) emit(`pods.${k}`, t, v);
    emit("nodes.ready", t, nodesReady);
    emit("nodes.notReady", t, nodesNotReady);
    for (let w = 0; w < spec.workloads; w++) {
      const name = `app-${String(w).padStart(3, "0")}`;
      emit(`workload.ready/shop/${name}`, t, workloadReady.get(name) ?? 0);
      emit(`workload.desired/shop/${name}`, t, spec.podsPerWorkload);
    }
  };
  const move = (subject: string, to: string | undefined) => {
    const from = phase.get(subject);
    if (from === "ready") workloadReady.set(workloadOf(subject), (workloadReady.get(workloadOf(subject)) ?? 0) - 1);
    if (from !== undefined) counts[from] = (counts[from] ?? 0) - 1;
    if (to === undefined) phase.delete(subject);
    else {
      phase.set(subject, to);
      counts[to] = (counts[to] ?? 0) + 1;
      if (to === "ready") workloadReady.set(workloadOf(subject), (workloadReady.get(workloadOf(subject)) ?? 0) + 1);
    }
  };
  for (const e of events) {
    while (next <= e.atMs && next <= spec.durationMs) {
      flush(next);
      next += spec.metricEveryMs;
    }
    const s = subjectOf(e.event);
    switch (e.event.kind) {
      case "NodeAdded": nodesReady++; break;
      case "NodeReadyChanged": if (e.event.ready === "True") { nodesReady++; nodesNotReady--; } else { nodesReady--; nodesNotReady++; } break;
      case "PodCreated": move(s, "pending"); break;
      case "PodRunning": move(s, "running"); break;
      case "PodReadyChanged": move(s, "ready"); break;
      case "PodDeleting": move(s, "terminating"); break;
      case "PodFailed": move(s, "failed"); break;
      case "PodRemoved": move(s, undefined); break;
    }
  }
  while (next <= spec.durationMs) {
    flush(next);
    next += spec.metricEveryMs;
  }
  return times;
}

export function writeSyntheticRun(log: SqliteLog, spec: SyntheticSpec): SyntheticTruth {
  const { events, boundMs, runningMs, needle } = buildSyntheticEvents(spec);
  const runId = log.createRun({
    scenario: "zone-outage-synthetic",
    scenarioHash: "synthetic",
    seed: spec.seed,
    variant: spec.variant,
    parameters: canonicalJson({ scheduler: { profile: spec.variant }, nodes: spec.nodes }),
    codeVersion: "test",
    durationMs: spec.durationMs,
    createdWall: "2025-01-01T00:00:00.000Z",
  });
  const sink = log.sinkForRun(runId);
  let seq = 0;
  for (const e of events) {
    const record: LogRecord = { seq: seq++, atMs: e.atMs, kind: e.event.kind as LogRecord["kind"], subject: subjectOf(e.event), payload: canonicalJson(e.event), exogenous: e.exogenous };
    if (record.kind === needle.kind && record.subject === needle.subject) needle.seq = record.seq;
    sink.append(record);
  }
  const metricTimesMs = sampleMetrics(events, spec, (name, atMs, value) => sink.metric({ name, atMs, value }));
  const fingerprint = sink.finish();
  const summary = {
    scenario: "zone-outage-synthetic",
    description: "A zone goes down at peak; do the workloads recover?",
    seed: spec.seed,
    variant: spec.variant,
    durationMs: spec.durationMs,
    fingerprint,
    eventCount: events.length,
    parameters: { scheduler: { profile: spec.variant }, nodes: spec.nodes },
    expectations: [
      { name: "web recovers", kind: "eventually", passed: true, detail: "ready ≥ 90% by 0:08:00" },
      { name: "no pod pending > 5m", kind: "always", passed: false, detail: "pod shop/app-001-0003 pending 6m12s <script>alert(1)</script>" },
    ],
    faults: spec.faults.map((f) => ({ atMs: f.atMs, fault: f.fault, target: `zone/zone-${f.zone}`, label: f.label })),
    workloads: [],
  };
  log.finishRun(runId, { status: "done", summary: JSON.stringify(summary) });
  return { runId, eventCount: events.length, faultTimesMs: spec.faults.map((f) => f.atMs), boundMs, runningMs, metricTimesMs, needle, summary };
}

export const smallSpec: SyntheticSpec = {
  seed: 7,
  variant: "binpack",
  nodes: 12,
  zones: 3,
  workloads: 5,
  podsPerWorkload: 8,
  durationMs: 600_000,
  churnPerMinute: 0.1,
  faults: [
    { atMs: 180_000, fault: "ZoneOutage", zone: 1, label: "zone-1 down", healAfterMs: 120_000 },
    { atMs: 420_000, fault: "NodeCrash", zone: 2, label: "zone-2 crash", healAfterMs: 60_000 },
  ],
  metricEveryMs: 10_000,
};
