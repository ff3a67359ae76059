/**
 * Issue 11, "runs that did not finish say so": the status a run's row ends with (done, failed,
 * interrupted, and incomplete when its writer vanished), seen through the real command.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { repoRoot, runKubetwin, stackFrame } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-status-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The quickstart over 500 h of virtual time: runs for many seconds, so a signal lands mid-run. */
const long = join(dir, "long.yaml");
writeFileSync(
  long,
  readFileSync(join(repoRoot, "scenarios/quickstart.yaml"), "utf8")
    .replace("duration: 1h", "duration: 500h")
    .replaceAll("file: manifests/", `file: ${join(repoRoot, "scenarios/manifests")}/`),
);

/** Four pods of 500m on one 1-CPU node: two stay Pending, so "all-ready" fails (exit 1). */
const failing = join(dir, "failing.yaml");
writeFileSync(
  failing,
  `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: tiny }
spec:
  duration: 5m
  cluster:
    nodePools:
      - { name: tiny, count: 1, zones: [z1], allocatable: { cpu: "1", memory: 1Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: big, namespace: default }
        spec:
          replicas: 4
          selector: { matchLabels: { app: big } }
          template:
            metadata: { labels: { app: big } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 500m } } } ] }
  expectations:
    - { name: all-ready, converged: { workload: "*" } }
`,
);

interface RunRow {
  id: number;
  status: string;
  eventCount: number;
  error?: string | null;
  records: number;
}

function rows(db: string): RunRow[] {
  const log = SqliteLog.openReadOnly(db);
  try {
    return log.runs().map((r) => ({ id: r.id, status: r.status, eventCount: r.eventCount, error: r.error, records: [...log.records(r.id)].length }));
  } finally {
    log.close();
  }
}

/** Starts the long run, waits until its row holds records, sends `signal`, and returns how it ended. */
async function runUntilSignal(db: string, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, [join(repoRoot, "src/cli/main.ts"), "run", long, "--allow-outside-paths", "--db", db, "--no-progress", "--seed", "1"], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, KUBETWIN_DEBUG: "" },
  });
  let stderr = "";
  child.stdout.resume();
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
  let recorded = false;
  while (!recorded) {
    await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(db)) continue;
    try {
      const log = SqliteLog.openReadOnly(db);
      const run = log.runs().at(-1);
      recorded = run !== undefined && run.recordedStatus === "running" && [...log.records(run.id)].length > 1000;
      log.close();
    } catch {
      // the writer is still creating the schema
    }
  }
  child.kill(signal);
  const end = await exited;
  return { ...end, stderr };
}

describe("a run's status", () => {
  test("a finished run is done, with its true event count", () => {
    const db = join(dir, "done.db");
    const r = runKubetwin(["run", "scenarios/quickstart.yaml", "--db", db, "--seed", "1", "--no-progress"]);
    expect(r.code, r.stderr).toBe(0);
    const [row] = rows(db);
    expect(row!.status).toBe("done");
    expect(row!.eventCount).toBe(row!.records);
    expect(row!.records).toBeGreaterThan(0);
  });

  // A failed expectation is a run that reached its end (its outcome says which expectation failed):
  // `done`, readable without --allow-incomplete. A broken invariant is `failed` (exit-codes-cli.test.ts).
  test("an expectation failure finishes the run: done, its true event count, readable as is", () => {
    const db = join(dir, "expectation.db");
    const r = runKubetwin(["run", failing, "--db", db, "--seed", "5"]);
    expect(r.code).toBe(1);
    const [row] = rows(db);
    expect(row!.status).toBe("done");
    expect(row!.eventCount).toBe(row!.records);
    expect(runKubetwin(["digest", db]).code).toBe(0);
  });

  test("an internal error (a bug) at the end of a logged run: failed, with its error and its true event count", () => {
    const db = join(dir, "bug.db");
    const r = runKubetwin(["run", failing, "--db", db, "--seed", "5"], { nodeArgs: ["--import", "./test/fixtures/cli/inject-bug.ts"] });
    expect(r.code).toBe(4);
    expect(stackFrame.test(r.stderr)).toBe(false);
    const [row] = rows(db);
    expect(row!.status).toBe("failed");
    expect(row!.error).toMatch(/^internal error: TypeError: injected bug: summarize is broken/);
    expect(row!.records).toBeGreaterThan(0);
    expect(row!.eventCount).toBe(row!.records);
    expect(r.stderr).toContain(`logged: run 1 in ${db} marked failed, ${row!.records} records kept`);
  });

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`${signal} mid-run: exit ${code}, row interrupted, records flushed to an event boundary`, async () => {
      const db = join(dir, `${signal}.db`);
      const r = await runUntilSignal(db, signal);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`^kubetwin: interrupted \\(${signal}\\): stopped at .+; run 1 in .+ marked interrupted, \\d+ records kept\\n$`));
      const [row] = rows(db);
      expect(row!.status).toBe("interrupted");
      expect(row!.error).toMatch(new RegExp(`interrupted by ${signal}`));
      expect(row!.eventCount).toBe(row!.records);
      expect(r.stderr).toContain(`${row!.records} records kept`);
      // flushed whole: what it logged checks out against the fingerprint chain
      const digest = runKubetwin(["digest", db, "--run", "1", "--allow-incomplete"]);
      expect(digest.code, digest.stderr).toBe(0);
      expect(digest.stderr).toMatch(/run 1 is interrupted.*reading it anyway \(--allow-incomplete\)/);
    });
  }

  test("kill -9 mid-run: readers report incomplete, refuse it (exit 2) unless --allow-incomplete, and pick the latest complete run", async () => {
    const db = join(dir, "killed.db");
    expect(runKubetwin(["run", "scenarios/quickstart.yaml", "--db", db, "--seed", "2", "--no-progress"]).code).toBe(0);
    const r = await runUntilSignal(db, "SIGKILL");
    expect(r.signal).toBe("SIGKILL");
    const [, killed] = rows(db);
    expect(killed!.status).toBe("incomplete");
    const extra: Record<string, string[]> = { digest: [], replay: ["--at", "10m"], report: ["--out", join(dir, "r.html")] };
    for (const command of ["digest", "replay", "report"]) {
      const refused = runKubetwin([command, db, "--run", "2", ...extra[command]!]);
      expect(refused.code, `${command}: ${refused.stderr}`).toBe(2);
      expect(refused.stderr).toMatch(/run 2 is incomplete/);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(stackFrame.test(refused.stderr)).toBe(false);
      const allowed = runKubetwin([command, db, "--run", "2", "--allow-incomplete", ...extra[command]!]);
      expect(allowed.code, `${command}: ${allowed.stderr}`).toBe(0);
      expect(allowed.stderr + allowed.stdout).toMatch(/incomplete/);
      const latest = runKubetwin([command, db, ...extra[command]!]);
      expect(latest.code, `${command}: ${latest.stderr}`).toBe(0);
      expect(latest.stderr).toMatch(/run 1\b/);
    }
  });
});
