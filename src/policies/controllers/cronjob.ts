/**
 * CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go sync, syncCronJob,
 * cleanupFinishedJobs, removeOldestJobs, getJobFromTemplate2; utils.go), in the one controller
 * pattern:
 *  - observe: a CronJob's changes, and its Jobs' (created, status, deleted), make it dirty;
 *  - reconcile: finished Jobs leave status.active (a Complete one sets lastSuccessfulTime), Jobs
 *    gone leave it too; unless suspended, the most recent unmet scheduled time (counted from
 *    lastScheduleTime or the creation, no earlier than startingDeadlineSeconds ago) gets a Job
 *    named `<cronjob>-<minutes since the epoch>` — not when it is past the starting deadline,
 *    already made, or (Forbid) another is active; Replace deletes the active ones first; then the
 *    history limits delete the oldest finished Jobs beyond successfulJobsHistoryLimit /
 *    failedJobsHistoryLimit (their pods go through the garbage collector); requeue for the next
 *    scheduled time plus 100 ms;
 *  - onResult: a created Job goes into status.active (with its uid) with lastScheduleTime, in a
 *    status write after the create, as upstream writes it after CreateJob returns.
 * Upstream records Events (SawCompletedJob, MissSchedule, JobAlreadyActive, TooManyMissedTimes…);
 * the twin has no Event objects, so those leave no trace beyond what the status shows.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { formatTimeMs } from "../../model/civil-time.ts";
import { cronJobScheduledTimestampAnnotation, type CronJob, type CronJobStatus } from "../../model/cron-job.ts";
import { parseSchedule } from "../../model/cron-schedule.ts";
import type { Decision } from "../../model/decision.ts";
import { jobFinished, type Job } from "../../model/job.ts";
import type { Prng } from "../../model/prng.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import { jobNameFor, nextScheduleDelayMs, nextScheduleTime } from "./cron-times.ts";
import { controllerOf } from "./ownership.ts";
import { syncFinished } from "./rate-limit.ts";

interface InFlight {
  unanswered: number;
  failed: boolean;
  /** The status to write once the Job is created (active gets the new Job's reference). */
  afterCreate?: { status: CronJobStatus; jobKey: string; scheduledMs: Ms };
}

export interface CronJobControllerState {
  /** Job key → its CronJob's key (a deleted Job's event names only the Job). */
  jobOwners: Map<string, string>;
  inFlight: Map<string, InFlight>;
  dirtyWhileBusy: Set<string>;
  failures: Map<string, number>;
  /** Decision id → CronJob key. */
  writes: Map<string, string>;
}

const cronJobsOf = (view: ClusterView) => storedObjectsOf(view, "CronJob");
const keyOf = (m: { namespace: string; name: string }) => `${m.namespace}/${m.name}`;

function observe(_view: ClusterView, state: CronJobControllerState, event: ClusterEvent): Observed<CronJobControllerState> {
  switch (event.kind) {
    case "ObjectCreated":
    case "ObjectUpdated": {
      const o = event.object;
      if (o.kind === "CronJob") return { state, keys: [keyOf(o.metadata)] };
      if (o.kind !== "Job") return { state, keys: [] };
      const owner = controllerOf(o.metadata);
      if (owner?.kind !== "CronJob") return { state, keys: [] };
      const cronKey = `${o.metadata.namespace}/${owner.name}`;
      state.jobOwners.set(keyOf(o.metadata), cronKey);
      return { state, keys: [cronKey] };
    }
    case "ObjectStatusChanged": {
      if (event.objectKind !== "Job") return { state, keys: [] };
      const cronKey = state.jobOwners.get(event.key);
      return { state, keys: cronKey === undefined ? [] : [cronKey] };
    }
    case "ObjectDeleted": {
      if (event.objectKind !== "Job") return { state, keys: [] };
      const cronKey = state.jobOwners.get(event.key);
      state.jobOwners.delete(event.key);
      return { state, keys: cronKey === undefined ? [] : [cronKey] };
    }
    case "DeletionStarted":
      return { state, keys: event.objectKind === "CronJob" ? [event.key] : [] };
    default:
      return { state, keys: [] };
  }
}

