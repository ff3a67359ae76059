/** The patch types of the served twin's writes (serve-patch.ts), on the shapes kubectl sends. */
import { describe, expect, test } from "vitest";
import { applyPatch, PatchError, patchTypeOf } from "../../src/cli/serve-patch.ts";

const deployment = {
  metadata: { name: "web", labels: { app: "web" } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }] } } },
};

describe("patches", () => {
  test("strategic merge merges containers by name and honours $setElementOrder as a hint (kubectl set image, apply)", () => {
    const patch = { spec: { template: { spec: { $setElementOrder: [{ name: "a" }, { name: "b" }], containers: [{ name: "b", image: "b:2" }] } } } };
    const out = applyPatch("strategic", deployment, patch) as typeof deployment;
    expect(out.spec.template.spec.containers).toEqual([{ name: "a", image: "a:1" }, { name: "b", image: "b:2" }]);
  });

  test("strategic merge: $patch delete removes a list element, null removes a field", () => {
    const patch = { metadata: { labels: null }, spec: { template: { spec: { containers: [{ name: "a", $patch: "delete" }] } } } };
    const out = applyPatch("strategic", deployment, patch) as Record<string, Record<string, unknown>>;
    expect(out.metadata).toEqual({ name: "web" });
    expect((out.spec as typeof deployment.spec).template.spec.containers).toEqual([{ name: "b", image: "b:1" }]);
  });

  test("strategic merge: $retainKeys keeps only the keys listed, $deleteFromPrimitiveList removes values", () => {
    const target = { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } }, finalizers: ["a", "b", "c"] };
    const patch = { strategy: { $retainKeys: ["type"], type: "Recreate" }, "$deleteFromPrimitiveList/finalizers": ["b"] };
    expect(applyPatch("strategic", target, patch)).toEqual({ strategy: { type: "Recreate" }, finalizers: ["a", "c"] });
  });

  test("merge patch replaces lists whole (RFC 7386), as kubectl scale's spec.replicas patch", () => {
    const out = applyPatch("merge", deployment, { spec: { replicas: 5, template: { spec: { containers: [{ name: "c" }] } } } }) as typeof deployment;
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.template.spec.containers).toEqual([{ name: "c" }]);
  });

  test("JSON patch (RFC 6902): replace, add, remove, and a failing test refuses the patch", () => {
    const out = applyPatch("json", deployment, [
      { op: "replace", path: "/spec/replicas", value: 3 },
      { op: "add", path: "/spec/template/spec/containers/-", value: { name: "c" } },
      { op: "remove", path: "/metadata/labels/app" },
    ]) as typeof deployment;
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(["a", "b", "c"]);
    expect(out.metadata.labels).toEqual({});
    expect(deployment.spec.replicas).toBe(2); // the target is not mutated
    expect(() => applyPatch("json", deployment, [{ op: "test", path: "/spec/replicas", value: 9 }])).toThrow(PatchError);
  });

  test("content types name the patch type; anything else is none", () => {
    expect(patchTypeOf("application/strategic-merge-patch+json")).toBe("strategic");
    expect(patchTypeOf("application/merge-patch+json; charset=utf-8")).toBe("merge");
    expect(patchTypeOf("application/json-patch+json")).toBe("json");
    expect(patchTypeOf("application/apply-patch+yaml")).toBeUndefined();
  });
});

describe("fields the twin ignores", () => {
  test("keys sent and not kept are named by path, through lists; values written differently are not", async () => {
    const { ignoredFields } = await import("../../src/cli/serve-ignored-fields.ts");
    const sent = { metadata: { name: "a", managedFields: [{}] }, spec: { replicas: 1, paused: false, resources: {}, containers: [{ name: "c", env: [{ name: "X" }], cpu: "0.5" }], extra: true }, status: { x: 1 } };
    const kept = { metadata: { name: "a" }, spec: { replicas: 1, containers: [{ name: "c", cpu: "500m" }] } };
    expect(ignoredFields(sent, kept)).toEqual(["spec.containers[0].env", "spec.extra"]);
  });
});

describe("protobuf bodies", () => {
  test("what kubectl 1.32 sends for `create deployment web --image=nginx:1.27 --replicas=3 --port=80` reads as its JSON", async () => {
    const { protobufToJson } = await import("../../src/cli/serve-protobuf.ts");
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(new URL("../fixtures/serve/kubectl-create-deployment.pb", import.meta.url));
    const json = protobufToJson(bytes) as { apiVersion: string; kind: string; metadata: unknown; spec: { replicas: number; selector: unknown; template: { metadata: unknown; spec: { containers: unknown[] } } } };
    expect([json.apiVersion, json.kind, json.metadata]).toEqual(["apps/v1", "Deployment", { name: "web", labels: { app: "web" } }]);
    expect(json.spec.replicas).toBe(3);
    expect(json.spec.selector).toEqual({ matchLabels: { app: "web" } });
    expect(json.spec.template.metadata).toEqual({ labels: { app: "web" } });
    expect(json.spec.template.spec.containers).toEqual([{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }] }]);
  });

  test("a kind without a protobuf table, or no envelope, is refused naming why", async () => {
    const { protobufToJson, ProtobufError } = await import("../../src/cli/serve-protobuf.ts");
    const typeMeta = Buffer.concat([Buffer.from([0x0a, 2]), Buffer.from("v1"), Buffer.from([0x12, 9]), Buffer.from("ConfigMap")]);
    const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, typeMeta.length]), typeMeta]);
    expect(() => protobufToJson(body)).toThrow(/not v1\/ConfigMap: send JSON/);
    expect(() => protobufToJson(Buffer.from("{}"))).toThrow(ProtobufError);
  });
});
