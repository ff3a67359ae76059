/**
 * Watches a run from outside (an api-server probe plus a periodic sampler): pod lifecycle times
 * for latency and pending checks, metric series, per-workload availability, and the run's
 * invariants (no node overcommitted, every bound pod's node exists). Never writes to the cluster.
 */
import { DeletionObservations } from "./deletions.ts";
import { BatchJobObservations } from "./batch-jobs.ts";
import { nodeCountMetric, podCountMetric, workloadDesiredMetric, workloadReadyMetric } from "../../log/metric-names.ts";
import { NodeLossObservations } from "./node-loss.ts";
import { CrashLoopObservations } from "./crash-loops.ts";
import { ImagePullObservations } from "./image-pulls.ts";
import { RolloutObservations } from "./rollouts.ts";
import { assert } from "../../model/assert.ts";
import type { ClusterState } from "../../model/state.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import type { EventSink } from "../../log/sink.ts";
import { snapshotOf } from "../../model/state.ts";
import { desiredByWorkload, desiredChangeOf, desiredOf, workloadOfPod } from "./workload-index.ts";
import { checkBindTolerated } from "./bind-invariant.ts";
import { PodPhaseCounts } from "./pod-phase-counts.ts";
import type { ResourceAccuracyObservations } from "./resource-accuracy.ts";

interface PodTimes {
  createdMs: Ms;
  boundMs?: Ms;
  runningMs?: Ms;
  goneMs?: Ms;
}

export interface WorkloadSample {
  atMs: Ms;
  ready: number;
  desired: number;
}

export interface SeriesPoint {
  atMs: Ms;
  pending: number;
  running: number;
  ready: number;
  terminating: number;
  nodesReady: number;
  nodesNotReady: number;
}

const tagSample = 1;
const tagSnapshot = 2;
/** Every this many samples (one simulated hour at 10 s) the kept pod counts are checked against a scan. */
const podCountCheckEvery = 360;

export class RunObserver implements Actor {
  readonly pods = new Map<string, PodTimes>();
  readonly workloadSamples = new Map<string, WorkloadSample[]>();
  private readonly sampleBoundariesMs: readonly Ms[];
  readonly series: SeriesPoint[] = [];
  readonly faults: { atMs: Ms; fault: string; target: string; label: string }[] = [];
  readonly rejections: { atMs: Ms; key: string; plugin: string; code: number; message: string }[] = [];
  /** Pods the scheduler could not place at least once → its last message for them. */
  readonly unschedulable = new Map<string, string>();
  /** Lost nodes, their NoExecute taints and the pods evicted, per zone. */
  readonly nodeLoss = new NodeLossObservations();
  /** Container exits, restarts and back-off per workload. */
  readonly crashLoops = new CrashLoopObservations();
  /** Pods that waited for their images. */
  readonly imagePulls = new ImagePullObservations();
  readonly rollouts = new RolloutObservations();
  readonly batchJobs = new BatchJobObservations();
  readonly deletions = new DeletionObservations();
  /** Requests against usage per container, when the scenario has a VPA (the world connects it to the load). */
  resourceAccuracy: ResourceAccuracyObservations | undefined;
  /** Ready, non-terminating pods: key → workload key; and their count per workload. */
  private readonly readyPods = new Map<string, string>();
  private readonly readyByWorkload = new Map<string, number>();
  /**
   * A workload's (ready, desired) after the last event of the current millisecond: committed to
   * its samples when time moves on, so availability is exact between the periodic samples (a
   * Recreate rollout's few seconds with no pod ready show) and a change undone within the same
   * millisecond is not a dip.
   */
  private readonly changed = new Map<string, WorkloadSample>();
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly sink: EventSink;
  private readonly intervalMs: Ms;
  private readonly snapshotIntervalMs: Ms;
  private readonly snapshotMinRecords: number;
  private readonly snapshotRecordsPerObject: number;
  private lastSnapshotSeq = 0;
  private readonly podCounts: PodPhaseCounts;
  private samplesTaken = 0;

