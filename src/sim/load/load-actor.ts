/**
 * The load generator and the pods' CPU accounting (what cAdvisor counts): every tick (5 s) each
 * Service's rate curve gives the requests of that slice — a Poisson draw from the load's own
 * exogenous stream when noisy — shared over its ready endpoints, round-robin or least-request
 * (least-request.ts); a request that finds no ready endpoint is dropped. A load with queueing
 * fields runs each pod's queue over the slice (queueing.ts): drops for full queues, a backlog
 * carried to the next slice, latencies into the Service's histogram; its CPU is for the requests
 * the pod completed. Each running pod the Service selects uses its base CPU plus the cost of its
 * requests, at most its CPU limit (throttled beyond), added to a cumulative counter in
 * millicore-milliseconds that the metrics pipeline (metrics-server.ts) turns into rates. */
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import { rateAt, type LoadPlan, type QueuePlan } from "./load-plan.ts";
import { isReadyEndpoint, poisson, roundRobinShares, selectedByService } from "./traffic.ts";
import { LatencyHistogram } from "./latency-histogram.ts";
import { leastRequestShares } from "./least-request.ts";
import { podCapacity, queueSlice, type PodCapacity } from "./queueing.ts";

const tagTick = 1;

export interface ServiceTraffic {
  offeredRequests: number;
  /** Taken in by a pod (served, or queued and served later); offered = served + dropped. */
  servedRequests: number;
  droppedRequests: number;
  /** Found no ready endpoint, or were queued on a pod that stopped running. */
  droppedNoEndpointRequests: number;
  /** Arrived at a pod whose queue was full (queueing loads only). */
  droppedSaturatedRequests: number;
  /** Latencies of the requests taken in, for a load with queueing (queueing.ts). */
  latency?: LatencyHistogram;
}

/** The cumulative CPU counters, read by the metrics pipeline. */
export interface CpuCounters {
  /** Accounts every slice that has ended by `nowMs` (a scrape then sees them whatever the event order). */
  catchUp(nowMs: Ms): void;
  cpuMilliMs(podKey: string): number | undefined;
}

/** One pod's load over a slice: its CPU used (at most its limit), what its traffic asked for, the requests it served. */
export interface PodSliceUsage {
  pod: Pod;
  usageMilli: number;
  demandMilli: number;
  requests: number;
}

/** Hears every accounted slice (the resource-accuracy observer, the kubelets' memory model); it only reads. */
export interface SliceListener {
  onSlice(fromMs: Ms, durationMs: Ms, pods: ReadonlyMap<string, PodSliceUsage>): void;
}

export class LoadActor implements Actor, CpuCounters {
  private readonly listeners: SliceListener[] = [];
  private readonly cumulative = new Map<string, number>();
  private readonly prngs: Prng[];
  private readonly offsets: number[];
  /** Per load, the requests queued on each pod at the end of the last slice (queueing loads). */
  private readonly backlogs: Map<string, number>[];
  readonly traffic = new Map<string, ServiceTraffic>();
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly loads: readonly LoadPlan[];
  private readonly tickMs: Ms;
  private accountedToMs: Ms = 0;

  constructor(engine: Engine, api: ApiServer, loads: readonly LoadPlan[], prng: Prng, tickMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.loads = loads;
    this.tickMs = tickMs;
    // One stream per Service, named by it: adding a load does not change another's arrivals.
    this.prngs = loads.map((l) => prng.fork(`load/${l.service}`));
    this.offsets = loads.map(() => 0);
    this.backlogs = loads.map(() => new Map());
    for (const l of loads) {
      const t: ServiceTraffic = { offeredRequests: 0, servedRequests: 0, droppedRequests: 0, droppedNoEndpointRequests: 0, droppedSaturatedRequests: 0 };
      if (l.queue !== undefined) t.latency = new LatencyHistogram();
      this.traffic.set(l.service, t);
    }
  }

  start(): void {
    this.engine.after(this.tickMs, this, tagTick);
  }

  listen(listener: SliceListener): void {
    this.listeners.push(listener);
  }

  cpuMilliMs(podKey: string): number | undefined {
    return this.cumulative.get(podKey);
  }

  onEvent(_tag: number, _data: unknown, nowMs: Ms): void {
    this.catchUp(nowMs);
    this.engine.after(this.tickMs, this, tagTick);
  }

  catchUp(nowMs: Ms): void {
    while (this.accountedToMs + this.tickMs <= nowMs) {
      this.tick(this.accountedToMs);
      this.accountedToMs += this.tickMs;
    }
  }

