/**
 * The load generator and the pods' CPU accounting (what cAdvisor counts): every tick (5 s) each
 * Service's rate curve gives the requests of that slice — a Poisson draw from the load's own
 * exogenous stream when noisy — shared round-robin over its ready endpoints; a request that finds
 * no ready endpoint is dropped. Each running pod the Service selects uses its base CPU plus the
 * cost of its requests, at most its CPU limit (throttled beyond), added to a cumulative counter in
 * millicore-milliseconds that the metrics pipeline (metrics-server.ts) turns into rates.
 */
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import { rateAt, type LoadPlan } from "./load-plan.ts";
import { isReadyEndpoint, poisson, roundRobinShares, selectedByService } from "./traffic.ts";

const tagTick = 1;

export interface ServiceTraffic {
  offeredRequests: number;
  servedRequests: number;
  droppedRequests: number;
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
    for (const l of loads) this.traffic.set(l.service, { offeredRequests: 0, servedRequests: 0, droppedRequests: 0 });
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
      if (endpoints.length === 0) {
        traffic.droppedRequests += requests;
        continue;
      }
      traffic.servedRequests += requests;
      const shares = roundRobinShares(requests, endpoints.length, this.offsets[i] as number);
      this.offsets[i] = ((this.offsets[i] as number) + requests) % endpoints.length;
      const byPod = new Map<string, number>();
      for (const [j, pod] of endpoints.entries()) byPod.set(podKey(pod), shares[j] as number);
      for (const pod of pods) {
        if (pod.status.phase !== "Running") continue;
        const key = podKey(pod);
        const base = charged.has(key) ? 0 : load.baseCpuMilli;
        charged.add(key);
        const demandMilli = base + (load.cpuMilliPerRequest * (byPod.get(key) ?? 0)) / seconds;
        const usageMilli = Math.min(demandMilli, cpuLimitMilli(pod));
        this.cumulative.set(key, (this.cumulative.get(key) ?? 0) + usageMilli * this.tickMs);
        if (slice !== undefined) {
          const seen = slice.get(key);
          const requests = byPod.get(key) ?? 0;
          slice.set(key, { pod, usageMilli: usageMilli + (seen?.usageMilli ?? 0), demandMilli: demandMilli + (seen?.demandMilli ?? 0), requests: requests + (seen?.requests ?? 0) });
        }
      }
    }
    if (slice !== undefined) for (const listener of this.listeners) listener.onSlice(fromMs, this.tickMs, slice);
  }
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
