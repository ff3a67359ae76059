/**
 * One scale-up attempt (upstream core/scaleup/orchestrator/orchestrator.go ScaleUp, after
 * core/podlistprocessor/filter_out_schedulable.go): pending pods that fit somewhere already —
 * a registered node or one still being provisioned — are placed there in the snapshot and need no
 * new node; for every node group not at its maximum and not backed off, the pods that pass the
 * scheduler's filters on the group's template node are bin-packed (binpacking-estimator.ts) into
 * as many new nodes as needed, capped by the group's max size and max-nodes-total; the expander
 * chooses one option.
 */
import { objectKey, type Pod } from "../../../model/objects.ts";
import type { Prng } from "../../../model/prng.ts";
import { estimate } from "./binpacking-estimator.ts";
import type { ClusterSnapshot } from "./cluster-snapshot.ts";
import { bestOption, type ScaleUpOption } from "./expanders.ts";
import type { NodeGroupSpec } from "./node-groups.ts";
import type { ClusterAutoscalerOptions } from "./options.ts";

export interface ScaleUpInput {
  /** The cluster with every upcoming node added (upstream injects upcoming nodes the same way). */
  snapshot: ClusterSnapshot;
  /** Pods the scheduler marked unschedulable. */
  pending: readonly Pod[];
  /** In name order. */
  groups: readonly NodeGroupSpec[];
  /** Registered + upcoming nodes per group (upstream's target size). */
  targetSize: ReadonlyMap<string, number>;
  /** The index the group's next node gets. */
  nextIndex: ReadonlyMap<string, number>;
  backedOff: ReadonlySet<string>;
  /** Registered + upcoming nodes over every group and the nodes of no group. */
  nodesTotal: number;
  options: ClusterAutoscalerOptions;
  prng: Prng;
}

export interface SkippedGroup {
  group: string;
  reason: string;
}

export interface ScaleUpResult {
  /** Pending pods no existing or upcoming node can take. */
  unhelped: Pod[];
  options: ScaleUpOption[];
  skipped: SkippedGroup[];
  chosen?: ScaleUpOption;
}

/** upstream: pods in decreasing priority, then (here) by key, so placement is deterministic. */
function byPriority(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => (b.spec.priority ?? 0) - (a.spec.priority ?? 0) || (objectKey(a.metadata) < objectKey(b.metadata) ? -1 : 1));
}

/** upstream FilterOutSchedulable: places what fits (leaving it in the snapshot) and returns the rest. */
export function filterOutSchedulable(snapshot: ClusterSnapshot, pending: readonly Pod[]): Pod[] {
  const rest: Pod[] = [];
  for (const pod of byPriority(pending)) {
    const node = snapshot.firstFit(pod, snapshot.nodeNames());
    if (node === undefined) rest.push(pod);
    else snapshot.placePod(pod, node);
  }
  return rest;
}

export function scaleUp(input: ScaleUpInput): ScaleUpResult {
  const { snapshot, options } = input;
  const unhelped = filterOutSchedulable(snapshot, input.pending);
  const result: ScaleUpResult = { unhelped, options: [], skipped: [] };
  if (unhelped.length === 0) return result;
  const totalLeft = options.maxNodesTotal > 0 ? options.maxNodesTotal - input.nodesTotal : Infinity;
  for (const group of input.groups) {
    const option = optionFor(input, group, unhelped, totalLeft, result.skipped);
    if (option !== undefined) result.options.push(option);
  }
  const chosen = bestOption(result.options, options.expanders, options.priorities, input.prng);
  if (chosen !== undefined) result.chosen = chosen;
  return result;
}

function optionFor(input: ScaleUpInput, group: NodeGroupSpec, pods: readonly Pod[], totalLeft: number, skipped: SkippedGroup[]): ScaleUpOption | undefined {
  const { snapshot } = input;
  if (input.backedOff.has(group.name)) {
    skipped.push({ group: group.name, reason: "backed off (a node failed to register)" });
    return undefined;
  }
  const target = input.targetSize.get(group.name) ?? 0;
  const limit = Math.min(group.maxCount - target, totalLeft);
  if (limit <= 0) {
    skipped.push({ group: group.name, reason: group.maxCount - target <= 0 ? "max node group size reached" : "max-nodes-total reached" });
    return undefined;
  }
  const next = input.nextIndex.get(group.name) ?? group.initialCount;
  const template = group.template(`template-node-for-${group.name}`, next);
  const mark = snapshot.fork();
  snapshot.addTemplateNode(template);
  const fitting = pods.filter((pod) => snapshot.fits(pod, template.metadata.name));
  snapshot.revert(mark);
  if (fitting.length === 0) {
    skipped.push({ group: group.name, reason: "no pending pod fits its template node" });
    return undefined;
  }
  const e = estimate(snapshot, fitting, template, limit, (i) => group.template(`template-node-for-${group.name}-${i}`, next + i));
  if (e.nodeCount === 0) {
    skipped.push({ group: group.name, reason: "the estimate needs no node" });
    return undefined;
  }
  return { group: group.name, nodeCount: e.nodeCount, pods: e.pods, template, pricePerHour: group.pricePerHour };
}
