/**
 * The bundled batch-jobs scenario: a 5-minute CronJob, an Indexed import Job that ignores
 * disruptions, an always-failing export Job, and a node loss; the numbers its header states.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import type { Job } from "../../src/model/job.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { formatDurationMs } from "../../src/model/units.ts";

const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/batch-jobs.yaml"));
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant: "baseline", sink });
const log = sink.records.map((r) => ({ atMs: r.atMs, kind: r.kind, subject: r.subject, event: JSON.parse(r.payload) as ClusterEvent }));
const jobStatus = (key: string) => (result.state.objects.get("Job")?.get(key) as Job | undefined)?.status;
/** When a Job's status first showed a condition of this type. */
function conditionAtMs(key: string, type: string): number | undefined {
  for (const e of log) {
    if (e.event.kind === "ObjectStatusChanged" && e.event.key === key && (e.event.status as Job["status"]).conditions.some((c) => c.type === type && c.status === "True")) return e.atMs;
  }
  return undefined;
}

describe("batch-jobs", () => {
  test("general-1 ran import shard 3: evicted at 15m55s, replaced only once the node is back (25m1s)", () => {
    const bound = new Set(log.flatMap((e) => (e.event.kind === "PodBound" && e.event.nodeName === "general-1" ? [e.event.key] : [])));
    const lost = log.filter((e) => e.event.kind === "PodDeleting" && e.event.reason === "DeletionByTaintManager");
    expect(lost.map((e) => (e.event as { key: string }).key.replace(/-[a-z0-9]{5}$/, ""))).toEqual(["default/import-3"]);
    expect(bound.has((lost[0]?.event as { key: string }).key)).toBe(true);
    expect(formatDurationMs(lost[0]?.atMs ?? 0)).toBe("15m55s1ms");
    const replacements = log.filter((e) => e.event.kind === "PodCreated" && e.subject.startsWith("pod/default/import-3-"));
    expect(replacements).toHaveLength(2);
    expect(replacements[1]?.atMs).toBeGreaterThan(25 * 60_000);
    expect(replacements[1]?.atMs).toBeLessThan(25 * 60_000 + 2_000);
  });

  test("import completes at 33m3s, every shard succeeded, none counted failed", () => {
    expect(jobStatus("default/import")).toMatchObject({ succeeded: 6, failed: 0, completedIndexes: "0-5" });
    expect(formatDurationMs(conditionAtMs("default/import", "Complete") ?? 0).startsWith("33m3s")).toBe(true);
  });

  test("export fails with BackoffLimitExceeded at 1m43s after 3 failed pods", () => {
    expect(jobStatus("default/export")).toMatchObject({ succeeded: 0, failed: 3 });
    expect(jobStatus("default/export")?.conditions.find((c) => c.type === "Failed")?.reason).toBe("BackoffLimitExceeded");
    expect(formatDurationMs(conditionAtMs("default/export", "Failed") ?? 0).startsWith("1m43s")).toBe(true);
  });

  test("report runs 9 times, all succeed; the last 3 Jobs are kept, the older 6 and their pods deleted", () => {
    const created = log.filter((e) => e.kind === "ObjectCreated" && e.subject.startsWith("job/default/report-")).map((e) => e.subject.slice("job/default/".length));
    expect(created).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45].map((m) => `report-${m}`));
    const kept = [...(result.state.objects.get("Job")?.keys() ?? [])].filter((k) => k.startsWith("default/report-")).sort();
    expect(kept).toEqual(["default/report-35", "default/report-40", "default/report-45"]);
    const reportPods = [...result.state.pods.values()].filter((p) => p.metadata.labels.app === "report").map((p) => p.metadata.labels["batch.kubernetes.io/job-name"]).sort();
    expect(reportPods).toEqual(["report-35", "report-40", "report-45"]);
  });

  test("the summary's Jobs table and the expectations", () => {
    expect(result.summary.jobs).toEqual([
      { owner: "cronjob/default/report", jobs: 9, succeeded: 9, failed: 0, failedReasons: [], activeAtEnd: 0, podsSucceeded: 9, podsFailed: 0 },
      { owner: "job/default/export", jobs: 1, succeeded: 0, failed: 1, failedReasons: [{ reason: "BackoffLimitExceeded", jobs: 1 }], activeAtEnd: 0, podsSucceeded: 0, podsFailed: 3 },
      { owner: "job/default/import", jobs: 1, succeeded: 1, failed: 0, failedReasons: [], activeAtEnd: 0, podsSucceeded: 6, podsFailed: 0 },
    ]);
    expect(result.summary.expectations.every((e) => e.passed)).toBe(true);
  });
});
