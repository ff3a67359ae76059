/** Every exit code of the error model, observed through the real command (`node src/cli/main.ts`). */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-exit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubetwin(args: string[], options: { preload?: string; env?: Record<string, string> } = {}) {
  const node = options.preload ? ["--import", options.preload] : [];
  const r = spawnSync(process.execPath, [...node, "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, KUBETWIN_DEBUG: "", ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Four pods of 500m on one 1-CPU node: two stay Pending, so "all-ready" fails. */
const tinyScenario = `apiVersion: kubetwin/v1
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
`;
const tiny = join(dir, "tiny.yaml");
writeFileSync(tiny, tinyScenario);
const stackLine = /\n\s+at .+:\d+:\d+/;

describe("exit codes through the real command", () => {
  test("0: every expectation holds", () => {
    const r = kubetwin(["run", "scenarios/quickstart.yaml", "--no-db", "--seed", "2"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  test("1: an expectation failed, and stderr says which variant, seed and expectation", () => {
    const r = kubetwin(["run", tiny, "--no-db", "--seed", "5"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+all-ready/);
    expect(r.stderr).toBe("kubetwin: expectation failed: variant baseline seed 5 (all-ready)\n");
  });

  test("2: bad input is one line and writes nothing", () => {
    const db = join(dir, "never.db");
    const r = kubetwin(["run", tiny, "--db", db, "--variant", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(db)).toBe(false);
    expect(kubetwin(["run", tiny, "--bogus-flag"]).code).toBe(2);
  });

  test("3: a runaway run (stepsMax reached) is a broken invariant, records its real event count, and its reproduce command reproduces it", () => {
    const db = join(dir, "runaway.db");
    const r = kubetwin(["run", "scenarios/quickstart.yaml", "--db", db, "--seed", "4", "--steps-max", "300"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/INVARIANT BROKEN: runaway run: reached stepsMax \(300 engine steps\)/);
    expect(r.stderr).toMatch(/last records:\n {4}#\d+ /);
    const command = /reproduce with: npx kubetwin run (.+)\n/.exec(r.stderr)?.[1];
    expect(command).toBe("scenarios/quickstart.yaml --seed 4 --variant baseline --steps-max 300");
    expect(r.stderr).not.toMatch(stackLine);
    const log = SqliteLog.open(db, { create: false });
    const [row] = log.runs();
    const records = [...log.records(row!.id)].length;
    log.close();
    expect(row!.status).toBe("failed");
    expect(row!.error).toMatch(/^invariant broken: runaway run: reached stepsMax \(300 engine steps\)/);
    expect(r.stderr).toMatch(new RegExp(`logged: run ${row!.id} in \\S+runaway\\.db marked failed, ${records} records kept\n`));
    expect(records).toBeGreaterThan(0);
    expect(row!.eventCount).toBe(records);
    const again = kubetwin(["run", ...(command as string).split(" "), "--no-db"]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/runaway run/);
  });

  test("4: an internal error prints its message and reproduce command, and a stack trace only with KUBETWIN_DEBUG=1", () => {
    const preload = "./test/fixtures/cli/inject-bug.ts";
    const r = kubetwin(["run", tiny, "--no-db", "--seed", "9"], { preload });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^kubetwin: INTERNAL ERROR \(a bug in kubetwin\): TypeError: injected bug: summarize is broken\n/);
    expect(r.stderr).toContain(`reproduce with: npx kubetwin run ${tiny} --seed 9 --variant baseline`);
    expect(r.stderr).not.toMatch(stackLine);
    const debug = kubetwin(["run", tiny, "--no-db", "--seed", "9"], { preload, env: { KUBETWIN_DEBUG: "1" } });
    expect(debug.code).toBe(4);
    expect(debug.stderr).toMatch(stackLine);
  });

  test("vopr's own classes: 0 when its seeds pass, 2 on bad input", () => {
    expect(kubetwin(["vopr", "--seed", "1"]).code).toBe(0);
    expect(kubetwin(["vopr", "--seed", "1", "--seeds", "3"]).code).toBe(2);
  });

  test("output closed early (| head) ends quietly with exit 0", async () => {
    const child = spawn(process.execPath, ["src/cli/main.ts", "vopr", "--seed-list", "1..3"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy()); // like head -1: read the first line, then close
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
