/**
 * Foreground and Orphan deletion of the other workload kinds in a run: a StatefulSet, a DaemonSet
 * and a Job deleted in the foreground stay until their pods are gone and their controllers make
 * no pod meanwhile (stateful_set_control.go, daemon_controller.go, job_controller.go skip a
 * deleting owner); orphaned, their pods keep running with no ownerReferences.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "../scenario/helpers.ts";

const container = "{containers: [{name: c, image: \"c:1\", resources: {requests: {cpu: 100m}}}]}";

const manifests = `    - manifest:
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: ${container}
    - manifest:
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: ${container}
    - manifest:
        apiVersion: batch/v1
        kind: Job
        metadata: {name: crunch}
        spec:
          parallelism: 2
          completions: 4
          template:
            metadata: {labels: {app: crunch}}
            spec: {restartPolicy: Never, ${container.slice(1, -1)}}
`;

function run(faults: string) {
  const text = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: kinds}
spec:
  duration: 15m
  seed: 2
  cluster:
    nodePools:
      - {name: general, count: 2, zones: [zone-a], allocatable: {cpu: 4, memory: 8Gi, pods: 110}}
  workloads:
${manifests}  faults:
${faults}
`;
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const r = runScenario(loaded.plan, { seed: 2, variant: "baseline", sink });
  const pods = (app: string) => [...r.state.pods.values()].filter((p) => p.metadata.labels.app === app);
  return { r, pods, records: sink.records };
}

const cases = [
  { kind: "StatefulSet", name: "db", app: "db", pods: 2 },
  { kind: "DaemonSet", name: "agent", app: "agent", pods: 2 },
  { kind: "Job", name: "crunch", app: "crunch", pods: 2 },
] as const;

describe.each(cases)("$kind", ({ kind, name, app, pods: count }) => {
  const deleteAtMs = 5 * 60_000;
  const subject = `${kind.toLowerCase()}/default/${name}`;

  test("Foreground: its pods go first, then it; no pod is made while it is being deleted", () => {
    const { r, pods, records } = run(`    - {at: 5m, type: Delete, kind: ${kind}, name: ${name}, propagationPolicy: Foreground}`);
    expect(r.state.objects.get(kind)?.has(`default/${name}`) ?? false).toBe(false);
    expect(pods(app)).toEqual([]);
    const removedAt = records.find((x) => x.kind === "ObjectDeleted" && x.subject === subject)?.atMs ?? -1;
    const podsRemoved = records.filter((x) => x.kind === "PodRemoved" && x.subject.startsWith(`pod/default/${name}-`) && x.atMs >= deleteAtMs);
    expect(podsRemoved.length).toBeGreaterThanOrEqual(count);
    for (const x of podsRemoved) expect(x.atMs).toBeLessThanOrEqual(removedAt);
    expect(removedAt).toBeGreaterThan(deleteAtMs);
    expect(records.filter((x) => x.kind === "PodCreated" && x.subject.startsWith(`pod/default/${name}-`) && x.atMs >= deleteAtMs)).toEqual([]);
  });

  test("Orphan: it goes, its pods keep running with no ownerReferences", () => {
    const { r, pods, records } = run(`    - {at: 5m, type: Delete, kind: ${kind}, name: ${name}, propagationPolicy: Orphan}`);
    expect(r.state.objects.get(kind)?.has(`default/${name}`) ?? false).toBe(false);
    const left = pods(app);
    expect(left).toHaveLength(count);
    for (const pod of left) {
      expect(pod.status.phase).toBe("Running");
      expect(pod.metadata.ownerReferences).toBeUndefined();
    }
    expect(records.filter((x) => x.subject.startsWith(`pod/default/${name}-`) && x.atMs >= deleteAtMs && (x.kind === "PodDeleting" || x.kind === "PodCreated"))).toEqual([]);
  });
});
