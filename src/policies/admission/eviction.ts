/**
 * The Eviction API's answer (POST pods/{name}/eviction), as upstream
 * pkg/registry/core/pod/storage/eviction.go (Create, canIgnorePDB, checkAndDecrement):
 *  1. a pod that is Pending, Succeeded, Failed or already terminating is deleted without looking
 *     at budgets;
 *  2. more than one matching PodDisruptionBudget is a 500; none, a plain delete;
 *  3. a pod that is not Ready is deleted without using up the budget when the budget's
 *     unhealthyPodEvictionPolicy is AlwaysAllow, or (unset / IfHealthyBudget) when the budget is
 *     already met (currentHealthy ≥ desiredHealthy > 0);
 *  4. otherwise checkAndDecrement: a budget whose status lags its spec is a 429 ("still being
 *     processed"), a negative budget a 403, more than 2000 disrupted pods a 403, no disruption
 *     left a 429 with upstream's text; else one disruption is used up and the pod recorded in
 *     disruptedPods.
 */
import type { Pod } from "../../model/objects.ts";
import type { PodDisruptionBudget } from "../../model/scheduling-objects.ts";
import type { Ms } from "../../model/units.ts";
import { pdbSelects } from "../controllers/disruption.ts";

/** Upstream MaxDisruptedPodSize. */
export const disruptedPodsMax = 2000;

export const evictionRefusedMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface EvictionAnswer {
  allowed: boolean;
  /** 201 evicted; 429 too many requests; 403 forbidden; 500 more than one budget. */
  httpStatus: 201 | 403 | 429 | 500;
  message: string;
  /** Whether a budget was consulted (false for pods that bypass the check, or no budget). */
  pdbChecked: boolean;
  /** The budget that decided, if any. */
  pdb?: string;
  /** The budget's status after a decrement (only when one was used up). */
  pdbStatusAfter?: PodDisruptionBudget["status"];
}

export function canIgnorePdb(pod: Pod): boolean {
  const phase = pod.status.phase;
  return phase === "Succeeded" || phase === "Failed" || phase === "Pending" || pod.metadata.deletionMs !== undefined;
}

export function matchingBudgets(pod: Pod, pdbs: Iterable<PodDisruptionBudget>): PodDisruptionBudget[] {
  const out: PodDisruptionBudget[] = [];
  for (const pdb of pdbs) if (pdb.metadata.namespace === pod.metadata.namespace && pdbSelects(pdb.spec.selector, pod)) out.push(pdb);
  return out;
}

const evicted = (pdbChecked: boolean, pdb?: string): EvictionAnswer => ({ allowed: true, httpStatus: 201, message: "evicted", pdbChecked, ...(pdb ? { pdb } : {}) });

export function evictionAnswer(pod: Pod, pdbs: Iterable<PodDisruptionBudget>, nowMs: Ms, generationOf?: (pdb: PodDisruptionBudget) => number): EvictionAnswer {
  if (canIgnorePdb(pod)) return evicted(false);
  const budgets = matchingBudgets(pod, pdbs);
  if (budgets.length > 1) {
    return { allowed: false, httpStatus: 500, message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", pdbChecked: false };
  }
  const pdb = budgets[0];
  if (pdb === undefined) return evicted(false);
  const s = pdb.status;
  if (!pod.status.ready) {
    if (pdb.spec.unhealthyPodEvictionPolicy === "AlwaysAllow") return evicted(false, pdb.metadata.name);
    if (s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0) return evicted(false, pdb.metadata.name);
  }
  return checkAndDecrement(pod, pdb, nowMs, generationOf?.(pdb));
}

function checkAndDecrement(pod: Pod, pdb: PodDisruptionBudget, nowMs: Ms, generation: number | undefined): EvictionAnswer {
  const s = pdb.status;
  const name = pdb.metadata.name;
  const refused = (httpStatus: 403 | 429, message: string): EvictionAnswer => ({ allowed: false, httpStatus, message, pdbChecked: true, pdb: name });
  if (generation !== undefined && (s.observedGeneration ?? 0) < generation) {
    return refused(429, `${evictionRefusedMessage}: TooManyRequests: The disruption budget ${name} is still being processed by the server.`);
  }
  if (s.disruptionsAllowed < 0) return refused(403, `poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
  if (Object.keys(s.disruptedPods ?? {}).length > disruptedPodsMax) {
    return refused(403, `poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
  }
  if (s.disruptionsAllowed === 0) {
    return refused(429, `${evictionRefusedMessage}: TooManyRequests: The disruption budget ${name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently`);
  }
  const pdbStatusAfter = { ...s, disruptionsAllowed: s.disruptionsAllowed - 1, disruptedPods: { ...(s.disruptedPods ?? {}), [pod.metadata.name]: nowMs } };
  return { allowed: true, httpStatus: 201, message: "evicted", pdbChecked: true, pdb: name, pdbStatusAfter };
}
