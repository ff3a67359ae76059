/**
 * The provisioner's catalogue (Karpenter's cloudprovider.InstanceType with its Offerings): each
 * instance type has an allocatable shape and offerings, one per capacity type and zone, each with
 * a price per hour; a NodePool's requirements (karpenter.sh/capacity-type,
 * node.kubernetes.io/instance-type, topology.kubernetes.io/zone, or any of its own labels) select
 * the offerings it may launch (Karpenter: instance types compatible with the NodePool's
 * requirements, offerings available and compatible). Without a capacity-type requirement a
 * NodePool launches on-demand only (Karpenter's default requirement).
 */
import type { Labels, NodeSelectorRequirement, ResourceList } from "../../../model/objects.ts";
import { requirementMatches } from "../../scheduling/node-selector.ts";

export const capacityTypeLabel = "karpenter.sh/capacity-type";
export const nodePoolLabel = "karpenter.sh/nodepool";
export const instanceTypeLabel = "node.kubernetes.io/instance-type";
export const zoneLabel = "topology.kubernetes.io/zone";

export type CapacityType = "on-demand" | "spot";

export interface InstanceTypeSpec {
  name: string;
  /** cpu in millicores, memory in bytes, pods. */
  allocatable: ResourceList;
  onDemandPerHour: number;
  /** Absent: no spot offering. */
  spotPerHour?: number;
  /** Absent: every zone of the NodePool. */
  zones?: string[];
}

/** One thing the cloud can launch: an instance type in one zone at one capacity type. */
export interface Offering {
  instanceType: string;
  capacityType: CapacityType;
  zone: string;
  pricePerHour: number;
  allocatable: ResourceList;
}

const gi = 1024 ** 3;
const shape = (name: string, cpu: number, memoryGi: number, onDemandPerHour: number): InstanceTypeSpec => ({
  name, allocatable: { cpu: cpu * 1000, memory: memoryGi * gi, pods: 110 }, onDemandPerHour, spotPerHour: Math.round(onDemandPerHour * 40) / 100,
});

/**
 * A small built-in catalogue: compute (2 GiB per core), general (4 GiB per core) and memory
 * (8 GiB per core) families, priced like general-purpose cloud VMs (illustrative round figures,
 * not any provider's list); spot at 40% of on-demand.
 */
export const builtInInstanceTypes: readonly InstanceTypeSpec[] = [
  shape("compute.large", 2, 4, 0.085),
  shape("compute.xlarge", 4, 8, 0.17),
  shape("compute.2xlarge", 8, 16, 0.34),
  shape("compute.4xlarge", 16, 32, 0.68),
  shape("general.large", 2, 8, 0.096),
  shape("general.xlarge", 4, 16, 0.192),
  shape("general.2xlarge", 8, 32, 0.384),
  shape("general.4xlarge", 16, 64, 0.768),
  shape("memory.large", 2, 16, 0.126),
  shape("memory.xlarge", 4, 32, 0.252),
];

/** The labels an offering's node carries that requirements may select on. */
export function offeringLabels(o: Pick<Offering, "instanceType" | "capacityType" | "zone">, labels: Labels): Labels {
  return { ...labels, [instanceTypeLabel]: o.instanceType, [capacityTypeLabel]: o.capacityType, [zoneLabel]: o.zone };
}

/** Karpenter's default when a NodePool says nothing about capacity type. */
function withDefaults(requirements: readonly NodeSelectorRequirement[]): NodeSelectorRequirement[] {
  if (requirements.some((r) => r.key === capacityTypeLabel)) return [...requirements];
  return [...requirements, { key: capacityTypeLabel, operator: "In", values: ["on-demand"] }];
}

export function requirementsAllow(requirements: readonly NodeSelectorRequirement[], labels: Labels): boolean {
  return withDefaults(requirements).every((r) => requirementMatches(r, labels[r.key]) === true);
}

/** The offerings a NodePool may launch, cheapest first (ties: instance type, capacity type, zone). */
export function offeringsFor(catalogue: readonly InstanceTypeSpec[], zones: readonly string[], requirements: readonly NodeSelectorRequirement[], labels: Labels): Offering[] {
  const out: Offering[] = [];
  for (const t of catalogue) {
    const prices: [CapacityType, number | undefined][] = [["on-demand", t.onDemandPerHour], ["spot", t.spotPerHour]];
    for (const [capacityType, price] of prices) {
      if (price === undefined) continue;
      for (const zone of t.zones ?? zones) {
        if (!zones.includes(zone)) continue;
        const o: Offering = { instanceType: t.name, capacityType, zone, pricePerHour: price, allocatable: { ...t.allocatable } };
        if (requirementsAllow(requirements, offeringLabels(o, labels))) out.push(o);
      }
    }
  }
  return out.sort(byPrice);
}

export function byPrice(a: Offering, b: Offering): number {
  return a.pricePerHour - b.pricePerHour || cmp(a.instanceType, b.instanceType) || cmp(a.capacityType, b.capacityType) || cmp(a.zone, b.zone);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The internal node-group name of an offering of a NodePool (the cloud provider bills per offering). */
export function offeringId(nodePool: string, o: Pick<Offering, "instanceType" | "capacityType" | "zone">): string {
  return `${nodePool}/${o.instanceType}/${o.capacityType}/${o.zone}`;
}
