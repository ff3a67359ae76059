/**
 * scenarios/cluster-autoscaler.yaml run end to end on its own seed, checked against the story its
 * header comment tells (the pattern of stories.test.ts): the spike's pending pods get exactly the
 * estimated nodes within the provisioning delay, every pod runs, and once the load is gone the
 * group shrinks to what is needed after the unneeded time — never below its minCount; the price
 * and quick-scale-down variants cost less, and every variant sees the same boot times.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { formatSummary } from "../../src/cli/format-summary.ts";

const min = 60_000;

function run(variant = "baseline") {
  const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/cluster-autoscaler.yaml"));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant, sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  const of = <K extends ClusterEvent["kind"]>(kind: K) => log.filter((e): e is { atMs: number; event: Extract<ClusterEvent, { kind: K }> } => e.event.kind === kind);
  const requested = of("NodeProvisioning").map((e) => ({ atMs: e.atMs, name: e.event.name, pool: e.event.pool }));
  const joined = new Map(of("NodeAdded").filter((e) => e.atMs > 0).map((e) => [e.event.node.metadata.name, e.atMs]));
  const removed = of("NodeRemoved").map((e) => ({ atMs: e.atMs, name: e.event.name }));
  /** Nodes of a pool after every event (registered ones). */
  const sizes = (pool: string) => {
    let n = 0;
    const out: { atMs: number; n: number }[] = [];
    for (const e of log) {
      if (e.event.kind === "NodeAdded" && e.event.node.metadata.labels["kubetwin.io/pool"] === pool) n++;
      else if (e.event.kind === "NodeRemoved" && e.event.name.startsWith(`${pool}-`)) n--;
      else continue;
      out.push({ atMs: e.atMs, n });
    }
    return out;
  };
  return { result, summary: result.summary, requested, joined, removed, sizes, of };
}

describe("cluster-autoscaler: web ×4 at 10m, back at 30m, on autoscaled node groups", () => {
  const s = run();

  test("the 12 pending pods get exactly the 6 nodes the estimate needs, in one scan, from the least-waste group", () => {
    expect(s.requested.map((r) => r.name)).toEqual(["general-2", "general-3", "general-4", "general-5", "general-6", "general-7"]);
    for (const r of s.requested) {
      expect(r.atMs).toBe(s.requested[0]?.atMs);
      expect(r.pool).toBe("general");
    }
    const first = s.requested[0]?.atMs ?? 0;
    expect(first).toBeGreaterThan(10 * min);
    expect(first).toBeLessThanOrEqual(10 * min + 10_000 + 1); // the next 10-second scan
  });

  test("each node joins Ready within its provisioning delay (45–90 s), and every pod runs; nothing more is asked for", () => {
    for (const r of s.requested) {
      const joined = s.joined.get(r.name);
      expect(joined).toBeDefined();
      expect((joined as number) - r.atMs).toBeGreaterThanOrEqual(45_000);
      expect((joined as number) - r.atMs).toBeLessThanOrEqual(90_000 + 1);
    }
    for (const e of s.summary.expectations) expect(e.passed, `${e.name}: ${e.detail}`).toBe(true);
    expect(s.summary.longestPendingMs).toBeLessThan(2 * min);
    const peak = s.summary.series.filter((p) => p.atMs > 13 * min && p.atMs < 30 * min);
    expect(peak.length).toBeGreaterThan(0);
    for (const p of peak) expect(p.running).toBe(16);
  });

  test("after the load is gone, the group shrinks to what 4 pods need once the nodes were unneeded for 10 minutes, never below minCount 2", () => {
    expect(s.removed.length).toBe(6);
    for (const r of s.removed) {
      expect(r.atMs).toBeGreaterThan(40 * min); // 30m + scale-down-unneeded-time
      expect(r.atMs).toBeLessThan(42 * min);
    }
    for (const p of s.sizes("general").filter((p) => p.atMs > 0)) expect(p.n).toBeGreaterThanOrEqual(2);
    expect(s.sizes("general").at(-1)?.n).toBe(2);
    // at most one non-empty node drained (its pods evicted through the Eviction API), the rest empty
    const evictions = s.of("PodDeleting").filter((e) => e.event.reason === "Evicted");
    expect(evictions.length).toBeLessThanOrEqual(2);
    const web = [...s.result.state.pods.values()].filter((p) => p.metadata.deletionMs === undefined);
    expect(web.length).toBe(4);
    for (const p of web) expect(p.status.ready).toBe(true);
  });

  test("the bill: node-hours × price per pool, in the summary and its text", () => {
    const general = s.summary.nodeGroups?.find((g) => g.pool === "general");
    expect(general).toMatchObject({ minCount: 2, maxCount: 10, nodesAtStart: 2, nodesPeak: 8, nodesAtEnd: 2, nodesAdded: 6, nodesRemoved: 6, pricePerHour: 0.2 });
    // every general node from its request (the start of the run for the first two) to its removal or the end
    const names = ["general-0", "general-1", ...s.requested.map((r) => r.name)];
    const lifeMs = names.map((n) => (s.removed.find((r) => r.name === n)?.atMs ?? 60 * min) - (s.requested.find((r) => r.name === n)?.atMs ?? 0));
    expect(general?.nodeHours).toBeCloseTo(lifeMs.reduce((a, b) => a + b, 0) / 3_600_000, 9);
    expect(s.summary.nodeCost).toBeCloseTo((general?.nodeHours ?? 0) * 0.2, 9);
    expect(formatSummary(s.summary, { wallMs: 0 })).toMatch(/node cost: 1\.00 \(node-hours × price per hour\)/);
  });

  test("the same scenario, seed and variant give the same fingerprint", () => {
    expect(run().summary.fingerprint).toBe(s.summary.fingerprint);
  });

  test("price buys 3 spot nodes instead of 6 general ones and costs less; quick-scale-down removes them 8 minutes sooner and costs less", () => {
    const price = run("price");
    expect(price.requested.map((r) => r.name)).toEqual(["spot-0", "spot-1", "spot-2"]);
    for (const e of price.summary.expectations) expect(e.passed, `${e.name}: ${e.detail}`).toBe(true);
    expect(price.summary.nodeCost).toBeLessThan(s.summary.nodeCost as number);
    const quick = run("quick-scale-down");
    for (const r of quick.removed) expect(r.atMs).toBeLessThan(33 * min);
    expect(quick.summary.nodeCost).toBeLessThan(s.summary.nodeCost as number);
    // common random numbers: the same node booted in the same time in both variants
    for (const r of s.requested) expect(quick.joined.get(r.name)).toBe(s.joined.get(r.name));
  });
});
