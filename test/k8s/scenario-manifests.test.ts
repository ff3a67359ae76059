/** What the scenario loader does with objects the codec decodes: create them as the API server does. */
import { describe, expect, it } from "vitest";
import type { ScenarioError } from "../../src/scenario/load.ts";
import type { ScenarioPlan } from "../../src/sim/plan.ts";
import { lineOf, loadText } from "../scenario/helpers.ts";

const header = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: create}
spec:
  duration: 10m
  cluster:
    nodePools:
      - {name: p, count: 1, allocatable: {cpu: "2", memory: 4Gi}}
  workloads:
    - {file: objects.yaml, at: 1m}
`;

function load(objects: string): { ok: true; plan: ScenarioPlan } | { ok: false; error: ScenarioError } {
  return loadText(header, { "objects.yaml": objects });
}

const exported = `apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: shop
  uid: 7d2c
  generation: 4
  creationTimestamp: "2024-05-01T12:00:00Z"
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d, uid: rs-1, controller: true}]
spec:
  nodeName: elsewhere-7
  containers: [{name: web, resources: {requests: {cpu: 100m}}}]
status:
  phase: Running
  conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-05-01T12:00:05Z"}]
`;

describe("creating what a manifest describes", () => {
  it("an object exported from a cluster is created afresh: its status, uid, times and owners are not carried over", () => {
    const result = load(exported);
    if (!result.ok) throw new Error(result.error.message);
    const [w] = result.plan.workloads;
    if (w?.kind !== "Pod") throw new Error("expected the pod");
    expect(w.object.metadata).toEqual({ name: "web-0", namespace: "shop", uid: "", labels: {}, creationMs: 60_000, generation: 1 });
    expect(w.object.status).toEqual({ phase: "Pending", ready: false });
    expect(w.object.spec.nodeName).toBe("elsewhere-7");
  });

  it("a Node manifest is not created (nodes come from node pools) and is named in a warning", () => {
    const result = load("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n");
    if (!result.ok) throw new Error(result.error.message);
    expect(result.plan.warnings).toEqual(["scenarios/objects.yaml: not modelled yet, ignored: Node n1"]);
  });

  it("a known kind in an apiVersion the twin does not read is an error at that apiVersion", () => {
    const objects = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n";
    const result = load(objects);
    if (result.ok) throw new Error("expected an error");
    expect(result.error).toMatchObject({ file: "scenarios/objects.yaml", line: lineOf(objects, "apiVersion"), path: "apiVersion" });
    expect(result.error.message).toBe('expected apiVersion "apps/v1" for a Deployment, got "extensions/v1beta1"');
  });

  it("a bad timestamp in metadata is an error, not a silent zero", () => {
    const result = load(exported.replace('"2024-05-01T12:00:00Z"', "yesterday"));
    if (result.ok) throw new Error("expected an error");
    expect(result.error).toMatchObject({ path: "metadata.creationTimestamp", message: 'expected a time like "2024-05-01T12:00:00Z", got "yesterday"' });
  });
});
