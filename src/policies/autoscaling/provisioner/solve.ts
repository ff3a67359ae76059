/**
 * The provisioner's scheduling simulation (kubernetes-sigs/karpenter
 * pkg/controllers/provisioning/scheduling scheduler.go Solve, in outline): pods in decreasing cpu
 * then memory (queue.go byCPUAndMemoryDescending), each placed on the first existing node that
 * takes it, else on a node claim this solve opened, else on a new claim of the first NodePool
 * (by weight, then name) with an offering that fits. A claim keeps every offering that still
 * holds all its pods (plus the DaemonSet pods that would start there) within the NodePool's
 * limits; it is pictured in the cluster snapshot as a node of its cheapest remaining offering,
 * so the scheduler's own filters (taints, affinity, spreading, ports…) decide what may join it.
 * Launching a claim takes its cheapest offering (the cloud provider's lowest-price choice).
 */
import { objectKey, type Node, type Pod, type ResourceList } from "../../../model/objects.ts";
import { addInto, podRequests } from "../../../model/resources.ts";
import type { ClusterSnapshot } from "../cluster-autoscaler/cluster-snapshot.ts";
import type { Offering } from "./instance-types.ts";
import type { ProvisionerNodePool } from "./node-pool.ts";

export interface Claim {
  nodePool: string;
  /** Offerings that hold every pod of the claim, cheapest first. */
  options: Offering[];
  pods: Pod[];
  /** The pods' requests (pods counted) without the DaemonSet overhead. */
  requests: ResourceList;
  /** Its name in the snapshot. */
  node: string;
}

export interface SolveInput {
  snapshot: ClusterSnapshot;
  pods: readonly Pod[];
  /** By weight (highest first), then name. */
  nodePools: readonly ProvisionerNodePool[];
  /** Limits left per NodePool (absent resource: unlimited), after its nodes and claims in flight. */
  remaining: Map<string, ResourceList>;
  /** A node of an offering as it would register, under `name`. */
  template(nodePool: ProvisionerNodePool, offering: Offering, name: string): Node;
  /** What the DaemonSet pods starting on a node of the offering request (pods counted). */
  overhead(nodePool: ProvisionerNodePool, offering: Offering): ResourceList;
  /** Prefix of the claim nodes' names in the snapshot. */
  claimPrefix: string;
}

export interface SolveResult {
  /** Pods placed on existing nodes (key → node). */
  existing: Map<string, string>;
  claims: Claim[];
  /** Pods nothing can hold, with why. */
  unschedulable: { pod: string; reason: string }[];
}

export function byCpuAndMemoryDescending(a: Pod, b: Pod): number {
  const ra = podRequests(a);
  const rb = podRequests(b);
  return (rb.cpu ?? 0) - (ra.cpu ?? 0) || (rb.memory ?? 0) - (ra.memory ?? 0) || (objectKey(a.metadata) < objectKey(b.metadata) ? -1 : 1);
}

function requestsOf(pod: Pod): ResourceList {
  return { ...podRequests(pod), pods: 1 };
}

function sum(...lists: ResourceList[]): ResourceList {
  const out: ResourceList = {};
  for (const l of lists) addInto(out, l);
  return out;
}

export function fitsWithin(need: ResourceList, room: ResourceList): boolean {
  for (const [k, v] of Object.entries(need)) if (v > 0 && v > (room[k] ?? 0)) return false;
  return true;
}

/** Within the NodePool's limits: each limited resource of the offering's capacity fits what is left. */
function withinLimits(o: Offering, left: ResourceList): boolean {
  for (const [k, v] of Object.entries(left)) if ((o.allocatable[k] ?? 0) > v) return false;
  return true;
}

