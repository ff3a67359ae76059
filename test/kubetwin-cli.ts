/** The CLI as a user runs it: a child process of the project's Node, for tests that check exit codes and output. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

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
