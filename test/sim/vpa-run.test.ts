/**
 * The VPA recommender in a run: web (3 pods) takes a steady 30 requests/s, 10 millicores each
 * over a 20-millicore base, so each pod uses 120m of CPU; metrics-server reports memory as half
 * the 128 MiB request. After two hours the VPA's status recommends p90 + 15% of what it saw: CPU
 * just above 138m (the 5% histogram bucket above 120m, plus the margin), memory the 250 MiB pod
 * minimum (64 MiB + 15% is below it); a maxAllowed of 100m caps the target but not uncappedTarget.
 */
import { describe, expect, test } from "vitest";
import type { VerticalPodAutoscaler } from "../../src/model/autoscaling-objects.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

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
                - {name: web, image: nginx:1.27, resources: {requests: {cpu: 200m, memory: 128Mi}}}
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
  variants:
    capped:
      description: maxAllowed cpu 100m
      workloads:
        patch:
          - target: {kind: VerticalPodAutoscaler, name: web}
            merge: {spec: {resourcePolicy: {containerPolicies: [{containerName: "*", maxAllowed: {cpu: 100m}}]}}}
`;

function finalVpa(variant: string): { vpa: VerticalPodAutoscaler; fingerprint: string } {
  const loaded = loadScenarioText(scenario, "vpa-steady.yaml", ".");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant, sink: new MemorySink({ keepRecords: false }) });
  const vpa = result.state.objects.get("VerticalPodAutoscaler")?.get("default/web") as VerticalPodAutoscaler | undefined;
  if (vpa === undefined) throw new Error("no VPA at the end");
  return { vpa, fingerprint: result.summary.fingerprint };
}

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
