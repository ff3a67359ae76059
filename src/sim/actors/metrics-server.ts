/**
 * The resource metrics pipeline, as metrics-server runs it: every scrape interval (15 s,
 * --metric-resolution) it reads each running pod's cumulative CPU counter (the kubelet's
 * cAdvisor numbers, kept by the load actor) and serves the rate since its previous scrape as the
 * pod's PodMetrics: usage averaged over `window` (the time between the two scrapes) ending at
 * `timestamp`. A pod therefore has no metrics until its second scrape, and the HPA, reading at its
 * own sync, sees usage that is up to a window plus a sync period old. Per container as
 * load/container-usage.ts splits it (memory: half the request, a stand-in).
 */
import type { PodMetrics } from "../../model/autoscaling-objects.ts";
import type { Pod } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import type { CpuCounters } from "../load/load-actor.ts";
import { containerUsageOf } from "../load/container-usage.ts";

const tagScrape = 1;

interface Sample {
  cpuMilliMs: number;
  atMs: Ms;
}

export class MetricsServer implements Actor {
  private readonly previous = new Map<string, Sample>();
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly counters: CpuCounters;
  private readonly intervalMs: Ms;

  constructor(engine: Engine, api: ApiServer, counters: CpuCounters, intervalMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.counters = counters;
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.engine.after(this.intervalMs, this, tagScrape);
  }

  onEvent(_tag: number, _data: unknown, nowMs: Ms): void {
    this.scrape(nowMs);
    this.engine.after(this.intervalMs, this, tagScrape);
  }

  private scrape(nowMs: Ms): void {
    this.counters.catchUp(nowMs);
    const served = storedObjectsOf(this.api.state, "PodMetrics");
    const seen = new Set<string>();
    const keys = [...this.api.state.pods.keys()].sort();
    for (const key of keys) {
      const pod = this.api.state.pods.get(key) as Pod;
      if (pod.status.phase !== "Running") continue;
      seen.add(key);
      const cpuMilliMs = this.counters.cpuMilliMs(key) ?? 0;
      const prev = this.previous.get(key);
      this.previous.set(key, { cpuMilliMs, atMs: nowMs });
      if (prev === undefined || nowMs <= prev.atMs) continue;
      const metrics = podMetricsOf(pod, Math.round((cpuMilliMs - prev.cpuMilliMs) / (nowMs - prev.atMs)), nowMs, nowMs - prev.atMs);
      this.api.recordMeasurement(served.has(key) ? { kind: "ObjectUpdated", object: metrics } : { kind: "ObjectCreated", object: metrics });
    }
    for (const key of [...this.previous.keys()]) if (!seen.has(key)) this.previous.delete(key);
    for (const key of [...served.keys()].sort()) if (!seen.has(key)) this.api.recordMeasurement({ kind: "ObjectDeleted", objectKind: "PodMetrics", key });
  }
}

function podMetricsOf(pod: Pod, cpuMilli: number, nowMs: Ms, windowMs: Ms): PodMetrics {
  const containers = containerUsageOf(pod, cpuMilli).map((u) => ({ name: u.name, usage: { cpu: u.cpuMilli, memory: u.memoryBytes } }));
  return {
    kind: "PodMetrics",
    // Without the pod's labels (metrics-server copies them for label selection; the twin looks metrics up by pod): smaller log records.
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: "", labels: {}, creationMs: nowMs },
    timestampMs: nowMs,
    windowMs,
    containers,
  };
}
