/**
 * Garbage collection by ownerReferences in a run (background propagation): a Delete fault removes
 * the object at once and the garbage collector deletes what it owned — a Deployment's ReplicaSets,
 * then their pods; a CronJob's Jobs, then theirs — while other workloads are untouched.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "../scenario/helpers.ts";

const container = "{containers: [{name: c, image: \"c:1\", resources: {requests: {cpu: 100m}}}]}";

function deployment(name: string): string {
  return `    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ${name}}
        spec:
          replicas: 3
          selector: {matchLabels: {app: ${name}}}
          template:
            metadata: {labels: {app: ${name}}}
            spec: ${container}
`;
}

function run(faults: string) {
  const text = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: gc}
spec:
  duration: 20m
  seed: 1
  cluster:
    nodePools:
      - {name: general, count: 2, zones: [zone-a], allocatable: {cpu: 4, memory: 8Gi, pods: 110}}
  containerBehavior:
    - {match: {selector: {app: tick}}, exit: {after: 10m, exitCode: 0}}
  workloads:
${deployment("web")}${deployment("api")}    - manifest:
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: tick}
        spec:
          schedule: "*/2 * * * *"
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: tick}}
                spec: {restartPolicy: Never, ${container.slice(1, -1)}}
  faults:
${faults}
`;
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const r = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
  const pods = (app: string) => [...r.state.pods.values()].filter((p) => p.metadata.labels.app === app);
  return { r, pods, records: sink.records };
}

describe("garbage collection", () => {
  test("deleting a Deployment: its ReplicaSet, then its pods, go; the other Deployment keeps all its pods", () => {
    const { r, pods, records } = run("    - {at: 5m, type: Delete, kind: Deployment, name: web}");
    expect(r.state.deployments.has("default/web")).toBe(false);
    expect([...r.state.replicaSets.keys()].filter((k) => k.startsWith("default/web-"))).toEqual([]);
    expect(pods("web")).toEqual([]);
    expect(pods("api").filter((p) => p.status.ready)).toHaveLength(3);
    const at = (kind: string, prefix: string) => records.find((x) => x.kind === kind && x.subject.startsWith(prefix))?.atMs ?? -1;
    // Owner first, then the dependents, in order.
    expect(at("DeploymentRemoved", "deployment/default/web")).toBeGreaterThanOrEqual(5 * 60_000);
    expect(at("DeploymentRemoved", "deployment/default/web")).toBeLessThan(5 * 60_000 + 1000);
    expect(at("ReplicaSetRemoved", "replicaset/default/web-")).toBeGreaterThan(5 * 60_000);
    expect(at("PodDeleting", "pod/default/web-")).toBeGreaterThan(at("ReplicaSetRemoved", "replicaset/default/web-"));
    const gcDeletes = records.filter((x) => x.kind === "PodDeleting" && x.subject.startsWith("pod/default/web-") && x.payload.includes("GarbageCollected"));
    expect(gcDeletes).toHaveLength(3);
  });

  test("deleting a CronJob: its Jobs, then their running pods, go; no new Job is made", () => {
    const { r, pods, records } = run("    - {at: 7m, type: Delete, kind: CronJob, name: tick}");
    expect(r.state.objects.get("CronJob")?.has("default/tick") ?? false).toBe(false);
    expect([...(r.state.objects.get("Job")?.keys() ?? [])]).toEqual([]);
    expect(pods("tick")).toEqual([]);
    const created = records.filter((x) => x.kind === "ObjectCreated" && x.subject.startsWith("job/default/tick-")).map((x) => x.subject);
    expect(created).toEqual(["job/default/tick-2", "job/default/tick-4", "job/default/tick-6"]);
  });

  test("a Delete naming nothing of the scenario is bad input", () => {
    expect(() => run("    - {at: 5m, type: Delete, kind: Deployment, name: nope}")).toThrow('no Deployment "default/nope" in this scenario');
  });
});
