/**
 * The cloud behind node groups (src/sim/actors/cloud-provider.ts): a ProvisionNode joins Ready
 * after a delay drawn from the node's own world stream, with a kubelet of its own; a DeleteNode
 * takes the machine (no more heartbeats); the bill counts node lifetimes from each request.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { buildWorld } from "../../src/sim/world.ts";
import { loadText } from "../scenario/helpers.ts";

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: cloud}
spec:
  duration: 1h
  cluster:
    nodePools:
      - name: g
        count: 1
        zones: [zone-a, zone-b]
        allocatable: {cpu: "2", memory: 8Gi}
        autoscaling: {minCount: 1, maxCount: 5}
        pricePerHour: 0.5
        provisioningDelay: {min: 30s, max: 60s}
  workloads:
    - manifest: {apiVersion: v1, kind: Namespace, metadata: {name: extra}}
  expectations:
    - maxPending: 1m
`;

function world(seed: number) {
  const loaded = loadText(scenario, {});
  if (!loaded.ok) throw new Error(loaded.error.message);
  const sink = new MemorySink();
  const w = buildWorld(loaded.plan, seed, sink);
  return { w, sink };
}

describe("cloud provider", () => {
  test("a requested node joins Ready after its drawn delay, in its zone, and its kubelet heartbeats; deleted, it stops; the bill counts from the request", () => {
    const { w, sink } = world(4);
    w.engine.runUntil({ atMsMax: 60_000, stepsMax: 100_000 });
    w.api.execute({ kind: "ProvisionNode", id: "p/g-1", nodeGroup: "g", nodeName: "g-1" });
    w.engine.runUntil({ atMsMax: 200_000, stepsMax: 100_000 });
    const requested = sink.records.find((r) => r.kind === "NodeProvisioning");
    const joined = sink.records.find((r) => r.kind === "NodeAdded" && r.subject === "node/g-1");
    expect(requested?.exogenous).toBe(false);
    expect((joined?.atMs ?? 0) - (requested?.atMs ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect((joined?.atMs ?? 0) - (requested?.atMs ?? 0)).toBeLessThanOrEqual(60_001);
    const node = w.api.state.nodes.get("g-1");
    expect(node?.status.ready).toBe("True");
    expect(node?.metadata.labels["topology.kubernetes.io/zone"]).toBe("zone-b"); // index 1 of [zone-a, zone-b]
    // created when the machine registers (the write commits a moment later)
    expect(node?.metadata.creationMs).toBeLessThanOrEqual(joined?.atMs ?? 0);
    expect(node?.metadata.creationMs).toBeGreaterThanOrEqual((requested?.atMs ?? 0) + 30_000);
    const renewals = () => sink.records.filter((r) => r.kind === "LeaseRenewed" && r.subject === "lease/kube-node-lease/g-1").length;
    expect(renewals()).toBeGreaterThan(5);
    w.api.execute({ kind: "DeleteNode", id: "d/g-1", nodeName: "g-1" });
    w.engine.runUntil({ atMsMax: 300_000, stepsMax: 100_000 });
    const removedAt = sink.records.find((r) => r.kind === "NodeRemoved")?.atMs ?? 0;
    const after = renewals();
    w.engine.runUntil({ atMsMax: 600_000, stepsMax: 100_000 });
    expect(renewals()).toBe(after);
    const [bill] = w.cloud?.billsAt(600_000) ?? [];
    expect(bill).toMatchObject({ pool: "g", nodesAdded: 1, nodesRemoved: 1, nodesAtEnd: 1, nodesPeak: 2, pricePerHour: 0.5 });
    expect(bill?.nodeMs).toBe(600_000 + (removedAt - (requested?.atMs ?? 0)));
  });

  test("the delay is the node's own exogenous draw: the same seed and name give the same time, another seed another", () => {
    const joinAt = (seed: number) => {
      const { w, sink } = world(seed);
      w.engine.runUntil({ atMsMax: 1_000, stepsMax: 100_000 });
      w.api.execute({ kind: "ProvisionNode", id: "p/g-3", nodeGroup: "g", nodeName: "g-3" });
      w.engine.runUntil({ atMsMax: 100_000, stepsMax: 100_000 });
      return sink.records.find((r) => r.kind === "NodeAdded" && r.subject === "node/g-3")?.atMs;
    };
    expect(joinAt(1)).toBe(joinAt(1));
    const times = new Set([1, 2, 3, 4, 5].map(joinAt));
    expect(times.size).toBeGreaterThan(1);
  });

  test("a node released before it booted never joins and is billed until the release", () => {
    const { w, sink } = world(2);
    w.engine.runUntil({ atMsMax: 1_000, stepsMax: 100_000 });
    w.api.execute({ kind: "ProvisionNode", id: "p/g-1", nodeGroup: "g", nodeName: "g-1" });
    w.engine.runUntil({ atMsMax: 11_000, stepsMax: 100_000 });
    w.api.execute({ kind: "DeleteNode", id: "r/g-1", nodeName: "g-1" });
    w.engine.runUntil({ atMsMax: 200_000, stepsMax: 100_000 });
    expect(sink.records.some((r) => r.kind === "NodeAdded" && r.subject === "node/g-1")).toBe(false);
    const [bill] = w.cloud?.billsAt(200_000) ?? [];
    expect(bill?.nodeMs).toBe(200_000 + 10_000);
  });
});
