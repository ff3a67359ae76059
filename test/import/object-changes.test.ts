/** A later apply → the faults that make the same change, and warnings for the rest. */
import { describe, expect, test } from "vitest";
import { changeOf } from "../../src/import/object-changes.ts";
import { createdForm } from "../../src/import/created-form.ts";
import { cronPhaseWarnings } from "../../src/import/cron-phase.ts";
import { scenarioOfTimeline } from "../../src/import/timeline-scenario.ts";
import type { JsonObject } from "../../src/import/plain-json.ts";
import { scenarioText } from "../../src/import/scenario-document.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";

function deployment(patch: { replicas?: number; image?: string; paused?: boolean; env?: string; maxSurge?: string } = {}): JsonObject {
  const container: JsonObject = { name: "web", image: patch.image ?? "nginx:1.24", resources: { requests: { cpu: "100m" } } };
  if (patch.env !== undefined) container.env = [{ name: "MODE", value: patch.env }];
  const spec: JsonObject = { replicas: patch.replicas ?? 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } } };
  if (patch.paused !== undefined) spec.paused = patch.paused;
  if (patch.maxSurge !== undefined) spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: patch.maxSurge } };
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec };
}

const ref = { kind: "Deployment", namespace: "shop", name: "web" };

describe("changeOf", () => {
  test("replicas → ScaleWorkload", () => {
    expect(changeOf(ref, deployment(), deployment({ replicas: 5 }), 90_000, "events[1]")).toEqual({ faults: [{ type: "ScaleWorkload", at: "1m30s", namespace: "shop", name: "web", replicas: 5 }], warnings: [] });
  });

  test("a new image → a Rollout that replaces the template with the new one", () => {
    const after = deployment({ image: "nginx:1.25" });
    const r = changeOf(ref, deployment(), after, 1000, "events[1]");
    expect(r.warnings).toEqual([]);
    expect(r.faults).toEqual([{ type: "Rollout", at: "1s", namespace: "shop", name: "web", strategic: { spec: { template: { $patch: "replace", ...((after.spec as JsonObject).template as JsonObject) } } } }]);
  });

  test("a template change the codec does not read (env) is a warning, not a Rollout that would change nothing", () => {
    const r = changeOf(ref, deployment(), deployment({ env: "fast" }), 1000, "events[4].applied_objs[0]");
    expect(r.faults).toEqual([]);
    expect(r.warnings).toEqual(["1s Deployment shop/web (events[4].applied_objs[0]): the pod template changed only in fields the twin does not model (spec.template.spec.containers[0].env): nothing to roll out"]);
  });

  test("a new template the codec refuses is a warning naming the field, not a Rollout the scenario would refuse", () => {
    const after = deployment({ image: "nginx:1.25" });
    ((((after.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0] = { name: "web", image: "nginx:1.25", resources: { requests: { cpu: "lots" } } };
    const r = changeOf(ref, deployment(), after, 3000, "events[9]");
    expect(r.faults).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^3s Deployment shop\/web \(events\[9\]\): the changed pod template does not decode \(spec\.template\.spec\.containers\[0\]\.resources\.requests\.cpu: .+\): not rolled out$/)]);
  });

  test("paused → RolloutPause, then RolloutResume", () => {
    expect(changeOf(ref, deployment(), deployment({ paused: true }), 0, "x").faults).toEqual([{ type: "RolloutPause", at: "0s", namespace: "shop", name: "web" }]);
    expect(changeOf(ref, deployment({ paused: true }), deployment({ paused: false }), 0, "x").faults).toEqual([{ type: "RolloutResume", at: "0s", namespace: "shop", name: "web" }]);
  });

  test("a field no fault expresses is named, beside the faults that do", () => {
    const r = changeOf(ref, deployment(), deployment({ replicas: 3, maxSurge: "50%" }), 2000, "events[2]");
    expect(r.faults).toEqual([{ type: "ScaleWorkload", at: "2s", namespace: "shop", name: "web", replicas: 3 }]);
    expect(r.warnings).toEqual(["2s Deployment shop/web (events[2]): spec.strategy changed; no scenario fault expresses that: not replayed"]);
  });

  test("status and bookkeeping never count", () => {
    const before = createdForm({ ...deployment(), status: { replicas: 1 }, metadata: { name: "web", namespace: "shop", resourceVersion: "7", generation: 1, annotations: { "deployment.kubernetes.io/revision": "1" } } });
    const after = createdForm({ ...deployment(), status: { replicas: 2 }, metadata: { name: "web", namespace: "shop", resourceVersion: "9", generation: 2, annotations: { "deployment.kubernetes.io/revision": "2" } } });
    expect(changeOf(ref, before, after, 0, "x")).toEqual({ faults: [], warnings: [] });
  });
});

