/**
 * Job controller (upstream pkg/controller/job/job_controller.go syncJob, manageJob,
 * trackJobStatusAndRemoveFinalizers, enactJobFinished; backoff_utils.go; indexed_job_utils.go;
 * pod_failure_policy.go), in the one controller pattern (../controller.ts), shaped as the
 * ReplicaSet controller:
 *  - observe: a Job's changes and its pods' events make it dirty (lowering expectations);
 *  - reconcile (syncJob): count the pods finished since the last count (succeeded; failed unless
 *    an Ignore rule matched), decide whether the Job has failed (a FailJob rule, failed >
 *    backoffLimit or restarts past it under OnFailure, activeDeadlineSeconds) or met its success
 *    criteria; a failing Job deletes its active pods, otherwise manageJob keeps min(parallelism,
 *    remaining completions) pods active — after the failure back-off (10 s doubling to 6 min),
 *    Indexed pods on the first pending indexes, a suspended Job none; then the status. As upstream
 *    ≥ 1.31 the interim FailureTarget / SuccessCriteriaMet conditions come first and Failed /
 *    Complete once no pod is terminating;
 *  - onResult: creates go in slow-start batches; a failed sync is retried rate-limited.
 * Simplified: upstream counts a pod once by removing its batch.kubernetes.io/job-tracking
 * finalizer (status.uncountedTerminatedPods holds the pods in between); the twin's pods have no
 * finalizers, so the controller's state remembers the uids it counted (and pods removed before
 * they were counted, as the finalizer would have kept them), and a count goes into the status in
 * one write. The JOB_COMPLETION_INDEX env var is not modelled (containers have no env).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { canonicalJson } from "../../model/canonical.ts";
import type { Decision } from "../../model/decision.ts";
import { hashString } from "../../model/hash.ts";
import { jobCompletionIndexAnnotation, jobFinished, type Job, type JobCondition, type JobConditionType, type JobStatus } from "../../model/job.ts";
import type { ConditionStatus, Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import { creationObserved, deletionObserved, expectationsSatisfied, type Expectations } from "./expectations.ts";
import { newBackoffRecord, remainingBackoffMs, type BackoffRecord } from "./job-backoff.ts";
import {
  completionIndexOf, duplicatedIndexPods, firstPendingIndexes, formatIntervals, indexesOf, mergeIntervals, parseIntervals, totalOf, unknownCompletionIndex, withIndexes, type Interval,
} from "./job-indexes.ts";
import { failureCountAnnotations, isIndexFailed, lastFailedPerIndex, remainingIndexBackoffMs } from "./job-backoff-per-index.ts";
import { isPodFailed, matchPodFailurePolicy, onlyReplaceFailedPods } from "./job-pod-failure.ts";
import { controllerKeyOf, controllerOf, objectPrng, podIsActive, podKeyOf } from "./ownership.ts";
import { syncFinished } from "./rate-limit.ts";
import { slowStartInitialBatchSize } from "./replicaset.ts";

/** upstream MaxPodCreateDeletePerSync. */
export const maxPodCreateDeletePerSync = 500;
/** names.MaxGeneratedNameLength: 63 minus the 5-character random suffix. */
const maxGeneratedNameLength = 58;
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

export const backoffLimitExceededMessage = "Job has reached the specified backoff limit";
export const deadlineExceededMessage = "Job was active longer than specified deadline";
export const completionsReachedMessage = "Reached expected number of succeeded pods";

interface InFlight {
  /** Completion indexes still to create (unknownCompletionIndex for a NonIndexed Job's pods). */
  creates: number[];
  /** With backoffLimitPerIndex: the failure-count annotations of each index's new pod. */
  indexAnnotations: Map<number, Record<string, string>>;
  batchSize: number;
  unanswered: number;
  failed: boolean;
  /** What the status write in flight counted: remembered once it is written. */
  counted?: { uids: string[]; backoff: BackoffRecord };
}

