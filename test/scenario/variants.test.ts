/**
 * Variants that change the world: objects added, replaced, patched (merge and strategic) and
 * removed; node pools and faults changed; errors that name the line in the variant; and common
 * random numbers for whatever the change does not touch.
 */
import { describe, expect, it } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { mergePatch, strategicPatch } from "../../src/scenario/patches.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { applyVariant, type ScenarioPlan } from "../../src/sim/plan.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "./helpers.ts";

const base = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: worlds}
spec:
  duration: 20m
  seed: 4
  cluster:
    nodePools:
      - {name: a, count: 3, zones: [zone-a, zone-b, zone-c], allocatable: {cpu: "4", memory: 16Gi}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: nginx, resources: {requests: {cpu: 250m, memory: 128Mi}}}
                - {name: sidecar, image: envoy, resources: {requests: {cpu: 50m, memory: 64Mi}}}
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, labels: {app: api}}
        spec:
          replicas: 3
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              containers: [{name: api, image: api, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
    - manifest:
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
  faults:
    - {at: 5m, type: PodKill, selector: {app: web}, count: 2, label: kill two}
    - {at: 8m, type: NodeCrash, pool: a, index: 2, label: crash a-2}
  expectations:
    - converged: {workload: default/web}
`;

function plan(variants: string): ScenarioPlan {
  const r = loadText(`${base}  variants:\n${variants}`, {});
  if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
  return r.plan;
}

function error(variants: string): { path: string; message: string; line?: number } {
  const r = loadText(`${base}  variants:\n${variants}`, {});
  if (r.ok) throw new Error("expected an error");
  return r.error;
}

describe("patches", () => {
  it("JSON merge patch: maps merge, null removes, lists replace (RFC 7386)", () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [9] })).toEqual({ a: { c: 2, d: 3 }, l: [9] });
  });

  it("strategic merge patch: named list items merge by key, $patch: delete removes one, other lists replace", () => {
    const target = { containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }], tolerations: [{ key: "t" }] };
    expect(strategicPatch(target, { containers: [{ name: "b", image: "z" }, { name: "c" }], tolerations: [{ key: "u" }] })).toEqual({
      containers: [{ name: "a", image: "x" }, { name: "b", image: "z" }, { name: "c" }],
      tolerations: [{ key: "u" }],
    });
    expect(strategicPatch(target, { containers: [{ name: "a", $patch: "delete" }] })).toEqual({ containers: [{ name: "b", image: "y" }], tolerations: [{ key: "t" }] });
    expect(target.containers).toHaveLength(2); // inputs are never mutated
  });
});

describe("variants that change the world", () => {
  it("patch a Deployment (merge and strategic), replace the PDB, add a spread constraint; the baseline is untouched", () => {
    const p = plan(`    tight:
      workloads:
        patch:
          - target: {kind: Deployment, name: web}
            merge: {spec: {replicas: 6}}
          - target: {kind: Deployment, name: web}
            strategic:
              spec:
                template:
                  spec:
                    containers: [{name: sidecar, resources: {requests: {cpu: 100m}}}]
                    topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}]
        replace:
          - manifest:
              apiVersion: policy/v1
              kind: PodDisruptionBudget
              metadata: {name: web}
              spec: {maxUnavailable: 0, selector: {matchLabels: {app: web}}}
`);
    const v = applyVariant(p, "tight");
    const web = v.workloads.find((w) => w.kind === "Deployment");
    if (web?.kind !== "Deployment") throw new Error("no web");
    expect(web.object.spec.replicas).toBe(6);
    expect(web.object.spec.template.spec.containers.map((c) => [c.name, c.requests.cpu])).toEqual([["web", 250], ["sidecar", 100]]);
    expect(web.object.spec.template.spec.topologySpreadConstraints?.[0]?.maxSkew).toBe(1);
    const pdb = v.workloads.find((w) => w.object.kind === "PodDisruptionBudget");
    expect(pdb?.object.kind === "PodDisruptionBudget" && pdb.object.spec).toEqual({ maxUnavailable: 0, selector: { matchLabels: { app: "web" } } });
    expect(p.variants.tight?.world?.changes).toEqual([
      "patch Deployment default/web (merge)", "patch Deployment default/web (strategic)", "replace PodDisruptionBudget default/web",
    ]);
    const baseWeb = p.workloads.find((w) => w.kind === "Deployment");
    expect(baseWeb?.kind === "Deployment" && baseWeb.object.spec.replicas).toBe(4);
  });

  it("node pools added, patched and removed; faults added and removed; objects removed", () => {
    const p = plan(`    bigger:
      nodePools:
        patch: [{name: a, count: 6}]
        add: [{name: b, count: 2, allocatable: {cpu: "8", memory: 32Gi}, labels: {disk: ssd}}]
      faults:
        remove: [{label: kill two}]
        add: [{at: 10m, type: NodeCrash, pool: b, index: 1, label: crash b-1}]
      workloads:
        remove: [{kind: PodDisruptionBudget, name: web}]
`);
    const v = applyVariant(p, "bigger");
    expect(v.nodePools.map((x) => [x.name, x.count])).toEqual([["a", 6], ["b", 2]]);
    expect(v.faults.map((f) => f.label)).toEqual(["crash a-2", "crash b-1"]);
    expect(v.workloads.map((w) => w.object.kind)).toEqual(["Deployment", "Deployment"]);
    expect(applyVariant(p, "baseline").faults).toHaveLength(2);
  });

  it("errors name the place in the variant", () => {
    expect(error(`    bad:\n      workloads:\n        remove: [{kind: Deployment, name: cache}]\n`)).toMatchObject({
      path: "spec.variants.bad.workloads.remove[0]", message: "no Deployment default/cache in the scenario (Deployments: default/web, default/api)",
    });
    expect(error(`    bad:\n      nodePools:\n        remove: [a]\n`)).toMatchObject({ path: "spec.faults[1].pool" });
    expect(error(`    bad:\n      faults:\n        remove: [{label: nope}]\n`).message).toMatch(/no such fault in spec.faults \(faults: 0: "kill two", 1: "crash a-2"\)/);
    expect(error(`    bad:\n      workloads:\n        patch: [{target: {kind: Deployment, name: web}, merge: {metadata: {name: other}}}]\n`).message).toMatch(/same kind and name/);
  });
});

describe("common random numbers across world-changing variants", () => {
  function faultEvents(p: ScenarioPlan, variant: string): string[] {
    const sink = new MemorySink();
    runScenario(p, { seed: 9, variant, sink });
    return sink.records.filter((r) => r.exogenous && (r.kind === "MachineDown" || r.kind === "Fault")).map((r) => `${r.atMs} ${(JSON.parse(r.payload) as ClusterEvent).kind} ${r.subject}`);
  }

  it("adding a fault does not change what the other faults hit", () => {
    const p = plan(`    extra:
      faults:
        add: [{at: 2m, type: PodKill, selector: {app: api}, count: 1, label: an early kill}]
`);
    const victims = (variant: string, seed = 9) => {
      const sink = new MemorySink();
      runScenario(p, { seed, variant, sink });
      return sink.records.filter((r) => r.kind === "PodDeleting" && r.atMs >= 5 * 60_000 && r.atMs < 5 * 60_000 + 1000).map((r) => r.subject);
    };
    expect(faultEvents(p, "extra").filter((e) => !e.startsWith("120000 "))).toEqual(faultEvents(p, "baseline"));
    // The 5m kill draws from its own stream: the early api kill does not shift which web pods it hits.
    expect(victims("baseline")).toHaveLength(2);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) expect(victims("extra", seed)).toEqual(victims("baseline", seed));
  });
});
