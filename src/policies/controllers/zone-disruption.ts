/**
 * Zone disruption and the rate-limited NoExecute tainting queue of the node lifecycle controller
 * (upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go: ComputeZoneState,
 * handleDisruption, setLimiterInZone, ReducedQPSFunc/HealthyQPSFunc, markNodeForTainting,
 * markNodeAsReachable, doNoExecuteTaintingPass; scheduler/rate_limited_queue.go: UniqueQueue,
 * RateLimitedTimedQueue.Try/SwapLimiter; flowcontrol token bucket with burst 1).
 *
 * A node that is not Ready joins its zone's queue; a NoExecute taint is added only when the zone's
 * limiter gives a token: 0.1 nodes/s (one every 10 s) while the zone is Normal or fully disrupted,
 * 0.01/s when PartialDisruption in a zone larger than 50 nodes, none in a smaller partially
 * disrupted zone, and none anywhere when every zone is fully disrupted (the controller then
 * suspects itself, removes every NoExecute taint it set, and waits).
 * Pure data and functions: the node lifecycle controller keeps this in its own state.
 */
import type { ConditionStatus, Node } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";

export type ZoneState = "Initial" | "Normal" | "PartialDisruption" | "FullDisruption";

export interface ZoneDisruptionParams {
  /** --node-eviction-rate (nodes/s). */
  nodeEvictionRate: number;
  /** --secondary-node-eviction-rate (nodes/s). */
  secondaryNodeEvictionRate: number;
  /** --large-cluster-size-threshold (nodes in a zone). */
  largeClusterSizeThreshold: number;
  /** --unhealthy-zone-threshold (fraction of not-Ready nodes). */
  unhealthyZoneThreshold: number;
}

