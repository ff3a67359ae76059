import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { canonicalState } from "../../src/model/state.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { replay } from "../../src/sim/replay.ts";
import { buildWorld } from "../../src/sim/world.ts";
import { smallPlan } from "./plan-fixture.ts";

const plan = {
  ...smallPlan({
    nodes: 5,
    deployments: 4,
    replicas: 4,
    durationMs: 30 * 60_000,
    faults: [
      { kind: "NodeCrash", atMs: 4 * 60_000, target: { zone: "zone-a" }, label: "zone a down" },
      { kind: "PodKill", atMs: 9 * 60_000, namespace: "shop", selector: { app: "svc-1" }, count: 2, label: "kill" },
      { kind: "ScaleWorkload", atMs: 12 * 60_000, namespace: "shop", name: "svc-2", replicas: 9, label: "scale" },
      { kind: "NodeRecover", atMs: 20 * 60_000, target: { zone: "zone-a" }, label: "zone a back" },
    ],
  }),
  parameters: { ...smallPlan().parameters, snapshotIntervalMs: 120_000, snapshotMinRecords: 1, snapshotRecordsPerObject: 0 },
};

describe("replay", () => {
  test.prop([fc.integer({ min: 1, max: 1000 }), fc.uniqueArray(fc.integer({ min: 0, max: 30 * 60_000 }), { minLength: 1, maxLength: 6 })], {
    numRuns: 12,
  })("state rebuilt from the log (with and without snapshots) equals the engine's state at every checkpoint", (seed, checkpoints) => {
    const sink = new MemorySink();
    const world = buildWorld(plan, seed, sink);
    for (const atMs of [...checkpoints].sort((a, b) => a - b)) {
      world.engine.runUntil({ atMsMax: atMs, stepsMax: 10_000_000 });
      const live = canonicalState(world.api.state);
      expect(canonicalState(replay(sink.records, atMs))).toBe(live);
      const snapshot = sink.snapshots.filter((s) => s.atMs <= atMs).at(-1);
      if (snapshot) expect(canonicalState(replay(sink.records, atMs, snapshot))).toBe(live);
    }
  });
});