export interface JobControllerState {
  expectations: Expectations;
  inFlight: Map<string, InFlight>;
  failures: Map<string, number>;
  /** pod key → Job key. */
  podOwners: Map<string, string>;
  /** pod key → the pod as last seen (what a removed pod was when it went). */
  seen: Map<string, Pod>;
  /** Job key → its pods removed before they were counted (kept by the tracking finalizer upstream). */
  vanished: Map<string, Pod[]>;
  /** Job key → uids of the pods counted in its status. */
  counted: Map<string, Set<string>>;
  backoff: Map<string, BackoffRecord>;
  dirtyWhileBusy: Set<string>;
  prngs: Map<string, Prng>;
  /** Decision id → Job key, for the writes in flight. */
  writes: Map<string, string>;
}

const jobsOf = (view: ClusterView) => storedObjectsOf(view, "Job");

const ownerKey = (pod: Pod): string | undefined => controllerKeyOf(pod, "Job");

const prngFor = (state: JobControllerState, root: Prng, key: string): Prng => objectPrng(state.prngs, root, "job", key);

function forget(state: JobControllerState, key: string): void {
  state.expectations.delete(key);
  state.failures.delete(key);
  state.prngs.delete(key);
  state.backoff.delete(key);
  state.counted.delete(key);
  state.vanished.delete(key);
}

function observe(view: ClusterView, state: JobControllerState, event: ClusterEvent): Observed<JobControllerState> {
  switch (event.kind) {
    case "ObjectCreated":
    case "ObjectUpdated":
      return { state, keys: event.object.kind === "Job" ? [`${event.object.metadata.namespace}/${event.object.metadata.name}`] : [] };
    case "ObjectStatusChanged":
    case "ObjectDeleted":
    case "DeletionStarted":
      return { state, keys: event.objectKind === "Job" ? [event.key] : [] };
    case "PodCreated": {
      const key = ownerKey(event.pod);
      if (key === undefined) return { state, keys: [] };
      const podKey = podKeyOf(event.pod);
      state.podOwners.set(podKey, key);
      const pod = view.pods.get(podKey);
      if (pod !== undefined) state.seen.set(podKey, pod);
      creationObserved(state.expectations, key);
      return { state, keys: [key] };
    }
    case "PodDeleting":
    case "PodRemoved": {
      const key = state.podOwners.get(event.key);
      if (key === undefined) return { state, keys: [] };
      deletionObserved(state.expectations, key, event.key);
      if (event.kind === "PodRemoved") podRemoved(state, key, event.key);
      return { state, keys: [key] };
    }
    case "PodBound":
    case "PodRunning":
    case "PodReadyChanged":
    case "ContainerExited":
    case "ContainerRestarted":
    case "InitContainerExited":
    case "PodFailed": {
      const key = state.podOwners.get(event.key);
      return { state, keys: key === undefined ? [] : [key] };
    }
    default:
      return { state, keys: [] };
  }
}

/** A removed pod not yet counted is counted at the next sync, as the pod it was when it went. */
function podRemoved(state: JobControllerState, key: string, podKey: string): void {
  const pod = state.seen.get(podKey);
  state.podOwners.delete(podKey);
  state.seen.delete(podKey);
  if (pod === undefined || state.counted.get(key)?.has(pod.metadata.uid) === true) return;
  state.vanished.set(key, [...(state.vanished.get(key) ?? []), pod]);
}

/** Everything one sync works from (upstream syncJobCtx). */
interface SyncContext {
  job: Job;
  key: string;
  nowMs: Ms;
  pods: Pod[];
  active: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  newSucceeded: Pod[];
  newFailed: Pod[];
  backoff: BackoffRecord;
  succeededIndexes: Interval[];
  /** With backoffLimitPerIndex: the failed indexes, and each pending index's last failed pod. */
  failedIndexes?: Interval[];
  lastFailed: Map<number, Pod>;
  /** The condition that ends the Job (interim or final), once decided. */
  finished?: JobCondition;
  requeueMs: Ms[];
  /** Pod deletes (and their expectations, for manageJob's), then the creates manageJob wants. */
  decisions: Decision[];
  expectDeletes: string[];
  creates: number[];
  indexAnnotations: Map<number, Record<string, string>>;
}