  /** The slice that started at `fromMs`: its requests and the CPU they cost. */
  private tick(fromMs: Ms): void {
    const services = storedObjectsOf(this.api.state, "Service");
    const seconds = this.tickMs / 1000;
    const charged = new Set<string>();
    const slice = this.listeners.length === 0 ? undefined : new Map<string, PodSliceUsage>();
    for (const [i, load] of this.loads.entries()) {
      const mean = rateAt(load.curve, fromMs) * seconds;
      const requests = load.noise === "poisson" ? poisson(this.prngs[i] as Prng, mean) : mean;
      const traffic = this.traffic.get(load.service) as ServiceTraffic;
      traffic.offeredRequests += requests;
      const service = services.get(load.service);
      const pods = service === undefined ? [] : selectedByService(this.api.state, service);
      const endpoints = pods.filter(isReadyEndpoint);
      const backlog = this.backlogs[i] as Map<string, number>;
      if (endpoints.length === 0) {
        traffic.droppedRequests += requests;
        traffic.droppedNoEndpointRequests += requests;
        if (load.queue === undefined || backlog.size === 0) continue;
      }
      const shares = this.sharesOf(i, load, requests, endpoints, backlog);
      const byPod = new Map<string, number>();
      for (const [j, pod] of endpoints.entries()) byPod.set(podKey(pod), shares[j] as number);
      if (load.queue === undefined) traffic.servedRequests += requests;
      else this.dropStoppedQueues(backlog, pods, traffic);
      for (const pod of pods) {
        if (pod.status.phase !== "Running") continue;
        const key = podKey(pod);
        const base = charged.has(key) ? 0 : load.baseCpuMilli;
        charged.add(key);
        const arrived = byPod.get(key) ?? 0;
        const worked = load.queue === undefined ? arrived : this.queued(load, pod, arrived, backlog, traffic, seconds);
        const demandMilli = base + (load.cpuMilliPerRequest * worked) / seconds;
        const usageMilli = Math.min(demandMilli, cpuLimitMilli(pod));
        this.cumulative.set(key, (this.cumulative.get(key) ?? 0) + usageMilli * this.tickMs);
        if (slice !== undefined) {
          const seen = slice.get(key);
          slice.set(key, { pod, usageMilli: usageMilli + (seen?.usageMilli ?? 0), demandMilli: demandMilli + (seen?.demandMilli ?? 0), requests: arrived + (seen?.requests ?? 0) });
        }
      }
    }
    if (slice !== undefined) for (const listener of this.listeners) listener.onSlice(fromMs, this.tickMs, slice);
  }

  /** The slice's requests over the ready endpoints, as the load's balancing spreads them. */
  private sharesOf(i: number, load: LoadPlan, requests: number, endpoints: readonly Pod[], backlog: ReadonlyMap<string, number>): number[] {
    if (endpoints.length === 0) return [];
    if (load.balancing === "leastRequest") {
      const seconds = this.tickMs / 1000;
      const capacities = endpoints.map((p) => (load.queue === undefined ? Number.POSITIVE_INFINITY : capacityOf(load, load.queue, p).capacityPerS * seconds));
      return leastRequestShares(requests, endpoints.map((p) => backlog.get(podKey(p)) ?? 0), capacities);
    }
    const shares = roundRobinShares(requests, endpoints.length, this.offsets[i] as number);
    this.offsets[i] = ((this.offsets[i] as number) + requests) % endpoints.length;
    return shares;
  }

  /** A pod that stopped running loses its queue: those requests count as dropped, not served. */
  private dropStoppedQueues(backlog: Map<string, number>, pods: readonly Pod[], traffic: ServiceTraffic): void {
    if (backlog.size === 0) return;
    const running = new Set(pods.filter((p) => p.status.phase === "Running").map(podKey));
    for (const [key, queued] of backlog) {
      if (running.has(key)) continue;
      backlog.delete(key);
      traffic.servedRequests -= queued;
      traffic.droppedRequests += queued;
      traffic.droppedNoEndpointRequests += queued;
    }
  }

  /** One pod's queue over the slice: counts and latencies into `traffic`; the requests it completed (what its CPU worked on). */
  private queued(load: LoadPlan, pod: Pod, arrived: number, backlog: Map<string, number>, traffic: ServiceTraffic, seconds: number): number {
    const queue = load.queue as QueuePlan;
    const key = podKey(pod);
    const before = backlog.get(key) ?? 0;
    if (arrived === 0 && before === 0) return 0;
    const capacity = capacityOf(load, queue, pod);
    const q = queueSlice(before, arrived, capacity, queue.queueLimit, seconds);
    if (q.backlogEnd > 0) backlog.set(key, q.backlogEnd);
    else backlog.delete(key);
    traffic.servedRequests += q.admitted;
    traffic.droppedRequests += q.droppedSaturated;
    traffic.droppedSaturatedRequests += q.droppedSaturated;
    const latency = traffic.latency as LatencyHistogram;
    for (const span of q.spans) latency.addSpan(capacity.serviceTimeS, span);
    if (q.steady !== undefined) latency.addSteady(capacity.serviceTimeS, q.steady);
    return q.completed;
  }
}

/** What bounds the pod for this load: its concurrency, the service time, and the CPU limit less base usage (at least 1m: a pod never stops entirely). */
function capacityOf(load: LoadPlan, queue: QueuePlan, pod: Pod): PodCapacity {
  const availableMilli = Math.max(1, cpuLimitMilli(pod) - load.baseCpuMilli);
  const serviceTimeS = queue.serviceTimeMs !== undefined ? queue.serviceTimeMs / 1000 : load.cpuMilliPerRequest / 1000;
  return podCapacity(queue.concurrency, serviceTimeS, load.cpuMilliPerRequest, availableMilli);
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** The pod's CPU limit (its containers' limits summed), or no limit when any container has none. */
function cpuLimitMilli(pod: Pod): number {
  let total = 0;
  for (const c of pod.spec.containers) {
    const limit = c.limits.cpu;
    if (limit === undefined) return Number.POSITIVE_INFINITY;
    total += limit;
  }
  return total;
}
