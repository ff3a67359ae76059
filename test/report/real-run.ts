/** A real run of a bundled scenario through the kubetwin CLI, into a fresh SQLite log. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "../..");

/** Returns what the CLI printed (the run summary). */
export function runRealScenario(dbPath: string, scenario = "scenarios/zone-outage.yaml", seed = 7): string {
  return execFileSync(process.execPath, [join(repoRoot, "src/cli/main.ts"), "run", join(repoRoot, scenario), "--seed", String(seed), "--db", dbPath], {
    cwd: repoRoot,
    stdio: "pipe",
    encoding: "utf8",
    timeout: 120_000,
  });
}