function reconcile(view: ClusterView, state: JobControllerState, key: string, nowMs: Ms, prng: Prng): Reconciled<JobControllerState> {
  const job = jobsOf(view).get(key);
  if (job === undefined) {
    forget(state, key);
    return reconciled(state);
  }
  if (state.inFlight.has(key)) {
    state.dirtyWhileBusy.add(key);
    return reconciled(state);
  }
  if (jobFinished(job) !== undefined) {
    state.backoff.delete(key);
    return reconciled(state);
  }
  const satisfied = expectationsSatisfied(state.expectations, key, nowMs);
  const ctx = syncContext(view, state, job, key, nowMs);
  const status = syncStatus(ctx, satisfied);
  const flight: InFlight = { creates: [], indexAnnotations: new Map(), batchSize: 0, unanswered: 0, failed: false };
  if (canonicalJson(status) !== canonicalJson(job.status)) {
    const id = `job-status/${key}/${job.metadata.resourceVersion ?? 0}/${hashString(canonicalJson(status)).slice(0, 12)}`;
    ctx.decisions.push({ kind: "UpdateObjectStatus", id, objectKind: "Job", key, status, basedOnVersion: job.metadata.resourceVersion ?? 0 });
    flight.counted = { uids: [...ctx.newSucceeded, ...ctx.newFailed, ...failedWithJob(ctx)].map((p) => p.metadata.uid), backoff: ctx.backoff };
  }
  const requeue = ctx.requeueMs.length > 0 ? [{ key, afterMs: Math.max(0, Math.min(...ctx.requeueMs)) }] : [];
  if (ctx.decisions.length === 0 && ctx.creates.length === 0) return reconciled(state, [], requeue);
  return issue(view, state, key, job, flight, ctx, nowMs, prngFor(state, prng, key), requeue);
}

/** The pods a sync counts: the Job's own, and those removed before they were counted (as Failed unless they succeeded). */
function syncContext(view: ClusterView, state: JobControllerState, job: Job, key: string, nowMs: Ms): SyncContext {
  const pods: Pod[] = [];
  for (const podKey of view.podsByOwner.get(job.metadata.uid) ?? []) {
    const pod = view.pods.get(podKey);
    if (pod !== undefined && controllerOf(pod.metadata)?.uid === job.metadata.uid) pods.push(pod);
  }
  for (const pod of state.vanished.get(key) ?? []) pods.push(pod.status.phase === "Succeeded" ? pod : { ...pod, status: { ...pod.status, phase: "Failed" } });
  pods.sort((a, b) => (podKeyOf(a) < podKeyOf(b) ? -1 : podKeyOf(a) > podKeyOf(b) ? 1 : 0));
  const counted = state.counted.get(key) ?? new Set<string>();
  const completions = job.spec.completions ?? 0;
  const indexed = job.spec.completionMode === "Indexed";
  const uncounted = (p: Pod) => !counted.has(p.metadata.uid) && (!indexed || (completionIndexOf(p) !== unknownCompletionIndex && completionIndexOf(p) < completions));
  const active = pods.filter(podIsActive);
  const newSucceeded = pods.filter((p) => uncounted(p) && p.status.phase === "Succeeded");
  const newFailed = pods.filter((p) => uncounted(p) && isPodFailed(p, job));
  const nonIgnored = newFailed.filter((p) => matchPodFailurePolicy(job, p).countFailed).length;
  const prevIndexes = indexed ? parseIntervals(job.status.completedIndexes, completions) : [];
  const succeededIndexes = indexed ? withIndexes(prevIndexes, indexesOf(newSucceeded)) : [];
  const perIndex = indexed && job.spec.backoffLimitPerIndex !== undefined;
  const failedIndexes = perIndex ? withIndexes(parseIntervals(job.status.failedIndexes, completions), indexesOf(newFailed.filter((p) => isIndexFailed(job, p)))) : undefined;
  return {
    job, key, nowMs, pods, active,
    ready: active.filter((p) => p.status.ready).length,
    terminating: pods.filter((p) => p.metadata.deletionMs !== undefined && p.status.phase !== "Succeeded" && p.status.phase !== "Failed").length,
    succeeded: indexed ? totalOf(succeededIndexes) : job.status.succeeded + newSucceeded.length,
    failed: job.status.failed + nonIgnored,
    newSucceeded, newFailed,
    backoff: newBackoffRecord(state.backoff.get(key), newSucceeded, newFailed),
    succeededIndexes,
    ...(failedIndexes !== undefined ? { failedIndexes } : {}),
    lastFailed: failedIndexes !== undefined ? lastFailedPerIndex(job, pods, active, succeededIndexes, failedIndexes) : new Map(),
    requeueMs: [],
    decisions: [],
    expectDeletes: [],
    creates: [],
    indexAnnotations: new Map(),
  };
}

