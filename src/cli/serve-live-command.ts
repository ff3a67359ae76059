/** `kubetwin serve <scenario.yaml> [--seed N] [--variant NAME] [--db FILE] [--at T] [--speed X]`: a running simulation served. */
import { canonicalJson } from "../model/canonical.ts";
import { formatDurationMs, parseDurationMs } from "../model/units.ts";
import { MemorySink } from "../log/memory-sink.ts";
import { SqliteLog } from "../log/sqlite-log.ts";
import type { EventSink } from "../log/sink.ts";
import { codeVersion } from "./code-version.ts";
import { exitOk, toCliError, UsageError } from "./exit-codes.ts";
import { loadPlan, resolveRun, type ResolvedRun } from "./load-plan.ts";
import { parseSeed } from "./seeds.ts";
import { serveUntilStopped, type ServeArgs } from "./serve-listen.ts";
import { TwinServer } from "./serve-http.ts";
import { LiveClock, LiveTwin } from "./serve-live.ts";
import { LiveWrites } from "./serve-writes.ts";

/** The live twin of a scenario, logged into `dbPath` when given. */
export function openLiveTwin(resolved: ResolvedRun, seed: number, dbPath: string | undefined): { twin: LiveTwin; close: (stoppedAtMs: number, failure?: string) => void } {
  const log = dbPath !== undefined ? SqliteLog.open(dbPath, { create: true }) : undefined;
  const { plan } = resolved;
  const runId = log?.createRun({
    scenario: plan.name, scenarioHash: plan.sourceHash, seed, variant: resolved.variant, parameters: canonicalJson(plan.parameters),
    codeVersion: codeVersion(), durationMs: plan.durationMs, createdWall: new Date().toISOString(),
  }, resolved.storedPlan);
  const sink: EventSink = log !== undefined && runId !== undefined ? log.sinkForRun(runId) : new MemorySink({ keepRecords: false });
  const twin = new LiveTwin(plan, seed, sink);
  return {
    twin,
    close(stoppedAtMs, failure) {
      const fingerprint = twin.finish();
      if (log === undefined || runId === undefined) return;
      // Served live, the run ends when the server stops, not at the scenario's duration: it is kept as interrupted (read with --allow-incomplete).
      if (failure !== undefined) log.finishRun(runId, { status: "failed", error: `served live; ${failure} at ${formatDurationMs(stoppedAtMs)} of virtual time`, fingerprint });
      else log.finishRun(runId, { status: "interrupted", error: `served live; stopped at ${formatDurationMs(stoppedAtMs)} of virtual time`, fingerprint });
      log.close();
    },
  };
}

export async function serveLive(args: ServeArgs): Promise<number> {
  const resolved = resolveRun(loadPlan(args.path), args.path, args.variant);
  const seed = args.seedText !== undefined ? parseSeed(args.seedText) : resolved.plan.seed;
  const atMs = args.atText === undefined ? 0 : parseDurationMs(args.atText);
  if (atMs === undefined) throw new UsageError(`--at: expected a duration like "30s" or "25m", got "${args.atText}"`);
  const { twin, close } = openLiveTwin(resolved, seed, args.db);
  twin.advanceTo(atMs);
  let reject: (e: unknown) => void = () => {};
  let failedWith: string | undefined;
  const failure = new Promise<never>((_resolve, r) => (reject = r));
  const fail = (e: Error) => {
    failedWith = e.message;
    reject(e);
  };
  const run = { seed, variant: resolved.variant, command: `kubetwin serve ${args.path} --seed ${seed} --variant ${resolved.variant} (kubectl's writes are not replayed by this command)` };
  const clock = new LiveClock(twin, args.speed, (e) => fail(toCliError(e, run)));
  const server = new TwinServer(twin.served, { port: args.port, writes: new LiveWrites(twin) });
  const banner = (url: string) => `serving ${resolved.plan.name} (seed ${seed}, variant ${resolved.variant}) live from ${formatDurationMs(twin.nowMs)} (speed ${args.speed}) on ${url}`;
  await serveUntilStopped(server, args, banner, () => clock.start(), () => {
    clock.stop();
    close(twin.nowMs, failedWith);
  }, failure);
  return exitOk;
}
