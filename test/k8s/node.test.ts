import { test } from "@fast-check/vitest";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject } from "../../src/k8s/decode.ts";
import { NodeCodec } from "../../src/k8s/node.ts";
import type { Node } from "../../src/model/objects.ts";
import { node } from "./arbitraries.ts";

function decodedNode(raw: unknown): Node {
  const r = decodeObject(NodeCodec, raw);
  if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure));
  return r.success;
}

describe("Node codec", () => {
  it("decodes cordon, taints, resources and the Ready condition; cluster-scoped", () => {
    const n = decodedNode({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1", namespace: "ignored", labels: { "topology.kubernetes.io/zone": "a" } },
      spec: { unschedulable: true, taints: [{ key: "k", value: "v", effect: "NoExecute", timeAdded: "1970-01-01T00:01:00Z" }], podCIDR: "10.0.0.0/24" },
      status: {
        capacity: { cpu: "4", memory: "16Gi", pods: "110" },
        allocatable: { cpu: "3920m", memory: "15Gi", pods: "110" },
        conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "False", lastTransitionTime: "1970-01-01T00:00:10Z" }],
      },
    });
    expect(n).toEqual({
      kind: "Node",
      metadata: { name: "n1", namespace: "", uid: "", labels: { "topology.kubernetes.io/zone": "a" }, creationMs: 0 },
      spec: { unschedulable: true, taints: [{ key: "k", value: "v", effect: "NoExecute", timeAddedMs: 60_000 }] },
      status: { capacity: { cpu: 4000, memory: 16 * 2 ** 30, pods: 110 }, allocatable: { cpu: 3920, memory: 15 * 2 ** 30, pods: 110 }, ready: "False", readyTransitionMs: 10_000 },
    });
  });

  it("allocatable defaults to capacity and the other way round; no Ready condition reads as Ready", () => {
    expect(decodedNode({ metadata: { name: "a" }, status: { capacity: { cpu: 2 } } }).status).toEqual({ capacity: { cpu: 2000 }, allocatable: { cpu: 2000 }, ready: "True", readyTransitionMs: 0 });
    expect(decodedNode({ metadata: { name: "b" }, status: { allocatable: { cpu: 2 } } }).status.capacity).toEqual({ cpu: 2000 });
    expect(decodedNode({ metadata: { name: "c" } }).spec).toEqual({ unschedulable: false, taints: [] });
  });

  it("bad values are problems at their path", () => {
    expect(decodeObject(NodeCodec, { metadata: { name: "n" }, spec: { taints: [{ key: "k", effect: "Sometimes" }] } })).toMatchObject(
      Result.fail({ path: ["spec", "taints", 0, "effect"], message: 'expected "NoSchedule" | "PreferNoSchedule" | "NoExecute", got "Sometimes"' }),
    );
    expect(decodeObject(NodeCodec, { metadata: { name: "n" }, status: { allocatable: { memory: "lots" } } })).toMatchObject(Result.fail({ path: ["status", "allocatable", "memory"] }));
  });

  test.prop([node])("encode then decode gives the same model Node", (n) => {
    expect(decodedNode(encodeObject(NodeCodec, n))).toEqual(n);
  });
});
