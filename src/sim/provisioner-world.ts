/**
 * The provisioner's place in the world: each Karpenter NodePool of the plan (a pool with
 * `provisioner`) becomes the policy's ProvisionerNodePool with the offerings its requirements
 * allow, and every offering an internal node group of the cloud provider (`<nodepool>/<type>/
 * <capacity>/<zone>`, count 0, its price, the pool's provisioning delay), so launches, boot
 * delays and the bill go through the one cloud provider. A launched node carries the labels
 * Karpenter sets (karpenter.sh/nodepool, karpenter.sh/capacity-type, the instance type and zone)
 * besides the pool's, and `kubetwin.io/pool: <nodepool>`.
 */
import type { Node } from "../model/objects.ts";
import type { Ms } from "../model/units.ts";
import { capacityTypeLabel, nodePoolLabel, offeringId, offeringsFor, type Offering } from "../policies/autoscaling/provisioner/instance-types.ts";
import type { ProvisionerNodePool } from "../policies/autoscaling/provisioner/node-pool.ts";
import type { NodePoolPlan } from "./plan.ts";

export function provisionerNodePoolsOf(pools: readonly NodePoolPlan[]): ProvisionerNodePool[] {
  return pools.flatMap((pool) => {
    const p = pool.provisioner;
    if (p === undefined) return [];
    return [{
      name: pool.name, weight: p.weight, labels: { ...pool.labels }, taints: pool.taints.map((t) => ({ ...t })), limits: { ...p.limits },
      consolidationPolicy: p.consolidationPolicy, consolidateAfterMs: p.consolidateAfterMs, budgets: p.budgets.map((b) => ({ ...b })),
      offerings: offeringsFor(p.instanceTypes, pool.zones, p.requirements, pool.labels),
    }];
  });
}

/** The node group the cloud provider keeps for one offering of a NodePool. */
export function offeringPoolOf(pool: NodePoolPlan, o: Offering): NodePoolPlan {
  return {
    name: offeringId(pool.name, o),
    count: 0,
    zones: [o.zone],
    allocatable: { ...o.allocatable },
    labels: { ...pool.labels, [nodePoolLabel]: pool.name, [capacityTypeLabel]: o.capacityType },
    taints: pool.taints.map((t) => ({ ...t })),
    instanceType: o.instanceType,
    ...(pool.region !== undefined ? { region: pool.region } : {}),
    pricePerHour: o.pricePerHour,
    ...(pool.provisioningDelayMs !== undefined ? { provisioningDelayMs: { ...pool.provisioningDelayMs } } : {}),
    ...(o.capacityType === "spot" ? { spot: true } : {}),
  };
}

/** Every offering node group of the plan's NodePools, in NodePool then offering order. */
export function offeringPoolsOf(pools: readonly NodePoolPlan[]): NodePoolPlan[] {
  const byName = new Map(pools.map((p) => [p.name, p]));
  return provisionerNodePoolsOf(pools).flatMap((np) => np.offerings.map((o) => offeringPoolOf(byName.get(np.name) as NodePoolPlan, o)));
}

/** A node of an offering node group under `name` (the world's makeNode for index 0, renamed). */
export function offeringNode(makeNode: (pool: NodePoolPlan, index: number, atMs: Ms) => Node, offeringPool: NodePoolPlan, name: string, atMs: Ms): Node {
  const node = makeNode(offeringPool, 0, atMs);
  node.metadata.name = name;
  node.metadata.uid = `node-${name}`;
  node.metadata.labels["kubernetes.io/hostname"] = name;
  node.metadata.labels["kubetwin.io/pool"] = offeringPool.labels[nodePoolLabel] as string;
  return node;
}
