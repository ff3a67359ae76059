/**
 * Issue 11: output closed early — `kubetwin replay … | head -1` — ends quietly with exit 0: the
 * reader has what it wanted. The replay prints ~300 KB (200 nodes, 2,000 pods), more than a pipe
 * holds, so its write meets the closed pipe (EPIPE), handled once at the CLI edge (main.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exitOk } from "../../src/cli/exit-codes.ts";
import { repoRoot, runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-output-closed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = join(dir, "wide.yaml");
writeFileSync(
  scenario,
  `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: wide }
spec:
  duration: 2m
  cluster:
    nodePools:
      - { name: pool, count: 500, zones: [z1, z2], allocatable: { cpu: "8", memory: 16Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: default }
        spec:
          replicas: 5000
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 100m } } } ] }
`,
);
const db = join(dir, "wide.db");
const replayArgs = ["replay", db, "--run", "1", "--at", "2m"];
const pipeBytes = 65_536;

beforeAll(() => {
  const r = runKubetwin(["run", scenario, "--db", db]);
  expect(r.code, r.stderr).toBe(exitOk);
  const whole = runKubetwin(replayArgs);
  expect(whole.code).toBe(exitOk);
  expect(whole.stdout.length, "more than a pipe holds, so the write meets the closed pipe").toBeGreaterThan(4 * pipeBytes);
});

describe("output closed early ends quietly with exit 0", () => {
  test("a pipe closed after the first line (as head -1 does)", async () => {
    const child = spawn(process.execPath, [join(repoRoot, "src/cli/main.ts"), ...replayArgs], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KUBETWIN_DEBUG: "" } });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("\n")) child.stdout.destroy(); // the first line is all the reader wants
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
    expect(stdout).toMatch(/^run 1 at 2m /);
    expect(stdout.length).toBeLessThan(pipeBytes * 2);
    expect(stderr).toBe("");
    expect(signal).toBeNull();
    expect(code).toBe(exitOk);
  });

  test("through a shell: replay … | head -1 (pipefail: replay's own exit code)", () => {
    const command = `set -o pipefail; "${process.execPath}" "${join(repoRoot, "src/cli/main.ts")}" ${replayArgs.map((a) => `"${a}"`).join(" ")} | head -1`;
    const r = spawnSync("bash", ["-c", command], { encoding: "utf8", env: { ...process.env, KUBETWIN_DEBUG: "" } });
    expect(r.stdout).toMatch(/^run 1 at 2m .*\n$/);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(exitOk);
  });
});