function condition(type: JobConditionType, status: ConditionStatus, reason: string, message: string, nowMs: Ms): JobCondition {
  return { type, status, reason, message, lastTransitionMs: nowMs };
}

function findCondition(conditions: readonly JobCondition[], type: JobConditionType): JobCondition | undefined {
  return conditions.find((c) => c.type === type);
}

/** syncJob from the counts to the new status; the pod writes go to ctx.decisions. */
function syncStatus(ctx: SyncContext, satisfied: boolean): JobStatus {
  const { job, nowMs } = ctx;
  const status: JobStatus = structuredClone(job.status);
  if (status.startMs === undefined && !job.spec.suspend) status.startMs = nowMs;
  decideFailure(ctx, status);
  if (ctx.finished === undefined) decideIndexFailure(ctx);
  let active = ctx.active.length;
  if (ctx.finished !== undefined) {
    // Remove the active pods of a Job that failed; finished only once every one is gone.
    for (const pod of ctx.active) ctx.decisions.push(deletePod(pod, ctx.finished.reason));
    if (!satisfied) ctx.finished = undefined;
    ctx.terminating += active;
    ctx.ready = 0;
    active = 0;
  } else {
    let manageCalled = false;
    if (satisfied && job.metadata.deletionMs === undefined) {
      active = manageJob(ctx);
      manageCalled = true;
    }
    const completions = job.spec.completions;
    const complete = completions === undefined ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
    if (complete) ctx.finished = condition("SuccessCriteriaMet", "True", "CompletionsReached", completionsReachedMessage, nowMs);
    else if (manageCalled) suspendCondition(ctx, status);
  }
  status.active = active;
  status.ready = ctx.ready;
  status.terminating = ctx.terminating;
  trackStatus(ctx, status);
  return status;
}

/** The failure checks of syncJob, in upstream's order. */
function decideFailure(ctx: SyncContext, status: JobStatus): void {
  const { job, nowMs } = ctx;
  if (findCondition(status.conditions, "SuccessCriteriaMet")?.status === "True") {
    ctx.finished = findCondition(status.conditions, "SuccessCriteriaMet");
    return;
  }
  const target = findCondition(status.conditions, "FailureTarget");
  if (target?.status === "True") {
    ctx.finished = condition("Failed", "True", target.reason, target.message, nowMs);
    return;
  }
  const failJob = failJobMessage(job, ctx.pods);
  if (failJob !== undefined) {
    ctx.finished = condition("FailureTarget", "True", "PodFailurePolicy", failJob, nowMs);
    return;
  }
  if (ctx.failed > job.spec.backoffLimit || pastBackoffLimitOnFailure(job, ctx.pods)) {
    ctx.finished = condition("FailureTarget", "True", "BackoffLimitExceeded", backoffLimitExceededMessage, nowMs);
  } else if (pastActiveDeadline(job, status, nowMs)) {
    ctx.finished = condition("FailureTarget", "True", "DeadlineExceeded", deadlineExceededMessage, nowMs);
  } else if (job.spec.activeDeadlineSeconds !== undefined && !job.spec.suspend && status.startMs !== undefined) {
    ctx.requeueMs.push(job.spec.activeDeadlineSeconds * 1000 - (nowMs - status.startMs));
  }
}

