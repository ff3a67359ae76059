/**
 * `spec.cluster.nodePools[]` → node pool plans, and the inventory of node names and zones that
 * faults are checked against. Node i of pool p is named `p-i` and sits in zones[i % zones.length].
 */
import { Result } from "effect";
import type { Taint } from "../model/objects.ts";
import type { NodePoolPlan } from "../sim/plan.ts";
import { durationMsOf, resourceListOf } from "./formats.ts";
import type { DurationRangeMs } from "../sim/kubelet/container-behavior.ts";
import type { NodePoolDoc } from "./scenario-schema.ts";
import { provisionerNodesMax, provisionerPoolOf } from "./provisioner-pool.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export const defaultZone = "zone-a";
/** kubelet's default --max-pods. */
export const defaultPodsPerNode = 110;

/** The name the twin gives node `index` of a pool (the engine must name nodes the same way). */
export function nodeName(pool: string, index: number): string {
  return `${pool}-${index}`;
}

export interface NodeInventory {
  /** Pool name → node count. */
  pools: Map<string, number>;
  nodes: Set<string>;
  /** Zones that hold at least one node. */
  zones: Set<string>;
  /** Pools whose nodes come and go (autoscaled or a provisioner's): their later nodes are `<pool>-<n>` too. */
  growing: Set<string>;
}

export function nodePoolsOf(docs: readonly NodePoolDoc[], site: Site): Checked<NodePoolPlan[]> {
  return Result.gen(function* () {
    const pools: NodePoolPlan[] = [];
    for (const [i, doc] of docs.entries()) {
      const poolSite = siteAt(site, i);
      if (pools.some((p) => p.name === doc.name)) {
        return yield* Result.fail(problemAt(siteAt(poolSite, "name"), `duplicate node pool name "${doc.name}"`));
      }
      if (doc.provisioner !== undefined) {
        const other = pools.find((p) => p.autoscaling !== undefined);
        if (other !== undefined) return yield* Result.fail(problemAt(siteAt(poolSite, "provisioner"), oneAutoscaler(other.name, "autoscaling (the cluster autoscaler)")));
        const zones = doc.zones ? [...doc.zones] : [defaultZone];
        const provisioner = yield* provisionerPoolOf(doc, doc.provisioner, zones, poolSite);
        yield* checkDelay(doc, poolSite);
        pools.push({ ...poolOf({ ...doc, count: 0, allocatable: {} }), provisioner });
        continue;
      }
      if (doc.count === undefined) return yield* Result.fail(problemAt(poolSite, 'missing required field "count"'));
      if (doc.allocatable === undefined) return yield* Result.fail(problemAt(poolSite, 'missing required field "allocatable"'));
      for (const required of ["cpu", "memory"]) {
        if (doc.allocatable[required] === undefined) {
          return yield* Result.fail(problemAt(siteAt(poolSite, "allocatable", required), `missing required field "${required}"`));
        }
      }
      if (doc.autoscaling !== undefined) {
        const other = pools.find((p) => p.provisioner !== undefined);
        if (other !== undefined) return yield* Result.fail(problemAt(siteAt(poolSite, "autoscaling"), oneAutoscaler(other.name, "a provisioner")));
      }
      const sized = { ...doc, count: doc.count, allocatable: doc.allocatable };
      yield* checkAutoscaling(sized, poolSite);
      pools.push(poolOf(sized));
    }
    return pools;
  });
}

function oneAutoscaler(other: string, what: string): string {
  return `one node autoscaler per scenario: pool "${other}" already has ${what}; a variant may swap one for the other (nodePools remove/add)`;
}

