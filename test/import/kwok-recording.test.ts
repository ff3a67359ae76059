/** KWOK recordings: the snapshot at time zero, ResourcePatch records applied in order, nodes as the cluster. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { importKwok } from "../../src/import/kwok-import.ts";
import { kwokTimeline, resourceOfKind } from "../../src/import/kwok-recording.ts";
import { defaultNodeShape, sizedCluster } from "../../src/import/import-cluster.ts";
import { parseYamlDocuments, type SourceDoc } from "../../src/scenario/yaml-source.ts";

const fixture = join(import.meta.dirname, "../fixtures/kwok/web-recording.yaml");

function docs(text: string): SourceDoc[] {
  const d = parseYamlDocuments(text, "rec.yaml");
  if (!Array.isArray(d)) throw new Error(d.message);
  return d;
}

const patch = (fields: string) => `apiVersion: action.kwok.x-k8s.io/v1alpha1\nkind: ResourcePatch\n${fields}`;

test("kinds map to their REST resources as upstream guesses them", () => {
  expect(["Deployment", "Ingress", "NetworkPolicy", "Endpoints", "Pod"].map(resourceOfKind)).toEqual(["deployments", "ingresses", "networkpolicies", "endpoints", "pods"]);
});

describe("the fixture", () => {
  const read = kwokTimeline(docs(readFileSync(fixture, "utf8")));
  if (!read.ok) throw new Error(read.problem.message);
  const t = read.value;

  test("snapshot objects at time zero, nodes kept apart, each patch at its nanoseconds rounded to ms", () => {
    expect(t.nodes.map((n) => (n.metadata as { name: string }).name)).toEqual(["kwok-node-0", "kwok-node-1"]);
    expect(t.changes.filter((c) => c.atMs === 0).map((c) => c.object.kind)).toEqual(["Namespace", "Deployment", "ReplicaSet", "Pod", "Service"]);
    expect(t.changes.filter((c) => c.atMs > 0).map((c) => [c.atMs, c.op, c.object.kind])).toEqual([
      [5000, "apply", "Pod"], [10_000, "apply", "Deployment"], [12_000, "apply", "Deployment"], [20_000, "apply", "Job"], [30_000, "apply", "Deployment"], [40_000, "apply", "Deployment"], [50_000, "delete", "Job"], [55_000, "delete", "Service"],
    ]);
    expect(t.nodeChanges).toEqual({ created: 0, deleted: 0, patched: 1 });
  });

  test("a strategic patch is applied onto the previous version (containers merged by name, $setElementOrder dropped)", () => {
    const rolled = t.changes.find((c) => c.atMs === 30_000)?.object as { spec: { replicas: number; template: { spec: { containers: { name: string; image: string; resources?: unknown }[] } } } };
    expect(rolled.spec.replicas).toBe(4);
    expect(rolled.spec.template.spec.containers).toEqual([{ name: "web", image: "nginx:1.25", resources: { requests: { cpu: "500m", memory: "512Mi" } } }]);
  });

  test("the scenario: the recorded nodes are the cluster unless the command line chooses", () => {
    const text = readFileSync(fixture, "utf8");
    const own = importKwok(text, { fileName: "web-recording.yaml", shownName: "web-recording.yaml", tailMs: 60_000, cluster: (_b, recorded) => recorded ?? { ok: false, message: "none" } });
    expect(own.ok && own.value.text).toContain("name: recorded-0\n        count: 2");
    const sized = importKwok(text, { fileName: "web-recording.yaml", shownName: "web-recording.yaml", tailMs: 60_000, cluster: (b) => sizedCluster(b.peak, defaultNodeShape, 3) });
    expect(sized.ok && sized.value.text).toContain("name: imported\n        count: 3");
  });
});

describe("problems and warnings", () => {
  test("an object after the first patch is refused at its kind", () => {
    const r = kwokTimeline(docs(`${patch("resource: {version: v1, resource: pods}\ntarget: {name: p}\ndurationNanosecond: 1\nmethod: delete\n")}---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\n`));
    expect(r.ok).toBe(false);
    expect(!r.ok && [r.problem.path, r.problem.message]).toEqual([["kind"], "expected a action.kwok.x-k8s.io/v1alpha1 ResourcePatch: the snapshot's objects come before the first patch"]);
  });

  test("patches out of time order are refused", () => {
    const r = kwokTimeline(docs(`${patch("resource: {version: v1, resource: pods}\ntarget: {name: p}\ndurationNanosecond: 9000000\nmethod: delete\n")}---\n${patch("resource: {version: v1, resource: pods}\ntarget: {name: p}\ndurationNanosecond: 1000000\nmethod: delete\n")}`));
    expect(!r.ok && r.problem.message).toBe("expected patches in time order, got 1 ms after 9 ms");
  });

  test("directives not applied, a patch of an object never shown: warnings", () => {
    const r = kwokTimeline(docs(`apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: x}]}\n---\n${patch("resource: {version: v1, resource: pods}\ntarget: {name: p, namespace: a}\ndurationNanosecond: 1000000\nmethod: patch\ntemplate: {spec: {$retainKeys: [containers], containers: [{name: c, image: y}]}}\n")}---\n${patch("resource: {version: v1, resource: pods}\ntarget: {name: ghost, namespace: a}\ndurationNanosecond: 2000000\nmethod: patch\ntemplate: {apiVersion: v1, kind: Pod, metadata: {name: ghost}}\n")}`));
    expect(r.ok && r.value.warnings).toEqual([
      "document 1 (patch pods a/p): patch directives $retainKeys not applied (the rest of the patch is)",
      "document 2 (patch pods a/ghost): patches an object the recording never showed; the patch is taken as the whole object",
    ]);
    expect(r.ok && r.value.changes[1]?.object.spec).toEqual({ containers: [{ name: "c", image: "y" }] });
  });
});