  /**
   * `sampleBoundariesMs`: the times expectations start looking from (an Availability's `after`):
   * a run of equal workload samples keeps its first and its latest sample, and the first at or
   * after each boundary, so what is judged from the samples is what every sample would give.
   */
  constructor(engine: Engine, api: ApiServer, sink: EventSink, intervalMs: Ms, snapshot: { intervalMs: Ms; minRecords: number; recordsPerObject?: number }, sampleBoundariesMs: readonly Ms[] = []) {
    this.sampleBoundariesMs = [...sampleBoundariesMs].sort((a, b) => a - b);
    this.engine = engine;
    this.api = api;
    this.sink = sink;
    this.intervalMs = intervalMs;
    this.snapshotIntervalMs = snapshot.intervalMs;
    this.snapshotMinRecords = snapshot.minRecords;
    this.snapshotRecordsPerObject = snapshot.recordsPerObject ?? 0;
    this.podCounts = new PodPhaseCounts(api.state);
    api.probe((event, atMs) => this.onApplied(event, atMs));
  }

  start(): void {
    this.engine.after(0, this, tagSample);
    if (this.snapshotIntervalMs > 0) this.engine.after(this.snapshotIntervalMs, this, tagSnapshot);
  }

  onEvent(tag: number, _data: unknown, nowMs: Ms): void {
    if (tag === tagSnapshot) {
      // Snapshots bound replay work; with few records since the last one, replay is cheap anyway.
      const needed = Math.max(this.snapshotMinRecords, this.snapshotRecordsPerObject * objectCountOf(this.api.state));
      if (this.api.seq - this.lastSnapshotSeq >= needed) {
        this.sink.snapshot(this.api.seq - 1, nowMs, snapshotOf(this.api.state));
        this.lastSnapshotSeq = this.api.seq;
      }
      this.engine.after(this.snapshotIntervalMs, this, tagSnapshot);
      return;
    }
    this.sample(nowMs);
    this.engine.after(this.intervalMs, this, tagSample);
  }

  /** Keeps the ready-pods-per-owner counts current: a pod counts while ready and not terminating. */
  private trackReady(key: string, atMs: Ms): void {
    const pod = this.api.state.pods.get(key);
    const counts = pod !== undefined && pod.status.ready && pod.metadata.deletionMs === undefined;
    const workload = this.readyPods.get(key);
    if (counts && workload === undefined) {
      const of = workloadOfPod(this.api.state, pod);
      if (of === undefined) return;
      this.readyPods.set(key, of);
      this.readyByWorkload.set(of, (this.readyByWorkload.get(of) ?? 0) + 1);
      this.noteChange(of, atMs);
    } else if (!counts && workload !== undefined) {
      this.readyPods.delete(key);
      const left = (this.readyByWorkload.get(workload) ?? 0) - 1;
      assert(left >= 0, `ready count of ${workload} below zero`);
      this.readyByWorkload.set(workload, left);
      this.noteChange(workload, atMs);
    }
  }

  /** An orphaned ReplicaSet becomes a workload of its own, an orphaned pod no workload's: their ready pods move. */
  private ownersChanged(event: Extract<ClusterEvent, { kind: "OwnerReferencesChanged" }>, atMs: Ms): void {
    if (event.objectKind === "Pod") return this.reattribute(event.key, atMs);
    if (event.objectKind !== "ReplicaSet") return;
    const uid = this.api.state.replicaSets.get(event.key)?.metadata.uid;
    for (const key of [...(uid === undefined ? [] : (this.api.state.podsByOwner.get(uid) ?? []))].sort()) this.reattribute(key, atMs);
  }

  private reattribute(key: string, atMs: Ms): void {
    const workload = this.readyPods.get(key);
    const pod = this.api.state.pods.get(key);
    if (workload === undefined || pod === undefined || workloadOfPod(this.api.state, pod) === workload) return;
    this.readyPods.delete(key);
    this.readyByWorkload.set(workload, (this.readyByWorkload.get(workload) ?? 0) - 1);
    this.noteChange(workload, atMs);
    this.trackReady(key, atMs);
  }