function poolOf(doc: NodePoolDoc & { count: number; allocatable: NonNullable<NodePoolDoc["allocatable"]> }): NodePoolPlan {
  const allocatable = resourceListOf(doc.allocatable);
  if (allocatable.pods === undefined) allocatable.pods = defaultPodsPerNode;
  const taints: Taint[] = (doc.taints ?? []).map((t) => (t.value === undefined ? { key: t.key, effect: t.effect } : { ...t }));
  return {
    name: doc.name,
    count: doc.count,
    zones: doc.zones ? [...doc.zones] : [defaultZone],
    allocatable: sortedKeys(allocatable),
    labels: { ...doc.labels },
    taints,
    ...(doc.instanceType !== undefined ? { instanceType: doc.instanceType } : {}),
    ...(doc.region !== undefined ? { region: doc.region } : {}),
    ...(doc.autoscaling !== undefined ? { autoscaling: { ...doc.autoscaling } } : {}),
    ...(doc.pricePerHour !== undefined ? { pricePerHour: doc.pricePerHour } : {}),
    ...(doc.provisioningDelay !== undefined ? { provisioningDelayMs: delayRangeOf(doc.provisioningDelay) } : {}),
    ...(doc.spot !== undefined ? { spot: doc.spot } : {}),
  };
}

/** A node group's bounds hold its start size (upstream's node group min/max size), and a delay range is ordered. */
function checkAutoscaling(doc: NodePoolDoc & { count: number }, site: Site): Checked<void> {
  const a = doc.autoscaling;
  if (a === undefined && doc.count < 1) return Result.fail(problemAt(siteAt(site, "count"), `expected a value greater than or equal to 1, got ${doc.count}`));
  if (a !== undefined) {
    const at = siteAt(site, "autoscaling");
    if (a.minCount > a.maxCount) return Result.fail(problemAt(siteAt(at, "minCount"), `expected minCount (${a.minCount}) ≤ maxCount (${a.maxCount})`));
    if (doc.count < a.minCount) return Result.fail(problemAt(siteAt(site, "count"), `expected count (${doc.count}) ≥ autoscaling.minCount (${a.minCount})`));
    if (doc.count > a.maxCount) return Result.fail(problemAt(siteAt(site, "count"), `expected count (${doc.count}) ≤ autoscaling.maxCount (${a.maxCount})`));
  }
  return checkDelay(doc, site);
}

function checkDelay(doc: NodePoolDoc, site: Site): Checked<void> {
  const delay = doc.provisioningDelay;
  if (delay !== undefined && typeof delay === "object") {
    const range = delayRangeOf(delay);
    if (range.minMs > range.maxMs) return Result.fail(problemAt(siteAt(site, "provisioningDelay", "min"), `expected min (${delay.min}) not above max (${delay.max})`));
  }
  return Result.succeed(undefined);
}

function delayRangeOf(doc: NonNullable<NodePoolDoc["provisioningDelay"]>): DurationRangeMs {
  if (typeof doc !== "object") {
    const ms = durationMsOf(doc) ?? 0;
    return { minMs: ms, maxMs: ms };
  }
  return { minMs: durationMsOf(doc.min) ?? 0, maxMs: durationMsOf(doc.max) ?? 0 };
}

/** The most nodes a pool can hold: an autoscaled pool's maxCount, else its count (what --limit nodes bounds). */
export function poolNodesMax(pool: NodePoolPlan): number {
  if (pool.provisioner !== undefined) return provisionerNodesMax(pool.provisioner);
  return pool.autoscaling?.maxCount ?? pool.count;
}

function sortedKeys(list: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(list).sort()) out[key] = list[key] as number;
  return out;
}

export function inventoryOf(pools: readonly NodePoolPlan[]): NodeInventory {
  const inventory: NodeInventory = { pools: new Map(), nodes: new Set(), zones: new Set(), growing: new Set() };
  for (const pool of pools) {
    if (pool.autoscaling !== undefined || pool.provisioner !== undefined) inventory.growing.add(pool.name);
    inventory.pools.set(pool.name, pool.count);
    for (let i = 0; i < pool.count; i++) {
      inventory.nodes.add(nodeName(pool.name, i));
      inventory.zones.add(pool.zones[i % pool.zones.length] as string);
    }
  }
  return inventory;
}
