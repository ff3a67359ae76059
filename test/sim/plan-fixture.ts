/** Small hand-built plans for engine and world tests (no scenario file needed). */
import type { Deployment } from "../../src/model/objects.ts";
import { defaultParameters, type FaultPlan, type ScenarioPlan } from "../../src/sim/plan.ts";

export function deployment(namespace: string, name: string, replicas: number, cpuMilli: number, memoryBytes: number): Deployment {
  return {
    kind: "Deployment",
    metadata: { name, namespace, uid: "", labels: { app: name }, creationMs: 0 },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        labels: { app: name },
        spec: {
          schedulerName: "default-scheduler",
          containers: [{ name: "main", requests: { cpu: cpuMilli, memory: memoryBytes }, limits: {} }],
        },
      },
      strategy: { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" },
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

export interface SmallPlanOptions {
  nodes?: number;
  zones?: string[];
  deployments?: number;
  replicas?: number;
  durationMs?: number;
  faults?: FaultPlan[];
}

export function smallPlan(o: SmallPlanOptions = {}): ScenarioPlan {
  const deployments = o.deployments ?? 3;
  return {
    name: "small",
    description: "hand-built test plan",
    sourceHash: "test",
    durationMs: o.durationMs ?? 20 * 60_000,
    seed: 1,
    namespaces: ["shop"],
    nodePools: [
      {
        name: "pool",
        count: o.nodes ?? 4,
        zones: o.zones ?? ["zone-a", "zone-b"],
        allocatable: { cpu: 4000, memory: 16 * 2 ** 30, pods: 110 },
        labels: {},
        taints: [],
      },
    ],
    workloads: Array.from({ length: deployments }, (_, i) => ({
      kind: "Deployment" as const,
      object: deployment("shop", `svc-${i}`, o.replicas ?? 3, 250, 256 * 2 ** 20),
      atMs: i * 1000,
    })),
    faults: o.faults ?? [
      { kind: "NodeCrash", atMs: 5 * 60_000, target: { pool: "pool", index: 0 }, label: "crash pool-0" },
      { kind: "NodeRecover", atMs: 15 * 60_000, target: { pool: "pool", index: 0 }, label: "recover pool-0" },
    ],
    expectations: [
      { kind: "MaxPending", name: "pending", maxPendingMs: 120_000 },
      { kind: "Converged", name: "converged", workload: "*" },
    ],
    parameters: defaultParameters,
    variants: { binpack: { description: "bin-pack", parameters: { scheduler: { scoringStrategy: "MostAllocated" } } } },
    warnings: [],
  };
}
