/**
 * The VPA recommender in a run: web (3 pods) takes a steady 30 requests/s, 10 millicores each
 * over a 20-millicore base, so each pod uses 120m of CPU; metrics-server reports memory as half
 * the 128 MiB request. After two hours the VPA's status recommends p90 + 15% of what it saw: CPU
 * just above 138m (the 5% histogram bucket above 120m, plus the margin), memory the 250 MiB pod
 * minimum (64 MiB + 15% is below it); a maxAllowed of 100m caps the target but not uncappedTarget.
 * At 90m web scales to 5: in mode Off the two new pods keep the template's requests; in mode
 * Initial the admission controller gives them the recommendation, limits scaled in proportion.
 */
import { describe, expect, test } from "vitest";
import type { VerticalPodAutoscaler } from "../../src/model/autoscaling-objects.ts";
import type { Pod } from "../../src/model/objects.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { proportionalLimit } from "../../src/policies/admission/vertical-pod-autoscaler.ts";

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: vpa-steady}
spec:
  duration: 2h
  seed: 5
  cluster:
    nodePools:
      - {name: general, count: 3, zones: [zone-a, zone-b, zone-c], allocatable: {cpu: "4", memory: 16Gi, pods: 110}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: nginx:1.27, resources: {requests: {cpu: 200m, memory: 128Mi}, limits: {cpu: 400m, memory: 256Mi}}}
    - manifest:
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80}]}
    - manifest:
        apiVersion: autoscaling.k8s.io/v1
        kind: VerticalPodAutoscaler
        metadata: {name: web}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          updatePolicy: {updateMode: "Off"}
  load:
    - {service: web, requestsPerSecond: 30, cpuPerRequest: 10m, baseCpu: 20m}
  faults:
    - {at: 90m, type: ScaleWorkload, name: web, replicas: 5}
  variants:
    initial:
      description: updateMode Initial
      workloads:
        patch:
          - target: {kind: VerticalPodAutoscaler, name: web}
            merge: {spec: {updatePolicy: {updateMode: Initial}}}
    capped:
      description: maxAllowed cpu 100m
      workloads:
        patch:
          - target: {kind: VerticalPodAutoscaler, name: web}
            merge: {spec: {resourcePolicy: {containerPolicies: [{containerName: "*", maxAllowed: {cpu: 100m}}]}}}
`;

function finalVpa(variant: string): { vpa: VerticalPodAutoscaler; fingerprint: string; pods: Pod[] } {
  const loaded = loadScenarioText(scenario, "vpa-steady.yaml", ".");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant, sink: new MemorySink({ keepRecords: false }) });
  const vpa = result.state.objects.get("VerticalPodAutoscaler")?.get("default/web") as VerticalPodAutoscaler | undefined;
  if (vpa === undefined) throw new Error("no VPA at the end");
  return { vpa, fingerprint: result.summary.fingerprint, pods: [...result.state.pods.values()] };
}

const resources = (p: Pod) => ({ requests: p.spec.containers[0]?.requests, limits: p.spec.containers[0]?.limits });
const created = (p: Pod) => p.metadata.creationMs;

const mib = 1024 * 1024;

describe("a VPA recommending for steady load", () => {
  const baseline = finalVpa("baseline");

  test("recommends p90 + 15% of the CPU it saw and the pod minimum for memory", () => {
    const [r, ...others] = baseline.vpa.status.recommendation?.containerRecommendations ?? [];
    expect(others).toEqual([]);
    expect(r?.containerName).toBe("web");
    const cpu = r?.target["cpu"] as number;
    expect(cpu).toBeGreaterThanOrEqual(Math.trunc(120 * 1.15));
    expect(cpu).toBeLessThan(120 * 1.15 * 1.06);
    expect(r?.target["memory"]).toBe(250 * mib);
    expect(r?.uncappedTarget).toEqual(r?.target);
    // two hours of samples: confidence 1/12 of a day → upper ×13, lower ×(1 + 0.012)^-2
    expect(r?.upperBound["cpu"]).toBeGreaterThan(10 * cpu);
    expect(r?.lowerBound["cpu"]).toBeLessThan(cpu);
    expect(baseline.vpa.status.conditions).toEqual([{ type: "RecommendationProvided", status: "True", lastTransitionMs: expect.any(Number) }]);
  });

  test("maxAllowed caps the target, uncappedTarget keeps what usage says", () => {
    const capped = finalVpa("capped");
    const r = capped.vpa.status.recommendation?.containerRecommendations[0];
    expect(r?.target["cpu"]).toBe(100);
    expect(r?.upperBound["cpu"]).toBe(100);
    expect(r?.uncappedTarget["cpu"]).toBe(baseline.vpa.status.recommendation?.containerRecommendations[0]?.target["cpu"]);
  });

  test("the same seed gives the same run", () => {
    expect(finalVpa("baseline").fingerprint).toBe(baseline.fingerprint);
  });
});

describe("update modes at admission", () => {
  const template = { requests: { cpu: 200, memory: 128 * mib }, limits: { cpu: 400, memory: 256 * mib } };

  test("mode Off: pods created after the recommendation keep the template's resources", () => {
    const { pods } = finalVpa("baseline");
    expect(pods.length).toBe(5);
    for (const p of pods) expect(resources(p)).toEqual(template);
  });

  test("mode Initial: the two pods created at 90m get the target, limits in proportion; the first three are untouched", () => {
    const { pods } = finalVpa("initial");
    const late = pods.filter((p) => created(p) >= 90 * 60_000);
    const early = pods.filter((p) => created(p) < 90 * 60_000);
    expect([early.length, late.length]).toEqual([3, 2]);
    for (const p of early) expect(resources(p)).toEqual(template);
    for (const p of late) {
      const { requests, limits } = resources(p);
      const cpu = requests?.["cpu"] as number;
      expect(cpu).toBeGreaterThanOrEqual(138);
      expect(cpu).toBeLessThan(120 * 1.15 * 1.06);
      expect(requests?.["memory"]).toBe(250 * mib);
      expect(limits).toEqual({ cpu: Math.trunc((400 * cpu) / 200), memory: 500 * mib });
    }
  });
});

describe("proportional limits (limit_and_request_scaling_test.go, CPU in millicores)", () => {
  test.each([
    ["scale proportionally", 2000, 1000, 10_000, 20_000],
    ["no original limit", undefined, 1000, 10_000, undefined],
    ["no original request", 2000, undefined, 10_000, 10_000],
    ["no recommendation", undefined, 1000, 0, undefined],
    ["limit equal to request", 1000, 1000, 10_000, 10_000],
    ["non-integer ratios truncate", 2000, 1500, 1000, 1333],
  ] as const)("%s", (_name, limit, request, recommended, expected) => {
    expect(proportionalLimit(limit, request, recommended)).toBe(expected);
  });

  test("a limit past what a number holds exactly is capped (upstream caps at int64)", () => {
    expect(proportionalLimit(1e13, 1, 1e13)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
