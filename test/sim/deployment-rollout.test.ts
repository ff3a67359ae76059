/**
 * Deployment rollouts in a run, as upstream's Deployment controller and kubectl make them: a paused
 * Deployment takes a new template without rolling it out until resumed; revisions number each
 * template (a template brought back by `rollout undo` becomes the newest revision again; an undo
 * to a revision already cleaned up changes nothing, with kubectl's message); old
 * ReplicaSets beyond revisionHistoryLimit are deleted once a rollout completes; a stuck rollout
 * reports ProgressDeadlineExceeded once progressDeadlineSeconds pass without progress; undo is
 * refused at load where kubectl could never do it.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { Deployment, ReplicaSet } from "../../src/model/objects.ts";
import { revisionOf } from "../../src/policies/controllers/deployment-history.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";
import { runScenario, type RunResult } from "../../src/sim/run.ts";

function scenario(faults: string, extra = ""): string {
  return `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: rollouts}
spec:
  duration: 40m
  seed: 3
  cluster:
    nodePools:
      - {name: general, count: 3, zones: [zone-a], allocatable: {cpu: "4", memory: 16Gi, pods: 110}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 4
          revisionHistoryLimit: 1
          progressDeadlineSeconds: 120
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: "web:1", resources: {requests: {cpu: 100m, memory: 64Mi}}}
${extra}  faults:
${faults}`;
}

function run(text: string): RunResult {
  const loaded = loadScenarioText(text, "rollouts.yaml", ".");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  return runScenario(loaded.plan, { seed: loaded.plan.seed, variant: "baseline", sink: new MemorySink({ keepRecords: false }) });
}

function loadError(text: string): string {
  const loaded = loadScenarioText(text, "rollouts.yaml", ".");
  if (loaded.ok) throw new Error("expected the scenario to be refused");
  return `${loaded.error.path}: ${loaded.error.message}`;
}

const web = (r: RunResult) => r.state.deployments.get("default/web") as Deployment;
const sets = (r: RunResult) => [...r.state.replicaSets.values()].filter((rs) => rs.metadata.ownerReferences?.[0]?.name === "web");
const image = (rs: ReplicaSet) => rs.spec.template.spec.containers[0]?.image;
const progressing = (d: Deployment) => d.status.conditions?.find((c) => c.type === "Progressing");

describe("Deployment rollouts in a run", () => {
  test("a paused Deployment takes the new template but creates no ReplicaSet until resumed", () => {
    const faults = `    - {at: 5m, type: RolloutPause, name: web}
    - {at: 6m, type: Rollout, name: web, image: {web: "web:2"}}
    - {at: 20m, type: RolloutResume, name: web}
`;
    const paused = run(scenario(faults.split("\n").slice(0, 2).join("\n") + "\n"));
    expect(sets(paused).map(image)).toEqual(["web:1"]);
    expect(web(paused).spec.paused).toBe(true);
    expect(progressing(web(paused))).toMatchObject({ status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" });
    expect(paused.summary.rollouts?.[0]).toMatchObject({ deployment: "default/web", revision: 1, templateChanges: 1, pauses: 1 });

    const resumed = run(scenario(faults));
    const d = web(resumed);
    expect(d.spec.paused).toBe(false);
    expect(progressing(d)).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    const byRevision = sets(resumed).sort((a, b) => revisionOf(a) - revisionOf(b));
    expect(byRevision.map((rs) => [image(rs), revisionOf(rs), rs.spec.replicas])).toEqual([["web:1", 1, 0], ["web:2", 2, 4]]);
    const completed = resumed.summary.rollouts?.[0]?.lastCompletedAtMs ?? 0;
    expect(completed).toBeGreaterThan(20 * 60_000);
  });

  test("undo brings the previous revision back as the newest; history beyond the limit is deleted after each completed rollout", () => {
    const rollouts = `    - {at: 5m, type: Rollout, name: web, image: {web: "web:2"}}
    - {at: 10m, type: Rollout, name: web, image: {web: "web:3"}}
`;
    const r = run(scenario(`${rollouts}    - {at: 15m, type: RolloutUndo, name: web}
`));
    expect(web(r).spec.template.spec.containers[0]?.image).toBe("web:2");
    expect(web(r).metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("4");
    // revisionHistoryLimit 1: web:1 (revision 1) was deleted once web:3 was rolled out; web:2 came back as revision 4.
    const remaining = sets(r).map((rs) => [image(rs), revisionOf(rs), rs.spec.replicas]).sort();
    expect(remaining).toEqual([["web:2", 4, 4], ["web:3", 3, 0]]);
    expect(r.summary.rollouts?.[0]).toMatchObject({ revision: 4, templateChanges: 3, deadlineExceededAtMs: [], progressingAtEnd: "NewReplicaSetAvailable" });
    expect(r.summary.faults.at(-1)?.label).toBe("undo the rollout of default/web (rolled back to revision 2)");

    // Revision 1 is gone from the history by 15m: kubectl says so and changes nothing.
    const gone = run(scenario(`${rollouts}    - {at: 15m, type: RolloutUndo, name: web, toRevision: 1}
`));
    expect(web(gone).spec.template.spec.containers[0]?.image).toBe("web:3");
    expect(gone.summary.faults.at(-1)?.label).toBe("undo the rollout of default/web to revision 1 (unable to find specified revision 1 in history)");
  });

  test("a rollout whose pods never become ready reports ProgressDeadlineExceeded after progressDeadlineSeconds", () => {
    const behavior = `  containerBehavior:
    - {match: {selector: {app: web}, image: "web:bad"}, exit: {after: 1s, exitCode: 1}}
`;
    const r = run(scenario(`    - {at: 5m, type: Rollout, name: web, image: {web: "web:bad"}}
`, behavior));
    const c = progressing(web(r));
    expect(c).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    const [exceededAtMs] = r.summary.rollouts?.[0]?.deadlineExceededAtMs ?? [];
    // The last progress (the new pods created) is a few seconds after 5m; the deadline is 120 s after it, noticed within a second or two.
    expect(exceededAtMs).toBeGreaterThan(5 * 60_000 + 120_000);
    expect(exceededAtMs).toBeLessThan(5 * 60_000 + 120_000 + 30_000);
    expect(c?.message).toMatch(/^ReplicaSet "web-[0-9a-f]+" has timed out progressing\.$/);
  });

  test("undo is refused at load where kubectl could never do it", () => {
    expect(loadError(scenario(`    - {at: 5m, type: RolloutUndo, name: web}
`))).toMatch(/no rollout history to undo/);
    expect(loadError(scenario(`    - {at: 5m, type: Rollout, name: web, image: {web: "web:2"}}
    - {at: 6m, type: RolloutUndo, name: web, toRevision: 5}
`))).toMatch(/toRevision: unable to find specified revision 5 in history/);
    expect(loadError(scenario(`    - {at: 4m, type: Rollout, name: web, image: {web: "web:2"}}
    - {at: 5m, type: RolloutPause, name: web}
    - {at: 6m, type: RolloutUndo, name: web}
`))).toMatch(/you cannot rollback a paused deployment/);
    expect(loadError(scenario(`    - {at: 5m, type: RolloutPause, name: api}
`))).toMatch(/name: no Deployment "default\/api" in this scenario/);
  });
});
