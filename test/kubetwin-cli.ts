/** The CLI as a user runs it: a child process of the project's Node, for tests that check exit codes and output. */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

export const repoRoot = join(import.meta.dirname, "..");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Flags for node itself (`--max-old-space-size=256`, `--import …`). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

export function runKubetwin(args: readonly string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, "src/cli/main.ts"), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, KUBETWIN_DEBUG: "", ...options.env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A JavaScript stack frame ("    at fn (file.ts:12:5)") in the output: what a user must never see. */
export const stackFrame = /^\s+at .+:\d+:\d+\)?$/m;

/** Hostile input's contract: exit 0–3 (never an internal error or a signal), no stack trace anywhere. */
export function expectCleanExit(r: CliResult, what: string): void {
  const context = `${what}\nexit ${r.code} signal ${r.signal}\nstderr: ${r.stderr.slice(0, 2000)}`;
  expect(r.signal, context).toBeNull();
  expect([0, 1, 2, 3], context).toContain(r.code);
  expect(stackFrame.test(r.stderr), context).toBe(false);
  expect(stackFrame.test(r.stdout), context).toBe(false);
}

/** As runKubetwin, without blocking the test process: for commands that wait (a lock) run side by side. */
export function runKubetwinAsync(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, "src/cli/main.ts"), ...args], {
      cwd: options.cwd ?? repoRoot,
      timeout: options.timeoutMs ?? 120_000,
      env: { ...process.env, KUBETWIN_DEBUG: "", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A five-minute scenario of one small Deployment on two nodes (variant `more`: three nodes), for CLI tests that need a real log. */
export const tinyScenarioText = `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: tiny }
spec:
  duration: 5m
  cluster:
    nodePools:
      - { name: pool, count: 2, zones: [z1], allocatable: { cpu: "4", memory: 8Gi, pods: 110 } }
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
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 500m } } } ] }
  variants:
    more:
      nodePools: { patch: [ { name: pool, count: 3 } ] }
`;
