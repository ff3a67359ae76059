/**
 * How the Job controller reads a finished pod: failed or not (job_controller.go isPodFailed), which
 * podFailurePolicy rule it matches (pod_failure_policy.go matchPodFailurePolicy, with upstream's
 * FailJob messages), and when it finished (backoff_utils.go getFinishedTime).
 *
 * The twin's pods carry one exit code (status.lastExitCode, the container that exited, taken to
 * be the first container) and no conditions list: the DisruptionTarget condition is read from the
 * deletion reason that upstream's controllers write it with (taint manager, Eviction API,
 * preemption; pod GC of a lost node).
 */
import type { Job, PodFailurePolicyAction, PodFailurePolicyRule } from "../../model/job.ts";
import type { ConditionStatus, Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";

/** onlyReplaceFailedPods: podReplacementPolicy Failed, implied by a podFailurePolicy. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === "Failed" || job.spec.podFailurePolicy !== undefined;
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status.phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata.deletionMs !== undefined && pod.status.phase !== "Succeeded";
}

/** The deletion reasons upstream writes a DisruptionTarget=True condition with. */
function isDisruption(reason: string | undefined): boolean {
  return reason === "DeletionByTaintManager" || reason === "Evicted" || reason === "NodeLost" || (reason?.startsWith("Preempted") ?? false);
}

/** The pod's conditions a podFailurePolicy can match (type → status). */
export function podConditionsOf(pod: Pod): ReadonlyMap<string, ConditionStatus> {
  const out = new Map<string, ConditionStatus>();
  if (isDisruption(pod.status.reason)) out.set("DisruptionTarget", "True");
  return out;
}

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** False when an Ignore rule matched: the failure does not count toward backoffLimit. */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

/** matchPodFailurePolicy: the first matching rule decides. */
export function matchPodFailurePolicy(job: Job, pod: Pod): PolicyMatch {
  const rules = job.spec.podFailurePolicy?.rules ?? [];
  for (const [index, rule] of rules.entries()) {
    const matched = matchedWhat(rule, pod);
    if (matched === undefined) continue;
    switch (rule.action) {
      case "Ignore":
        return { countFailed: false, action: "Ignore" };
      case "Count":
        return { countFailed: true, action: "Count" };
      case "FailIndex":
        return { countFailed: true, action: "FailIndex" };
      case "FailJob": {
        const m = pod.metadata;
        const failJobMessage = matched.kind === "exit"
          ? `Container ${matched.container} for pod ${m.namespace}/${m.name} failed with exit code ${matched.exitCode} matching FailJob rule at index ${index}`
          : `Pod ${m.namespace}/${m.name} has condition ${matched.condition} matching FailJob rule at index ${index}`;
        return { failJobMessage, countFailed: true, action: "FailJob" };
      }
    }
  }
  return { countFailed: true };
}

type Matched = { kind: "exit"; container: string; exitCode: number } | { kind: "condition"; condition: string };

function matchedWhat(rule: PodFailurePolicyRule, pod: Pod): Matched | undefined {
  if (rule.onExitCodes !== undefined) {
    const exitCode = pod.status.lastExitCode;
    const container = pod.spec.containers[0]?.name ?? "";
    // getMatchingContainerFromList: a terminated container with a non-zero exit code.
    if (exitCode === undefined || exitCode === 0 || (pod.status.phase !== "Failed" && pod.status.phase !== "Succeeded")) return undefined;
    const req = rule.onExitCodes;
    if (req.containerName !== undefined && req.containerName !== container) return undefined;
    const listed = req.values.includes(exitCode);
    return (req.operator === "In" ? listed : !listed) ? { kind: "exit", container, exitCode } : undefined;
  }
  const conditions = podConditionsOf(pod);
  for (const pattern of rule.onPodConditions ?? []) {
    if (conditions.get(pattern.type) === pattern.status) return { kind: "condition", condition: pattern.type };
  }
  return undefined;
}

/** getFinishedTime: the containers' finish, else the deletion, else the creation time. */
export function finishedMsOf(pod: Pod): Ms {
  return pod.status.finishedMs ?? pod.metadata.deletionMs ?? pod.metadata.creationMs;
}
