import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { canonicalState } from "../../src/model/state.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { runScenario } from "../../src/sim/run.ts";
import { smallPlan } from "./plan-fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-det-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function memoryRun(seed: number, variant = "baseline") {
  const sink = new MemorySink();
  const result = runScenario(smallPlan({ nodes: 6, deployments: 5 }), { seed, variant, sink });
  return { result, sink };
}

describe("determinism", () => {
  test("same scenario and seed twice give the same fingerprint and the same final state", () => {
    const a = memoryRun(5);
    const b = memoryRun(5);
    expect(a.result.summary.eventCount).toBeGreaterThan(50);
    expect(a.result.summary.fingerprint).toBe(b.result.summary.fingerprint);
    expect(canonicalState(a.result.state)).toBe(canonicalState(b.result.state));
    expect(a.sink.records).toEqual(b.sink.records);
  });

  test("a different seed gives a different fingerprint", () => {
    expect(memoryRun(5).result.summary.fingerprint).not.toBe(memoryRun(6).result.summary.fingerprint);
  });

  test("in-memory and SQLite sinks give the same fingerprint, and digest of the stored log agrees", () => {
    const mem = memoryRun(9);
    const path = join(dir, "det.db");
    const log = SqliteLog.open(path, { create: true });
    const runId = log.createRun({
      scenario: "small", scenarioHash: "t", seed: 9, variant: "baseline", parameters: "{}", codeVersion: "test", durationMs: 0, createdWall: "",
    });
    const result = runScenario(smallPlan({ nodes: 6, deployments: 5 }), { seed: 9, variant: "baseline", sink: log.sinkForRun(runId) });
    const stored = [...log.records(runId)];
    log.close();
    expect(result.summary.fingerprint).toBe(mem.result.summary.fingerprint);
    expect(stored).toEqual(mem.sink.records);
  });

  test("variants of one seed see the same exogenous world (common random numbers)", () => {
    const base = memoryRun(3, "baseline").sink.records.filter((r) => r.exogenous && r.kind !== "PodDeleting");
    const bin = memoryRun(3, "binpack").sink.records.filter((r) => r.exogenous && r.kind !== "PodDeleting");
    expect(base.map((r) => [r.atMs, r.kind, r.subject])).toEqual(bin.map((r) => [r.atMs, r.kind, r.subject]));
  });

  test("a variant that changes policy changes the outcome", () => {
    expect(memoryRun(3, "baseline").result.summary.fingerprint).not.toBe(memoryRun(3, "binpack").result.summary.fingerprint);
  });
});
