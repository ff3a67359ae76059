/**
 * Issue 11: `compare` failing in one worker, or interrupted: the finished runs stay in the log
 * (done, readable), the comparison is stored marked incomplete (and `report --comparison` refuses
 * it unless --allow-incomplete), and the message names the variant and seed that failed with the
 * real cause. (A full disk in a worker: test/cli/disk.test.ts.)
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { exitBadInput, exitInterrupted, exitInvariantBroken, exitOk } from "../../src/cli/exit-codes.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { repoRoot, runKubetwin, stackFrame } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-compare-failure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `many` runs 40 pods where baseline runs 2: more engine steps, so a tight events limit stops only it. */
const scenario = (duration: string) => `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: cmp }
spec:
  duration: ${duration}
  cluster:
    nodePools:
      - { name: pool, count: 2, zones: [z1], allocatable: { cpu: "8", memory: 16Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: default }
        spec:
          replicas: 2
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 100m } } } ] }
  variants:
    many:
      workloads:
        patch:
          - target: { kind: Deployment, name: web }
            merge: { spec: { replicas: 40 } }
`;
const short = join(dir, "short.yaml");
writeFileSync(short, scenario("5m"));
const long = join(dir, "long.yaml");
writeFileSync(long, scenario("100h"));

interface Stored {
  runs: { id: number; variant: string; seed: number; status: string; error: string | null }[];
  comparisons: { id: number; status: string; result: string }[];
}

function stored(db: string): Stored {
  const sql = new Database(db, { readonly: true });
  const runs = sql.prepare("SELECT id, variant, seed, status, error FROM runs ORDER BY id").all() as Stored["runs"];
  const comparisons = sql.prepare("SELECT id, status, result FROM comparisons ORDER BY id").all() as Stored["comparisons"];
  sql.close();
  return { runs, comparisons };
}

describe("compare with a failing worker", () => {
  test("a variant whose run breaks an invariant: exit 3 naming variant, seed and cause; finished runs kept; comparison incomplete", () => {
    const db = join(dir, "invariant.db");
    // one worker: jobs run in order (seed 1 baseline, seed 1 many, …), so the failing job is known
    const r = runKubetwin(["compare", short, "--variants", "baseline,many", "--seeds", "1..2", "--workers", "1", "--limit", "events=2000", "--db", db]);
    expect(r.code, r.stderr).toBe(exitInvariantBroken);
    expect(stackFrame.test(r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/^kubetwin: INVARIANT BROKEN: runaway run: reached stepsMax \(2000 engine steps\)/);
    expect(r.stderr).toContain("  seed 1, variant many, virtual time ");
    expect(r.stderr).toMatch(/logged: run 2 in \S+invariant\.db marked failed, \d+ records kept; compare: 1 of 4 runs finished \(kept in \S+invariant\.db\); comparison 1 stored as incomplete\n/);
    expect(r.stderr).toContain(`reproduce with: npx kubetwin run ${short} --seed 1 --variant many --limit events=2000`);

    const { runs, comparisons } = stored(db);
    expect(runs.map((x) => [x.variant, x.seed, x.status])).toEqual([["baseline", 1, "done"], ["many", 1, "failed"]]);
    expect(runs[1]?.error).toMatch(/^invariant broken: runaway run/);
    expect(comparisons.map((c) => c.status)).toEqual(["incomplete"]);
    const result = JSON.parse(comparisons[0]?.result ?? "{}") as { incomplete: { reason: string; failed: { variant: string; seed: number; error: string }[]; runsFinished: { variant: string; seed: number; runId: number }[] } };
    expect(result.incomplete.reason).toMatch(/^variant many seed 1: runaway run: reached stepsMax/);
    expect(result.incomplete.failed).toEqual([{ variant: "many", seed: 1, error: expect.stringMatching(/^runaway run/) }]);
    expect(result.incomplete.runsFinished).toMatchObject([{ variant: "baseline", seed: 1, runId: 1 }]);

    // the finished run reads as any other; the incomplete comparison is refused unless asked for
    expect(runKubetwin(["digest", db, "--run", "1"]).code).toBe(exitOk);
    const out = join(dir, "invariant.html");
    const report = runKubetwin(["report", db, "--comparison", "1", "--out", out]);
    expect(report.code).toBe(exitBadInput);
    expect(report.stderr).toMatch(/comparison 1 is incomplete \(variant many seed 1: runaway run: reached stepsMax/);
    expect(existsSync(out)).toBe(false);
  });

  test("interrupted (SIGINT) mid-compare: exit 130; the runs that finished stay done, the ones running are marked interrupted, the comparison incomplete", async () => {
    const db = join(dir, "interrupted.db");
    const child = spawn(process.execPath, [join(repoRoot, "src/cli/main.ts"), "compare", long, "--variants", "baseline,many", "--seeds", "1..4", "--workers", "2", "--db", db], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, KUBETWIN_DEBUG: "" },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // wait until one run is done and another is running, so the signal lands mid-compare
    for (let i = 0; i < 600; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (!existsSync(db)) continue;
      const log = SqliteLog.openReadOnly(db);
      const statuses = log.runs().map((x) => x.status);
      log.close();
      if (statuses.includes("done") && statuses.includes("running")) break;
    }
    child.kill("SIGINT");
    const code = await exited;
    expect(code, stderr).toBe(exitInterrupted.SIGINT);
    const finished = Number(/compare: (\d+) of 8 runs finished/.exec(stderr)?.[1]);
    expect(stderr).toMatch(/^kubetwin: interrupted \(SIGINT\): compare: \d+ of 8 runs finished \(kept in \S+interrupted\.db\); comparison 1 stored as incomplete\n$/);
    const { runs, comparisons } = stored(db);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(runs.filter((x) => x.status === "done")).toHaveLength(finished);
    expect(runs.filter((x) => x.status === "interrupted").length).toBeGreaterThanOrEqual(1);
    expect(runs.every((x) => x.status === "done" || x.status === "interrupted"), JSON.stringify(runs)).toBe(true);
    expect(comparisons.map((c) => c.status)).toEqual(["incomplete"]);
    const result = JSON.parse(comparisons[0]?.result ?? "{}") as { incomplete: { reason: string; runsFinished: unknown[] } };
    expect(result.incomplete.reason).toMatch(/^interrupted by SIGINT( \(variant (baseline|many) seed [1-4] stopped at \S+ of 100h virtual time; .*\))?$/);
    expect(result.incomplete.runsFinished).toHaveLength(finished);
  });
});
