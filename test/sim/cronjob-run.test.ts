/**
 * CronJobs in a run, in virtual time (the run starts at 1970-01-01T00:00:00Z): Jobs named after
 * their scheduled minute, concurrencyPolicy Allow / Forbid / Replace, history limits (their pods
 * collected after them), lastScheduleTime / lastSuccessfulTime, suspend.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { CronJob } from "../../src/model/cron-job.ts";
import type { Job } from "../../src/model/job.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "../scenario/helpers.ts";

function run(cronSpec: string, workSeconds: number, duration: string) {
  const text = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: cron}
spec:
  duration: ${duration}
  seed: 1
  cluster:
    nodePools:
      - {name: general, count: 2, zones: [zone-a], allocatable: {cpu: 4, memory: 8Gi, pods: 110}}
  containerBehavior:
    - {match: {selector: {app: report}}, exit: {after: ${workSeconds}s, exitCode: 0}}
  workloads:
    - manifest:
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "*/5 * * * *"
${cronSpec}
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: report}}
                spec: {restartPolicy: Never, containers: [{name: r, image: "report:1", resources: {requests: {cpu: 100m}}}]}
`;
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const r = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
  const creates = sink.records.filter((x) => x.kind === "ObjectCreated" && x.subject.startsWith("job/default/report-"));
  const created = creates.map((x) => x.subject.slice("job/default/".length));
  const createdAtMs = new Map(creates.map((x) => [x.subject.slice("job/default/".length), x.atMs]));
  const deleted = sink.records.filter((x) => x.kind === "ObjectDeleted" && x.subject.startsWith("job/default/report-")).map((x) => x.subject.slice("job/default/".length));
  const jobs = [...((r.state.objects.get("Job") ?? new Map()) as Map<string, Job>).values()];
  const cronJob = (r.state.objects.get("CronJob")?.get("default/report") as CronJob | undefined)?.status;
  const pods = [...r.state.pods.values()].filter((p) => p.metadata.labels.app === "report");
  return { created, createdAtMs, deleted, jobs, cronJob, pods };
}

const minute = (m: number) => `report-${m}`;

describe("CronJobs in a run", () => {
  test("Allow, every 5 min, 1-min Jobs: one Job per scheduled minute; 3 successful kept, the older deleted with their pods", () => {
    const r = run("", 60, "33m");
    expect(r.created).toEqual([5, 10, 15, 20, 25, 30].map(minute));
    expect(r.deleted).toEqual([5, 10, 15].map(minute));
    expect(r.jobs.map((j) => j.metadata.name).sort()).toEqual([20, 25, 30].map(minute));
    expect(r.pods.map((p) => p.metadata.labels["batch.kubernetes.io/job-name"]).sort()).toEqual([20, 25, 30].map(minute));
    expect(r.cronJob?.active).toEqual([]);
    expect(r.cronJob?.lastScheduleMs).toBe(30 * 60_000);
    const last = r.jobs.find((j) => j.metadata.name === minute(30));
    expect(r.cronJob?.lastSuccessfulMs).toBe(last?.status.completionMs);
    expect(last?.metadata.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe("1970-01-01T00:30:00Z");
  });

  test("Forbid with 7-min Jobs and a 60 s starting deadline: a scheduled time while one is active is skipped", () => {
    const r = run("          concurrencyPolicy: Forbid\n          startingDeadlineSeconds: 60", 7 * 60, "31m");
    expect(r.created).toEqual([5, 15, 25].map(minute));
    expect(r.cronJob?.active.map((a) => a.name)).toEqual([minute(25)]);
  });

  test("Forbid without a starting deadline: the missed time runs late, once the active Job is done (as upstream's syncCronJob does)", () => {
    const r = run("          concurrencyPolicy: Forbid", 7 * 60, "31m");
    // 10:00 waits for report-5 (done ~12:05); 20:00 is overtaken by 25:00 before report-15 is done.
    expect(r.created).toEqual([5, 10, 15, 25].map(minute));
    expect(r.createdAtMs.get(minute(10))).toBeGreaterThan(12 * 60_000);
    expect(r.createdAtMs.get(minute(25))).toBeGreaterThan(26 * 60_000);
  });

  test("Allow with 7-min Jobs: they overlap", () => {
    const r = run("", 7 * 60, "31m");
    expect(r.created).toEqual([5, 10, 15, 20, 25, 30].map(minute));
    expect(r.cronJob?.active.map((a) => a.name).sort()).toEqual([25, 30].map(minute));
  });

  test("Replace with 7-min Jobs: the running Job is deleted for the new one, none ever completes", () => {
    const r = run("          concurrencyPolicy: Replace", 7 * 60, "31m");
    expect(r.created).toEqual([5, 10, 15, 20, 25, 30].map(minute));
    expect(r.deleted).toEqual([5, 10, 15, 20, 25].map(minute));
    expect(r.cronJob?.active.map((a) => a.name)).toEqual([minute(30)]);
    expect(r.cronJob?.lastSuccessfulMs).toBeUndefined();
  });

  test("suspend: no Jobs", () => {
    expect(run("          suspend: true", 60, "20m").created).toEqual([]);
  });
});