/** With backoffLimitPerIndex: too many failed indexes, or every index done with some failed. */
function decideIndexFailure(ctx: SyncContext): void {
  const failed = ctx.failedIndexes;
  if (failed === undefined) return;
  const { job, nowMs } = ctx;
  if (job.spec.maxFailedIndexes !== undefined && totalOf(failed) > job.spec.maxFailedIndexes) {
    ctx.finished = condition("FailureTarget", "True", "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes", nowMs);
  } else if (totalOf(failed) > 0 && totalOf(failed) + totalOf(ctx.succeededIndexes) >= (job.spec.completions ?? 0)) {
    ctx.finished = condition("FailureTarget", "True", "FailedIndexes", "Job has failed indexes", nowMs);
  }
}

/** getFailJobMessage: the first failed pod that matches a FailJob rule. */
function failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
  if (job.spec.podFailurePolicy === undefined) return undefined;
  for (const pod of pods) {
    if (!isPodFailed(pod, job)) continue;
    const message = matchPodFailurePolicy(job, pod).failJobMessage;
    if (message !== undefined) return message;
  }
  return undefined;
}

/** pastBackoffLimitOnFailure: restarts of running and pending pods under OnFailure reach the limit. */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== "OnFailure") return false;
  let restarts = 0;
  for (const pod of pods) if (pod.status.phase === "Running" || pod.status.phase === "Pending") restarts += pod.status.restartCount ?? 0;
  return job.spec.backoffLimit === 0 ? restarts > 0 : restarts >= job.spec.backoffLimit;
}

/** pastActiveDeadline: never while suspended. */
function pastActiveDeadline(job: Job, status: JobStatus, nowMs: Ms): boolean {
  if (job.spec.activeDeadlineSeconds === undefined || status.startMs === undefined || job.spec.suspend) return false;
  return nowMs - status.startMs >= job.spec.activeDeadlineSeconds * 1000;
}

/** The Suspended condition as manageJob leaves it; resuming restarts the deadline clock (StartTime). */
function suspendCondition(ctx: SyncContext, status: JobStatus): void {
  const { job, nowMs } = ctx;
  const changed = job.spec.suspend
    ? ensureCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", nowMs)
    : ensureCondition(status, "Suspended", "False", "JobResumed", "Job resumed", nowMs);
  if (changed && !job.spec.suspend) status.startMs = nowMs;
}

/** ensureJobConditionStatus: a False condition is only written over an existing one. */
function ensureCondition(status: JobStatus, type: JobConditionType, value: ConditionStatus, reason: string, message: string, nowMs: Ms): boolean {
  const i = status.conditions.findIndex((c) => c.type === type);
  const existing = status.conditions[i];
  if (existing !== undefined) {
    if (existing.status === value && existing.reason === reason && existing.message === message) return false;
    status.conditions[i] = condition(type, value, reason, message, nowMs);
    return true;
  }
  if (value === "False") return false;
  status.conditions.push(condition(type, value, reason, message, nowMs));
  return true;
}

