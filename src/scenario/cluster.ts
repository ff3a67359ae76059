/**
 * `spec.cluster.nodePools[]` → node pool plans, and the inventory of node names and zones that
 * faults are checked against. Node i of pool p is named `p-i` and sits in zones[i % zones.length].
 */
import { Result } from "effect";
import type { Taint } from "../model/objects.ts";
import type { NodePoolPlan } from "../sim/plan.ts";
import { resourceListOf } from "./formats.ts";
import type { NodePoolDoc } from "./scenario-schema.ts";
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
}

export function nodePoolsOf(docs: readonly NodePoolDoc[], site: Site): Checked<NodePoolPlan[]> {
  return Result.gen(function* () {
    const pools: NodePoolPlan[] = [];
    for (const [i, doc] of docs.entries()) {
      const poolSite = siteAt(site, i);
      if (pools.some((p) => p.name === doc.name)) {
        return yield* Result.fail(problemAt(siteAt(poolSite, "name"), `duplicate node pool name "${doc.name}"`));
      }
      for (const required of ["cpu", "memory"]) {
        if (doc.allocatable[required] === undefined) {
          return yield* Result.fail(problemAt(siteAt(poolSite, "allocatable", required), `missing required field "${required}"`));
        }
      }
      pools.push(poolOf(doc));
    }
    return pools;
  });
}

function poolOf(doc: NodePoolDoc): NodePoolPlan {
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
  };
}

function sortedKeys(list: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(list).sort()) out[key] = list[key] as number;
  return out;
}

export function inventoryOf(pools: readonly NodePoolPlan[]): NodeInventory {
  const inventory: NodeInventory = { pools: new Map(), nodes: new Set(), zones: new Set() };
  for (const pool of pools) {
    inventory.pools.set(pool.name, pool.count);
    for (let i = 0; i < pool.count; i++) {
      inventory.nodes.add(nodeName(pool.name, i));
      inventory.zones.add(pool.zones[i % pool.zones.length] as string);
    }
  }
  return inventory;
}
