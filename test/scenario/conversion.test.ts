import { describe, expect, it } from "vitest";
import { defaultParameters } from "../../src/sim/plan.ts";
import type { ScenarioPlan, WorkloadPlan } from "../../src/sim/plan.ts";
import { loadText, validScenario } from "./helpers.ts";

function planOf(text: string, files?: Record<string, string>): ScenarioPlan {
  const result = loadText(text, files);
  if (!result.ok) throw new Error(`${result.error.path}: ${result.error.message}`);
  return result.plan;
}

const header = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: conv}
spec:
  duration: 10m
  cluster:
    nodePools:
      - {name: p, count: 2, allocatable: {cpu: "2", memory: 4Gi}}
`;

function byName(plan: ScenarioPlan, name: string): WorkloadPlan {
  const found = plan.workloads.find((w) => w.object.metadata.name === name);
  if (!found) throw new Error(`no workload ${name}`);
  return found;
}

describe("manifests → model objects", () => {
  const manifests = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: batch}
  - apiVersion: scheduling.k8s.io/v1
    kind: PriorityClass
    metadata: {name: high}
    value: 1000
  - apiVersion: v1
    kind: Pod
    metadata: {name: solo, namespace: batch, labels: {app: solo}, creationTimestamp: null}
    spec:
      priorityClassName: high
      nodeSelector: {disk: ssd}
      tolerations:
        - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}
        - {operator: Exists, effect: ""}
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: solo}}}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchExpressions: [{key: arch, operator: In, values: [arm64]}]}]
      initContainers:
        - {name: init, resources: {limits: {cpu: "1"}}}
      containers:
        - name: main
          livenessProbe: {httpGet: {path: /, port: 80}}
          resources: {requests: {cpu: 0.5, memory: 1e9}, limits: {memory: 2G, "nvidia.com/gpu": 1}}
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata: {name: rs, namespace: batch}
    spec:
      selector: {matchExpressions: [{key: app, operator: In, values: [rs]}]}
      template:
        metadata: {labels: {app: rs}}
        spec: {containers: [{name: c}]}
`;
  const plan = planOf(`${header}  workloads:\n    - file: all.yaml\n      at: 30s\n`, { "all.yaml": manifests });

  it("reads a List, creates its namespace, and keeps the creation time", () => {
    expect(plan.namespaces).toEqual(["batch", "default"]);
    expect(plan.workloads.map((w) => [w.kind, w.object.metadata.namespace, w.object.metadata.name, w.atMs])).toEqual([
      ["PolicyObject", "", "high", 30_000],
      ["Pod", "batch", "solo", 30_000],
      ["ReplicaSet", "batch", "rs", 30_000],
    ]);
    // The pod selects disk=ssd, which no node of this cluster carries: said before the run.
    expect(plan.warnings).toEqual(["Pod batch/solo: its nodeSelector disk=ssd and required node affinity matches no node of the cluster; its pods will stay Pending"]);
  });

  it("converts a pod spec with the API server's defaults", () => {
    const pod = byName(plan, "solo");
    if (pod.kind !== "Pod") throw new Error("not a pod");
    expect(pod.object.status).toEqual({ phase: "Pending", ready: false });
    expect(pod.object.metadata).toEqual({ name: "solo", namespace: "batch", uid: "", labels: { app: "solo" }, creationMs: 30_000, generation: 1 });
    const spec = pod.object.spec;
    expect(spec.schedulerName).toBe("default-scheduler");
    expect(spec.priorityClassName).toBe("high");
    expect(spec.nodeSelector).toEqual({ disk: "ssd" });
    expect(spec.tolerations).toEqual([{ key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" }, { operator: "Exists" }]);
    expect(spec.topologySpreadConstraints?.[0]).toEqual({
      maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "solo" } },
    });
    expect(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions).toEqual([
      { key: "arch", operator: "In", values: ["arm64"] },
    ]);
    expect(spec.initContainers?.[0]?.requests).toEqual({ cpu: 1000 });
    expect(spec.containers[0]).toEqual({
      name: "main",
      requests: { cpu: 500, memory: 1e9, "nvidia.com/gpu": 1 },
      limits: { memory: 2e9, "nvidia.com/gpu": 1 },
      // The probe's timing with SetDefaults_Probe's defaults; its httpGet handler is not modelled.
      livenessProbe: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
    });
  });

  it("defaults a ReplicaSet to one replica and keeps its expression selector", () => {
    const rs = byName(plan, "rs");
    if (rs.kind !== "ReplicaSet") throw new Error("not a ReplicaSet");
    expect(rs.object.spec.replicas).toBe(1);
    expect(rs.object.spec.selector).toEqual({ matchExpressions: [{ key: "app", operator: "In", values: ["rs"] }] });
    expect(rs.object.status).toEqual({ replicas: 0, readyReplicas: 0, availableReplicas: 0 });
  });

  it("a namespace override wins over the manifest's namespace", () => {
    const overridden = planOf(`${header}  workloads:\n    - file: all.yaml\n      namespace: other\n`, { "all.yaml": manifests });
    // The PriorityClass is cluster-scoped: no namespace, whatever the entry says.
    expect(overridden.workloads.map((w) => w.object.metadata.namespace)).toEqual(["", "other", "other"]);
    expect(overridden.namespaces).toEqual(["batch", "default", "other"]);
  });

  it("a replicas override must name a Deployment or ReplicaSet of its entry", () => {
    const result = loadText(`${header}  workloads:\n    - file: all.yaml\n      replicas: {solo: 2}\n`, { "all.yaml": manifests });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ path: "spec.workloads[0].replicas.solo", message: 'no Deployment or ReplicaSet named "solo" in this entry; this entry holds: rs' });
  });
});

