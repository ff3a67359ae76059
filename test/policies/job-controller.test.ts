/**
 * The Job controller's sync, case by case. The table's cases are upstream's TestControllerSyncJob
 * and TestJobBackoffForOnFailure (pkg/controller/job/job_controller_test.go), with their names and
 * numbers (JobPodReplacementPolicy on, as upstream's default): pods built as the upstream table builds them (pending, active, ready, succeeded, failed,
 * or Indexed pods with their index and phase), one sync, then the writes and the status.
 */
import { describe, expect, test } from "vitest";
import type { Decision } from "../../src/model/decision.ts";
import { evolve } from "../../src/model/evolve.ts";
import { emptyJobStatus, jobCompletionIndexAnnotation, withGeneratedSelector, type Job, type JobStatus } from "../../src/model/job.ts";
import type { Pod, PodPhase } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import { emptyState, type ClusterState } from "../../src/model/state.ts";
import { jobController, type JobControllerState } from "../../src/policies/controllers/job.ts";

const nowMs = 3_600_000;

interface Case {
  parallelism: number;
  completions?: number;
  backoffLimit?: number;
  indexed?: boolean;
  suspend?: boolean;
  wasSuspended?: boolean;
  deleting?: boolean;
  restartPolicy?: "Never" | "OnFailure";
  initialStatus?: Partial<JobStatus>;
  pendingPods?: number;
  activePods?: number;
  readyPods?: number;
  succeededPods?: number;
  failedPods?: number;
  /** Running pods being deleted. */
  terminatingPods?: number;
  podReplacementPolicy?: "Failed" | "TerminatingOrFailed";
  restartCounts?: number[];
  podsWithIndexes?: [number, PodPhase][];
  backoff?: { failuresAfterLastSuccess: number; lastFailureMs?: number };
}

function jobOf(c: Case): Job {
  const job: Job = {
    kind: "Job",
    metadata: { name: "foobar", namespace: "default", uid: "job-uid", labels: {}, creationMs: 0, ...(c.deleting === true ? { deletionMs: nowMs - 1000 } : {}) },
    spec: {
      parallelism: c.parallelism,
      backoffLimit: c.backoffLimit ?? 6,
      completionMode: c.indexed === true ? "Indexed" : "NonIndexed",
      suspend: c.suspend ?? false,
      podReplacementPolicy: c.podReplacementPolicy ?? "TerminatingOrFailed",
      template: { labels: { foo: "bar" }, spec: { schedulerName: "default-scheduler", restartPolicy: c.restartPolicy ?? "Never", containers: [{ name: "main", requests: {}, limits: {} }] } },
    },
    status: { ...structuredClone(emptyJobStatus), startMs: nowMs - 60_000, ...c.initialStatus },
  };
  if (c.completions !== undefined) job.spec.completions = c.completions;
  if (c.wasSuspended === true) job.status.conditions.push({ type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", lastTransitionMs: 0 });
  return withGeneratedSelector(job);
}

function podOf(job: Job, i: number, phase: PodPhase, options: { ready?: boolean; index?: number; restarts?: number } = {}): Pod {
  const pod: Pod = {
    kind: "Pod",
    metadata: { name: `${job.metadata.name}-${i}`, namespace: "default", uid: `pod-${i}`, labels: { ...job.spec.template.labels }, ownerReferences: [{ kind: "Job", name: job.metadata.name, uid: job.metadata.uid, controller: true }], creationMs: 0 },
    spec: structuredClone(job.spec.template.spec),
    status: { phase, ready: options.ready ?? false, ...(phase === "Succeeded" || phase === "Failed" ? { finishedMs: 0 } : {}), ...(options.restarts !== undefined ? { restartCount: options.restarts } : {}) },
  };
  if (phase !== "Pending") pod.spec.nodeName = "node-a";
  if (options.index !== undefined && options.index >= 0) pod.metadata.annotations = { [jobCompletionIndexAnnotation]: String(options.index) };
  return pod;
}

function podsOf(job: Job, c: Case): Pod[] {
  const pods: Pod[] = [];
  let i = 0;
  const add = (n: number | undefined, phase: PodPhase, options: { ready?: boolean } = {}) => {
    for (let k = 0; k < (n ?? 0); k++) pods.push(podOf(job, i++, phase, options));
  };
  add(c.pendingPods, "Pending");
  add((c.activePods ?? 0) - (c.readyPods ?? 0), "Running");
  add(c.readyPods, "Running", { ready: true });
  add(c.succeededPods, "Succeeded");
  add(c.failedPods, "Failed");
  for (let k = 0; k < (c.terminatingPods ?? 0); k++) {
    const pod = podOf(job, i++, "Running");
    pod.metadata.deletionMs = nowMs - 1000;
    pods.push(pod);
  }
  for (const restarts of c.restartCounts ?? []) pods.push(podOf(job, i++, "Running", { restarts }));
  for (const [index, phase] of c.podsWithIndexes ?? []) pods.push(podOf(job, i++, phase, { index }));
  return pods;
}

function clusterWith(job: Job, pods: readonly Pod[]): ClusterState {
  const state = emptyState();
  evolve(state, { kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: "default", namespace: "", uid: "ns", labels: {}, creationMs: 0 } } }, 0);
  evolve(state, { kind: "ObjectCreated", object: job }, 0);
  for (const pod of pods) evolve(state, { kind: "PodCreated", pod }, 0);
  return state;
}