export function solve(input: SolveInput): SolveResult {
  const { snapshot } = input;
  const existingNames = [...snapshot.nodeNames()];
  const result: SolveResult = { existing: new Map(), claims: [], unschedulable: [] };
  for (const pod of [...input.pods].sort(byCpuAndMemoryDescending)) {
    const key = objectKey(pod.metadata);
    const to = snapshot.firstFit(pod, existingNames);
    if (to !== undefined) {
      snapshot.placePod(pod, to);
      result.existing.set(key, to);
      continue;
    }
    if (result.claims.some((c) => joinClaim(input, c, pod))) continue;
    const claim = openClaim(input, pod, `${input.claimPrefix}${result.claims.length}`);
    if (claim !== undefined) result.claims.push(claim);
    else result.unschedulable.push({ pod: key, reason: whyNot(input, pod) });
  }
  return result;
}

function reserve(input: SolveInput, nodePool: string, o: Offering, sign: 1 | -1): void {
  const left = input.remaining.get(nodePool);
  if (left === undefined) return;
  for (const k of Object.keys(left)) left[k] = (left[k] as number) - sign * (o.allocatable[k] ?? 0);
}

function pictured(input: SolveInput, nodePool: ProvisionerNodePool, o: Offering, name: string): Node {
  return input.template(nodePool, o, name);
}

function openClaim(input: SolveInput, pod: Pod, name: string): Claim | undefined {
  const need = requestsOf(pod);
  for (const np of input.nodePools) {
    const left = input.remaining.get(np.name) ?? {};
    const options: Offering[] = [];
    for (const o of np.offerings) {
      if (!withinLimits(o, left) || !fitsWithin(sum(need, input.overhead(np, o)), o.allocatable)) continue;
      const mark = input.snapshot.fork();
      input.snapshot.addTemplateNode(pictured(input, np, o, name));
      const ok = input.snapshot.fits(pod, name);
      input.snapshot.revert(mark);
      if (ok) options.push(o);
    }
    if (options.length === 0) continue;
    input.snapshot.addTemplateNode(pictured(input, np, options[0] as Offering, name));
    input.snapshot.placePod(pod, name);
    reserve(input, np.name, options[0] as Offering, 1);
    return { nodePool: np.name, options, pods: [pod], requests: need, node: name };
  }
  return undefined;
}

function joinClaim(input: SolveInput, claim: Claim, pod: Pod): boolean {
  const np = input.nodePools.find((p) => p.name === claim.nodePool) as ProvisionerNodePool;
  const requests = sum(claim.requests, requestsOf(pod));
  const before = claim.options[0] as Offering;
  const left = { ...(input.remaining.get(np.name) ?? {}) };
  for (const k of Object.keys(left)) left[k] = (left[k] as number) + (before.allocatable[k] ?? 0);
  const options = claim.options.filter((o) => withinLimits(o, left) && fitsWithin(sum(requests, input.overhead(np, o)), o.allocatable));
  const cheapest = options[0];
  if (cheapest === undefined) return false;
  const { snapshot } = input;
  const mark = snapshot.fork();
  if (cheapest !== before) {
    // The claim grows into a larger offering: picture it as that one.
    snapshot.removeNode(claim.node);
    snapshot.addTemplateNode(pictured(input, np, cheapest, claim.node));
    for (const p of claim.pods) snapshot.placePod(p, claim.node);
  }
  if (!snapshot.fits(pod, claim.node)) {
    snapshot.revert(mark);
    return false;
  }
  snapshot.placePod(pod, claim.node);
  reserve(input, np.name, before, -1);
  reserve(input, np.name, cheapest, 1);
  claim.options = options;
  claim.pods.push(pod);
  claim.requests = requests;
  return true;
}

function whyNot(input: SolveInput, pod: Pod): string {
  if (input.nodePools.length === 0) return "no NodePool";
  const need = requestsOf(pod);
  const anyFits = input.nodePools.some((np) => np.offerings.some((o) => fitsWithin(sum(need, input.overhead(np, o)), o.allocatable)));
  if (!anyFits) return "no instance type has room for its requests";
  const inLimits = input.nodePools.some((np) => np.offerings.some((o) => withinLimits(o, input.remaining.get(np.name) ?? {})));
  if (!inLimits) return "every NodePool is at its limits";
  return "incompatible with every NodePool (requirements, taints or the scheduler's filters)";
}
