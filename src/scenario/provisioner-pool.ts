/**
 * A node pool's `provisioner` (a Karpenter NodePool) → its plan, with the checks the schema cannot
 * make: no fixed shape (count, allocatable, autoscaling, pricePerHour, spot, instanceType come
 * from the catalogue), durations and budgets in Karpenter's forms (`consolidateAfter: 30s | Never`,
 * `nodes: "10%" | "3"`), instance types with cpu and memory, and at least one offering its
 * requirements allow. Without `instanceTypes` the built-in catalogue is used.
 */
import { Result } from "effect";
import { builtInInstanceTypes, offeringsFor, type InstanceTypeSpec } from "../policies/autoscaling/provisioner/instance-types.ts";
import { defaultBudgets } from "../policies/autoscaling/provisioner/node-pool.ts";
import type { ProvisionerPoolPlan } from "../sim/plan.ts";
import { durationMsOf, resourceListOf } from "./formats.ts";
import type { NodePoolDoc } from "./scenario-schema.ts";
import { problemAt, siteAt, type Checked, type Site } from "./schema-decode.ts";

type Doc = NonNullable<NodePoolDoc["provisioner"]>;

const fixedShape = ["count", "allocatable", "autoscaling", "pricePerHour", "spot", "instanceType"] as const;

/** The nodes a provisioner pool may hold at most, for --limit nodes: its cpu limit over its smallest instance type (100 without one). */
export const provisionerNodesWithoutLimit = 100;

export function provisionerPoolOf(pool: NodePoolDoc, doc: Doc, zones: readonly string[], site: Site): Checked<ProvisionerPoolPlan> {
  return Result.gen(function* () {
    for (const field of fixedShape) {
      if (pool[field] !== undefined && !(field === "count" && pool.count === 0)) {
        return yield* Result.fail(problemAt(siteAt(site, field), `a provisioner pool takes its nodes' shape and price from its instance types; remove "${field}"`));
      }
    }
    const at = siteAt(site, "provisioner");
    const after = doc.disruption?.consolidateAfter ?? "0s";
    const consolidateAfterMs = after === "Never" ? undefined : durationMsOf(after);
    if (after !== "Never" && consolidateAfterMs === undefined) return yield* Result.fail(problemAt(siteAt(at, "disruption", "consolidateAfter"), `expected a duration like "30s" or "Never", got "${after}"`));
    const budgets = (doc.disruption?.budgets ?? defaultBudgets).map((b) => ({ nodes: b.nodes }));
    for (const [i, b] of budgets.entries()) {
      if (typeof b.nodes === "string" && !/^\d+%?$/.test(b.nodes)) return yield* Result.fail(problemAt(siteAt(at, "disruption", "budgets", i, "nodes"), `expected a count like "3" or a percentage like "10%", got "${b.nodes}"`));
    }
    const instanceTypes: InstanceTypeSpec[] = doc.instanceTypes === undefined ? builtInInstanceTypes.map((t) => structuredClone(t)) : doc.instanceTypes.map(instanceTypeOf);
    const names = new Set<string>();
    for (const [i, t] of instanceTypes.entries()) {
      if (names.has(t.name)) return yield* Result.fail(problemAt(siteAt(at, "instanceTypes", i, "name"), `duplicate instance type "${t.name}"`));
      names.add(t.name);
    }
    const requirements = (doc.requirements ?? []).map((r) => ({ key: r.key, operator: r.operator, ...(r.values !== undefined ? { values: [...r.values] } : {}) }));
    const plan: ProvisionerPoolPlan = {
      weight: doc.weight ?? 0,
      requirements,
      limits: resourceListOf(doc.limits),
      consolidationPolicy: doc.disruption?.consolidationPolicy ?? "WhenEmptyOrUnderutilized",
      consolidateAfterMs,
      budgets,
      instanceTypes,
    };
    if (offeringsFor(instanceTypes, zones, requirements, pool.labels ?? {}).length === 0) {
      return yield* Result.fail(problemAt(siteAt(at, "requirements"), `no instance type offering (type × capacity type × zone ${zones.join(", ")}) meets these requirements`));
    }
    return plan;
  });
}

function instanceTypeOf(doc: NonNullable<Doc["instanceTypes"]>[number]): InstanceTypeSpec {
  const r = resourceListOf({ cpu: doc.cpu, memory: doc.memory });
  return {
    name: doc.name,
    allocatable: { cpu: r.cpu as number, memory: r.memory as number, pods: doc.pods ?? 110 },
    onDemandPerHour: doc.price.onDemand,
    ...(doc.price.spot !== undefined ? { spotPerHour: doc.price.spot } : {}),
    ...(doc.zones !== undefined ? { zones: [...doc.zones] } : {}),
  };
}

/** The most nodes the provisioner pool could launch (what --limit nodes bounds). */
export function provisionerNodesMax(plan: ProvisionerPoolPlan): number {
  const cpu = plan.limits.cpu;
  const smallest = Math.min(...plan.instanceTypes.map((t) => t.allocatable.cpu ?? 0).filter((c) => c > 0));
  if (cpu === undefined || !Number.isFinite(smallest)) return provisionerNodesWithoutLimit;
  return Math.ceil(cpu / smallest);
}
