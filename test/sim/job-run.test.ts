/**
 * Jobs in a run: containers that exit drive pods to Succeeded/Failed under restartPolicy Never as
 * the kubelet does, the Job controller counts them, backs off after failures, gives up at the
 * backoffLimit, an Indexed Job completes every index, and ttlSecondsAfterFinished deletes a
 * finished Job — its pods going after it through the garbage collector.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { Job } from "../../src/model/job.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "../scenario/helpers.ts";

const container = '{containers: [{name: w, image: "w:1", resources: {requests: {cpu: 100m}}}]}';

function job(name: string, spec: string, app: string, restartPolicy = "Never"): string {
  return `    - manifest:
        apiVersion: batch/v1
        kind: Job
        metadata: {name: ${name}}
        spec:
${spec}
          template:
            metadata: {labels: {app: ${app}}}
            spec: {restartPolicy: ${restartPolicy}, ${container.slice(1, -1)}}
`;
}

function run(workloads: string, behaviors: string, duration = "10m") {
  const text = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: jobs}
spec:
  duration: ${duration}
  seed: 1
  cluster:
    nodePools:
      - {name: general, count: 2, zones: [zone-a], allocatable: {cpu: 4, memory: 8Gi, pods: 110}}
  containerBehavior:
${behaviors}
  workloads:
${workloads}`;
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const r = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
  const jobs = (r.state.objects.get("Job") ?? new Map()) as Map<string, Job>;
  const pods = (app: string) => [...r.state.pods.values()].filter((p) => p.metadata.labels.app === app);
  return { r, jobs, pods, records: sink.records };
}

describe("Jobs in a run", () => {
  test("5 completions, 2 at a time: Complete with 5 succeeded pods, never more than 2 running at once", () => {
    const { jobs, pods } = run(job("batch", "          completions: 5\n          parallelism: 2", "batch"), "    - {match: {selector: {app: batch}}, exit: {after: 20s, exitCode: 0}}");
    const status = jobs.get("default/batch")?.status;
    expect(status).toMatchObject({ succeeded: 5, failed: 0, active: 0 });
    expect(status?.conditions.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
    const done = pods("batch");
    expect(done.map((p) => p.status.phase)).toEqual(Array(5).fill("Succeeded"));
    // At most parallelism pods overlap: sweep start/finish times.
    const edges = done.flatMap((p) => [[p.metadata.creationMs, 1], [p.status.finishedMs ?? Infinity, -1]] as [number, number][]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, d] of edges) most = Math.max(most, (running += d));
    expect(most).toBe(2);
    expect(status?.completionMs).toBeGreaterThanOrEqual(Math.max(...done.map((p) => p.status.finishedMs ?? 0)));
  });

  test("a pod that always fails: replaced after 10 s, 20 s of back-off, then Failed with BackoffLimitExceeded after backoffLimit + 1 failures", () => {
    const { jobs, pods } = run(job("flaky", "          backoffLimit: 2", "flaky"), "    - {match: {selector: {app: flaky}}, exit: {after: 5s, exitCode: 1}}");
    const status = jobs.get("default/flaky")?.status;
    expect(status).toMatchObject({ succeeded: 0, failed: 3, active: 0 });
    expect(status?.conditions.find((c) => c.type === "Failed")).toMatchObject({ status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" });
    const byCreation = pods("flaky").sort((a, b) => a.metadata.creationMs - b.metadata.creationMs);
    expect(byCreation).toHaveLength(3);
    const gaps = byCreation.slice(1).map((p, i) => p.metadata.creationMs - (byCreation[i]?.status.finishedMs ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(10_000);
    expect(gaps[0]).toBeLessThan(12_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(20_000);
    expect(gaps[1]).toBeLessThan(22_000);
  });

  test("OnFailure: the kubelet restarts the container in place; restarts reaching backoffLimit fail the Job", () => {
    const { jobs, pods } = run(job("retry", "          backoffLimit: 2", "retry", "OnFailure"), "    - {match: {selector: {app: retry}}, exit: {after: 5s, exitCode: 1}}");
    expect(jobs.get("default/retry")?.status.conditions.find((c) => c.type === "Failed")?.reason).toBe("BackoffLimitExceeded");
    expect(pods("retry")).toHaveLength(0); // the failing Job deleted its running pod
  });

  test("Indexed: every index completes once, pods named <job>-<index>-<suffix> with hostname <job>-<index>", () => {
    const { jobs, pods } = run(job("shards", "          completions: 4\n          parallelism: 2\n          completionMode: Indexed", "shards"), "    - {match: {selector: {app: shards}}, exit: {after: 10s, exitCode: 0}}");
    expect(jobs.get("default/shards")?.status).toMatchObject({ succeeded: 4, completedIndexes: "0-3" });
    const hosts = pods("shards").map((p) => p.spec.hostname).sort();
    expect(hosts).toEqual(["shards-0", "shards-1", "shards-2", "shards-3"]);
    for (const p of pods("shards")) expect(p.metadata.name.startsWith(`${p.spec.hostname}-`)).toBe(true);
  });

  test("podFailurePolicy FailJob on exit code 42: Failed at the first such exit with upstream's message", () => {
    const spec = "          backoffLimit: 6\n          podFailurePolicy:\n            rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]";
    const { jobs } = run(job("fatal", spec, "fatal"), "    - {match: {selector: {app: fatal}}, exit: {after: 5s, exitCode: 42}}");
    const failed = jobs.get("default/fatal")?.status.conditions.find((c) => c.type === "Failed");
    expect(failed?.reason).toBe("PodFailurePolicy");
    expect(failed?.message).toMatch(/^Container w for pod default\/fatal-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/);
    expect(jobs.get("default/fatal")?.status.failed).toBe(1);
  });

  test("ttlSecondsAfterFinished: the Job is deleted that long after it finished, and its pods with it", () => {
    const { jobs, pods, records } = run(job("once", "          ttlSecondsAfterFinished: 60", "once"), "    - {match: {selector: {app: once}}, exit: {after: 20s, exitCode: 0}}");
    expect(jobs.has("default/once")).toBe(false);
    expect(pods("once")).toHaveLength(0);
    const complete = records.find((r) => r.kind === "ObjectStatusChanged" && r.subject === "job/default/once" && r.payload.includes('"Complete"'));
    const deleted = records.find((r) => r.kind === "ObjectDeleted" && r.subject === "job/default/once");
    const podGone = records.find((r) => r.kind === "PodRemoved" && r.subject.startsWith("pod/default/once-"));
    expect(complete && deleted && podGone).toBeTruthy();
    // Deleted 60 s after it finished (plus the controller's delay), the pod right after.
    expect((deleted?.atMs ?? 0) - (complete?.atMs ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect((deleted?.atMs ?? 0) - (complete?.atMs ?? 0)).toBeLessThan(62_000);
    expect(podGone?.atMs).toBeGreaterThan(deleted?.atMs ?? Infinity);
  });
});

describe("backoffLimitPerIndex", () => {
  const spec = (extra = "") => `          completions: 3\n          parallelism: 3\n          completionMode: Indexed\n          backoffLimitPerIndex: 1${extra}`;
  const behaviors = `    - {match: {selector: {app: shards, batch.kubernetes.io/job-completion-index: "1"}}, exit: {after: 5s, exitCode: 1}}
    - {match: {selector: {app: shards}}, exit: {after: 60s, exitCode: 0}}`;

  test("index 1 fails twice (its retry carries job-index-failure-count 1): the other indexes finish, then Failed with FailedIndexes", () => {
    const { jobs, pods } = run(job("shards", spec(), "shards"), behaviors);
    const status = jobs.get("default/shards")?.status;
    expect(status).toMatchObject({ succeeded: 2, failed: 2, completedIndexes: "0,2", failedIndexes: "1" });
    expect(status?.conditions.find((c) => c.type === "Failed")).toMatchObject({ reason: "FailedIndexes", message: "Job has failed indexes" });
    const shard1 = pods("shards").filter((p) => p.spec.hostname === "shards-1").sort((a, b) => a.metadata.creationMs - b.metadata.creationMs);
    expect(shard1.map((p) => p.metadata.annotations?.["batch.kubernetes.io/job-index-failure-count"])).toEqual(["0", "1"]);
    // The retry waited the per-index back-off (10 s) after the first failure.
    expect((shard1[1]?.metadata.creationMs ?? 0) - (shard1[0]?.status.finishedMs ?? 0)).toBeGreaterThanOrEqual(10_000);
  });

  test("maxFailedIndexes 0: the first failed index fails the Job at once (MaxFailedIndexesExceeded), its running pods deleted", () => {
    const { jobs, pods } = run(job("shards", spec("\n          maxFailedIndexes: 0"), "shards"), behaviors);
    const status = jobs.get("default/shards")?.status;
    expect(status?.conditions.find((c) => c.type === "Failed")).toMatchObject({ reason: "MaxFailedIndexesExceeded", message: "Job has exceeded the specified maximal number of failed indexes" });
    expect(status?.succeeded).toBe(0);
    expect(pods("shards").filter((p) => p.status.phase === "Succeeded")).toEqual([]);
  });
});
