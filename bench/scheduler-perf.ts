/**
 * scheduler_perf workloads of upstream Kubernetes (test/integration/scheduler_perf/config) run
 * through the twin's scheduler against an in-memory ClusterState: nodes and pods are added with
 * evolve (which maintains the optional scheduler indexes), each decision is applied with evolve
 * (PodBound, or PodRemoved for preemption victims). Prints pods scheduled per wall-clock second for
 * the measured pods (and, where they preempt, preemptions per second). Wall time is read here only.
 *
 *   node bench/scheduler-perf.ts                          # all workloads
 *   node bench/scheduler-perf.ts Basic                    # workloads whose name contains "Basic"
 *   node bench/scheduler-perf.ts Basic --decisions out.txt  # also write every decision (pod → node)
 *
 * `scaledWorkload` and `runWorkload` are exported for the decisions golden test.
 */
import { writeFileSync } from "node:fs";
import { evolve } from "../src/model/evolve.ts";
import type { Node, Pod } from "../src/model/objects.ts";
import { Prng } from "../src/model/prng.ts";
import { emptyState, type ClusterState } from "../src/model/state.ts";
import { createScheduler, type Scheduler } from "../src/policies/scheduling/scheduler.ts";

const mi = 1024 * 1024;
const gi = 1024 * mi;

/** node-default.yaml: 4 cpu, 32Gi, 110 pods; zone labels as the topology variants use. */
function makeNodeObj(i: number, zones: number): Node {
  const name = `scheduler-perf-${i}`;
  return {
    kind: "Node",
    metadata: {
      name, namespace: "", uid: `node-${i}`, creationMs: 0,
      labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": `zone-${i % zones}` },
    },
    spec: { unschedulable: false, taints: [] },
    status: { capacity: { cpu: 4000, memory: 32 * gi, pods: 110 }, allocatable: { cpu: 4000, memory: 32 * gi, pods: 110 }, ready: "True", readyTransitionMs: 0 },
  };
}

interface PodShape {
  cpuMilli: number;
  memory: number;
  priority?: number;
  labels?: Record<string, string>;
  antiAffinity?: boolean;
  spread?: boolean;
}

function makePodObj(name: string, shape: PodShape): Pod {
  const pod: Pod = {
    kind: "Pod",
    metadata: { name, namespace: "default", uid: name, labels: { ...(shape.labels ?? {}) }, creationMs: 0 },
    spec: {
      schedulerName: "default-scheduler",
      containers: [{ name: "pause", requests: { cpu: shape.cpuMilli, memory: shape.memory }, limits: {} }],
      priority: shape.priority ?? 0,
    },
    status: { phase: "Pending", ready: false },
  };
  if (shape.antiAffinity) {
    pod.spec.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: "kubernetes.io/hostname", labelSelector: { matchExpressions: [{ key: "color", operator: "In", values: ["green"] }] } },
        ],
      },
    };
  }
  if (shape.spread) {
    pod.spec.topologySpreadConstraints = [
      { maxSkew: 5, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { color: "blue" } } },
    ];
  }
  return pod;
}

export interface Workload {
  name: string;
  nodes: number;
  zones: number;
  initPods: number;
  initShape: PodShape;
  measurePods: number;
  measureShape: PodShape;
}

const defaultPod: PodShape = { cpuMilli: 100, memory: 500 * mi };

export const workloads: readonly Workload[] = [
  { name: "SchedulingBasic/5000Nodes", nodes: 5000, zones: 3, initPods: 1000, initShape: defaultPod, measurePods: 10_000, measureShape: defaultPod },
  {
    name: "SchedulingPodAntiAffinity/5000Nodes", nodes: 5000, zones: 3, initPods: 1000,
    initShape: { ...defaultPod, labels: { color: "green" }, antiAffinity: true },
    measurePods: 1000, measureShape: { ...defaultPod, labels: { color: "green" }, antiAffinity: true },
  },
  {
    name: "TopologySpreading/5000Nodes", nodes: 5000, zones: 3, initPods: 1000, initShape: { ...defaultPod, labels: { color: "blue" } },
    measurePods: 2000, measureShape: { ...defaultPod, labels: { color: "blue" }, spread: true },
  },
  {
    name: "PreemptionBasic/500Nodes", nodes: 500, zones: 3, initPods: 2000, initShape: { cpuMilli: 900, memory: 500 * mi, priority: 1 },
    measurePods: 500, measureShape: { cpuMilli: 3000, memory: 500 * mi, priority: 10 },
  },
  {
    // default_preemption/performance-config.yaml PreemptionAsync/5000Nodes: 4 low-priority 900m pods
    // per node, high-priority 3-CPU pods that must evict 3 of them. Upstream churns the preemptors
    // among 100m pods; here every measured pod is a preemptor (its 1/10 scale is the 500-node case).
    name: "PreemptionAsync/5000Nodes", nodes: 5000, zones: 3, initPods: 20_000, initShape: { cpuMilli: 900, memory: 500 * mi, priority: 1 },
    measurePods: 5000, measureShape: { cpuMilli: 3000, memory: 500 * mi, priority: 10 },
  },
];

