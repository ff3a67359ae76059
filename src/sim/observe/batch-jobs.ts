/**
 * What the summary tells about batch work, per owner (a CronJob, or a Job no CronJob made): Jobs
 * created, finished Complete or Failed (with the Failed reasons), still active at the end, and
 * their pods' counts as the Jobs last reported them (status.succeeded / status.failed). Fed every
 * applied event by the run observer, so Jobs deleted later (history limits, TTL) still count.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { jobFinished, type Job } from "../../model/job.ts";
import type { ClusterState } from "../../model/state.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";
import type { BatchJobSummary } from "../../log/summary-sections.ts";
export type { BatchJobSummary };


interface Tracked {
  owner: string;
  finished?: "Complete" | "Failed";
  reason?: string;
  podsSucceeded: number;
  podsFailed: number;
  deleted: boolean;
}

export class BatchJobObservations {
  private readonly jobs = new Map<string, Tracked>();

  /** Called after `event` was applied to `state`. */
  onApplied(state: ClusterState, event: ClusterEvent): void {
    if (event.kind === "ObjectCreated" && event.object.kind === "Job") {
      const job = event.object;
      const owner = controllerOf(job.metadata);
      const ns = job.metadata.namespace;
      const key = `${ns}/${job.metadata.name}`;
      this.jobs.set(key, { owner: owner?.kind === "CronJob" ? `cronjob/${ns}/${owner.name}` : `job/${key}`, podsSucceeded: 0, podsFailed: 0, deleted: false });
    } else if (event.kind === "ObjectStatusChanged" && event.objectKind === "Job") {
      const t = this.jobs.get(event.key);
      const job = storedObjectsOf(state, "Job").get(event.key);
      if (t === undefined || job === undefined) return;
      this.note(t, job);
    } else if (event.kind === "ObjectDeleted" && event.objectKind === "Job") {
      const t = this.jobs.get(event.key);
      if (t !== undefined) t.deleted = true;
    }
  }

  private note(t: Tracked, job: Job): void {
    t.podsSucceeded = job.status.succeeded;
    t.podsFailed = job.status.failed;
    const done = jobFinished(job);
    if (done !== undefined && t.finished === undefined) {
      t.finished = done.type === "Complete" ? "Complete" : "Failed";
      if (t.finished === "Failed") t.reason = done.reason;
    }
  }

  /** Per owner, in key order. */
  summary(): BatchJobSummary[] {
    const byOwner = new Map<string, BatchJobSummary>();
    for (const key of [...this.jobs.keys()].sort()) {
      const t = this.jobs.get(key) as Tracked;
      let s = byOwner.get(t.owner);
      if (s === undefined) {
        s = { owner: t.owner, jobs: 0, succeeded: 0, failed: 0, failedReasons: [], activeAtEnd: 0, podsSucceeded: 0, podsFailed: 0 };
        byOwner.set(t.owner, s);
      }
      s.jobs++;
      s.podsSucceeded += t.podsSucceeded;
      s.podsFailed += t.podsFailed;
      if (t.finished === "Complete") s.succeeded++;
      else if (t.finished === "Failed") {
        s.failed++;
        const reason = t.reason ?? "";
        const r = s.failedReasons.find((x) => x.reason === reason);
        if (r !== undefined) r.jobs++;
        else s.failedReasons.push({ reason, jobs: 1 });
      } else if (!t.deleted) s.activeAtEnd++;
    }
    for (const s of byOwner.values()) s.failedReasons.sort((a, b) => (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
    return [...byOwner.keys()].sort().map((k) => byOwner.get(k) as BatchJobSummary);
  }
}