export const defaultZoneDisruptionParams: ZoneDisruptionParams = {
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

/**
 * A token bucket of burst 1 (EvictionRateLimiterBurst): it holds its one token from `fullAtMs`
 * on; taking it empties the bucket for one period. `qps` 0 never gives a token.
 */
export interface ZoneLimiter {
  qps: number;
  fullAtMs: Ms;
}

export interface ZoneTainter {
  state: ZoneState;
  limiter: ZoneLimiter;
  /** Nodes waiting for their NoExecute taint (UniqueQueue's heap), in the order they are served. */
  queue: string[];
  /** Nodes tainted and still marked (UniqueQueue's set after RemoveFromQueue): not queued again. */
  done: Set<string>;
}

export type ZoneTable = Map<string, ZoneTainter>;

/** The label that keeps a node out of its zone's disruption counts (isNodeExcludedFromDisruptionChecks). */
export const excludeDisruptionLabel = "node.kubernetes.io/exclude-disruption";

/** nodetopology.GetZoneKey: region and zone, as the limiter is keyed. */
export function zoneKeyOf(node: Node): string {
  const labels = node.metadata.labels;
  const zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? "";
  const region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? "";
  return region === "" && zone === "" ? "" : `${region}:\u0000:${zone}`;
}

/** ComputeZoneState: the zone's not-Ready count and its state. */
export function computeZoneState(ready: readonly ConditionStatus[], unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  const readyNodes = ready.filter((s) => s === "True").length;
  const notReady = ready.length - readyNodes;
  if (readyNodes === 0 && notReady > 0) return { notReady, state: "FullDisruption" };
  // upstream compares float32 values; the fractions here are exact enough for the same answers
  if (notReady > 2 && notReady / (notReady + readyNodes) >= unhealthyZoneThreshold) return { notReady, state: "PartialDisruption" };
  return { notReady, state: "Normal" };
}

/** setLimiterInZone: the rate a zone's tainter runs at in a state. */
export function zoneQps(state: ZoneState, zoneSize: number, p: ZoneDisruptionParams): number {
  if (state === "PartialDisruption") return zoneSize > p.largeClusterSizeThreshold ? p.secondaryNodeEvictionRate : 0;
  return p.nodeEvictionRate;
}

function periodMs(qps: number): Ms {
  return Math.round(1000 / qps);
}

/** TryAccept: takes the token if the bucket holds it. */
export function tryAccept(limiter: ZoneLimiter, nowMs: Ms): boolean {
  if (limiter.qps <= 0 || nowMs < limiter.fullAtMs) return false;
  limiter.fullAtMs = nowMs + periodMs(limiter.qps);
  return true;
}

/**
 * SwapLimiter: a new full bucket at the new rate — drained at once if the old one had no token
 * to give (right for burst 1, as upstream's comment says); the same rate keeps the old bucket.
 */
export function swapLimiter(limiter: ZoneLimiter, qps: number, nowMs: Ms): ZoneLimiter {
  if (limiter.qps === qps) return limiter;
  if (qps <= 0) return { qps: 0, fullAtMs: Infinity };
  const oldHadToken = tryAccept(limiter, nowMs);
  return { qps, fullAtMs: oldHadToken ? -Infinity : nowMs + periodMs(qps) };
}

export function newZoneTainter(p: ZoneDisruptionParams): ZoneTainter {
  return { state: "Initial", limiter: { qps: p.nodeEvictionRate, fullAtMs: -Infinity }, queue: [], done: new Set() };
}

/** UniqueQueue.Remove: out of the queue and the set. */
export function unmark(t: ZoneTainter, node: string): void {
  t.done.delete(node);
  const i = t.queue.indexOf(node);
  if (i >= 0) t.queue.splice(i, 1);
}

/**
 * markNodeForTainting: a node without its NoExecute taint is (re)queued at the back; one that has
 * it stays marked and is not queued again.
 */
export function markForTainting(t: ZoneTainter, node: string, hasTaint: boolean): void {
  if (!hasTaint) unmark(t, node);
  if (t.done.has(node) || t.queue.includes(node)) return;
  t.queue.push(node);
}

/** What handleDisruption decided beyond the limiters: whether the controller entered master disruption mode. */
export interface DisruptionOutcome {
  /** Every zone fully disrupted, now and not before: remove every NoExecute taint and unmark every node. */
  enteredFullDisruption: boolean;
  /** Leaving that mode: reset every node's probe time to now. */
  exitedFullDisruption: boolean;
}

/** handleDisruption: new zone states and limiters from each zone's Ready conditions. */
export function handleDisruption(zones: ZoneTable, readyByZone: ReadonlyMap<string, ConditionStatus[]>, nowMs: Ms, p: ZoneDisruptionParams): DisruptionOutcome {
  const next = new Map<string, ZoneState>();
  let allAre = true;
  for (const [key, ready] of readyByZone) {
    const { state } = computeZoneState(ready, p.unhealthyZoneThreshold);
    if (state !== "FullDisruption") allAre = false;
    next.set(key, state);
    if (!zones.has(key)) zones.set(key, newZoneTainter(p));
  }
  let allWere = true;
  for (const [key, zone] of [...zones]) {
    if (!readyByZone.has(key)) {
      // upstream forgets the zone's state but keeps its queue; a zone with no node has nothing queued
      zones.delete(key);
      continue;
    }
    if (zone.state !== "FullDisruption") allWere = false;
  }
  const none = { enteredFullDisruption: false, exitedFullDisruption: false };
  if (allAre && allWere) return none;
  if (allAre) {
    for (const zone of zones.values()) {
      zone.limiter = swapLimiter(zone.limiter, 0, nowMs);
      zone.state = "FullDisruption";
    }
    return { enteredFullDisruption: true, exitedFullDisruption: false };
  }
  for (const [key, zone] of zones) {
    const state = next.get(key) as ZoneState;
    if (!allWere && zone.state === state) continue;
    zone.limiter = swapLimiter(zone.limiter, zoneQps(state, (readyByZone.get(key) as ConditionStatus[]).length, p), nowMs);
    zone.state = state;
  }
  return { enteredFullDisruption: false, exitedFullDisruption: allWere };
}

/**
 * RateLimitedTimedQueue.Try: serve the zone's queue while the limiter gives tokens. `taint`
 * answers whether the node was tainted (or needs nothing: it is Ready again or gone); either way
 * it leaves the queue and stays marked, as upstream's RemoveFromQueue.
 */
export function serveQueue(zone: ZoneTainter, nowMs: Ms, taint: (node: string) => void): void {
  while (zone.queue.length > 0 && tryAccept(zone.limiter, nowMs)) {
    const node = zone.queue.shift() as string;
    zone.done.add(node);
    taint(node);
  }
}

/** When the zone's queue can next be served (Infinity: empty queue or a stopped limiter). */
export function nextServeMs(zone: ZoneTainter): Ms {
  if (zone.queue.length === 0 || zone.limiter.qps <= 0) return Infinity;
  return zone.limiter.fullAtMs;
}