/** manageJob: the active pods it leaves (counting the creates it starts). */
function manageJob(ctx: SyncContext): number {
  const { job, nowMs } = ctx;
  let active = ctx.active.length;
  if (job.spec.suspend) {
    for (const pod of ctx.active) ctx.decisions.push(deletePod(pod, "JobSuspended"));
    ctx.expectDeletes = ctx.active.map(podKeyOf);
    ctx.terminating += active;
    ctx.ready = 0;
    return 0;
  }
  const completions = job.spec.completions;
  const parallelism = job.spec.parallelism;
  const wantActive = completions === undefined ? (ctx.succeeded > 0 ? active : parallelism) : Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
  const toDelete = activePodsForRemoval(job, ctx.active, Math.max(0, active - wantActive)).slice(0, maxPodCreateDeletePerSync);
  if (toDelete.length > 0) {
    ctx.decisions.push(...toDelete.map((p) => deletePod(p, "TooManyActivePods")));
    ctx.expectDeletes = toDelete.map(podKeyOf);
    ctx.terminating += toDelete.length;
    ctx.ready -= toDelete.filter((p) => p.status.ready).length;
    return active - toDelete.length;
  }
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return active;
  // With backoffLimitPerIndex the back-off is each index's own.
  const remainingMs = ctx.failedIndexes === undefined ? remainingBackoffMs(ctx.backoff, nowMs) : 0;
  if (remainingMs > 0) {
    ctx.requeueMs.push(remainingMs);
    // As upstream: the sync that waits out the back-off reports no active pods.
    return 0;
  }
  diff = Math.min(diff, maxPodCreateDeletePerSync);
  let indexes: number[] = new Array<number>(diff).fill(unknownCompletionIndex);
  if (job.spec.completionMode === "Indexed") {
    let nonPending = withIndexes(ctx.succeededIndexes, indexesOf(ctx.active));
    if (onlyReplaceFailedPods(job)) nonPending = withIndexes(nonPending, indexesOf(ctx.pods.filter((p) => p.metadata.deletionMs !== undefined && p.status.phase !== "Succeeded" && p.status.phase !== "Failed")));
    if (ctx.failedIndexes !== undefined) nonPending = mergeIntervals(nonPending, ctx.failedIndexes);
    indexes = firstPendingIndexes(nonPending, diff, completions ?? 0);
    if (ctx.failedIndexes !== undefined) {
      // getPodCreationInfoForIndependentIndexes: the indexes whose back-off is over, else a requeue for the first to end.
      const waits = indexes.map((ix) => remainingIndexBackoffMs(ctx.lastFailed.get(ix), nowMs));
      const ready = indexes.filter((_, i) => waits[i] === 0);
      if (ready.length === 0 && indexes.length > 0) {
        ctx.requeueMs.push(Math.min(...waits));
        return 0;
      }
      indexes = ready;
      for (const ix of indexes) ctx.indexAnnotations.set(ix, failureCountAnnotations(job, ctx.lastFailed.get(ix)));
    }
  }
  ctx.creates = indexes;
  return active + indexes.length;
}

