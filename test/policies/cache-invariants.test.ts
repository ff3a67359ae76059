/**
 * The scheduler's incremental caches assert their invariants as they go, and recount mode
 * (KUBETWIN_RECOUNT) rebuilds them from scratch in a real run: a bundled scenario gives the same
 * fingerprint with every cycle recounted, and a cache that missed a change is caught.
 */
import { expect, test } from "vitest";
import { InvariantError } from "../../src/model/assert.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { buildNodeInfo, NodeColumns } from "../../src/policies/scheduling/node-info.ts";
import { RowCounts, type Bump } from "../../src/policies/scheduling/row-counts.ts";
import type { Snapshot } from "../../src/policies/scheduling/snapshot.ts";
import { runScenario } from "../../src/sim/run.ts";
import { makeNode, makePod } from "./builders.ts";

function fakeSnapshot(start: number, names: string[], recount: boolean): Snapshot {
  return { view: { nodeChanges: { start, names } }, recount, rowOf: (n: string) => (n === "n0" ? 0 : undefined) } as unknown as Snapshot;
}

const bump = (value: string): Bump => ({ map: 0, key: "", value, by: 1 });

test("RowCounts: a change the journal did not name is caught in recount mode, not otherwise", () => {
  const counts = new RowCounts(1, 1);
  counts.sync(fakeSnapshot(0, [], false), () => [bump("a")]);
  expect(counts.maps[0]?.get("")?.get("a")).toBe(1);
  // The row now holds two matching pods, but no journal entry says so.
  expect(() => counts.sync(fakeSnapshot(0, [], false), () => [bump("a"), bump("a")])).not.toThrow();
  expect(() => counts.sync(fakeSnapshot(0, [], true), () => [bump("a"), bump("a")])).toThrow(InvariantError);
});

test("RowCounts and the journal: a journal that goes back is a broken invariant", () => {
  const counts = new RowCounts(1, 1);
  counts.sync(fakeSnapshot(3, ["n0", "n0"], false), () => [bump("a")]);
  expect(() => counts.sync(fakeSnapshot(2, ["n0"], false), () => [bump("a")])).toThrow(/journal went back/);
});

test("NodeInfo: reading through a NodeInfo whose row was rebuilt is a stale read", () => {
  const columns = new NodeColumns(1);
  const node = makeNode().name("n0").cpuMilli(4000).obj();
  const old = buildNodeInfo(node, [makePod().name("a").cpuMilli(100).obj()], columns, 0);
  expect(old.podCount).toBe(1);
  const fresh = buildNodeInfo(node, [], columns, 0);
  expect(fresh.podCount).toBe(0);
  expect(() => old.podCount).toThrow(/stale NodeInfo read/);
});

for (const [file, variant] of [["scenarios/pdb-budget.yaml", "spread"], ["scenarios/priority-preemption.yaml", "baseline"]] as const) {
  test(`recount mode on ${file} (${variant}): every cycle's caches agree with a recount, and the fingerprint is unchanged`, () => {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const run = (recountEvery: number) => runScenario(loaded.plan, { seed: 1, variant, sink: new MemorySink({ keepRecords: false }), recountEvery });
    const plain = run(0);
    const recounted = run(1);
    expect(plain.recounts).toBe(0);
    expect(recounted.recounts).toBeGreaterThan(10);
    expect(recounted.summary.fingerprint).toBe(plain.summary.fingerprint);
  });
}