describe("scenarioOfTimeline", () => {
  const at = (atMs: number, op: "apply" | "delete", object: JsonObject) => ({ atMs, op, object, source: ["events", atMs] });

  test("an object the codec refuses is a warning naming the field, and its later changes go with it", () => {
    const bad = deployment();
    ((bad.spec as JsonObject).template as JsonObject).metadata = { labels: { app: "other" } };
    const r = scenarioOfTimeline([at(0, "apply", bad), at(5000, "apply", { ...bad, spec: { ...(bad.spec as JsonObject), replicas: 9 } })]);
    expect(r.workloads).toEqual([]);
    expect(r.faults).toEqual([]);
    expect(r.warnings.length).toBe(1);
    expect(r.warnings[0]).toMatch(/^0s Deployment shop\/web \(events\[0\]\): spec\.(selector|template)[^:]*: .+: not imported \(nor its later changes\)$/);
  });

  test("a kind the twin does not model is a warning; a Pod's deletion is a warning; a Deployment's a Delete", () => {
    const pod: JsonObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop" }, spec: { containers: [{ name: "c", image: "busybox" }] } };
    const r = scenarioOfTimeline([at(0, "apply", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "shop" } }), at(0, "apply", pod), at(0, "apply", deployment()), at(7000, "delete", pod), at(8000, "delete", deployment())]);
    expect(r.workloads.map((w) => ((w.manifest as JsonObject).kind))).toEqual(["Pod", "Deployment"]);
    expect(r.faults).toEqual([{ type: "Delete", at: "8s", kind: "Deployment", namespace: "shop", name: "web" }]);
    expect(r.warnings).toEqual([
      "0s ConfigMap shop/cfg (events[0]): the twin does not model ConfigMap yet: not imported (nor its later changes)",
      "7s Pod shop/p (events[7000]): deleted; a scenario's Delete fault takes Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, not Pod: not replayed",
    ]);
  });

  test("the peak demand follows the replicas over time", () => {
    const r = scenarioOfTimeline([at(0, "apply", deployment()), at(1000, "apply", deployment({ replicas: 6 })), at(2000, "apply", deployment({ replicas: 1 }))]);
    expect(r.peak).toEqual({ cpuMilli: 600, memoryBytes: 0, pods: 6 });
  });
});

describe("cronPhaseWarnings", () => {
  const cron = (schedule: string): [string, JsonObject] => [`CronJob/ops/${schedule}`, { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "backup", namespace: "ops" }, spec: { schedule } }];

  test("every minute keeps its phase on a minute-aligned clock; hours and days do not; @every always does", () => {
    const objects = new Map([cron("* * * * *"), cron("0 3 * * *"), cron("@every 90s")]);
    expect(cronPhaseWarnings(objects, { kind: "minute-aligned", originS: 1_743_286_800 })).toEqual([
      'CronJob ops/backup: schedule "0 3 * * *" runs on the twin\'s clock (time zero is unix 1743286800, which the twin\'s clock counts from 1970-01-01T00:00:00Z): its Jobs start at other moments than recorded',
    ]);
    expect(cronPhaseWarnings(objects, { kind: "relative" }).length).toBe(2);
  });
});

test("a Rollout and a pause made from a timeline load as kubetwin run loads them: the new image is the plan's template", () => {
  const at = (atMs: number, object: JsonObject) => ({ atMs, op: "apply" as const, object, source: ["events", atMs] });
  const built = scenarioOfTimeline([at(0, deployment()), at(60_000, deployment({ image: "nginx:1.25" })), at(90_000, deployment({ image: "nginx:1.25", paused: true }))]);
  const text = scenarioText({ name: "t", description: "t", header: ["test"], durationMs: 300_000, cluster: { nodePools: [{ name: "p", count: 1, allocatable: { cpu: "4", memory: "8Gi" } }] }, built, containerBehavior: [] });
  const loaded = loadScenarioText(text, "t.yaml", ".");
  if (!loaded.ok) throw new Error(loaded.error.message);
  const [rollout, pause] = loaded.plan.faults;
  expect(rollout?.kind).toBe("Rollout");
  expect(rollout?.atMs).toBe(60_000);
  expect(rollout?.kind === "Rollout" && rollout.template.spec.containers.map((c) => c.image)).toEqual(["nginx:1.25"]);
  expect([pause?.kind, pause?.atMs]).toEqual(["RolloutPause", 90_000]);
});
