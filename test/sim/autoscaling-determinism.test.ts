/**
 * Load, metrics and the HPA keep the twin's promises: the same seed gives the same log in memory
 * and in SQLite, replaying the log rebuilds the final state (PodMetrics and HPA status included),
 * and the load's arrivals come from its own stream: a variant that changes only the HPA sees the
 * same requests (common random numbers), while its own decisions differ.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { canonicalState } from "../../src/model/state.ts";
import { formatScenarioError, loadScenarioText } from "../../src/scenario/load.ts";
import { replay } from "../../src/sim/replay.ts";
import { runScenario } from "../../src/sim/run.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-hpa-det-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenarios = join(import.meta.dirname, "../../scenarios");
// The bundled story, shortened to 15 minutes with the spike from 5m to 10m.
const text = readFileSync(join(scenarios, "hpa-spike.yaml"), "utf8").replace("duration: 40m", "duration: 15m").replace("at: 10m, duration: 10m", "at: 5m, duration: 5m");
const loaded = loadScenarioText(text, "scenarios/hpa-spike.yaml", scenarios);
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const plan = loaded.plan;

function memoryRun(variant = "baseline") {
  const sink = new MemorySink();
  return { result: runScenario(plan, { seed: 4, variant, sink }), sink };
}

describe("autoscaling determinism", () => {
  const mem = memoryRun();

  test("memory and SQLite give the same records and fingerprint", () => {
    const log = SqliteLog.open(join(dir, "hpa.db"), { create: true });
    const runId = log.createRun({ scenario: "hpa", scenarioHash: "t", seed: 4, variant: "baseline", parameters: "{}", codeVersion: "test", durationMs: 0, createdWall: "" });
    const result = runScenario(plan, { seed: 4, variant: "baseline", sink: log.sinkForRun(runId) });
    const stored = [...log.records(runId)];
    log.close();
    expect(result.summary.fingerprint).toBe(mem.result.summary.fingerprint);
    expect(stored).toEqual(mem.sink.records);
    expect(stored.some((r) => r.kind === "DeploymentScaled")).toBe(true);
  });

  test("replaying the log rebuilds the final state, PodMetrics and HPA status included", () => {
    const rebuilt = replay(mem.sink.records, plan.durationMs);
    expect(canonicalState(rebuilt)).toBe(canonicalState(mem.result.state));
    expect(rebuilt.objects.get("PodMetrics")?.size).toBeGreaterThan(0);
    expect(rebuilt.objects.get("HorizontalPodAutoscaler")?.get("default/web")).toEqual(mem.result.state.objects.get("HorizontalPodAutoscaler")?.get("default/web"));
  });

  test("a variant that changes only the HPA sees the same offered requests, and scales differently", () => {
    const tuned = memoryRun("tuned");
    const offered = (r: typeof mem) => r.result.summary.traffic?.[0]?.offeredRequests;
    expect(offered(tuned)).toBe(offered(mem));
    expect(tuned.result.summary.fingerprint).not.toBe(mem.result.summary.fingerprint);
  });
});