  private noteChange(workload: string, atMs: Ms): void {
    const desired = desiredOf(this.api.state, workload);
    if (desired === undefined) return;
    this.changed.set(workload, { atMs, ready: this.readyByWorkload.get(workload) ?? 0, desired });
  }

  /** Commits the changes of earlier milliseconds; a value equal to the workload's last sample adds nothing. */
  private commitChanges(beforeMs: Ms): void {
    for (const [key, s] of this.changed) {
      if (s.atMs >= beforeMs) continue;
      this.changed.delete(key);
      const list = this.workloadSamples.get(key);
      const last = list?.at(-1);
      if (last && last.ready === s.ready && last.desired === s.desired) continue;
      if (list) list.push(s);
      else this.workloadSamples.set(key, [s]);
    }
  }

  private onApplied(event: ClusterEvent, atMs: Ms): void {
    checkBindTolerated(this.api.state, event);
    this.nodeLoss.onApplied(this.api.state, event, atMs);
    this.crashLoops.onApplied(this.api.state, event);
    this.imagePulls.onApplied(event);
    this.rollouts.onApplied(event, atMs);
    this.batchJobs.onApplied(this.api.state, event);
    this.deletions.onApplied(this.api.state, event, atMs);
    if (this.changed.size > 0) this.commitChanges(atMs);
    const podKey = podKeyOf(event);
    if (podKey !== undefined) this.podCounts.onApplied(this.api.state, podKey);
    if (event.kind === "PodReadyChanged" || event.kind === "PodDeleting" || event.kind === "PodRemoved" || event.kind === "PodFailed" || event.kind === "ContainerExited") {
      this.trackReady(event.key, atMs);
    }
    if (event.kind === "OwnerReferencesChanged") this.ownersChanged(event, atMs);
    const scaled = desiredChangeOf(event);
    if (scaled !== undefined) this.noteChange(scaled, atMs);
    switch (event.kind) {
      case "PodCreated":
        this.pods.set(`${event.pod.metadata.namespace}/${event.pod.metadata.name}`, { createdMs: atMs });
        return;
      case "PodBound":
        this.times(event.key).boundMs = atMs;
        return;
      case "PodRunning": {
        const t = this.times(event.key);
        t.runningMs ??= atMs;
        return;
      }
      case "PodDeleting":
      case "PodRemoved": {
        const t = this.times(event.key);
        t.goneMs ??= atMs;
        return;
      }
      case "PodUnschedulable":
        this.unschedulable.set(event.key, event.message);
        return;
      case "Fault":
        this.faults.push({ atMs, fault: event.fault, target: event.target, label: event.label });
        return;
      case "AdmissionRejected":
        this.rejections.push({ atMs, key: event.key, plugin: event.plugin, code: event.code, message: event.message });
        return;
      default:
        return;
    }
  }

  /** Finishes the run: the kept pod counts are checked once more against a scan. */
  checkCounts(): void {
    this.podCounts.check(this.api.state);
  }

  private times(key: string): PodTimes {
    const t = this.pods.get(key);
    assert(t !== undefined, `observer saw ${key} change before creation`);
    return t;
  }

  /** Takes one sample of every series (also called once at the end of the run). */
  sample(nowMs: Ms): void {
    const state = this.api.state;
    if (this.samplesTaken++ % podCountCheckEvery === 0) this.podCounts.check(state);
    const { pending, running, ready, failed, terminating } = this.podCounts.counts();
    let nodesReady = 0;
    for (const node of state.nodes.values()) if (node.status.ready === "True") nodesReady++;
    const nodesNotReady = state.nodes.size - nodesReady;
    this.series.push({ atMs: nowMs, pending, running, ready, terminating, nodesReady, nodesNotReady });
    const metrics: [string, number][] = [
      [podCountMetric("pending"), pending],
      [podCountMetric("running"), running],
      [podCountMetric("ready"), ready],
      [podCountMetric("failed"), failed],
      [podCountMetric("terminating"), terminating],
      [nodeCountMetric("ready"), nodesReady],
      [nodeCountMetric("notReady"), nodesNotReady],
    ];
    for (const [name, value] of metrics) this.sink.metric({ name, atMs: nowMs, value });
    this.sampleWorkloads(nowMs);
    this.checkInvariants();
  }

