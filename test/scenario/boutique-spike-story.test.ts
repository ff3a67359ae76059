/**
 * scenarios/boutique-spike.yaml run end to end on its own seed, checked against the story its
 * header tells: the queue's arithmetic (capacity 38 requests/s per pod, the full queue's 5.3 s
 * wait as p99), how each variant scales, and the order of the variants in p95 latency and drops.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

const s = 1000;
const min = 60 * s;
// From the scenario: 200m limit, 10m base, 5m per request, 50 ms in service, 200 queued, 3 pods.
const capacityPerPod = (200 - 10) / 5;
const fullQueueWaitMs = (200 / capacityPerPod) * 1000 + 50;
const offered = 30 * 30 * 60 + 300 * 10 * 60;

function run(variant: string, seed?: number) {
  const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/boutique-spike.yaml"));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const result = runScenario(loaded.plan, { seed: seed ?? loaded.plan.seed, variant, sink });
  const scales = sink.records.flatMap((r) => {
    const e = JSON.parse(r.payload) as ClusterEvent;
    return e.kind === "DeploymentScaled" && e.key === "default/frontend" ? [{ atMs: r.atMs, replicas: e.replicas }] : [];
  });
  const traffic = result.summary.traffic?.find((t) => t.service === "default/frontend");
  if (traffic?.latency === undefined) throw new Error("no latency for the frontend");
  return { summary: result.summary, scales, traffic, latency: traffic.latency };
}

describe("boutique-spike: a 10x spike on the frontend with queueing, three variants", () => {
  const base = run("baseline");
  const tuned = run("tuned");
  const none = run("no-hpa");

  test("every request is served or dropped, the same arrivals in every variant, 30/s then 300/s", () => {
    for (const v of [base, tuned, none]) {
      expect(v.traffic.servedRequests + v.traffic.droppedRequests).toBeCloseTo(v.traffic.offeredRequests, 3);
      expect(v.traffic.droppedRequests).toBeCloseTo(v.traffic.droppedNoEndpointRequests + v.traffic.droppedSaturatedRequests, 3);
      expect(v.traffic.offeredRequests).toBe(base.traffic.offeredRequests);
    }
    expect(base.traffic.offeredRequests).toBeGreaterThan(0.98 * offered);
    expect(base.traffic.offeredRequests).toBeLessThan(1.02 * offered);
  });

  test("outside the spike a request takes its 50 ms of service (p50); a full queue's wait is every variant's p99", () => {
    for (const v of [base, tuned]) {
      expect(v.latency.p50Ms).toBeGreaterThanOrEqual(50);
      expect(v.latency.p50Ms).toBeLessThan(50 * 1.05);
    }
    for (const v of [base, tuned, none]) {
      expect(v.latency.p99Ms).toBeGreaterThanOrEqual(fullQueueWaitMs);
      expect(v.latency.p99Ms).toBeLessThan(fullQueueWaitMs * 1.05);
    }
  });

  test("the only drops without an endpoint are the first seconds' (no pod ready yet), the same in every variant", () => {
    expect(base.traffic.droppedNoEndpointRequests).toBeGreaterThan(0);
    expect(base.traffic.droppedNoEndpointRequests).toBeLessThan(30 * 15);
    expect(tuned.traffic.droppedNoEndpointRequests).toBe(base.traffic.droppedNoEndpointRequests);
    expect(none.traffic.droppedNoEndpointRequests).toBe(base.traffic.droppedNoEndpointRequests);
  });

  test("baseline: seen about 16 s late, 3 -> 6 by the legacy cap, then 25 or more within about a minute", () => {
    const up = base.scales.filter((e) => e.atMs >= 10 * min && e.atMs < 20 * min);
    expect(up[0]?.atMs).toBeGreaterThan(10 * min + 10 * s);
    expect(up[0]?.atMs).toBeLessThan(10 * min + 30 * s);
    expect(up[0]?.replicas).toBe(6);
    const at25 = up.find((e) => e.replicas >= 25);
    expect((at25?.atMs ?? Infinity) - (up[0]?.atMs ?? 0)).toBeLessThanOrEqual(75 * s);
    const dropped = base.traffic.droppedRequests / base.traffic.offeredRequests;
    expect(dropped).toBeGreaterThan(0.015);
    expect(dropped).toBeLessThan(0.03);
    expect(base.latency.p95Ms).toBeGreaterThan(150);
    expect(base.latency.p95Ms).toBeLessThan(400);
  });

  test("tuned: the cpu limit caps the first step at ceil(3 x 200/60) = 10 whatever the behavior allows; fewer drops, lower p95", () => {
    const up = tuned.scales.filter((e) => e.atMs >= 10 * min && e.atMs < 20 * min);
    expect(up[0]?.replicas).toBe(Math.ceil((3 * 200) / 60));
    expect(up[0]?.atMs).toBe(base.scales[0]?.atMs);
    const secondBase = base.scales.filter((e) => e.atMs >= 10 * min)[2]?.replicas ?? 0;
    expect(up[1]?.replicas).toBeGreaterThan(secondBase);
    expect(tuned.traffic.droppedRequests).toBeLessThan(base.traffic.droppedRequests);
    expect(tuned.latency.p95Ms).toBeLessThan(base.latency.p95Ms);
    expect(tuned.latency.p95Ms).toBeLessThan(200);
  });

  test("no-hpa: three pods drop what exceeds their 114/s for the whole spike; most served requests wait the full queue", () => {
    expect(none.scales).toEqual([]);
    const expected = (300 - 3 * capacityPerPod) * 600;
    expect(none.traffic.droppedSaturatedRequests).toBeGreaterThan(0.97 * expected);
    expect(none.traffic.droppedSaturatedRequests).toBeLessThan(1.02 * expected);
    expect(none.latency.p50Ms).toBeGreaterThanOrEqual(fullQueueWaitMs);
    expect(none.latency.p95Ms).toBe(none.latency.p99Ms);
  });

  test("one-node caps the HPA at the 19 pods one node holds (p95 up); the cluster autoscaler adds a burst node and brings it back down", () => {
    const capped = run("one-node");
    const grown = run("one-node-autoscaled");
    const peak = (v: typeof base) => Math.max(...v.summary.series.map((p) => p.running));
    expect(peak(capped)).toBe(Math.floor(1930 / 100));
    expect(Math.max(...capped.summary.series.map((p) => p.pending))).toBeGreaterThan(0);
    expect(capped.latency.p95Ms).toBeGreaterThan(base.latency.p95Ms);
    const burst = grown.summary.nodeGroups?.find((g) => g.pool === "burst");
    expect(burst?.nodesAdded).toBeGreaterThanOrEqual(1);
    expect(burst?.nodesRemoved).toBe(burst?.nodesAdded);
    expect(peak(grown)).toBeGreaterThan(peak(capped));
    expect(grown.latency.p95Ms).toBeLessThan(capped.latency.p95Ms);
    for (const v of [capped, grown]) for (const e of v.summary.expectations) expect(e.passed, `${e.name}: ${e.detail}`).toBe(true);
  });

  test("every variant's expectations hold; another seed keeps the order of the variants", () => {
    for (const v of [base, tuned, none]) for (const e of v.summary.expectations) expect(e.passed, `${e.name}: ${e.detail}`).toBe(true);
    const [b, t, n] = (["baseline", "tuned", "no-hpa"] as const).map((variant) => run(variant, 8));
    expect(t?.traffic.droppedRequests).toBeLessThan(b?.traffic.droppedRequests ?? 0);
    expect(b?.traffic.droppedRequests).toBeLessThan(n?.traffic.droppedRequests ?? 0);
    expect(t?.latency.p95Ms).toBeLessThan(b?.latency.p95Ms ?? 0);
    expect(b?.latency.p95Ms).toBeLessThan(n?.latency.p95Ms ?? 0);
  });
});