/** The CronJob's Jobs (controlled by its uid), by name. */
function jobsOf(view: ClusterView, cj: CronJob): Job[] {
  const out: Job[] = [];
  for (const job of storedObjectsOf(view, "Job").values()) {
    if (job.metadata.namespace === cj.metadata.namespace && controllerOf(job.metadata)?.uid === cj.metadata.uid) out.push(job);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

const succeeded = (job: Job) => jobFinished(job)?.type === "Complete";

interface Sync {
  status: CronJobStatus;
  changed: boolean;
  decisions: Decision[];
  create?: { job: Job; scheduledMs: Ms };
  requeueMs?: Ms;
}

function reconcile(view: ClusterView, state: CronJobControllerState, key: string, nowMs: Ms): Reconciled<CronJobControllerState> {
  const cj = cronJobsOf(view).get(key);
  if (cj === undefined) {
    state.failures.delete(key);
    return reconciled(state);
  }
  if (state.inFlight.has(key)) {
    state.dirtyWhileBusy.add(key);
    return reconciled(state);
  }
  const jobs = jobsOf(view, cj);
  const sync: Sync = { status: structuredClone(cj.status), changed: false, decisions: [] };
  syncCronJob(view, cj, jobs, sync, nowMs);
  cleanupFinishedJobs(cj, jobs, sync);
  const requeue = sync.requeueMs === undefined ? [] : [{ key, afterMs: Math.max(0, sync.requeueMs) }];
  const decisions = [...sync.decisions];
  const flight: InFlight = { unanswered: 0, failed: false };
  if (sync.create !== undefined) {
    decisions.push({ kind: "CreateObject", id: `cronjob-create/${keyOf(sync.create.job.metadata)}/${cj.metadata.uid}`, object: sync.create.job });
    flight.afterCreate = { status: sync.status, jobKey: keyOf(sync.create.job.metadata), scheduledMs: sync.create.scheduledMs };
  } else if (sync.changed) {
    decisions.push(statusWrite(cj, sync.status));
  }
  if (decisions.length === 0) return reconciled(state, [], requeue);
  flight.unanswered = decisions.length;
  state.inFlight.set(key, flight);
  for (const d of decisions) state.writes.set(d.id, key);
  return reconciled(state, decisions, requeue);
}

/** syncCronJob. */
function syncCronJob(view: ClusterView, cj: CronJob, jobs: readonly Job[], sync: Sync, nowMs: Ms): void {
  const status = sync.status;
  const children = new Set(jobs.map((j) => j.metadata.uid));
  for (const job of jobs) {
    const active = status.active.some((r) => r.uid === job.metadata.uid);
    if (active && jobFinished(job) !== undefined) {
      status.active = status.active.filter((r) => r.uid !== job.metadata.uid);
      sync.changed = true;
    } else if (!active && succeeded(job) && job.status.completionMs !== undefined) {
      // A Job need not be active to count: its completion time is the last success, if later.
      if (status.lastSuccessfulMs === undefined || job.status.completionMs > status.lastSuccessfulMs) {
        status.lastSuccessfulMs = job.status.completionMs;
        sync.changed = true;
      }
    }
  }
  // An active Job that no longer exists leaves the list (it would otherwise block Forbid forever).
  const missing = status.active.filter((r) => !children.has(r.uid) && storedObjectsOf(view, "Job").get(`${r.namespace}/${r.name}`)?.metadata.uid !== r.uid);
  if (missing.length > 0) {
    status.active = status.active.filter((r) => !missing.includes(r));
    sync.changed = true;
  }
  if (cj.metadata.deletionMs !== undefined || cj.spec.suspend) return;
  const parsed = parseSchedule(cj.spec.schedule);
  if (!parsed.ok) return;
  const schedule = parsed.schedule;
  const due = nextScheduleTime(cj, nowMs, schedule);
  const scheduledMs = due.mostRecentMs;
  const later = () => nextScheduleDelayMs({ ...cj, status }, nowMs, schedule);
  if (due.invalid !== undefined) return;
  if (scheduledMs === undefined || scheduledMs > nowMs) {
    sync.requeueMs = later();
    return;
  }
  const deadline = cj.spec.startingDeadlineSeconds;
  const tooLate = deadline !== undefined && scheduledMs + deadline * 1000 < nowMs;
  const name = jobNameFor(cj, scheduledMs);
  const alreadyProcessed = status.active.some((r) => r.name === name) || status.lastScheduleMs === scheduledMs;
  if (tooLate || alreadyProcessed || (cj.spec.concurrencyPolicy === "Forbid" && status.active.length > 0)) {
    sync.requeueMs = later();
    return;
  }
  if (cj.spec.concurrencyPolicy === "Replace") {
    for (const ref of status.active) sync.decisions.push(deleteJob(ref.namespace, ref.name, ref.uid));
    if (status.active.length > 0) sync.changed = true;
    status.active = [];
  }
  sync.create = { job: jobFromTemplate(cj, scheduledMs, nowMs), scheduledMs };
  sync.requeueMs = nextScheduleDelayMs({ ...cj, status: { ...status, lastScheduleMs: scheduledMs } }, nowMs, schedule);
}

/** getJobFromTemplate2: the template's labels and annotations, the scheduled-time annotation, the deterministic name, owned by the CronJob. */
function jobFromTemplate(cj: CronJob, scheduledMs: Ms, nowMs: Ms): Job {
  const t = cj.spec.jobTemplate;
  return {
    kind: "Job",
    metadata: {
      name: jobNameFor(cj, scheduledMs),
      namespace: cj.metadata.namespace,
      uid: "",
      labels: { ...t.labels },
      annotations: { ...t.annotations, [cronJobScheduledTimestampAnnotation]: formatTimeMs(scheduledMs) },
      ownerReferences: [{ kind: "CronJob", name: cj.metadata.name, uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }],
      creationMs: nowMs,
      generation: 1,
    },
    spec: structuredClone(t.spec),
    status: { active: 0, succeeded: 0, failed: 0, ready: 0, terminating: 0, conditions: [] },
  };
}

/** cleanupFinishedJobs / removeOldestJobs: the oldest finished Jobs (byJobStartTime) beyond each history limit. */
function cleanupFinishedJobs(cj: CronJob, jobs: readonly Job[], sync: Sync): void {
  const done = (type: "Complete" | "Failed") => jobs.filter((j) => jobFinished(j)?.type === type).sort(byJobStartTime);
  for (const [list, limit] of [[done("Complete"), cj.spec.successfulJobsHistoryLimit], [done("Failed"), cj.spec.failedJobsHistoryLimit]] as const) {
    for (const job of list.slice(0, Math.max(0, list.length - limit))) {
      sync.decisions.push(deleteJob(job.metadata.namespace, job.metadata.name, job.metadata.uid));
      if (sync.status.active.some((r) => r.uid === job.metadata.uid)) {
        sync.status.active = sync.status.active.filter((r) => r.uid !== job.metadata.uid);
        sync.changed = true;
      }
    }
  }
}

/** byJobStartTime: started before not started, earlier first, then by name. */
function byJobStartTime(a: Job, b: Job): number {
  const sa = a.status.startMs;
  const sb = b.status.startMs;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  return (sa ?? 0) - (sb ?? 0);
}

function deleteJob(namespace: string, name: string, uid: string): Decision {
  return { kind: "DeleteObject", id: `cronjob-delete/${namespace}/${name}/${uid}`, objectKind: "Job", key: `${namespace}/${name}` };
}

function statusWrite(cj: CronJob, status: CronJobStatus): Decision {
  const key = keyOf(cj.metadata);
  const id = `cronjob-status/${key}/${cj.metadata.resourceVersion ?? 0}/${status.active.map((r) => r.name).join(",")}/${status.lastScheduleMs ?? ""}/${status.lastSuccessfulMs ?? ""}`;
  return { kind: "UpdateObjectStatus", id, objectKind: "CronJob", key, status, basedOnVersion: cj.metadata.resourceVersion ?? 0 };
}

function onResult(view: ClusterView, state: CronJobControllerState, decision: Decision, result: WriteResult, _nowMs: Ms, _prng: Prng): Reconciled<CronJobControllerState> {
  const key = state.writes.get(decision.id);
  state.writes.delete(decision.id);
  const flight = key === undefined ? undefined : state.inFlight.get(key);
  if (key === undefined || flight === undefined) return reconciled(state);
  flight.unanswered--;
  const decisions: Decision[] = [];
  if (decision.kind === "CreateObject" && flight.afterCreate !== undefined) {
    const after = flight.afterCreate;
    flight.afterCreate = undefined;
    const cj = cronJobsOf(view).get(key);
    const job = storedObjectsOf(view, "Job").get(after.jobKey);
    // Created now, or made by an earlier sync whose status write was lost ("already exists"): either way into active, if it is ours.
    if (cj !== undefined && job !== undefined && controllerOf(job.metadata)?.uid === cj.metadata.uid) {
      const status = structuredClone(after.status);
      if (!status.active.some((r) => r.uid === job.metadata.uid)) status.active.push({ namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid });
      status.lastScheduleMs = after.scheduledMs;
      decisions.push(statusWrite(cj, status));
    } else if (!result.ok) flight.failed = true;
  } else if (!result.ok) flight.failed = true;
  flight.unanswered += decisions.length;
  for (const d of decisions) state.writes.set(d.id, key);
  if (flight.unanswered > 0) return reconciled(state, decisions);
  state.inFlight.delete(key);
  const resync = state.dirtyWhileBusy.delete(key);
  return syncFinished(state, state.failures, key, flight.failed, resync);
}

export const cronJobController: Controller<CronJobControllerState> = {
  name: "cronjob",
  initialState: () => ({ jobOwners: new Map(), inFlight: new Map(), dirtyWhileBusy: new Set(), failures: new Map(), writes: new Map() }),
  observe,
  reconcile: (view, state, key, nowMs) => reconcile(view, state, key, nowMs),
  onResult,
};
