/**
 * Watches a run from outside (an api-server probe plus a periodic sampler): pod lifecycle times
 * for latency and pending checks, metric series, per-workload availability, and the run's
 * invariants (no node overcommitted, every bound pod's node exists). Never writes to the cluster.
 */
import { assert } from "../../model/assert.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import type { EventSink } from "../../log/sink.ts";
import { snapshotOf } from "../../model/state.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";
import { desiredByWorkload, readyByWorkload } from "./workload-index.ts";
import { checkBindTolerated } from "./bind-invariant.ts";

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

export class RunObserver implements Actor {
  readonly pods = new Map<string, PodTimes>();
  readonly workloadSamples = new Map<string, WorkloadSample[]>();
  readonly series: SeriesPoint[] = [];
  readonly faults: { atMs: Ms; fault: string; target: string; label: string }[] = [];
  readonly rejections: { atMs: Ms; key: string; plugin: string; code: number; message: string }[] = [];
  /** Pods the scheduler could not place at least once → its last message for them. */
  readonly unschedulable = new Map<string, string>();
  /** Ready, non-terminating pods: key → controller owner uid; and their count per owner uid. */
  private readonly readyPods = new Map<string, string>();
  private readonly readyByOwnerUid = new Map<string, number>();
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly sink: EventSink;
  private readonly intervalMs: Ms;
  private readonly snapshotIntervalMs: Ms;
  private readonly snapshotMinRecords: number;
  private lastSnapshotSeq = 0;

  constructor(engine: Engine, api: ApiServer, sink: EventSink, intervalMs: Ms, snapshot: { intervalMs: Ms; minRecords: number }) {
    this.engine = engine;
    this.api = api;
    this.sink = sink;
    this.intervalMs = intervalMs;
    this.snapshotIntervalMs = snapshot.intervalMs;
    this.snapshotMinRecords = snapshot.minRecords;
    api.probe((event, atMs) => this.onApplied(event, atMs));
  }

  start(): void {
    this.engine.after(0, this, tagSample);
    if (this.snapshotIntervalMs > 0) this.engine.after(this.snapshotIntervalMs, this, tagSnapshot);
  }

  onEvent(tag: number, _data: unknown, nowMs: Ms): void {
    if (tag === tagSnapshot) {
      // Snapshots bound replay work; with few records since the last one, replay is cheap anyway.
      if (this.api.seq - this.lastSnapshotSeq >= this.snapshotMinRecords) {
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
  private trackReady(key: string): void {
    const pod = this.api.state.pods.get(key);
    const counts = pod !== undefined && pod.status.ready && pod.metadata.deletionMs === undefined;
    const owner = this.readyPods.get(key);
    if (counts && owner === undefined) {
      const uid = controllerOf(pod.metadata)?.uid;
      if (uid === undefined) return;
      this.readyPods.set(key, uid);
      this.readyByOwnerUid.set(uid, (this.readyByOwnerUid.get(uid) ?? 0) + 1);
    } else if (!counts && owner !== undefined) {
      this.readyPods.delete(key);
      this.readyByOwnerUid.set(owner, (this.readyByOwnerUid.get(owner) ?? 1) - 1);
    }
  }

  private onApplied(event: ClusterEvent, atMs: Ms): void {
    checkBindTolerated(this.api.state, event);
    if (event.kind === "PodReadyChanged" || event.kind === "PodDeleting" || event.kind === "PodRemoved" || event.kind === "PodFailed") {
      this.trackReady(event.key);
    }
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

  private times(key: string): PodTimes {
    const t = this.pods.get(key);
    assert(t !== undefined, `observer saw ${key} change before creation`);
    return t;
  }

  /** Takes one sample of every series (also called once at the end of the run). */
  sample(nowMs: Ms): void {
    const state = this.api.state;
    let pending = 0;
    let running = 0;
    let ready = 0;
    let failed = 0;
    let terminating = 0;
    for (const pod of state.pods.values()) {
      if (pod.metadata.deletionMs !== undefined) terminating++;
      else if (pod.status.phase === "Pending") pending++;
      else if (pod.status.phase === "Running") running++;
      else if (pod.status.phase === "Failed") failed++;
      if (pod.status.ready) ready++;
    }
    let nodesReady = 0;
    for (const node of state.nodes.values()) if (node.status.ready === "True") nodesReady++;
    const nodesNotReady = state.nodes.size - nodesReady;
    this.series.push({ atMs: nowMs, pending, running, ready, terminating, nodesReady, nodesNotReady });
    const metrics: [string, number][] = [
      ["pods.pending", pending],
      ["pods.running", running],
      ["pods.ready", ready],
      ["pods.failed", failed],
      ["pods.terminating", terminating],
      ["nodes.ready", nodesReady],
      ["nodes.notReady", nodesNotReady],
    ];
    for (const [name, value] of metrics) this.sink.metric({ name, atMs: nowMs, value });
    this.sampleWorkloads(nowMs);
    this.checkInvariants();
  }

  private sampleWorkloads(nowMs: Ms): void {
    const state = this.api.state;
    const readyCounts = readyByWorkload(state, this.readyByOwnerUid);
    const desired = desiredByWorkload(state);
    for (const key of [...desired.keys()].sort()) {
      const sample = { atMs: nowMs, ready: readyCounts.get(key) ?? 0, desired: desired.get(key) ?? 0 };
      let list = this.workloadSamples.get(key);
      if (!list) {
        list = [];
        this.workloadSamples.set(key, list);
      }
      list.push(sample);
      this.sink.metric({ name: `workload.ready/${key}`, atMs: nowMs, value: sample.ready });
      this.sink.metric({ name: `workload.desired/${key}`, atMs: nowMs, value: sample.desired });
    }
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
