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

/** Told after each slice the requests per second each running selected pod served (the kubelet's memory model listens). */
export type PodLoadListener = (podKey: string, nodeName: string, requestsPerSecond: number, nowMs: Ms) => void;

export class LoadActor implements Actor, CpuCounters {
  private readonly listener: PodLoadListener | undefined;
  private readonly cumulative = new Map<string, number>();
  private readonly prngs: Prng[];
  private readonly offsets: number[];
  readonly traffic = new Map<string, ServiceTraffic>();
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly loads: readonly LoadPlan[];
  private readonly tickMs: Ms;
  private accountedToMs: Ms = 0;

  constructor(engine: Engine, api: ApiServer, loads: readonly LoadPlan[], prng: Prng, tickMs: Ms, listener?: PodLoadListener) {
    this.engine = engine;
    this.listener = listener;
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

  cpuMilliMs(podKey: string): number | undefined {
    return this.cumulative.get(podKey);
  }

  onEvent(_tag: number, _data: unknown, nowMs: Ms): void {
    this.catchUp(nowMs);
    this.engine.after(this.tickMs, this, tagTick);
  }

  catchUp(nowMs: Ms): void {
    while (this.accountedToMs + this.tickMs <= nowMs) {
      const served = this.tick(this.accountedToMs);
      this.accountedToMs += this.tickMs;
      if (this.listener !== undefined) this.tell(served, nowMs);
    }
  }

  private tell(served: ReadonlyMap<string, number>, nowMs: Ms): void {
    const seconds = this.tickMs / 1000;
    for (const [key, requests] of served) {
      const node = this.api.state.pods.get(key)?.spec.nodeName;
      if (node !== undefined) (this.listener as PodLoadListener)(key, node, requests / seconds, nowMs);
    }
  }

  /** The slice that started at `fromMs`: its requests and the CPU they cost; the requests each running pod served. */
  private tick(fromMs: Ms): Map<string, number> {
    const served = new Map<string, number>();
    const services = storedObjectsOf(this.api.state, "Service");
    const seconds = this.tickMs / 1000;
    const charged = new Set<string>();
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
        const usageMilli = Math.min(base + (load.cpuMilliPerRequest * (byPod.get(key) ?? 0)) / seconds, cpuLimitMilli(pod));
        this.cumulative.set(key, (this.cumulative.get(key) ?? 0) + usageMilli * this.tickMs);
        if (this.listener !== undefined) served.set(key, (served.get(key) ?? 0) + (byPod.get(key) ?? 0));
      }
    }
    return served;
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
