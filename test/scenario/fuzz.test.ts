/**
 * Whatever the input, loading answers — a plan or one located ScenarioError — and never throws
 * (nor falls into the loader's last-resort "internal error" net, which would mean a bug).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { parse, stringify } from "yaml";
import type { LoadResult } from "../../src/scenario/load.ts";
import { loadText, validScenario, webManifest } from "./helpers.ts";

const files = ["scenarios/demo.yaml", "scenarios/apps/web.yaml"];
/** The only errors that concern a whole document rather than a place in it. */
const documentLevel = /^(invalid YAML: |expected one YAML document|expected a mapping \(key: value\), got |not a kubetwin Scenario: |not a Kubernetes manifest: |cannot read )/;

function expectAnswer(result: LoadResult): void {
  if (result.ok) {
    const plan = result.plan;
    expect(plan.durationMs).toBeGreaterThan(0);
    for (const pool of plan.nodePools) expect(pool.count).toBeGreaterThanOrEqual(1);
    for (const f of plan.faults) expect(f.atMs).toBeLessThan(plan.durationMs);
    for (const w of plan.workloads) expect(Number.isSafeInteger(w.atMs)).toBe(true);
    // At any one time, no policy object comes after a pod or workload.
    for (const [i, w] of plan.workloads.entries()) {
      if (w.kind !== "PolicyObject") continue;
      expect(plan.workloads.slice(0, i).some((v) => v.atMs === w.atMs && v.kind !== "PolicyObject")).toBe(false);
    }
    return;
  }
  const e = result.error;
  expect(files).toContain(e.file);
  expect(e.message.length).toBeGreaterThan(0);
  expect(e.message).not.toMatch(/^internal error/);
  if (e.path === "") expect(e.message).toMatch(documentLevel);
  if (e.line !== undefined) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
  }
}

type Json = unknown;
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  return node;
}

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; value: Json }
  | { kind: "insert"; at: number; key: string; value: Json };

function mutate(doc: Json, mutation: Mutation): Json {
  const copy = structuredClone(doc);
  const paths = pathsOf(copy).slice(1); // never the root itself
  const path = paths[mutation.at % paths.length] as Path;
  const parent = parentOf(copy, path);
  const last = path[path.length - 1] as string | number;
  if (!parent) return copy;
  if (mutation.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (mutation.kind === "replace") {
    parent[last] = mutation.value;
  } else {
    const target = parent[last];
    if (target !== null && typeof target === "object" && !Array.isArray(target)) (target as Record<string, unknown>)[mutation.key] = mutation.value;
    else parent[last] = { [mutation.key]: mutation.value };
  }
  return copy;
}

const tricky = fc.constantFrom<Json>(
  "30s", "0s", "-5m", "1h30m", "soon", "", "0", 0, -1, 1.5, 1e21, "1e400", "250m", "2Gi", "-1Gi", "90%", "150%",
  "*", "pool-0", "zone-a", "default/api", "baseline", "NodeCrash", "PodKill", null, true, [], {},
);
const anyValue = fc.oneof(tricky, fc.jsonValue({ maxDepth: 2 }), fc.double());
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("type", "at", "zone", "replicas", "manifest", "file")), value: anyValue }),
);

/** One of each policy kind, and a template naming the class, for the policy fuzz below. */
const policyManifests = `kind: PriorityClass
metadata: {name: batch}
value: 100
---
kind: PodDisruptionBudget
metadata: {name: web}
spec: {selector: {matchLabels: {app: web}}, minAvailable: 50%}
---
kind: ResourceQuota
metadata: {name: q}
spec: {hard: {pods: "10", requests.cpu: "4", requests.memory: 8Gi}}
---
kind: LimitRange
metadata: {name: l}
spec: {limits: [{type: Container, defaultRequest: {cpu: 250m}, default: {cpu: 500m}, max: {cpu: "2"}}]}
---
kind: PersistentVolume
metadata: {name: pv}
spec: {capacity: {storage: 1Gi}, claimRef: {name: c}, nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}
---
kind: PersistentVolumeClaim
metadata: {name: c}
spec: {volumeName: pv, resources: {requests: {storage: 1Gi}}}
---
kind: Pod
metadata: {name: p}
spec: {priorityClassName: batch, containers: [{name: c}]}
`;

const scenarioDoc = parse(validScenario) as Json;
const manifestDocs = webManifest.split("---\n").map((t) => parse(t) as Json);

describe("fuzzing the scenario loader", () => {
  test.prop([fc.array(mutation, { minLength: 1, maxLength: 4 })], { numRuns: 400 })(
    "mutated scenario documents (fields deleted, retyped, inserted) load or fail cleanly",
    (mutations) => {
      const doc = mutations.reduce(mutate, scenarioDoc);
      expectAnswer(loadText(stringify(doc)));
    },
  );

  test.prop([fc.array(mutation, { minLength: 1, maxLength: 3 })], { numRuns: 300 })(
    "mutated manifest files load or fail cleanly, naming the manifest file",
    (mutations) => {
      const doc = mutations.reduce(mutate, manifestDocs[0]);
      const text = [doc, manifestDocs[1]].map((d) => stringify(d)).join("---\n");
      expectAnswer(loadText(validScenario, { "apps/web.yaml": text }));
    },
  );

  const policyDocs = policyManifests.split("---\n").map((t) => parse(t) as Json);
  test.prop([fc.nat({ max: policyDocs.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 })], { numRuns: 400 })(
    "mutated policy objects (PriorityClass, PDB, quota, limits, volumes) load or fail cleanly",
    (which, mutations) => {
      const docs = policyDocs.map((d, i) => (i === which ? mutations.reduce(mutate, d) : d));
      const text = [webManifest, ...docs.map((d) => stringify(d))].join("---\n");
      expectAnswer(loadText(validScenario, { "apps/web.yaml": text }));
    },
  );

  test("the unmutated policy objects load, eight of them (the Service first) before the workloads created at 0s", () => {
    const result = loadText(validScenario, { "apps/web.yaml": [webManifest, policyManifests].join("---\n") });
    expectAnswer(result);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.plan.workloads.map((w) => w.object.kind).slice(0, 8)).toEqual([
      "Service", "PriorityClass", "PodDisruptionBudget", "ResourceQuota", "LimitRange", "PersistentVolume", "PersistentVolumeClaim", "Deployment",
    ]);
  });

  const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.stringMatching(/^[a-z0-9 :\-{}[\]#&*!|>'"\n\t,.%]{0,6}$/) });
  test.prop([fc.array(edit, { minLength: 1, maxLength: 5 })], { numRuns: 400 })("randomly edited YAML text loads or fails cleanly", (edits) => {
    let text = validScenario;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
    }
    expectAnswer(loadText(text));
  });

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 300 })("random bytes load or fail cleanly", (bytes) => {
    expectAnswer(loadText(Buffer.from(bytes).toString("utf8")));
    expectAnswer(loadText(Buffer.from(bytes).toString("latin1")));
  });

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 300 })("random strings load or fail cleanly", (text) => {
    expectAnswer(loadText(text));
  });

  test("an alias bomb is refused, not expanded", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ..."bcdefghij".split("").map((c, i) => `${c}: &${c} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(", ")}]`)].join("\n");
    const result = loadText(bomb);
    expectAnswer(result);
    expect(result.ok).toBe(false);
  });
});
