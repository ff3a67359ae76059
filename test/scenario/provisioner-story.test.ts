/**
 * scenarios/provisioner-vs-cluster-autoscaler.yaml run end to end on its own seed, checked
 * against the story its header tells: the cluster autoscaler buys 6 small nodes and keeps them
 * ~10 minutes after the spike, the provisioner one compute.4xlarge it deletes by emptiness right
 * after consolidateAfter + validation, the spot variant replaces its interrupted node at the
 * notice; every variant meets the expectations, and the node cost orders spot < provisioner <
 * cluster autoscaler.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { replay } from "../../src/sim/replay.ts";
import { canonicalState } from "../../src/model/state.ts";

const min = 60_000;

function run(variant: string) {
  const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/provisioner-vs-cluster-autoscaler.yaml"));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const { summary, state } = runScenario(loaded.plan, { seed: loaded.plan.seed, variant, sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  const of = <K extends ClusterEvent["kind"]>(kind: K) => log.filter((e): e is { atMs: number; event: Extract<ClusterEvent, { kind: K }> } => e.event.kind === kind);
  return { summary, of, state, records: sink.records, durationMs: loaded.plan.durationMs };
}

describe("provisioner-vs-cluster-autoscaler", { timeout: 120_000 }, () => {
  const ca = run("baseline");
  const karp = run("provisioner");
  const spot = run("spot");

  test("every variant meets the expectations", () => {
    for (const r of [ca, karp, spot]) expect(r.summary.expectations.filter((e) => !e.passed)).toEqual([]);
  });

  test("baseline: the cluster autoscaler asks general for 6 nodes and removes them only after ~10 minutes unneeded", () => {
    expect(ca.of("NodeProvisioning").map((e) => e.event.pool)).toEqual(Array(6).fill("general"));
    const removed = ca.of("NodeRemoved").map((e) => e.atMs);
    expect(removed.length).toBeGreaterThanOrEqual(5);
    expect(Math.min(...removed)).toBeGreaterThan(39 * min);
    expect(ca.summary.provisioner).toBeUndefined();
  });

  test("provisioner: one compute.4xlarge for the 12 pods, deleted by emptiness after consolidateAfter (30 s) and the 15 s validation", () => {
    const launched = karp.of("NodeProvisioning");
    expect(launched.map((e) => [e.event.name, e.event.pool])).toEqual([["karpenter-0", "karpenter/compute.4xlarge/on-demand/zone-a"]]);
    expect(launched[0]?.atMs).toBeLessThanOrEqual(10 * min + 10_000 + 1_000); // inside the 10 s batch window
    const removed = karp.of("NodeRemoved").filter((e) => e.event.name === "karpenter-0");
    expect(removed.length).toBe(1);
    expect(removed[0]?.atMs).toBeGreaterThanOrEqual(30 * min + 45_000);
    expect(removed[0]?.atMs).toBeLessThan(32 * min);
    expect(karp.summary.provisioner).toEqual({ launched: [{ offering: "karpenter/compute.4xlarge/on-demand", nodes: 1 }], consolidated: [{ decision: "Empty/emptiness/delete", nodes: 1 }], spotInterruptions: 0 });
    expect(karp.summary.longestPendingMs).toBeLessThan(ca.summary.longestPendingMs);
  });

  test("spot: the interrupted node is replaced at the notice and gone by the reclaim; the pods keep running", () => {
    const launched = spot.of("NodeProvisioning");
    expect(launched.map((e) => e.event.pool)).toEqual(["karpenter/compute.4xlarge/spot/zone-a", "karpenter/compute.4xlarge/spot/zone-a"]);
    expect(launched[1]?.atMs).toBeGreaterThanOrEqual(20 * min);
    expect(launched[1]?.atMs).toBeLessThan(20 * min + 1_000);
    const gone = spot.of("NodeRemoved").find((e) => e.event.name === "karpenter-0");
    expect(gone?.atMs).toBeLessThanOrEqual(22 * min + 2_000);
    expect(spot.summary.provisioner?.spotInterruptions).toBe(1);
  });

  test("replaying the spot run's log rebuilds its final state; the same seed gives the same fingerprint", () => {
    expect(canonicalState(replay(spot.records, spot.durationMs))).toBe(canonicalState(spot.state));
    expect(run("spot").summary.fingerprint).toBe(spot.summary.fingerprint);
  });

  test("node cost: spot < provisioner < cluster autoscaler on the same seed", () => {
    const cost = (r: typeof ca) => r.summary.nodeCost ?? 0;
    expect(cost(karp)).toBeLessThan(cost(ca));
    expect(cost(spot)).toBeLessThan(cost(karp));
  });
});