/** activePodsForRemoval: duplicated or invalid indexes first, then the least advanced pods (controller.ActivePods). */
function activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
  let rm: Pod[] = [];
  let left: Pod[] = [...pods];
  if (job.spec.completionMode === "Indexed") ({ rm, left } = duplicatedIndexPods(pods, job.spec.completions ?? 0, activePodsLess));
  if (rm.length < rmAtLeast) rm = [...rm, ...left.sort(activePodsLess).slice(0, rmAtLeast - rm.length)];
  return rm;
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** controller.ActivePods.Less: unscheduled, pending, not ready, ready for less time, more restarts, newer — first; then by name. */
export function activePodsLess(a: Pod, b: Pod): number {
  const scheduled = Number(a.spec.nodeName !== undefined) - Number(b.spec.nodeName !== undefined);
  if (scheduled !== 0) return scheduled;
  const phase = (phaseRank[a.status.phase] ?? 2) - (phaseRank[b.status.phase] ?? 2);
  if (phase !== 0) return phase;
  const ready = Number(a.status.ready) - Number(b.status.ready);
  if (ready !== 0) return ready;
  if (a.status.ready && b.status.ready && a.status.readyMs !== b.status.readyMs) return (b.status.readyMs ?? 0) - (a.status.readyMs ?? 0);
  const restarts = (b.status.restartCount ?? 0) - (a.status.restartCount ?? 0);
  if (restarts !== 0) return restarts;
  const created = b.metadata.creationMs - a.metadata.creationMs;
  if (created !== 0) return created;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** trackJobStatusAndRemoveFinalizers + enactJobFinished, over counts already made. */
function trackStatus(ctx: SyncContext, status: JobStatus): void {
  const { job, nowMs } = ctx;
  status.succeeded = ctx.succeeded;
  status.failed = ctx.failed;
  status.failed += failedWithJob(ctx).filter((p) => matchPodFailurePolicy(job, p).countFailed).length;
  if (job.spec.completionMode === "Indexed") status.completedIndexes = formatIntervals(ctx.succeededIndexes);
  if (ctx.failedIndexes !== undefined) status.failedIndexes = formatIntervals(ctx.failedIndexes);
  let finished = ctx.finished;
  if (finished?.type === "FailureTarget") {
    if (findCondition(status.conditions, "FailureTarget") === undefined) status.conditions.push(finished);
    finished = condition("Failed", "True", finished.reason, finished.message, nowMs);
  }
  if (finished?.type === "SuccessCriteriaMet") {
    if (findCondition(status.conditions, "SuccessCriteriaMet") === undefined) status.conditions.push(finished);
    finished = condition("Complete", "True", finished.reason, finished.message, nowMs);
  }
  // enactJobFinished: only once no pod is terminating.
  if (finished === undefined || ctx.terminating > 0) return;
  ensureCondition(status, finished.type, finished.status, finished.reason, finished.message, nowMs);
  if (finished.type === "Complete") status.completionMs = nowMs;
}

/** When the Job fails, every pod not yet finished counts as failed (unless an Ignore rule matches it). */
function failedWithJob(ctx: SyncContext): Pod[] {
  const f = ctx.finished;
  return f === undefined || f.type === "SuccessCriteriaMet" || f.type === "Complete" ? [] : ctx.active;
}

function deletePod(pod: Pod, reason: string): Decision {
  return { kind: "DeletePod", id: `delete/${podKeyOf(pod)}/${pod.metadata.uid}`, podKey: podKeyOf(pod), reason };
}

/** The pod manageJob creates: the template, owned by the Job; an Indexed one carries its index (annotation, label, hostname). */
function podFor(job: Job, index: number, nowMs: Ms): Pod {
  const t = job.spec.template;
  const pod: Pod = {
    kind: "Pod",
    metadata: {
      name: "",
      namespace: job.metadata.namespace,
      uid: "",
      labels: { ...t.labels },
      ...(t.annotations !== undefined ? { annotations: { ...t.annotations } } : {}),
      ownerReferences: [{ kind: "Job", name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }],
      creationMs: nowMs,
    },
    spec: structuredClone(t.spec),
    status: { phase: "Pending", ready: false },
  };
  if (index >= 0) {
    pod.metadata.annotations = { ...pod.metadata.annotations, [jobCompletionIndexAnnotation]: String(index) };
    pod.metadata.labels[jobCompletionIndexAnnotation] = String(index);
    pod.spec.hostname = `${job.metadata.name}-${index}`;
  }
  return pod;
}

/** generateName as the API server expands it: the prefix cut to 58 characters, then 5 random ones. */
function podName(view: ClusterView, job: Job, index: number, prng: Prng, taken: Set<string>): string {
  const prefix = (index >= 0 ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`).slice(0, maxGeneratedNameLength);
  let name = "";
  do {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += suffixAlphabet[prng.int(0, suffixAlphabet.length)];
    name = `${prefix}${suffix}`;
  } while (view.pods.has(`${job.metadata.namespace}/${name}`) || taken.has(name));
  taken.add(name);
  return name;
}

/** The sync's writes: deletes and the status at once, creates in slow-start batches. */
function issue(view: ClusterView, state: JobControllerState, key: string, job: Job, flight: InFlight, ctx: SyncContext, nowMs: Ms, prng: Prng, requeue: { key: string; afterMs: Ms }[]): Reconciled<JobControllerState> {
  const creates = ctx.creates;
  if (creates.length > 0) state.expectations.set(key, { adds: creates.length, deletes: new Set(), setMs: nowMs });
  else if (ctx.expectDeletes.length > 0) state.expectations.set(key, { adds: 0, deletes: new Set(ctx.expectDeletes), setMs: nowMs });
  flight.creates = creates;
  flight.indexAnnotations = ctx.indexAnnotations;
  flight.batchSize = Math.min(creates.length, slowStartInitialBatchSize);
  const decisions = [...ctx.decisions];
  decisions.push(...createBatch(view, job, flight, nowMs, prng));
  flight.unanswered = decisions.length;
  state.inFlight.set(key, flight);
  for (const d of decisions) state.writes.set(d.id, key);
  return reconciled(state, decisions, requeue);
}

function createBatch(view: ClusterView, job: Job, flight: InFlight, nowMs: Ms, prng: Prng): Decision[] {
  const batch = flight.creates.splice(0, flight.batchSize);
  const taken = new Set<string>();
  return batch.map((index) => {
    const pod = podFor(job, index, nowMs);
    const counts = flight.indexAnnotations.get(index);
    if (counts !== undefined) pod.metadata.annotations = { ...pod.metadata.annotations, ...counts };
    pod.metadata.name = podName(view, job, index, prng, taken);
    return { kind: "CreatePod", id: `create/${job.metadata.namespace}/${pod.metadata.name}`, pod };
  });
}

function onResult(view: ClusterView, state: JobControllerState, decision: Decision, result: WriteResult, nowMs: Ms, prng: Prng): Reconciled<JobControllerState> {
  const key = state.writes.get(decision.id);
  state.writes.delete(decision.id);
  const flight = key === undefined ? undefined : state.inFlight.get(key);
  if (key === undefined || flight === undefined) return reconciled(state);
  flight.unanswered--;
  if (decision.kind === "UpdateObjectStatus") {
    if (result.ok && flight.counted !== undefined) remember(state, key, flight.counted);
    if (!result.ok) flight.failed = true;
  } else if (!result.ok) {
    flight.failed = true;
    if (decision.kind === "CreatePod") creationObserved(state.expectations, key);
    else if (decision.kind === "DeletePod") deletionObserved(state.expectations, key, decision.podKey);
  }
  if (flight.unanswered > 0) return reconciled(state);
  const job = jobsOf(view).get(key);
  if (!flight.failed && flight.creates.length > 0 && job !== undefined) {
    flight.batchSize = Math.min(2 * flight.batchSize, flight.creates.length);
    const decisions = createBatch(view, job, flight, nowMs, prngFor(state, prng, key));
    flight.unanswered = decisions.length;
    for (const d of decisions) state.writes.set(d.id, key);
    return reconciled(state, decisions);
  }
  return finishSync(state, key, flight);
}

/** What a written status counted: its pods are never counted again. */
function remember(state: JobControllerState, key: string, counted: NonNullable<InFlight["counted"]>): void {
  const set = state.counted.get(key) ?? new Set<string>();
  for (const uid of counted.uids) set.add(uid);
  state.counted.set(key, set);
  state.backoff.set(key, counted.backoff);
  const vanished = (state.vanished.get(key) ?? []).filter((p) => !set.has(p.metadata.uid));
  if (vanished.length > 0) state.vanished.set(key, vanished);
  else state.vanished.delete(key);
}

function finishSync(state: JobControllerState, key: string, flight: InFlight): Reconciled<JobControllerState> {
  state.inFlight.delete(key);
  for (const _ of flight.creates) creationObserved(state.expectations, key);
  const resync = state.dirtyWhileBusy.delete(key);
  return syncFinished(state, state.failures, key, flight.failed, resync);
}

export const jobController: Controller<JobControllerState> = {
  name: "job",
  initialState: () => ({
    expectations: new Map(), inFlight: new Map(), failures: new Map(), podOwners: new Map(), seen: new Map(), vanished: new Map(), counted: new Map(), backoff: new Map(),
    dirtyWhileBusy: new Set(), prngs: new Map(), writes: new Map(),
  }),
  observe,
  reconcile,
  onResult,
};
