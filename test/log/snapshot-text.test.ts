/**
 * Snapshot texts built from kept per-object texts (src/log/snapshot-text.ts) equal a fresh
 * JSON.stringify of the whole state at every snapshot of real runs of bundled scenarios that cover
 * the stored kinds (pods through their lifecycle, ReplicaSets, StatefulSets with volumes, Jobs,
 * CronJobs, DaemonSets, node pools that grow and shrink): any object changed without a new
 * resourceVersion would show here as a stale text.
 */
import { readdirSync } from "node:fs";
import { expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { SnapshotText } from "../../src/log/snapshot-text.ts";
import type { StateSnapshot } from "../../src/model/state.ts";
import type { Ms } from "../../src/model/units.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

class CheckingSink extends MemorySink {
  private readonly text = new SnapshotText();
  checked = 0;
  override snapshot(seq: number, atMs: Ms, state: StateSnapshot): void {
    const expected = JSON.stringify(state);
    expect(this.text.of(state)).toBe(expected);
    this.checked++;
  }
}

const scenarios = readdirSync("scenarios").filter((f) => f.endsWith(".yaml")).sort();

test.each(scenarios)("%s: every snapshot's kept text equals JSON.stringify of the state", (file) => {
  const loaded = loadScenarioFile(`scenarios/${file}`);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const plan = { ...loaded.plan, parameters: { ...loaded.plan.parameters, snapshotIntervalMs: 60_000, snapshotMinRecords: 1 } };
  const sink = new CheckingSink({ keepRecords: false });
  runScenario(plan, { seed: 3, variant: "baseline", sink });
  expect(sink.checked).toBeGreaterThan(2);
});

test("a changed object gets a new text; an unchanged one keeps its text", () => {
  const text = new SnapshotText();
  const pod = { metadata: { name: "a", resourceVersion: 1 }, status: { ready: false } };
  const state = { nowMs: 0, pods: [pod], machinesDown: ["n1"], objects: undefined } as unknown as StateSnapshot;
  expect(text.of(state)).toBe(JSON.stringify(state));
  pod.status.ready = true;
  pod.metadata.resourceVersion = 2;
  expect(text.of(state)).toBe(JSON.stringify(state));
  // the same version: the kept text is used (what evolve's resourceVersion bump guarantees is safe)
  pod.status.ready = false;
  expect(text.of(state)).toContain('"ready":true');
});