  private sampleWorkloads(nowMs: Ms): void {
    const state = this.api.state;
    this.commitChanges(nowMs + 1);
    const desired = desiredByWorkload(state);
    for (const key of [...desired.keys()].sort()) {
      const sample = { atMs: nowMs, ready: this.readyByWorkload.get(key) ?? 0, desired: desired.get(key) ?? 0 };
      let list = this.workloadSamples.get(key);
      if (!list) {
        list = [];
        this.workloadSamples.set(key, list);
      }
      this.keepSample(list, sample);
      this.sink.metric({ name: workloadReadyMetric(key), atMs: nowMs, value: sample.ready });
      this.sink.metric({ name: workloadDesiredMetric(key), atMs: nowMs, value: sample.desired });
    }
  }

  /**
   * Appends a periodic sample, or moves the tail of a run of equal samples to it: availability
   * (availability.ts) is a step function of the samples, so a run's first and latest sample give
   * the same degraded time, minimum and first full availability as all of them, and memory stays
   * flat in virtual time instead of growing by one sample per workload per interval. The tail is
   * not moved when it is the first sample at or after a boundary (an expectation's start).
   */
  private keepSample(list: WorkloadSample[], sample: WorkloadSample): void {
    const last = list.at(-1);
    const before = list.at(-2);
    const same = (s: WorkloadSample | undefined) => s !== undefined && s.ready === sample.ready && s.desired === sample.desired;
    if (same(last) && same(before) && !this.boundaryIn((before as WorkloadSample).atMs, (last as WorkloadSample).atMs)) {
      assert((last as WorkloadSample).atMs <= sample.atMs, "workload samples go forward in time");
      list[list.length - 1] = sample;
    } else list.push(sample);
  }

  /** Is some boundary in (fromMs, toMs]? */
  private boundaryIn(fromMs: Ms, toMs: Ms): boolean {
    for (const b of this.sampleBoundariesMs) if (b > fromMs && b <= toMs) return true;
    return false;
  }

  /** Safety of the world itself: a broken one is a bug in the twin, never an expected outcome. */
  private checkInvariants(): void {
    const state = this.api.state;
    for (const [name, requested] of state.requestedByNode) {
      const node = state.nodes.get(name);
      if (!node) continue;
      for (const resource of ["cpu", "memory"]) {
        const used = requested[resource] ?? 0;
        const capacity = node.status.allocatable[resource] ?? 0;
        assert(used <= capacity, `node ${name} overcommitted: ${resource} requested ${used} > allocatable ${capacity}`);
      }
    }
    for (const [nodeName, keys] of state.podsByNode) {
      assert(keys.size === 0 || state.nodes.has(nodeName), `${keys.size} pods bound to missing node ${nodeName}`);
    }
  }
}

/** The pod an event changes (each pod event changes exactly the one pod it names), if any. */
function podKeyOf(event: ClusterEvent): string | undefined {
  if (event.kind === "PodCreated") return `${event.pod.metadata.namespace}/${event.pod.metadata.name}`;
  if (!event.kind.startsWith("Pod") && !event.kind.startsWith("Container") && !event.kind.startsWith("InitContainer")) return undefined;
  assert("key" in event, `pod event ${event.kind} without a key`);
  return event.key;
}

/** The objects a snapshot writes out (every stored kind, the typed maps included). */
function objectCountOf(state: ClusterState): number {
  let n = state.namespaces.size + state.nodes.size + state.pods.size + state.replicaSets.size + state.deployments.size + state.leases.size;
  for (const objects of state.objects.values()) n += objects.size;
  return n;
}