interface Synced {
  decisions: Decision[];
  creates: Pod[];
  deletes: string[];
  status: JobStatus;
  requeueMs: number[];
  state: JobControllerState;
}

function sync(c: Case): Synced {
  const job = jobOf(c);
  const view = clusterWith(job, podsOf(job, c));
  let state = jobController.initialState();
  if (c.backoff !== undefined) state.backoff.set("default/foobar", c.backoff);
  const prng = new Prng("test");
  const r = jobController.reconcile(view, state, "default/foobar", nowMs, prng);
  state = r.state;
  // Answer every write as the api server would: each create lets the next slow-start batch go.
  const decisions = [...r.decisions];
  const queue = [...r.decisions];
  while (queue.length > 0) {
    const d = queue.shift() as Decision;
    const next = jobController.onResult(view, state, d, { ok: true }, nowMs, prng);
    state = next.state;
    decisions.push(...next.decisions);
    queue.push(...next.decisions);
  }
  const statusWrite = decisions.find((d) => d.kind === "UpdateObjectStatus");
  return {
    decisions,
    creates: decisions.flatMap((d) => (d.kind === "CreatePod" ? [d.pod] : [])),
    deletes: decisions.flatMap((d) => (d.kind === "DeletePod" ? [d.podKey] : [])),
    status: (statusWrite?.kind === "UpdateObjectStatus" ? statusWrite.status : job.status) as JobStatus,
    requeueMs: r.requeue.map((q) => q.afterMs),
    state,
  };
}

const conditionTypes = (s: JobStatus) => s.conditions.filter((c) => c.status === "True").map((c) => `${c.type}${c.reason === "" ? "" : `/${c.reason}`}`);

