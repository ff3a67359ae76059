/**
 * Which pods a node's removal must move, and which pods block it (upstream
 * simulator/drainability/rules, in their order: mirror, long-terminating, safe-to-evict "true",
 * terminal, PodDisruptionBudget, kube-system, safe-to-evict "false", replicated, DaemonSet).
 * Mirror and DaemonSet pods stay (they run on every node); terminal and terminating pods need no
 * new home. Local storage (emptyDir, hostPath) is not modelled: volumes other than claims are not read.
 */
import type { Pod } from "../../../model/objects.ts";
import type { PodDisruptionBudget } from "../../../model/scheduling-objects.ts";
import { objectKey } from "../../../model/objects.ts";
import { canIgnorePdb, matchingBudgets } from "../../admission/eviction.ts";
import { controllerOf } from "../../controllers/ownership.ts";

export const safeToEvictAnnotation = "cluster-autoscaler.kubernetes.io/safe-to-evict";
const mirrorPodAnnotation = "kubernetes.io/config.mirror";

/** upstream drain.BlockingPodReason. */
export type BlockingPodReason = "NotReplicated" | "NotSafeToEvictAnnotation" | "UnmovableKubeSystemPod" | "NotEnoughPdb";

export interface BlockingPod {
  pod: string;
  reason: BlockingPodReason;
}

export interface NodePods {
  /** Pods to evict and find a new home for, in key order. */
  move: Pod[];
  /** Pods that stay or go with the node (DaemonSet, mirror, terminal, terminating). */
  stay: Pod[];
  blocking?: BlockingPod;
  /** PodDisruptionBudget key → pods of `move` it covers (that an eviction would count). */
  pdbPods: Map<string, number>;
}

export interface DrainOptions {
  skipNodesWithSystemPods: boolean;
}

/** `remaining`: disruptions each budget still allows in this pass (upstream RemainingPdbTracker). */
export function nodePods(pods: readonly Pod[], pdbs: readonly PodDisruptionBudget[], remaining: ReadonlyMap<string, number>, options: DrainOptions): NodePods {
  const out: NodePods = { move: [], stay: [], pdbPods: new Map() };
  for (const pod of [...pods].sort((a, b) => (objectKey(a.metadata) < objectKey(b.metadata) ? -1 : 1))) {
    const verdict = rule(pod, pdbs, remaining, out.pdbPods, options);
    if (verdict === "stay") out.stay.push(pod);
    else if (verdict === "move") out.move.push(pod);
    else {
      out.blocking ??= { pod: objectKey(pod.metadata), reason: verdict };
      out.move.push(pod);
    }
  }
  return out;
}

function rule(pod: Pod, pdbs: readonly PodDisruptionBudget[], remaining: ReadonlyMap<string, number>, counted: Map<string, number>, options: DrainOptions): "stay" | "move" | BlockingPodReason {
  const annotations = pod.metadata.annotations ?? {};
  if (annotations[mirrorPodAnnotation] !== undefined) return "stay";
  if (pod.metadata.deletionMs !== undefined) return "stay"; // long-terminating: already on its way out
  const owner = controllerOf(pod.metadata);
  if (owner?.kind === "DaemonSet") return "stay";
  if (pod.status.phase === "Succeeded" || pod.status.phase === "Failed") return "stay";
  const budgets = matchingBudgets(pod, pdbs);
  const pdbBlock = countBudgets(pod, budgets, remaining, counted);
  if (annotations[safeToEvictAnnotation] === "true") return pdbBlock ?? "move";
  if (pdbBlock !== undefined) return pdbBlock;
  if (options.skipNodesWithSystemPods && pod.metadata.namespace === "kube-system" && budgets.length === 0) return "UnmovableKubeSystemPod";
  if (annotations[safeToEvictAnnotation] === "false") return "NotSafeToEvictAnnotation";
  if (owner === undefined) return "NotReplicated";
  return "move";
}

/** Counts the pod against each budget; NotEnoughPdb when one has no disruption left for it. */
function countBudgets(pod: Pod, budgets: readonly PodDisruptionBudget[], remaining: ReadonlyMap<string, number>, counted: Map<string, number>): BlockingPodReason | undefined {
  if (canIgnorePdb(pod)) return undefined;
  let blocked = false;
  for (const pdb of budgets) {
    const key = `${pdb.metadata.namespace}/${pdb.metadata.name}`;
    const n = (counted.get(key) ?? 0) + 1;
    counted.set(key, n);
    if (n > (remaining.get(key) ?? pdb.status.disruptionsAllowed)) blocked = true;
  }
  return blocked ? "NotEnoughPdb" : undefined;
}
