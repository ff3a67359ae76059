/**
 * The autoscaling benchmark: a diurnal day compressed into HOURS (default 6) of virtual time on
 * NODES nodes (default 200), DEPLOYMENTS web tiers (default 100), each behind a Service with
 * Poisson load (a diurnal curve, peaks staggered) and an HPA (cpu 60 %, 2..40 replicas), with
 * the load, metrics-server and the HPA controller running, the log in memory. Prints wall time,
 * speed-up over real time, scale decisions, log records and peak memory.
 */
import type { HorizontalPodAutoscaler, Service } from "../src/model/autoscaling-objects.ts";
import { MemorySink } from "../src/log/memory-sink.ts";
import { defaultParameters, type ScenarioPlan } from "../src/sim/plan.ts";
import { runScenario } from "../src/sim/run.ts";
import { deployment } from "../test/sim/plan-fixture.ts";

const nodes = Number(process.env.NODES ?? 200);
const deployments = Number(process.env.DEPLOYMENTS ?? 100);
const hours = Number(process.env.HOURS ?? 6);
const durationMs = hours * 3_600_000;
const meta = (name: string) => ({ name, namespace: "bench", uid: "", labels: {}, creationMs: 0 });

function service(name: string): Service {
  return { kind: "Service", metadata: meta(name), spec: { type: "ClusterIP", selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] } };
}

function hpa(name: string): HorizontalPodAutoscaler {
  return {
    kind: "HorizontalPodAutoscaler",
    metadata: meta(name),
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name }, minReplicas: 2, maxReplicas: 40, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }] },
    status: { currentReplicas: 0, desiredReplicas: 0, currentMetrics: [], conditions: [] },
  };
}

export function autoscalingPlan(): ScenarioPlan {
  const names = Array.from({ length: deployments }, (_, i) => `web-${i}`);
  return {
    name: "bench-autoscaling",
    description: "HPA on every Deployment under diurnal Poisson load",
    sourceHash: "bench",
    durationMs,
    seed: 1,
    namespaces: ["bench"],
    nodePools: [{ name: "pool", count: nodes, zones: ["zone-a", "zone-b", "zone-c"], allocatable: { cpu: 16_000, memory: 64 * 2 ** 30, pods: 110 }, labels: {}, taints: [] }],
    workloads: [
      ...names.flatMap((n) => [{ kind: "PolicyObject" as const, object: service(n), atMs: 0 }, { kind: "PolicyObject" as const, object: hpa(n), atMs: 0 }]),
      ...names.map((n) => {
        const d = deployment("bench", n, 2, 200, 256 * 2 ** 20);
        (d.spec.template.spec.containers[0] as { limits: Record<string, number> }).limits = { cpu: 1000 };
        return { kind: "Deployment" as const, object: d, atMs: 0 };
      }),
    ],
    load: names.map((n, i) => ({
      service: `bench/${n}`,
      curve: { kind: "diurnal" as const, requestsPerSecond: 60, amplitude: 0.8, periodMs: durationMs, peakAtMs: Math.round((durationMs * i) / deployments) },
      noise: "poisson" as const,
      cpuMilliPerRequest: 10,
      baseCpuMilli: 20,
    })),
    faults: [],
    expectations: [],
    parameters: defaultParameters,
    variants: {},
    warnings: [],
  };
}

if (import.meta.main) {
  const sink = new MemorySink();
  const started = performance.now();
  const result = runScenario(autoscalingPlan(), { seed: 1, variant: "baseline", sink });
  const wallMs = performance.now() - started;
  const scales = sink.records.filter((r) => r.kind === "DeploymentScaled").length;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`autoscaling: ${nodes} nodes, ${deployments} Deployments with Service, load and HPA, ${hours}h virtual in ${(wallMs / 1000).toFixed(2)} s wall (${Math.round(durationMs / wallMs)}× real time)`);
  console.log(`autoscaling: ${result.summary.podsCreated} pods created, ${scales} HPA scale writes, ${result.summary.eventCount} log records, ${result.steps} engine steps, peak memory (max RSS) ${peakMb.toFixed(0)} MB`);
}