/** The same workload with nodes and pods divided by `divisor` (at least 1 of each). */
export function scaledWorkload(w: Workload, divisor: number): Workload {
  const scale = (n: number): number => Math.max(1, Math.trunc(n / divisor));
  return { ...w, nodes: scale(w.nodes), initPods: scale(w.initPods), measurePods: scale(w.measurePods) };
}

/**
 * Schedules one pod to completion: bind, or evict the victims and retry on the nominated node.
 * `preempted` hears of each eviction round.
 */
function schedule(state: ClusterState, scheduler: Scheduler, key: string, prng: Prng, record: (line: string) => void, preempted: () => void = () => {}): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = scheduler.scheduleOne(state, key, prng);
    if (r.kind === "Bind") {
      record(`${key} -> ${r.nodeName}`);
      evolve(state, { kind: "PodBound", key, nodeName: r.nodeName }, state.nowMs);
      return true;
    }
    record(`${key} x ${r.nominatedNodeName ?? "-"} evict [${r.victims.join(",")}] ${r.message}`);
    if (r.victims.length === 0) return false;
    preempted();
    for (const victim of r.victims) evolve(state, { kind: "PodRemoved", key: victim }, state.nowMs);
  }
  return false;
}

export interface WorkloadRun {
  readonly scheduled: number;
  /** Measured pods' eviction rounds (one per preemption). */
  readonly preemptions: number;
  /** One line per scheduleOne call (init and measured pods): "<key> -> <node>" or the failure. */
  readonly decisions: readonly string[];
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

export function runWorkload(w: Workload, options: { recordDecisions: boolean }): WorkloadRun {
  const decisions: string[] = [];
  const record = options.recordDecisions ? (line: string): void => void decisions.push(line) : (): void => {};
  const state = emptyState();
  for (let i = 0; i < w.nodes; i++) evolve(state, { kind: "NodeAdded", node: makeNodeObj(i, w.zones) }, 0);
  const scheduler = createScheduler({ profiles: [] });
  const prng = Prng.fromSeed(42);
  for (let i = 0; i < w.initPods; i++) {
    const pod = makePodObj(`init-${i}`, w.initShape);
    evolve(state, { kind: "PodCreated", pod }, 0);
    schedule(state, scheduler, `default/init-${i}`, prng, record);
  }
  const keys: string[] = [];
  for (let i = 0; i < w.measurePods; i++) {
    const pod = makePodObj(`measure-${i}`, w.measureShape);
    evolve(state, { kind: "PodCreated", pod }, 0);
    keys.push(`default/measure-${i}`);
  }
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let scheduled = 0;
  let preemptions = 0;
  const preempted = (): void => void preemptions++;
  for (const key of keys) if (schedule(state, scheduler, key, prng, record, preempted)) scheduled++;
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { scheduled, preemptions, decisions, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function main(args: readonly string[]): void {
  const at = args.indexOf("--decisions");
  const decisionsPath = at >= 0 ? args[at + 1] : undefined;
  const filter = args.find((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1)) ?? "";
  const all: string[] = [];
  for (const w of workloads) {
    if (!w.name.includes(filter)) continue;
    const r = runWorkload(w, { recordDecisions: decisionsPath !== undefined });
    all.push(`# ${w.name}`, ...r.decisions);
    console.log(
      `${w.name.padEnd(38)} ${String(r.scheduled).padStart(6)}/${w.measurePods} pods  ${r.wallSeconds.toFixed(2)} s wall → ${(r.scheduled / r.wallSeconds).toFixed(0)} pods/s` +
        `  (${r.cpuSeconds.toFixed(2)} s cpu → ${(r.scheduled / r.cpuSeconds).toFixed(0)} pods per cpu-second)` +
        (r.preemptions > 0 ? `; ${r.preemptions} preemptions → ${(r.preemptions / r.wallSeconds).toFixed(0)}/s wall, ${(r.preemptions / r.cpuSeconds).toFixed(0)} per cpu-second` : ""),
    );
  }
  if (decisionsPath !== undefined) writeFileSync(decisionsPath, `${all.join("\n")}\n`);
}

if (import.meta.main) main(process.argv.slice(2));