describe("TestControllerSyncJob cases", () => {
  const cases: [string, Case, { creations?: number; deletions?: number; active: number; ready?: number; succeeded?: number; failed?: number; terminating?: number; conditions?: string[]; completedIndexes?: string; createdIndexes?: number[] }][] = [
    ["job start", { parallelism: 2, completions: 5 }, { creations: 2, active: 2 }],
    ["WQ job start", { parallelism: 2 }, { creations: 2, active: 2 }],
    ["pending pods", { parallelism: 2, completions: 5, pendingPods: 2 }, { active: 2 }],
    ["correct # of pods", { parallelism: 3, completions: 5, activePods: 3, readyPods: 2 }, { active: 3, ready: 2 }],
    ["WQ job: correct # of pods", { parallelism: 2, activePods: 2 }, { active: 2 }],
    ["too few active pods", { parallelism: 2, completions: 5, activePods: 1, succeededPods: 1 }, { creations: 1, active: 2, succeeded: 1 }],
    ["WQ job: recreate pods when failed", { parallelism: 1, activePods: 1, failedPods: 1, terminatingPods: 1, podReplacementPolicy: "Failed" }, { active: 1, failed: 1, terminating: 1 }],
    ["WQ job: recreate pods when terminating or failed", { parallelism: 1, activePods: 1, failedPods: 1, terminatingPods: 1, podReplacementPolicy: "TerminatingOrFailed" }, { active: 1, failed: 2, terminating: 1 }],
    ["more terminating pods than parallelism", { parallelism: 1, completions: 1, activePods: 2, terminatingPods: 4, podReplacementPolicy: "Failed" }, { deletions: 1, active: 1, terminating: 5 }],
    ["too few active pods with a dynamic job", { parallelism: 2, activePods: 1 }, { creations: 1, active: 2 }],
    ["too many active pods", { parallelism: 2, completions: 5, activePods: 3 }, { deletions: 1, active: 2, terminating: 1 }],
    ["failed + succeed pods: reset backoff delay", { parallelism: 2, completions: 5, activePods: 1, succeededPods: 1, failedPods: 1 }, { creations: 1, active: 2, succeeded: 1, failed: 1 }],
    ["new failed pod", { parallelism: 2, completions: 5, activePods: 1, failedPods: 1 }, { creations: 1, active: 2, failed: 1 }],
    ["only new failed pod", { parallelism: 2, completions: 5, failedPods: 1 }, { creations: 2, active: 2, failed: 1 }],
    ["job finish", { parallelism: 2, completions: 5, succeededPods: 5 }, { active: 0, succeeded: 5, conditions: ["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"] }],
    ["WQ job finishing", { parallelism: 2, activePods: 1, succeededPods: 1 }, { active: 1, succeeded: 1 }],
    ["WQ job all finished", { parallelism: 2, succeededPods: 2 }, { active: 0, succeeded: 2, conditions: ["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"] }],
    ["WQ job all finished despite one failure", { parallelism: 2, succeededPods: 1, failedPods: 1 }, { active: 0, succeeded: 1, failed: 1, conditions: ["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"] }],
    ["more active pods than parallelism", { parallelism: 2, completions: 5, activePods: 10 }, { deletions: 8, active: 2, terminating: 8 }],
    ["more active pods than remaining completions", { parallelism: 3, completions: 4, activePods: 3, succeededPods: 2 }, { deletions: 1, active: 2, succeeded: 2, terminating: 1 }],
    ["status change", { parallelism: 2, completions: 5, activePods: 2, succeededPods: 2 }, { active: 2, succeeded: 2 }],
    ["deleting job", { parallelism: 2, completions: 5, deleting: true, pendingPods: 1, activePods: 1, succeededPods: 1 }, { active: 2, succeeded: 1 }],
    ["too many job failures", { parallelism: 2, completions: 5, backoffLimit: 0, failedPods: 1 }, { active: 0, failed: 1, conditions: ["FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded"] }],
    ["indexed job start", { parallelism: 2, completions: 5, indexed: true }, { creations: 2, active: 2, completedIndexes: "", createdIndexes: [0, 1] }],
    ["indexed job with some pods deleted, podReplacementPolicy Failed", { parallelism: 2, completions: 5, indexed: true, terminatingPods: 1, podReplacementPolicy: "Failed" }, { creations: 1, active: 1, terminating: 1, createdIndexes: [0] }],
    ["indexed job with some pods deleted, podReplacementPolicy TerminatingOrFailed", { parallelism: 2, completions: 5, indexed: true, terminatingPods: 1 }, { creations: 2, active: 2, terminating: 1, createdIndexes: [0, 1] }],
    ["indexed job completed", { parallelism: 2, completions: 3, indexed: true, podsWithIndexes: [[0, "Succeeded"], [1, "Failed"], [1, "Succeeded"], [2, "Succeeded"]] }, { active: 0, succeeded: 3, failed: 1, completedIndexes: "0-2", conditions: ["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"] }],
    ["count terminating pods when indexed job fails and PodReplacementPolicy enabled", { parallelism: 2, completions: 3, backoffLimit: 0, indexed: true, podsWithIndexes: [[0, "Succeeded"], [1, "Failed"], [2, "Running"]] }, { deletions: 1, active: 0, succeeded: 1, failed: 2, terminating: 1, completedIndexes: "0", conditions: ["FailureTarget/BackoffLimitExceeded"] }],
    // Upstream's case expects Failed at once with JobPodReplacementPolicy off; the twin runs with it on (upstream's default since 1.29): FailureTarget until the deleted pods are gone.
    ["count ready pods when job fails", { parallelism: 2, completions: 3, backoffLimit: 0, activePods: 2, readyPods: 2, failedPods: 1 }, { deletions: 2, active: 0, failed: 3, terminating: 2, conditions: ["FailureTarget/BackoffLimitExceeded"] }],
    ["indexed job repeated completed index", { parallelism: 2, completions: 3, indexed: true, podsWithIndexes: [[0, "Succeeded"], [1, "Succeeded"], [1, "Succeeded"]] }, { creations: 1, active: 1, succeeded: 2, completedIndexes: "0,1", createdIndexes: [2] }],
    ["indexed job some running and completed pods", {
      parallelism: 8, completions: 20, indexed: true,
      podsWithIndexes: [[0, "Running"], [2, "Succeeded"], [3, "Pending"], [4, "Succeeded"], [5, "Succeeded"], [7, "Succeeded"], [8, "Succeeded"], [9, "Succeeded"]],
    }, { creations: 6, active: 8, succeeded: 6, completedIndexes: "2,4,5,7-9", createdIndexes: [1, 6, 10, 11, 12, 13] }],
    ["indexed job some failed pods", { parallelism: 3, completions: 4, indexed: true, podsWithIndexes: [[0, "Failed"], [1, "Pending"], [2, "Failed"]] }, { creations: 2, active: 3, failed: 2, completedIndexes: "", createdIndexes: [0, 2] }],
    ["suspending a job with satisfied expectations", { parallelism: 2, completions: 4, suspend: true, activePods: 2, succeededPods: 2 }, { deletions: 2, active: 0, succeeded: 2, terminating: 2, conditions: ["Suspended/JobSuspended"] }],
    ["resuming a suspended job", { parallelism: 2, completions: 4, wasSuspended: true, succeededPods: 2 }, { creations: 2, active: 2, succeeded: 2, conditions: [] }],
  ];
  for (const [name, c, want] of cases) {
    test(name, () => {
      const r = sync(c);
      expect(r.creates.length).toBe(want.creations ?? 0);
      expect(r.deletes.length).toBe(want.deletions ?? 0);
      expect(r.status.active).toBe(want.active);
      expect(r.status.ready).toBe(want.ready ?? 0);
      expect(r.status.succeeded).toBe(want.succeeded ?? 0);
      expect(r.status.failed).toBe(want.failed ?? 0);
      expect(r.status.terminating).toBe(want.terminating ?? 0);
      expect(conditionTypes(r.status)).toEqual(want.conditions ?? []);
      if (want.completedIndexes !== undefined) expect(r.status.completedIndexes).toBe(want.completedIndexes);
      if (want.createdIndexes !== undefined) expect(r.creates.map((p) => Number(p.metadata.annotations?.[jobCompletionIndexAnnotation])).sort((a, b) => a - b)).toEqual(want.createdIndexes);
    });
  }

  test("resuming writes the Suspended=False JobResumed condition and restarts the deadline clock", () => {
    const r = sync({ parallelism: 2, completions: 4, wasSuspended: true });
    expect(r.status.conditions).toEqual([{ type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed", lastTransitionMs: nowMs }]);
    expect(r.status.startMs).toBe(nowMs);
  });

  test("too few active pods and active back-off: no pod before the back-off ends, then a requeue for its end", () => {
    const r = sync({ parallelism: 1, completions: 1, backoff: { failuresAfterLastSuccess: 1, lastFailureMs: nowMs } });
    expect(r.creates).toEqual([]);
    expect(r.requeueMs).toEqual([10_000]);
    const later = sync({ parallelism: 1, completions: 1, backoff: { failuresAfterLastSuccess: 3, lastFailureMs: nowMs - 15_000 } });
    expect(later.requeueMs).toEqual([25_000]);
  });
});

describe("TestJobBackoffForOnFailure cases (restartPolicy OnFailure counts restarts)", () => {
  const cases: [string, Case, { active: number; failed: boolean }][] = [
    ["backoffLimit 0 should have 1 pod active", { parallelism: 1, completions: 1, backoffLimit: 0, restartCounts: [0] }, { active: 1, failed: false }],
    ["backoffLimit 1 with restartCount 0 should have 1 pod active", { parallelism: 1, completions: 1, backoffLimit: 1, restartCounts: [0] }, { active: 1, failed: false }],
    ["backoffLimit 1 with restartCount 1 and podRunning should have 0 pod active", { parallelism: 1, completions: 1, backoffLimit: 1, restartCounts: [1] }, { active: 0, failed: true }],
    ["too many job failures with podRunning - multiple pods", { parallelism: 2, completions: 2, backoffLimit: 2, restartCounts: [1, 1] }, { active: 0, failed: true }],
    ["not enough failures", { parallelism: 2, completions: 2, backoffLimit: 3, restartCounts: [1, 1] }, { active: 2, failed: false }],
  ];
  for (const [name, c, want] of cases) {
    test(name, () => {
      const r = sync({ ...c, restartPolicy: "OnFailure" });
      expect(r.status.active).toBe(want.active);
      expect(conditionTypes(r.status).includes("FailureTarget/BackoffLimitExceeded")).toBe(want.failed);
      // The active pods of a failed Job are deleted; it is Failed once they are gone.
      if (want.failed) expect(r.deletes.length).toBe(c.restartCounts?.length);
    });
  }
});

describe("what a sync writes", () => {
  test("pods of an Indexed Job carry the index as annotation and label, hostname <job>-<index>, names <job>-<index>-<suffix>, owned by the Job", () => {
    const r = sync({ parallelism: 2, completions: 5, indexed: true });
    const pod = r.creates.find((p) => p.metadata.annotations?.[jobCompletionIndexAnnotation] === "1") as Pod;
    expect(pod.metadata.labels[jobCompletionIndexAnnotation]).toBe("1");
    expect(pod.spec.hostname).toBe("foobar-1");
    expect(pod.metadata.name).toMatch(/^foobar-1-[a-z0-9]{5}$/);
    expect(pod.metadata.labels["batch.kubernetes.io/job-name"]).toBe("foobar");
    expect(pod.metadata.ownerReferences).toEqual([{ kind: "Job", name: "foobar", uid: "job-uid", controller: true, blockOwnerDeletion: true }]);
  });

  test("creates go out in slow-start batches 1, 2, 4, …", () => {
    const job = jobOf({ parallelism: 7, completions: 10 });
    const view = clusterWith(job, []);
    const prng = new Prng("t");
    let r = jobController.reconcile(view, jobController.initialState(), "default/foobar", nowMs, prng);
    const sizes = [r.decisions.filter((d) => d.kind === "CreatePod").length];
    let pending = r.decisions;
    let state = r.state;
    while (pending.length > 0) {
      const next: Decision[] = [];
      for (const d of pending) {
        r = jobController.onResult(view, state, d, { ok: true }, nowMs, prng);
        state = r.state;
        next.push(...r.decisions);
      }
      if (next.length > 0) sizes.push(next.length);
      pending = next;
    }
    expect(sizes).toEqual([1, 2, 4]);
  });

  test("a counted pod is not counted again: the next sync on the same pods writes nothing", () => {
    const job = jobOf({ parallelism: 2, completions: 5 });
    const pods = podsOf(job, { parallelism: 2, succeededPods: 1, activePods: 1 });
    const view = clusterWith(job, pods);
    const prng = new Prng("t");
    let r = jobController.reconcile(view, jobController.initialState(), "default/foobar", nowMs, prng);
    const write = r.decisions.find((d) => d.kind === "UpdateObjectStatus");
    expect(write).toBeDefined();
    let state = r.state;
    for (const d of r.decisions) state = jobController.onResult(view, state, d, { ok: true }, nowMs, prng).state;
    if (write?.kind === "UpdateObjectStatus") evolve(view, { kind: "ObjectStatusChanged", objectKind: "Job", key: "default/foobar", status: write.status }, nowMs);
    // The replacement pod the first sync created is there now.
    const created = r.decisions.find((d) => d.kind === "CreatePod");
    if (created?.kind === "CreatePod") evolve(view, { kind: "PodCreated", pod: { ...created.pod, metadata: { ...created.pod.metadata, uid: "new" } } }, nowMs);
    state = jobController.observe(view, state, { kind: "PodCreated", pod: created?.kind === "CreatePod" ? created.pod : (pods[0] as Pod) }).state;
    r = jobController.reconcile(view, state, "default/foobar", nowMs + 1000, prng);
    expect(r.decisions).toEqual([]);
    expect(storedStatus(view).succeeded).toBe(1);
  });

  test("activeDeadlineSeconds: a requeue for the deadline, then DeadlineExceeded with upstream's message and the active pods deleted", () => {
    const early = sync({ parallelism: 1, completions: 1, activePods: 1, initialStatus: { startMs: nowMs - 30_000 } , ...{} });
    expect(early.requeueMs).toEqual([]);
    const job = jobOf({ parallelism: 1, completions: 1 });
    job.spec.activeDeadlineSeconds = 60;
    job.status.startMs = nowMs - 30_000;
    const view = clusterWith(job, [podOf(job, 0, "Running")]);
    const r = jobController.reconcile(view, jobController.initialState(), "default/foobar", nowMs, new Prng("t"));
    expect(r.requeue).toEqual([{ key: "default/foobar", afterMs: 30_000 }]);
    const past = jobController.reconcile(view, jobController.initialState(), "default/foobar", nowMs + 30_000, new Prng("t"));
    const status = past.decisions.find((d) => d.kind === "UpdateObjectStatus");
    expect(status?.kind === "UpdateObjectStatus" && (status.status as JobStatus).conditions).toEqual([
      { type: "FailureTarget", status: "True", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", lastTransitionMs: nowMs + 30_000 },
    ]);
    expect(past.decisions.filter((d) => d.kind === "DeletePod").map((d) => d.kind === "DeletePod" && d.podKey)).toEqual(["default/foobar-0"]);
  });
});

function storedStatus(view: ClusterState): JobStatus {
  return (view.objects.get("Job")?.get("default/foobar") as Job).status;
}
