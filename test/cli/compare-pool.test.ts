/** compare's worker pool: workers get resolved runs (never the file), batches, and the same results as in-process runs. */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { batchSize, WorkerPool } from "../../src/cli/compare/pool.ts";
import { executeRun } from "../../src/cli/execute-run.ts";
import { loadPlan, resolveRun } from "../../src/cli/load-plan.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("compare worker pool", () => {
  test("batches: about four per worker, never empty", () => {
    expect(batchSize(40, 2)).toBe(5);
    expect(batchSize(40, 1)).toBe(10);
    expect(batchSize(3, 8)).toBe(1);
    expect(batchSize(1, 1)).toBe(1);
  });

  test("workers run the resolved plans they were given: the scenario file may be gone; results equal in-process runs", async () => {
    const file = join(dir, "binpack.yaml");
    copyFileSync("scenarios/binpack-vs-spread.yaml", file);
    const plan = loadPlan(file);
    const runs = { baseline: resolveRun(plan, file, "baseline"), binpack: resolveRun(plan, file, "binpack") };
    expect(structuredClone(runs)).toEqual(runs);
    rmSync(file); // a worker that loaded the file again would fail now
    const jobs = [1, 2, 3].flatMap((seed) => (["baseline", "binpack"] as const).map((variant) => ({ variant, seed })));
    const pool = new WorkerPool(2);
    let reported = 0;
    const { outcomes, failures } = await pool.run({ runs, dbPath: null }, jobs, (n) => (reported = n));
    expect(failures).toEqual([]);
    expect(reported).toBe(jobs.length);
    const byKey = new Map(outcomes.map((o) => [`${o.variant}@${o.seed}`, o.fingerprint]));
    for (const job of jobs) {
      const local = executeRun({ run: runs[job.variant], seed: job.seed });
      expect(byKey.get(`${job.variant}@${job.seed}`)).toBe(local.summary.fingerprint);
    }
  });
});
