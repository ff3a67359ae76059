/**
 * The provisioner in whole runs (src/policies/controllers/provisioner.ts): an empty node goes
 * after consolidateAfter (plus the pass and its 15 s validation), a consolidation drains through
 * the Eviction API so a PodDisruptionBudget holds, a spot interruption is replaced at the notice
 * and the interrupted node is gone by the reclaim; the same seed gives the same run.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "../scenario/helpers.ts";

const min = 60_000;

function scenario(o: { provisioner: string; workloads: string; faults?: string; duration?: string }): string {
  return `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: provisioner-run}
spec:
  duration: ${o.duration ?? "30m"}
  cluster:
    nodePools:
      - name: base
        count: 1
        allocatable: {cpu: "2", memory: 8Gi}
      - name: karp
        provisioningDelay: 40s
        provisioner: ${o.provisioner}
  workloads:
${o.workloads}
  faults: ${o.faults ?? "[]"}
  expectations:
    - maxPending: 5m
`;
}

function deployment(name: string, replicas: number, cpu: string, at = "0s", labels = `{app: ${name}}`): string {
  return `    - at: ${at}
      manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ${name}}
        spec:
          replicas: ${replicas}
          selector: {matchLabels: ${labels}}
          template:
            metadata: {labels: ${labels}}
            spec:
              containers: [{name: c, image: nginx, resources: {requests: {cpu: ${cpu}, memory: 512Mi}}}]
`;
}

function run(text: string, seed = 1) {
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const result = runScenario(loaded.plan, { seed, variant: "baseline", sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  const of = <K extends ClusterEvent["kind"]>(kind: K) => log.filter((e): e is { atMs: number; event: Extract<ClusterEvent, { kind: K }> } => e.event.kind === kind);
  return { summary: result.summary, log, of };
}

describe("provisioner runs", { timeout: 120_000 }, () => {
  test("pending pods launch one node of the cheapest fitting type; emptied at 10m, it is removed after consolidateAfter (2m) and the 15 s validation, not before", () => {
    const r = run(scenario({
      provisioner: "{disruption: {consolidateAfter: 2m}}",
      workloads: deployment("filler", 2, "900m") + deployment("web", 2, "900m"),
      faults: "[{at: 10m, type: ScaleWorkload, name: web, replicas: 0}]",
    }));
    const launched = r.of("NodeProvisioning");
    expect(launched.map((e) => e.event.name)).toEqual(["karp-0"]);
    expect(launched[0]?.event.pool).toBe("karp/compute.large/on-demand/zone-a"); // 2 × 900m: the 2-core type
    const lastPodGone = Math.max(...r.of("PodRemoved").filter((e) => e.atMs >= 10 * min).map((e) => e.atMs));
    const removed = r.of("NodeRemoved").filter((e) => e.event.name === "karp-0");
    expect(removed.length).toBe(1);
    const at = removed[0]?.atMs ?? 0;
    expect(at).toBeGreaterThanOrEqual(lastPodGone + 2 * min + 15_000);
    expect(at).toBeLessThanOrEqual(lastPodGone + 2 * min + 15_000 + 30_000); // one 10 s poll to find it, one more to pass validation
    expect(r.summary.provisioner?.consolidated).toEqual([{ decision: "Empty/emptiness/delete", nodes: 1 }]);
    expect(r.summary.provisioner?.launched).toEqual([{ offering: "karp/compute.large/on-demand", nodes: 1 }]);
  });

  const pdbRun = (withPdb: boolean) => run(scenario({
    provisioner: "{disruption: {consolidateAfter: 1m}}",
    workloads: deployment("filler", 2, "900m") + deployment("db", 2, "400m", "1m")
      + (withPdb ? "    - manifest: {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: db}, spec: {minAvailable: 1, selector: {matchLabels: {app: db}}}}\n" : "")
,
    faults: "[{at: 10m, type: ScaleWorkload, name: filler, replicas: 0}]",
  }));

  test("a consolidation drains through the Eviction API: with minAvailable 1 the db never has fewer than 1 ready; without it both go at once", () => {
    for (const withPdb of [true, false]) {
      const r = pdbRun(withPdb);
      // filler fills base, so db's 2 pods (created at 1m) get the launched node; once filler leaves base at 10m, that node is consolidated (its pods fit base).
      expect(r.of("PodBound").filter((e) => e.event.key.startsWith("default/db-") && e.atMs < 10 * min).every((e) => e.event.nodeName === "karp-0")).toBe(true);
      expect(r.of("NodeRemoved").map((e) => e.event.name)).toContain("karp-0");
      expect(r.summary.provisioner?.consolidated.some((c) => c.decision.startsWith("Underutilized/"))).toBe(true);
      const db = r.summary.workloads.find((w) => w.key === "default/db");
      if (withPdb) expect(db?.minReadyRatio).toBeGreaterThanOrEqual(0.5);
      else expect(db?.minReadyRatio).toBe(0);
      expect(r.summary.expectations.every((e) => e.passed)).toBe(true);
    }
  });

  test("a spot interruption: tainted and drained at the notice, a replacement launched at once, the interrupted node gone within the 2-minute notice", () => {
    const r = run(scenario({
      provisioner: "{requirements: [{key: karpenter.sh/capacity-type, operator: In, values: [spot]}], disruption: {consolidateAfter: 5m}}",
      workloads: deployment("filler", 2, "900m") + deployment("web", 2, "900m"),
      faults: "[{at: 10m, type: SpotInterruption, pool: karp}]",
    }));
    const launched = r.of("NodeProvisioning");
    expect(launched.map((e) => [e.event.name, e.event.pool])).toEqual([["karp-0", "karp/compute.large/spot/zone-a"], ["karp-1", "karp/compute.large/spot/zone-a"]]);
    expect(launched[1]?.atMs).toBeGreaterThanOrEqual(10 * min);
    expect(launched[1]?.atMs).toBeLessThan(10 * min + 1_000); // at the notice, not after the drain
    const gone = r.of("NodeRemoved").find((e) => e.event.name === "karp-0");
    expect(gone?.atMs).toBeLessThanOrEqual(10 * min + 120_000 + 2_000);
    const taint = r.of("NodeTaintsChanged").find((e) => e.event.name === "karp-0" && e.event.taints.some((t) => t.key === "karpenter.sh/disrupted"));
    expect(taint?.atMs).toBeLessThan(10 * min + 1_000);
    expect(r.summary.provisioner?.spotInterruptions).toBe(1);
    expect(r.summary.workloads.find((w) => w.key === "default/web")?.ready).toBe(2);
    expect(r.summary.expectations.every((e) => e.passed)).toBe(true);
  });

  test("single-node replace: a compute.2xlarge left with one pod is replaced by a compute.large launched first; the old node is drained once the new one is Ready", () => {
    const r = run(scenario({
      provisioner: "{disruption: {consolidateAfter: 1m}}",
      workloads: deployment("filler", 2, "900m") + deployment("web", 8, "900m", "1m"),
      faults: "[{at: 10m, type: ScaleWorkload, name: web, replicas: 1}]",
    }));
    const launched = r.of("NodeProvisioning").map((e) => [e.event.name, e.event.pool]);
    expect(launched).toEqual([["karp-0", "karp/compute.2xlarge/on-demand/zone-a"], ["karp-1", "karp/compute.large/on-demand/zone-a"]]);
    const joined = r.of("NodeAdded").find((e) => e.event.node.metadata.name === "karp-1")?.atMs ?? Infinity;
    const firstEviction = r.of("PodDeleting").find((e) => e.atMs > 10 * min + 30_000)?.atMs ?? 0;
    expect(firstEviction).toBeGreaterThanOrEqual(joined); // replacement Ready before the drain
    expect(r.of("NodeRemoved").map((e) => e.event.name)).toEqual(["karp-0"]);
    expect(r.summary.provisioner?.consolidated).toEqual([{ decision: "Underutilized/single-node/replace", nodes: 1 }]);
    expect(r.summary.workloads.find((w) => w.key === "default/web")?.ready).toBe(1);
  });

  test("the same seed gives the same fingerprint", () => {
    const text = scenario({ provisioner: "{disruption: {consolidateAfter: 1m}}", workloads: deployment("filler", 2, "900m") + deployment("db", 2, "400m"), faults: "[{at: 10m, type: ScaleWorkload, name: filler, replicas: 0}]" });
    expect(run(text, 7).summary.fingerprint).toBe(run(text, 7).summary.fingerprint);
  });
});
