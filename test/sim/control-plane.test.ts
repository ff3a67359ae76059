/** The api server on a real Raft control plane: failover stalls writes, the run stays deterministic. */
import { describe, expect, test } from "vitest";
import { canonicalState } from "../../src/model/state.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { ScenarioPlan } from "../../src/sim/plan.ts";
import { replay } from "../../src/sim/replay.ts";
import { runScenario } from "../../src/sim/run.ts";

function plan(): ScenarioPlan {
  const loaded = loadScenarioFile("scenarios/control-plane-partition.yaml");
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.plan;
}

function run(seed: number, variant = "baseline") {
  const sink = new MemorySink();
  return { result: runScenario(plan(), { seed, variant, sink }), sink };
}

describe("Raft control plane under the api server", () => {
  test("the summary shows the leader changes and the unavailability the faults caused", () => {
    const { summary } = run(7).result;
    const cp = summary.controlPlane;
    expect(cp).toBeDefined();
    expect(cp?.members).toBe(3);
    // initial election + failover after isolating the leader + failover after crashing one
    expect(cp?.leaderChanges).toBeGreaterThanOrEqual(3);
    const windows = cp?.unavailable ?? [];
    const afterCrash = windows.find((w) => w.startMs >= 20 * 60_000 + 200 && w.startMs < 20 * 60_000 + 1000);
    expect(afterCrash, JSON.stringify(windows)).toBeDefined();
    // an election takes at least one election timeout (1 s) and, with etcd's randomization, less than two
    const outageMs = (afterCrash?.endMs ?? 0) - (afterCrash?.startMs ?? 0);
    expect(outageMs).toBeGreaterThan(500);
    expect(outageMs).toBeLessThan(2_500);
    expect(summary.expectations.every((e) => e.passed)).toBe(true);
  });

  test("writes in flight when the leader crashes wait for the next leader (binding is delayed)", () => {
    const { summary } = run(7).result;
    // the frontend pods created just before the crash are bound only after the failover
    expect(summary.latency.boundMs.max).toBeGreaterThan(1_000);
  });

  test("same seed twice gives the same fingerprint; replay of the log equals the final state", () => {
    const a = run(11);
    const b = run(11);
    expect(a.result.summary.fingerprint).toBe(b.result.summary.fingerprint);
    expect(a.result.summary.controlPlane?.leaderHistory).toEqual(b.result.summary.controlPlane?.leaderHistory);
    const end = plan().durationMs;
    expect(canonicalState(replay(a.sink.records, end))).toBe(canonicalState(a.result.state));
  });

  test("a five-member variant is a different world of the same scenario", () => {
    const five = run(7, "five-members").result.summary;
    expect(five.controlPlane?.members).toBe(5);
    expect(five.fingerprint).not.toBe(run(7).result.summary.fingerprint);
  });
});
