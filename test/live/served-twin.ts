/** Test helper: a logged quickstart run served over the Kubernetes API on a free loopback port. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { kubeconfigFor, openServedWorld } from "../../src/cli/serve-command.ts";
import { TwinServer, type TwinServerOptions } from "../../src/cli/serve-http.ts";
import type { ServedClock, ServedWorld } from "../../src/cli/serve-world.ts";

const root = resolve(import.meta.dirname, "../..");

export interface ServedTwin {
  dir: string;
  world: ServedWorld;
  clock: ServedClock;
  server: TwinServer;
  kubeconfig: string;
  /** A new server for the same world on the same port (after `server.stop()`). */
  restart(): Promise<TwinServer>;
  close(): Promise<void>;
}

/** Runs the quickstart scenario into a fresh log and serves it from `at`, paused (tests move the clock). */
export async function serveQuickstart(at: string, options: Partial<TwinServerOptions> = {}, worldOptions: { historyMax?: number } = {}): Promise<ServedTwin> {
  return serveScenario("scenarios/quickstart.yaml", at, options, worldOptions);
}

/** Runs a scenario (a path from the repository root, or one `prepare` writes into the twin's folder) into a fresh log and serves it from `at`, paused. */
export async function serveScenario(scenario: string | ((dir: string) => string), at: string, options: Partial<TwinServerOptions> = {}, worldOptions: { historyMax?: number } = {}): Promise<ServedTwin> {
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-live-"));
  const db = join(dir, "runs.db");
  const file = typeof scenario === "string" ? scenario : scenario(dir);
  const made = spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), "run", file, "--db", db, "--seed", "42", "--no-progress"], { cwd: root, encoding: "utf8", timeout: 300_000 });
  if (made.status !== 0) throw new Error(`kubetwin run failed: ${made.stderr}`);
  const served = openServedWorld(db, undefined, at, worldOptions);
  let port = 0;
  const twin: ServedTwin = {
    dir,
    world: served.world,
    clock: served.clock(0),
    server: new TwinServer(served.world, { port: 0, ...options }),
    kubeconfig: join(dir, "kubeconfig"),
    async restart() {
      twin.server = new TwinServer(served.world, { ...options, port });
      await twin.server.start();
      return twin.server;
    },
    async close() {
      await twin.server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  port = await twin.server.start();
  writeFileSync(twin.kubeconfig, kubeconfigFor(twin.server.url));
  return twin;
}

/** Waits for a condition the system under test must reach (liveness), failing after `limitMs`. */
export async function eventually(what: string, condition: () => boolean, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
