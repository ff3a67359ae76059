/** Nodes carry the labels a kubelet and a cloud provider set, so real manifests' selectors match. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { runScenario } from "../../src/sim/run.ts";
import { nodeLabels, regionOfZone } from "../../src/sim/node-labels.ts";
import { smallPlan } from "./plan-fixture.ts";

describe("node labels", () => {
  test("a node has hostname, os and arch (and their beta twins), zone, region and instance type", () => {
    const pool = { name: "general", count: 1, zones: ["us-east1-b"], allocatable: {}, labels: {}, taints: [] };
    expect(nodeLabels(pool, "general-0", "us-east1-b")).toEqual({
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": "general-0",
      "kubernetes.io/os": "linux",
      "kubetwin.io/pool": "general",
      "node.kubernetes.io/instance-type": "general",
      "topology.kubernetes.io/region": "us-east1",
      "topology.kubernetes.io/zone": "us-east1-b",
    });
  });

  test("a pool overrides os, arch, instance type and region, never the hostname or the zone", () => {
    const pool = {
      name: "win", count: 1, zones: ["eu-west-1a"], allocatable: {}, taints: [], instanceType: "m5.large",
      labels: { "kubernetes.io/os": "windows", "kubernetes.io/hostname": "x", "topology.kubernetes.io/zone": "y" },
    };
    const labels = nodeLabels(pool, "win-0", "eu-west-1a");
    expect(labels["kubernetes.io/os"]).toBe("windows");
    expect(labels["node.kubernetes.io/instance-type"]).toBe("m5.large");
    expect(labels["topology.kubernetes.io/region"]).toBe("eu-west-1");
    expect(labels["kubernetes.io/hostname"]).toBe("win-0");
    expect(labels["topology.kubernetes.io/zone"]).toBe("eu-west-1a");
    expect(nodeLabels({ ...pool, region: "europe" }, "win-0", "eu-west-1a")["topology.kubernetes.io/region"]).toBe("europe");
    expect(regionOfZone("zone-a")).toBe("zone");
  });

  test("pods selecting beta.kubernetes.io/os: linux (as Sock Shop's do) schedule and become ready", () => {
    const plan = smallPlan({ nodes: 2, deployments: 1, replicas: 3, durationMs: 5 * 60_000, faults: [] });
    const w = plan.workloads[0]!;
    if (w.kind !== "Deployment") throw new Error("fixture changed");
    w.object.spec.template.spec.nodeSelector = { "beta.kubernetes.io/os": "linux" };
    const result = runScenario(plan, { seed: 1, variant: "baseline", sink: new MemorySink() });
    const pods = [...result.state.pods.values()];
    expect(pods).toHaveLength(3);
    for (const pod of pods) expect(pod.status.ready).toBe(true);
  });
});

describe("zero-length delays", () => {
  test.each([
    ["readinessDelayMs", { readinessDelayMs: 0 }],
    ["podStartMedianMs", { podStartMedianMs: 0 }],
    ["watchLatencyMs", { watchLatencyMs: 0 }],
    ["controllerSyncMs", { controllerSyncMs: 0 }],
    ["all of them", { readinessDelayMs: 0, podStartMedianMs: 0, watchLatencyMs: 0, controllerSyncMs: 0, terminationGraceMs: 0 }],
  ])("%s = 0: every pod still becomes Ready", (_name, overrides) => {
    const plan = smallPlan({ nodes: 2, deployments: 2, replicas: 2, durationMs: 3 * 60_000, faults: [] });
    plan.parameters = { ...plan.parameters, ...overrides };
    const result = runScenario(plan, { seed: 1, variant: "baseline", sink: new MemorySink() });
    const pods = [...result.state.pods.values()];
    expect(pods).toHaveLength(4);
    for (const pod of pods) expect(pod.status.ready).toBe(true);
  });
});

test("property: any non-negative delays give a run whose pods all reach Ready", () => {
  const delay = fc.integer({ min: 0, max: 20_000 });
  fc.assert(
    fc.property(fc.record({ readinessDelayMs: delay, podStartMedianMs: delay, watchLatencyMs: fc.integer({ min: 0, max: 500 }), controllerSyncMs: fc.integer({ min: 0, max: 500 }), terminationGraceMs: delay }), (overrides) => {
      const plan = smallPlan({ nodes: 2, deployments: 1, replicas: 3, durationMs: 5 * 60_000, faults: [] });
      plan.parameters = { ...plan.parameters, ...overrides, podStartSigma: 0.1 };
      const pods = [...runScenario(plan, { seed: 1, variant: "baseline", sink: new MemorySink({ keepRecords: false }) }).state.pods.values()];
      expect(pods).toHaveLength(3);
      for (const pod of pods) expect(pod.status.ready).toBe(true);
    }),
    { numRuns: 25 },
  );
});