describe("parameters and variants", () => {
  it("maps every user-facing name to the plan's field with its unit", () => {
    const text = `${header}  parameters:
    scheduler: {scoringStrategy: MostAllocated, bindLatency: 10ms, unschedulableRetry: 30s}
    podStartMedian: 2s
    podStartSigma: 0.3
    readinessDelay: 1s
    watchLatency: 100ms
    heartbeatPeriod: 20s
    nodeMonitorPeriod: 2s
    nodeMonitorGrace: 40s
    defaultNotReadyTolerationSeconds: 60
    defaultUnreachableTolerationSeconds: 120
    nodeEvictionRate: 0.5
    secondaryNodeEvictionRate: 0.05
    largeClusterSizeThreshold: 20
    unhealthyZoneThreshold: 0.4
    controllerSync: 5ms
    terminationGrace: 10s
    metricsInterval: 5s
    snapshotInterval: 0
    snapshotMinRecords: 1000
    snapshotRecordsPerObject: 4
    controlPlane: {store: raft, members: 5, heartbeat: 50ms, electionTimeout: 500ms, preVote: false, checkQuorum: false}
    imagePulls: {bandwidth: 100Mi, defaultImageSize: 200Mi, serialize: false}
`;
    expect(planOf(text).parameters).toEqual({
      imagePulls: { bytesPerSecond: 100 * 2 ** 20, defaultImageBytes: 200 * 2 ** 20, serialize: false },
      // Scheduler fields the scenario format does not name keep their defaults.
      scheduler: { ...defaultParameters.scheduler, scoringStrategy: "MostAllocated", bindLatencyMs: 10, unschedulableRetryMs: 30_000 },
      controlPlane: { store: "raft", members: 5, heartbeatMs: 50, electionTimeoutMs: 500, preVote: false, checkQuorum: false },
      podStartMedianMs: 2000,
      podStartSigma: 0.3,
      readinessDelayMs: 1000,
      watchLatencyMs: 100,
      heartbeatPeriodMs: 20_000,
      nodeMonitorPeriodMs: 2000,
      nodeMonitorGraceMs: 40_000,
      defaultNotReadyTolerationSeconds: 60,
      defaultUnreachableTolerationSeconds: 120,
      nodeEvictionRate: 0.5,
      secondaryNodeEvictionRate: 0.05,
      largeClusterSizeThreshold: 20,
      unhealthyZoneThreshold: 0.4,
      controllerSyncMs: 5,
      terminationGraceMs: 10_000,
      metricsIntervalMs: 5000,
      snapshotIntervalMs: 0,
      snapshotMinRecords: 1000,
      snapshotRecordsPerObject: 4,
    });
  });

  it("refuses the retired podEvictionTimeout, saying what decides eviction time now", () => {
    for (const where of ["  parameters:\n    podEvictionTimeout: 1m\n", "  variants:\n    fast:\n      parameters: {podEvictionTimeout: 10s}\n"]) {
      const result = loadText(header + where, {});
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.path).toMatch(/podEvictionTimeout$/);
        expect(result.error.message).toMatch(/retired/);
        expect(result.error.message).toMatch(/defaultUnreachableTolerationSeconds/);
        expect(result.error.message).toMatch(/tolerationSeconds/);
      }
    }
  });

  it("without parameters the plan has the defaults, and variants hold only their overrides", () => {
    const plan = planOf(validScenario);
    expect(plan.parameters).toEqual(defaultParameters);
    expect(plan.variants).toEqual({
      binpack: { description: "bin-pack", parameters: { scheduler: { scoringStrategy: "MostAllocated" }, watchLatencyMs: 100 } },
    });
  });

  it("the source hash follows the scenario text and the manifests it reads", () => {
    const a = planOf(validScenario);
    const b = planOf(validScenario.replace("seed: 3", "seed: 4"));
    const c = planOf(validScenario, { "apps/web.yaml": webManifestWithComment() });
    expect(new Set([a.sourceHash, b.sourceHash, c.sourceHash]).size).toBe(3);
  });
});

function webManifestWithComment(): string {
  return `# a comment changes the text, hence the hash
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web}]}
`;
}
