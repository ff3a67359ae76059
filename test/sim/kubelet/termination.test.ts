/**
 * Graceful termination: the pure stop delay (killContainer: preStop within the grace, then the
 * app's SIGTERM exit or SIGKILL at what is left, at least 2 s), and through a tiny scenario: a
 * killed pod leaves Ready at once, keeps its node's room until its container stopped, then goes;
 * a forced kill and a grace period of 0 remove it at once.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioText } from "../../../src/scenario/load.ts";
import { stopDelayMs } from "../../../src/sim/kubelet/termination.ts";
import { runScenario } from "../../../src/sim/run.ts";

describe("stop delay", () => {
  test("the app's own exit when it comes within the grace; SIGKILL at the grace otherwise", () => {
    expect(stopDelayMs({ graceMs: 30_000, preStopMs: 0, appStopMs: 4_000 })).toBe(4_000);
    expect(stopDelayMs({ graceMs: 30_000, preStopMs: 0, appStopMs: 90_000 })).toBe(30_000);
  });

  test("preStop runs first and takes its time off the grace; SIGTERM always gets 2 s", () => {
    expect(stopDelayMs({ graceMs: 30_000, preStopMs: 5_000, appStopMs: 10_000 })).toBe(15_000);
    expect(stopDelayMs({ graceMs: 30_000, preStopMs: 5_000, appStopMs: 60_000 })).toBe(30_000);
    expect(stopDelayMs({ graceMs: 30_000, preStopMs: 29_000, appStopMs: 60_000 })).toBe(31_000);
    // A hook longer than the grace is cut at the grace, then the 2 s minimum.
    expect(stopDelayMs({ graceMs: 10_000, preStopMs: 60_000, appStopMs: 60_000 })).toBe(12_000);
    expect(stopDelayMs({ graceMs: 0, preStopMs: 5_000, appStopMs: 5_000 })).toBe(0);
  });
});

function deployment(name: string, grace: number | undefined, lifecycle = ""): string {
  return `    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ${name}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: ${name}}}
          template:
            metadata: {labels: {app: ${name}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: ${name}-0}
${grace === undefined ? "" : `              terminationGracePeriodSeconds: ${grace}\n`}              containers:
                - name: main
                  image: example/${name}:1
                  resources: {requests: {cpu: 800m}}${lifecycle}`;
}

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: termination}
spec:
  duration: 5m
  seed: 1
  cluster:
    nodePools:
      - {name: slow, count: 1, zones: [zone-a], allocatable: {cpu: "1", memory: 4Gi}}
      - {name: forced, count: 1, zones: [zone-a], allocatable: {cpu: "1", memory: 4Gi}}
      - {name: zero, count: 1, zones: [zone-a], allocatable: {cpu: "1", memory: 4Gi}}
      - {name: sleepy, count: 1, zones: [zone-a], allocatable: {cpu: "1", memory: 4Gi}}
  workloads:
${deployment("slow", 20)}
${deployment("forced", undefined)}
${deployment("zero", 0)}
${deployment("sleepy", undefined, "\n                  lifecycle: {preStop: {sleep: {seconds: 8}}}")}
  containerBehavior:
    - {match: {selector: {app: slow}}, preStop: 5s, stopAfter: 30s}
    - {match: {selector: {app: forced}}, preStop: 5s, stopAfter: 30s}
    - {match: {selector: {app: sleepy}}, stopAfter: 1s}
  faults:
    - {at: 2m, type: PodKill, selector: {app: slow}}
    - {at: 2m, type: PodKill, selector: {app: forced}, force: true}
    - {at: 2m, type: PodKill, selector: {app: zero}}
    - {at: 2m, type: PodKill, selector: {app: sleepy}}
`;

const loaded = loadScenarioText(scenario, "termination.yaml", "/");
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
const keyed = (kind: ClusterEvent["kind"], app: string) => log.filter((e) => e.event.kind === kind && "key" in e.event && e.event.key.startsWith(`default/${app}-`));
const podsOf = (app: string) => [...new Set(log.flatMap((e) => (e.event.kind === "PodCreated" && e.event.pod.metadata.labels.app === app ? [`${e.event.pod.metadata.namespace}/${e.event.pod.metadata.name}`] : [])))];

describe("a killed pod through the kubelet", () => {
  test("grace 20 s, preStop 5 s, the app needs 30 s: removed 20 s after the deletion (SIGKILL at the grace)", () => {
    const [first] = podsOf("slow");
    const deleting = log.find((e) => e.event.kind === "PodDeleting" && e.event.key === first)!;
    const removed = log.find((e) => e.event.kind === "PodRemoved" && e.event.key === first)!;
    // The kill commits at 2m + 1 ms; the kubelet hears it a watch latency (50 ms) later, its removal commits 1 ms after 20 s.
    expect(deleting.atMs).toBe(120_001);
    expect(removed.atMs - deleting.atMs).toBe(20_051);
  });

  test("the terminating pod keeps its node's room: the replacement binds only once it is gone", () => {
    const [first, second] = podsOf("slow");
    const removed = log.find((e) => e.event.kind === "PodRemoved" && e.event.key === first)!;
    const created = log.find((e) => e.event.kind === "PodCreated" && `default/${e.event.pod.metadata.name}` === second)!;
    const bound = log.find((e) => e.event.kind === "PodBound" && e.event.key === second)!;
    expect(created.atMs).toBeLessThan(removed.atMs - 15_000);
    expect(bound.atMs).toBeGreaterThan(removed.atMs);
  });

  test("force and a grace period of 0 remove the pod at once", () => {
    for (const app of ["forced", "zero"]) {
      expect(keyed("PodDeleting", app)).toEqual([]);
      expect(keyed("PodRemoved", app).map((e) => e.atMs)).toEqual([120_001]);
    }
  });

  test("the spec's preStop sleep action (8 s) runs when the rule names no preStop: removed 8 s + 1 s after the deletion", () => {
    const [first] = podsOf("sleepy");
    const deleting = log.find((e) => e.event.kind === "PodDeleting" && e.event.key === first)!;
    const removed = log.find((e) => e.event.kind === "PodRemoved" && e.event.key === first)!;
    expect(removed.atMs - deleting.atMs).toBe(9_051);
  });
});
