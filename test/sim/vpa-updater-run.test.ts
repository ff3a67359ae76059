/**
 * The VPA updater in a run: web (4 pods, 50m requested) uses about 120m each under 40 requests/s,
 * so once the recommender's lower bound passes 50m every pod is outside the recommended range.
 * Mode Recreate: the updater evicts through the Eviction API, at most trunc(4 × 0.5) = 2 pods per
 * pass (--eviction-tolerance), the ReplicaSet recreates them and admission gives them the target;
 * a PodDisruptionBudget with minAvailable 4 refuses every eviction (429) and nothing is evicted;
 * Off and Initial never evict; InPlaceOrRecreate falls back to eviction (in-place resize is not
 * modelled); a single replica is left alone (--min-replicas 2) unless updatePolicy.minReplicas is 1.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import type { Pod } from "../../src/model/objects.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: vpa-updater}
spec:
  duration: 30m
  seed: 3
  cluster:
    nodePools:
      - {name: general, count: 3, zones: [zone-a, zone-b, zone-c], allocatable: {cpu: "4", memory: 16Gi, pods: 110}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: nginx:1.27, resources: {requests: {cpu: 50m, memory: 256Mi}, limits: {cpu: "1", memory: 512Mi}}}
    - manifest:
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80}]}
    - manifest:
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
    - manifest:
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: {name: web}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          updatePolicy: {updateMode: Recreate}
  load:
    - {service: web, requestsPerSecond: 40, cpuPerRequest: 10m, baseCpu: 20m}
  variants:
    blocked:
      description: the budget allows no disruption
      workloads:
        patch:
          - target: {kind: PodDisruptionBudget, name: web}
            merge: {spec: {minAvailable: 4}}
    "off": {workloads: {patch: [{target: {kind: VerticalPodAutoscaler, name: web}, merge: {spec: {updatePolicy: {updateMode: "Off"}}}}]}}
    initial: {workloads: {patch: [{target: {kind: VerticalPodAutoscaler, name: web}, merge: {spec: {updatePolicy: {updateMode: Initial}}}}]}}
    in-place-or-recreate: {workloads: {patch: [{target: {kind: VerticalPodAutoscaler, name: web}, merge: {spec: {updatePolicy: {updateMode: InPlaceOrRecreate}}}}]}}
    in-place: {workloads: {patch: [{target: {kind: VerticalPodAutoscaler, name: web}, merge: {spec: {updatePolicy: {updateMode: InPlace}}}}]}}
    shadowed:
      description: a second VPA on web, first by name and in mode Off, controls its pods
      workloads:
        add:
          - manifest:
              apiVersion: autoscaling.k8s.io/v1
              kind: VerticalPodAutoscaler
              metadata: {name: aaa}
              spec:
                targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                updatePolicy: {updateMode: "Off"}
    single:
      workloads:
        patch:
          - {target: {kind: Deployment, name: web}, merge: {spec: {replicas: 1}}}
          - {target: {kind: PodDisruptionBudget, name: web}, merge: {spec: {minAvailable: 0}}}
    single-min-one:
      workloads:
        patch:
          - {target: {kind: Deployment, name: web}, merge: {spec: {replicas: 1}}}
          - {target: {kind: PodDisruptionBudget, name: web}, merge: {spec: {minAvailable: 0}}}
          - target: {kind: VerticalPodAutoscaler, name: web}
            merge: {spec: {updatePolicy: {minReplicas: 1}}}
`;

interface Logged {
  atMs: number;
  event: ClusterEvent;
}

function run(variant: string) {
  const loaded = loadScenarioText(scenario, "vpa-updater.yaml", ".");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const sink = new MemorySink();
  const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant, sink });
  const log: Logged[] = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  const evictions = log.filter((e) => e.event.kind === "PodDeleting" && e.event.reason === "Evicted");
  const refusals = log.filter((e) => e.event.kind === "AdmissionRejected" && e.event.plugin === "Eviction");
  const vpa = result.summary.verticalPodAutoscalers?.[0];
  return { result, evictions, refusals, vpa };
}

const cpuOf = (p: Pod) => p.spec.containers[0]?.requests["cpu"];
const min = 60_000;

describe("the VPA updater in mode Recreate", () => {
  const s = run("baseline");

  test("evicts every under-provisioned pod, at most 2 of 4 per pass, each pass at an updater tick", () => {
    expect(s.evictions.length).toBe(4);
    expect(s.vpa).toMatchObject({ updateMode: "Recreate", evicted: 4, refused: 0 });
    const byPass = new Map<number, number>();
    for (const e of s.evictions) byPass.set(Math.floor(e.atMs / min), (byPass.get(Math.floor(e.atMs / min)) ?? 0) + 1);
    expect([...byPass.values()]).toEqual([2, 2]);
    // The updater's first pass is at 1m; a pass starts on the minute, its evictions land within the second.
    for (const e of s.evictions) expect(e.atMs % min).toBeLessThan(1000);
  });

  test("the ReplicaSet recreates them and admission gives them the recommendation", () => {
    const target = s.vpa?.targets?.[0]?.target["cpu"] as number;
    const pods = [...s.result.state.pods.values()];
    expect(pods.length).toBe(4);
    const first = Math.min(...s.evictions.map((e) => e.atMs));
    for (const p of pods) {
      expect(p.metadata.creationMs).toBeGreaterThan(first);
      expect(cpuOf(p)).toBeGreaterThan(120);
    }
    // The target may have grown since the pods were made; each pod got the target of its day, all above the 120m used.
    expect(target).toBeGreaterThanOrEqual(Math.max(...pods.map((p) => cpuOf(p) as number)) - 20);
  });

  test("the accuracy score: under-provisioned until the evictions, then not", () => {
    const c = s.result.summary.resourceAccuracy?.containers[0];
    expect(c).toMatchObject({ workload: "default/web", container: "web", vpa: "default/web" });
    const last = Math.max(...s.evictions.map((e) => e.atMs));
    // Every pod was under-provisioned until it was evicted; the replacements are not (bar a rare burst).
    expect(c?.cpuUnderProvisionedPercent).toBeGreaterThan((100 * (Math.min(...s.evictions.map((e) => e.atMs)) - 60_000)) / (30 * min));
    expect(c?.cpuUnderProvisionedPercent).toBeLessThan((100 * (last + 2 * min)) / (30 * min));
  });

  test("the same seed gives the same run", () => {
    expect(run("baseline").result.summary.fingerprint).toBe(s.result.summary.fingerprint);
  });
});

describe("what stops the updater", () => {
  test("a PodDisruptionBudget that allows no disruption: every eviction is refused with 429, none evicted", () => {
    const s = run("blocked");
    expect(s.evictions).toEqual([]);
    expect(s.refusals.length).toBeGreaterThan(20); // every pass, from the first outside-the-range one, tries
    for (const r of s.refusals) expect(r.event).toMatchObject({ code: 429, reason: "TooManyRequests" });
    expect(s.vpa).toMatchObject({ evicted: 0, refused: s.refusals.length });
    expect(s.result.summary.resourceAccuracy?.total.cpuUnderProvisionedPercent).toBeGreaterThan(99);
  });

  test.each(["off", "initial", "in-place"])("mode %s: no eviction is asked for", (variant) => {
    const s = run(variant);
    expect([s.evictions.length, s.refusals.length]).toEqual([0, 0]);
    expect(s.vpa).toMatchObject({ evicted: 0, refused: 0 });
    expect([...s.result.state.pods.values()].map(cpuOf)).toEqual([50, 50, 50, 50]);
  });

  test("mode InPlaceOrRecreate falls back to eviction, like Recreate", () => {
    const s = run("in-place-or-recreate");
    expect(s.evictions.map((e) => e.atMs)).toEqual(run("baseline").evictions.map((e) => e.atMs));
  });

  test("two VPAs on one target: the first by name controls its pods (admission's rule), so web's Recreate evicts nothing", () => {
    const s = run("shadowed");
    expect([s.evictions.length, s.refusals.length]).toEqual([0, 0]);
    expect(s.result.summary.verticalPodAutoscalers?.map((v) => [v.name, v.updateMode, v.evicted])).toEqual([["default/aaa", "Off", 0], ["default/web", "Recreate", 0]]);
  });

  test("a single replica is not evicted under --min-replicas 2; updatePolicy.minReplicas 1 lets it go (the budget allowing it)", () => {
    const single = run("single");
    expect([single.evictions.length, single.refusals.length]).toEqual([0, 0]);
    const s = run("single-min-one");
    expect(s.evictions.length).toBe(1);
    expect([...s.result.state.pods.values()].map(cpuOf)[0]).toBeGreaterThan(120);
  });
});
