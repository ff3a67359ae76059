/**
 * batch/v1 Job in the model's style (metadata / spec / status): pods run to completion, counted by
 * the Job controller (policies/controllers/job.ts). Lives in the generic object store
 * (stored-objects.ts). Times are virtual milliseconds.
 */
import type { ConditionStatus, LabelSelector, ObjectMeta, PodTemplate } from "./objects.ts";
import type { Ms } from "./units.ts";

/** Labels and annotations upstream's Job API sets (k8s.io/api/batch/v1 types.go). */
export const jobControllerUidLabel = "batch.kubernetes.io/controller-uid";
export const jobNameLabel = "batch.kubernetes.io/job-name";
/** The legacy twins, still written by the API server's generateSelector. */
export const legacyControllerUidLabel = "controller-uid";
export const legacyJobNameLabel = "job-name";
export const jobCompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";
/** With backoffLimitPerIndex: the failures (counted, and ignored) of the pod's index before it. */
export const jobIndexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count";
export const jobIndexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count";

export type PodFailurePolicyAction = "FailJob" | "Ignore" | "Count" | "FailIndex";

export interface PodFailurePolicyRule {
  action: PodFailurePolicyAction;
  /** Exactly one of onExitCodes and onPodConditions (upstream validation). */
  onExitCodes?: { containerName?: string; operator: "In" | "NotIn"; values: number[] };
  onPodConditions?: { type: string; status: ConditionStatus }[];
}

export type JobConditionType = "Complete" | "Failed" | "Suspended" | "FailureTarget" | "SuccessCriteriaMet";

export interface JobCondition {
  type: JobConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionMs: Ms;
}

export interface JobSpec {
  parallelism: number;
  /** Absent: a work-queue Job, complete once any pod succeeded and none is active. */
  completions?: number;
  backoffLimit: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  completionMode: "NonIndexed" | "Indexed";
  suspend: boolean;
  podReplacementPolicy: "TerminatingOrFailed" | "Failed";
  manualSelector?: boolean;
  /** Generated at create (the controller-uid label) unless manualSelector. */
  selector?: LabelSelector;
  template: PodTemplate;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  /** Indexed Jobs: retries per index; an index failing more often is failed (status.failedIndexes). */
  backoffLimitPerIndex?: number;
  /** With backoffLimitPerIndex: more failed indexes than this fail the Job. */
  maxFailedIndexes?: number;
}

export interface JobStatus {
  active: number;
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  startMs?: Ms;
  completionMs?: Ms;
  /** Indexed Jobs: the succeeded indexes as upstream's interval string ("1,3-5,7"). */
  completedIndexes?: string;
  /** With backoffLimitPerIndex: the failed indexes, in the same interval form. */
  failedIndexes?: string;
  conditions: JobCondition[];
}

export interface Job {
  kind: "Job";
  metadata: ObjectMeta;
  spec: JobSpec;
  status: JobStatus;
}

export const emptyJobStatus: JobStatus = { active: 0, succeeded: 0, failed: 0, ready: 0, terminating: 0, conditions: [] };

/** upstream util.IsJobFinished: a Complete or Failed condition that is True. */
export function jobFinished(job: Job): JobCondition | undefined {
  return job.status.conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

/**
 * What the API server adds when it creates a Job (pkg/registry/batch/job/strategy.go
 * generateSelector): unless manualSelector, the template gets the job-name and controller-uid
 * labels (each in its legacy and its batch.kubernetes.io/ form) where it does not set them itself,
 * and the selector matches the batch.kubernetes.io/controller-uid label. Needs the uid the api
 * server has just assigned.
 */
export function withGeneratedSelector(job: Job): Job {
  if (job.spec.manualSelector === true) return job;
  const uid = job.metadata.uid;
  const labels = { ...job.spec.template.labels };
  for (const key of [legacyJobNameLabel, jobNameLabel]) labels[key] ??= job.metadata.name;
  for (const key of [legacyControllerUidLabel, jobControllerUidLabel]) labels[key] ??= uid;
  const matchLabels = { ...job.spec.selector?.matchLabels };
  matchLabels[jobControllerUidLabel] ??= uid;
  const selector: LabelSelector = { ...job.spec.selector, matchLabels };
  return { ...job, spec: { ...job.spec, selector, template: { ...job.spec.template, labels } } };
}
