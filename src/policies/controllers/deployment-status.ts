/**
 * A Deployment's status and conditions, as upstream pkg/controller/deployment computes them:
 * calculateStatus (sync.go) for the counts and the Available condition, syncRolloutStatus
 * (progress.go) for Progressing — NewReplicaSetAvailable when complete, ReplicaSetUpdated while
 * progress is seen, ProgressDeadlineExceeded after progressDeadlineSeconds without progress —
 * checkPausedConditions for DeploymentPaused / DeploymentResumed, and requeueStuckDeployment for
 * the timer that notices a deadline passing. Condition helpers as util/deployment_util.go.
 */
import type { ConditionStatus, Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import { maxUnavailable } from "./rollout-rolling.ts";

// Reasons, as upstream util/deployment_util.go names them.
export const newReplicaSetReason = "NewReplicaSetCreated";
export const foundNewReplicaSetReason = "FoundNewReplicaSet";
export const failedReplicaSetCreateReason = "ReplicaSetCreateError";
export const replicaSetUpdatedReason = "ReplicaSetUpdated";
export const newReplicaSetAvailableReason = "NewReplicaSetAvailable";
export const timedOutReason = "ProgressDeadlineExceeded";
export const pausedReason = "DeploymentPaused";
export const resumedReason = "DeploymentResumed";

export function conditionOf(status: DeploymentStatus, type: DeploymentCondition["type"]): DeploymentCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

export function newCondition(type: DeploymentCondition["type"], status: ConditionStatus, reason: string, message: string, nowMs: Ms): DeploymentCondition {
  return { type, status, reason, message, lastUpdateMs: nowMs, lastTransitionMs: nowMs };
}

/** SetDeploymentCondition: same status and reason is no change; same status keeps the transition time; the condition goes last. */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = conditionOf(status, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return;
  const next = current !== undefined && current.status === condition.status ? { ...condition, lastTransitionMs: current.lastTransitionMs } : condition;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: DeploymentCondition["type"]): void {
  if (status.conditions === undefined) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** HasProgressDeadline (MaxInt32 means none, as upstream). */
export function hasProgressDeadline(d: Deployment): boolean {
  return d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2_147_483_647;
}

/** calculateStatus: counts over every ReplicaSet the Deployment owns, updated = the new one's, Available against maxUnavailable. */
export function calculateStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: Ms): DeploymentStatus {
  let specReplicas = 0;
  const status: DeploymentStatus = { replicas: 0, readyReplicas: 0, availableReplicas: 0 };
  // sync.go calculateStatus: ObservedGeneration is the generation this sync read.
  if (d.metadata.generation !== undefined) status.observedGeneration = d.metadata.generation;
  for (const rs of all) {
    specReplicas += rs.spec.replicas;
    status.replicas += rs.status.replicas;
    status.readyReplicas += rs.status.readyReplicas;
    status.availableReplicas += rs.status.availableReplicas;
  }
  status.updatedReplicas = newRS?.status.replicas ?? 0;
  status.unavailableReplicas = Math.max(0, specReplicas - status.availableReplicas);
  if (d.status.conditions !== undefined) status.conditions = [...d.status.conditions];
  if (status.availableReplicas >= d.spec.replicas - maxUnavailable(d)) {
    setCondition(status, newCondition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", nowMs));
  } else {
    setCondition(status, newCondition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", nowMs));
  }
  return status;
}

/** DeploymentComplete: every replica updated and available, none of an old set left. (The model keeps no generation, so observedGeneration is not compared.) */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const n = d.spec.replicas;
  return status.updatedReplicas === n && status.replicas === n && status.availableReplicas === n;
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than the status last written. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const before = d.status;
  const oldBefore = before.replicas - (before.updatedReplicas ?? 0);
  const oldNext = next.replicas - (next.updatedReplicas ?? 0);
  return (next.updatedReplicas ?? 0) > (before.updatedReplicas ?? 0) || oldNext < oldBefore || next.readyReplicas > before.readyReplicas || next.availableReplicas > before.availableReplicas;
}

/** DeploymentTimedOut: the Progressing condition's last update is older than the deadline. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, nowMs: Ms): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = conditionOf(status, "Progressing");
  if (c === undefined || c.reason === newReplicaSetAvailableReason) return false;
  if (c.reason === timedOutReason) return true;
  return c.lastUpdateMs + (d.spec.progressDeadlineSeconds as number) * 1000 < nowMs;
}

/** checkPausedConditions, applied to the status about to be written. */
export function applyPausedCondition(d: Deployment, status: DeploymentStatus, nowMs: Ms): void {
  if (!hasProgressDeadline(d)) return;
  const c = conditionOf(status, "Progressing");
  if (c?.reason === timedOutReason) return;
  const pausedShown = c?.reason === pausedReason;
  if (d.spec.paused === true && !pausedShown) setCondition(status, newCondition("Progressing", "Unknown", pausedReason, "Deployment is paused", nowMs));
  else if (d.spec.paused !== true && pausedShown) setCondition(status, newCondition("Progressing", "Unknown", resumedReason, "Deployment is resumed", nowMs));
}

/** syncRolloutStatus: the new status with the progress estimate of a rollout in progress. */
export function rolloutStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: Ms): DeploymentStatus {
  const status = calculateStatus(all, newRS, d, nowMs);
  applyPausedCondition(d, status, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(status, "Progressing");
  const current = conditionOf(d.status, "Progressing");
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === newReplicaSetAvailableReason;
  if (!hasProgressDeadline(d) || isComplete) return status;
  const subject = newRS !== undefined ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (deploymentComplete(d, status)) {
    setCondition(status, newCondition("Progressing", "True", newReplicaSetAvailableReason, `${subject} has successfully progressed.`, nowMs));
  } else if (deploymentProgressing(d, status)) {
    // Progress moves lastUpdateTime even with the same reason (upstream removes and re-adds the condition).
    const condition = newCondition("Progressing", "True", replicaSetUpdatedReason, `${subject} is progressing.`, nowMs);
    if (current?.status === "True") condition.lastTransitionMs = current.lastTransitionMs;
    removeCondition(status, "Progressing");
    setCondition(status, condition);
  } else if (deploymentTimedOut(d, status, nowMs)) {
    setCondition(status, newCondition("Progressing", "False", timedOutReason, `${subject} has timed out progressing.`, nowMs));
  }
  return status;
}

/** requeueStuckDeployment: when to look again for a deadline passing (a second after it, as upstream); undefined for no timer. */
export function stuckCheckAfterMs(d: Deployment, status: DeploymentStatus, nowMs: Ms): Ms | undefined {
  const c = conditionOf(d.status, "Progressing");
  if (!hasProgressDeadline(d) || c === undefined) return undefined;
  if (deploymentComplete(d, status) || c.reason === timedOutReason) return undefined;
  // Upstream requeues here too (rate limited, backing off), but DeploymentTimedOut is false while the
  // reason is NewReplicaSetAvailable (pods lost after a completed rollout): a check could never fire.
  if (c.reason === newReplicaSetAvailableReason) return undefined;
  const afterMs = c.lastUpdateMs + (d.spec.progressDeadlineSeconds as number) * 1000 - nowMs;
  return afterMs < 1000 ? 0 : afterMs + 1000;
}

/** The status fields a write would change; conditions compare by everything but their times unless the times moved. */
export function sameDeploymentStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

function normalized(s: DeploymentStatus): unknown[] {
  const conditions = (s.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateMs, c.lastTransitionMs]);
  return [s.observedGeneration ?? 0, s.replicas, s.readyReplicas, s.availableReplicas, s.updatedReplicas ?? 0, s.unavailableReplicas ?? 0, conditions];
}
