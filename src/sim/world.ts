/**
 * Assembles a world from a plan: engine, api server, one kubelet per node, scheduler, controllers,
 * node lifecycle controller, scenario driver and observer. Every component gets its own named prng
 * fork; exogenous streams ("world/…") are never handed to a policy.
 */
import { nodeLeaseNamespace, type Node } from "../model/objects.ts";
import { Prng } from "../model/prng.ts";
import type { Ms } from "../model/units.ts";
import { scheduleBasic } from "../policies/basic/basic-scheduler.ts";
import { Kubelet } from "./actors/kubelet.ts";
import { nodeLifecycleController } from "../policies/controllers/node-lifecycle.ts";
import { ScenarioDriver } from "./actors/scenario-driver.ts";
import { SchedulerActor, type PlacementPolicy } from "./actors/scheduler-actor.ts";
import { ControllerActor } from "./actors/controller-actor.ts";
import { deploymentController } from "../policies/controllers/deployment.ts";
import { replicaSetController } from "../policies/controllers/replicaset.ts";
import { statefulSetController } from "../policies/controllers/statefulset.ts";
import { nodeOperationController } from "../policies/controllers/node-operation.ts";
import { daemonSetController } from "../policies/controllers/daemonset.ts";
import { jobController } from "../policies/controllers/job.ts";
import { ttlAfterFinishedController } from "../policies/controllers/ttl-after-finished.ts";
import { garbageCollector } from "../policies/controllers/garbage-collector.ts";
import { cronJobController } from "../policies/controllers/cronjob.ts";
import { verticalPodAutoscalerController } from "../policies/controllers/vertical-pod-autoscaler.ts";
import { vpaUpdaterController, type VpaUpdaterState } from "../policies/controllers/vpa-updater.ts";
import { vpaUpdaterDefaults } from "../policies/autoscaling/vpa/updater-options.ts";
import { ResourceAccuracyObservations } from "./observe/resource-accuracy.ts";
import { ApiServer } from "./api/api-server.ts";
import { Engine } from "./engine.ts";
import { buildRaftStore } from "./control-plane.ts";
import type { EventSink } from "../log/sink.ts";
import type { RaftStore } from "./raft/raft-store.ts";
import { RunObserver } from "./observe/run-observer.ts";
import type { NodePoolPlan, ScenarioPlan, SimParameters } from "./plan.ts";
import { FrameworkSchedulerActor } from "./actors/framework-scheduler-actor.ts";
import { disruptionController, resourceQuotaController } from "../policies/controllers/policy-status.ts";
import { createScheduler } from "../policies/scheduling/scheduler.ts";
import { schedulerConfigOf } from "./scheduler-config.ts";
import { nodeLabels } from "./node-labels.ts";
import { horizontalPodAutoscalerController } from "../policies/controllers/horizontal-pod-autoscaler.ts";
import { LoadActor, type SliceListener } from "./load/load-actor.ts";
import { defaultMetricsPlan } from "./load/load-plan.ts";
import { MetricsServer } from "./actors/metrics-server.ts";
import { CloudProvider } from "./actors/cloud-provider.ts";
import { clusterAutoscalerController, type ClusterAutoscalerState } from "../policies/controllers/cluster-autoscaler.ts";
import { clusterAutoscalerDefaults } from "../policies/autoscaling/cluster-autoscaler/options.ts";
import type { NodeGroupSpec } from "../policies/autoscaling/cluster-autoscaler/node-groups.ts";
import { defaultSchedulerName } from "../policies/scheduling/profile.ts";
import { provisionerController, type ProvisionerState } from "../policies/controllers/provisioner.ts";
import { provisionerDefaults } from "../policies/autoscaling/provisioner/node-pool.ts";
import { offeringId } from "../policies/autoscaling/provisioner/instance-types.ts";
import { offeringNode, offeringPoolsOf, provisionerNodePoolsOf } from "./provisioner-world.ts";

/** Either scheduler process: both count their scheduling attempts. */
export type SchedulerProcess = SchedulerActor | FrameworkSchedulerActor;

export interface World {
  engine: Engine;
  api: ApiServer;
  store: RaftStore | undefined;
  observer: RunObserver;
  scheduler: SchedulerProcess;
  kubelets: Map<string, Kubelet>;
  /** The load generator, when the scenario has load or autoscalers. */
  load?: LoadActor;
  /** The node groups' cloud (provisioning, deletion, the bill), when a pool autoscales or has a price. */
  cloud?: CloudProvider;
  /** The cluster autoscaler's runner, when a pool autoscales (its state explains scale-down). */
  clusterAutoscaler?: ControllerActor<ClusterAutoscalerState>;
  /** The provisioner's runner, when a pool is a Karpenter NodePool (its state explains consolidation). */
  provisioner?: ControllerActor<ProvisionerState>;
  /** The VPA updater's runner, when the scenario has a VPA (its state counts evictions). */
  vpaUpdater?: ControllerActor<VpaUpdaterState>;
}

export function basicPlacement(strategy: ScenarioPlan["parameters"]["scheduler"]["scoringStrategy"]): PlacementPolicy {
  const state = { nextStartIndex: 0 };
  return {
    place(view, pod, prng) {
      const r = scheduleBasic(view, pod, strategy, prng, state);
      return r.kind === "Bind" ? { kind: "Bind", nodeName: r.nodeName } : r;
    },
  };
}

/** The framework scheduler unless the scenario (or a test's placement policy) asks for the basic one. */
function buildScheduler(engine: Engine, api: ApiServer, p: SimParameters, prng: Prng, placement: PlacementPolicy | undefined, recountEvery: number): SchedulerProcess {
  if (placement !== undefined || p.scheduler.implementation === "basic") {
    const policy = placement ?? basicPlacement(p.scheduler.scoringStrategy);
    return new SchedulerActor(engine, api, policy, prng, { cycleMs: p.scheduler.bindLatencyMs, unschedulableRetryMs: p.scheduler.unschedulableRetryMs });
  }
  return new FrameworkSchedulerActor(engine, api, createScheduler({ ...schedulerConfigOf(p.scheduler), recountEvery }), prng, p.scheduler.bindLatencyMs);
}

export function nodeName(pool: NodePoolPlan, index: number): string {
  return `${pool.name}-${index}`;
}

/** Node `index` of a pool as it joins the cluster (also used to check selectors before a run); `atMs`: when it registers. */
export function makeNode(pool: NodePoolPlan, index: number, atMs: Ms = 0): Node {
  const name = nodeName(pool, index);
  const zone = pool.zones[index % pool.zones.length] ?? "";
  return {
    kind: "Node",
    metadata: {
      name,
      namespace: "",
      uid: `node-${name}`,
      labels: nodeLabels(pool, name, zone),
      creationMs: atMs,
    },
    spec: { unschedulable: false, taints: pool.taints.map((t) => ({ ...t })) },
    status: { capacity: { ...pool.allocatable }, allocatable: { ...pool.allocatable }, ready: "True", readyTransitionMs: atMs },
  };
}

/** `everyController`: run the workload controllers a plan does not need yet (a served live world, whose users may create any kind or delete any workload). */
export interface WorldOptions {
  everyController?: boolean;
}

export function buildWorld(plan: ScenarioPlan, seed: number, sink: EventSink, placement?: PlacementPolicy, recountEvery = 0, options: WorldOptions = {}): World {
  const p = plan.parameters;
  const every = options.everyController === true;
  const root = Prng.fromSeed(seed);
  const engine = new Engine(4096);
  const admission = { defaultNotReadyTolerationSeconds: p.defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds: p.defaultUnreachableTolerationSeconds };
  const api = new ApiServer(engine, sink, { watchLatencyMs: p.watchLatencyMs, commitLatencyMs: 1, admission });
  const store = p.controlPlane.store === "raft" ? buildRaftStore(engine, root.fork("world/control-plane"), p.controlPlane, api) : undefined;
  if (store) api.useStore(store);
  const kubelets = new Map<string, Kubelet>();
  const poolNodes = new Map<string, string[]>();
  const namespaces = new Set(["default", "kube-system", nodeLeaseNamespace, ...plan.namespaces]);
  for (const w of plan.workloads) if (w.object.metadata.namespace !== "") namespaces.add(w.object.metadata.namespace);
  for (const ns of [...namespaces].sort()) {
    api.recordWorldEvent({ kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: ns, namespace: "", uid: `ns-${ns}`, labels: {}, creationMs: 0 } } });
  }
  const startKubelet = (name: string): Kubelet => {
    const kubelet = new Kubelet(engine, api, name, root.fork(`world/node/${name}/kubelet`), p, plan.containerBehaviors, plan.images);
    kubelets.set(name, kubelet);
    api.watchNode(name, kubelet);
    kubelet.start();
    return kubelet;
  };
  const offeringPools = offeringPoolsOf(plan.nodePools);
  const offeringNames = new Set(offeringPools.map((p) => p.name));
  const nodeOf = (pool: NodePoolPlan, name: string, atMs: Ms): Node => (offeringNames.has(pool.name) ? offeringNode(makeNode, pool, name, atMs) : makeNode(pool, Number(name.slice(pool.name.length + 1)), atMs));
  const cloud = hasNodeGroups(plan) ? new CloudProvider(engine, api, [...plan.nodePools.filter((p) => p.provisioner === undefined), ...offeringPools], root, kubelets, (_pool, name) => startKubelet(name), (pool, name, atMs) => ({ kind: "NodeAdded", node: nodeOf(pool, name, atMs) })) : undefined;
  for (const pool of plan.nodePools) {
    const names: string[] = [];
    for (let i = 0; i < pool.count; i++) {
      const node = makeNode(pool, i);
      names.push(node.metadata.name);
      api.recordWorldEvent({ kind: "NodeAdded", node });
      startKubelet(node.metadata.name);
      cloud?.started(pool.name, node.metadata.name);
    }
    poolNodes.set(pool.name, names);
  }
  const scheduler = buildScheduler(engine, api, p, root.fork("policy/scheduler"), placement, recountEvery);
  api.watch(scheduler);
  api.watch(new ControllerActor(engine, api, disruptionController, root.fork("policy/controller/disruption"), p.controllerSyncMs));
  api.watch(new ControllerActor(engine, api, resourceQuotaController, root.fork("policy/controller/resourcequota"), p.controllerSyncMs));
  api.watch(new ControllerActor(engine, api, deploymentController, root.fork("policy/controller/deployment"), p.controllerSyncMs));
  api.watch(new ControllerActor(engine, api, replicaSetController, root.fork("policy/controllers"), p.controllerSyncMs));
  api.watch(new ControllerActor(engine, api, nodeOperationController, root.fork("policy/controller/node-operation"), p.controllerSyncMs));
  api.watch(new ControllerActor(engine, api, statefulSetController, root.fork("policy/controller/statefulset"), p.controllerSyncMs));
  // Only where there are DaemonSets: every other scenario runs exactly as before the kind existed.
  if (every || plan.workloads.some((w) => w.object.kind === "DaemonSet")) api.watch(new ControllerActor(engine, api, daemonSetController, root.fork("policy/controller/daemonset"), p.controllerSyncMs));
  // Likewise the batch controllers, only where there are Jobs or CronJobs.
  if (every || hasBatch(plan)) {
    api.watch(new ControllerActor(engine, api, jobController, root.fork("policy/controller/job"), p.controllerSyncMs));
    api.watch(new ControllerActor(engine, api, ttlAfterFinishedController, root.fork("policy/controller/ttl-after-finished"), p.controllerSyncMs));
  }
  if (every || plan.workloads.some((w) => w.object.kind === "CronJob")) api.watch(new ControllerActor(engine, api, cronJobController, root.fork("policy/controller/cronjob"), p.controllerSyncMs));
  if (every || needsGarbageCollector(plan)) api.watch(new ControllerActor(engine, api, garbageCollector, root.fork("policy/controller/garbage-collector"), p.controllerSyncMs));
  const lifecycle = nodeLifecycleController({
    nodeMonitorGraceMs: p.nodeMonitorGraceMs,
    nodeMonitorPeriodMs: p.nodeMonitorPeriodMs,
    nodeEvictionRate: p.nodeEvictionRate,
    secondaryNodeEvictionRate: p.secondaryNodeEvictionRate,
    largeClusterSizeThreshold: p.largeClusterSizeThreshold,
    unhealthyZoneThreshold: p.unhealthyZoneThreshold,
  });
  new ControllerActor(engine, api, lifecycle, root.fork("policy/controller/nodelifecycle"), 0, { pauseWithoutStore: true });
  const load = buildAutoscaling(plan, engine, api, root);
  const podLoad = loadListenerOf(plan, kubelets);
  if (load !== undefined && podLoad !== undefined) load.listen(podLoad);
  const clusterAutoscaler = buildClusterAutoscaler(plan, engine, api, root);
  const provisioner = buildProvisioner(plan, engine, api, root);
  const vpaUpdater = buildVpaUpdater(plan, engine, api, root);
  const boundariesMs = plan.expectations.flatMap((e) => (e.kind === "Availability" ? [e.afterMs] : []));
  const observer = new RunObserver(engine, api, sink, p.metricsIntervalMs, { intervalMs: p.snapshotIntervalMs, minRecords: p.snapshotMinRecords, recordsPerObject: p.snapshotRecordsPerObject }, boundariesMs);
  observer.start();
  if (load !== undefined && vpaUpdater !== undefined) {
    observer.resourceAccuracy = new ResourceAccuracyObservations(api.state);
    load.listen(observer.resourceAccuracy);
  }
  new ScenarioDriver(engine, api, kubelets, poolNodes, root.fork("world/faults"), store).start(plan.workloads, plan.faults);
  return { engine, api, store, observer, scheduler, kubelets, ...(load !== undefined ? { load } : {}), ...(cloud !== undefined ? { cloud } : {}), ...(clusterAutoscaler !== undefined ? { clusterAutoscaler } : {}), ...(provisioner !== undefined ? { provisioner } : {}), ...(vpaUpdater !== undefined ? { vpaUpdater } : {}) };
}

/** The VPA updater, only where there are VPAs (it makes no decision for VPAs in mode Off or Initial). */
function buildVpaUpdater(plan: ScenarioPlan, engine: Engine, api: ApiServer, root: Prng): ControllerActor<VpaUpdaterState> | undefined {
  if (!plan.workloads.some((w) => w.object.kind === "VerticalPodAutoscaler")) return undefined;
  const options = { ...vpaUpdaterDefaults, ...plan.parameters.vpaUpdater };
  return new ControllerActor(engine, api, vpaUpdaterController(options), root.fork("policy/controller/vpa-updater"), 0);
}

/** Pools that autoscale or have a price: the run then has a cloud provider and a bill. */
export function hasNodeGroups(plan: ScenarioPlan): boolean {
  return plan.nodePools.some((pool) => pool.autoscaling !== undefined || pool.pricePerHour !== undefined || pool.provisioner !== undefined);
}

/** The node groups the cluster autoscaler may resize: the pools with `autoscaling`. */
export function nodeGroupsOf(pools: readonly NodePoolPlan[]): NodeGroupSpec[] {
  return pools.flatMap((pool) => {
    if (pool.autoscaling === undefined) return [];
    return [{
      name: pool.name,
      minCount: pool.autoscaling.minCount,
      maxCount: pool.autoscaling.maxCount,
      pricePerHour: pool.pricePerHour ?? 0,
      initialCount: pool.count,
      template: (name: string, index: number): Node => {
        const node = makeNode(pool, index);
        node.metadata.name = name;
        node.metadata.uid = `node-${name}`;
        node.metadata.labels["kubernetes.io/hostname"] = name;
        return node;
      },
    }];
  });
}

/**
 * The cluster autoscaler, only where a pool autoscales (every other scenario runs exactly as
 * before it existed). It scans on its own period (no controller delay); its filters are those of
 * the run's default scheduler profile.
 */
function buildClusterAutoscaler(plan: ScenarioPlan, engine: Engine, api: ApiServer, root: Prng): ControllerActor<ClusterAutoscalerState> | undefined {
  const groups = nodeGroupsOf(plan.nodePools);
  if (groups.length === 0) return undefined;
  const framework = createScheduler(schedulerConfigOf(plan.parameters.scheduler)).framework(defaultSchedulerName);
  if (framework === undefined) throw new Error("the scheduler configuration has no default-scheduler profile for the cluster autoscaler");
  const options = { ...clusterAutoscalerDefaults, ...plan.parameters.clusterAutoscaler };
  const controller = clusterAutoscalerController({ groups, options, framework });
  return new ControllerActor(engine, api, controller, root.fork("policy/controller/cluster-autoscaler"), 0);
}

/**
 * The provisioner, only where a pool is a Karpenter NodePool. It watches (unschedulable pods
 * trigger a batch, spot interruption notices) and runs its own timers; its filters are those of
 * the run's default scheduler profile; its nodes are pictured as the cloud provider makes them.
 */
function buildProvisioner(plan: ScenarioPlan, engine: Engine, api: ApiServer, root: Prng): ControllerActor<ProvisionerState> | undefined {
  const nodePools = provisionerNodePoolsOf(plan.nodePools);
  if (nodePools.length === 0) return undefined;
  const framework = createScheduler(schedulerConfigOf(plan.parameters.scheduler)).framework(defaultSchedulerName);
  if (framework === undefined) throw new Error("the scheduler configuration has no default-scheduler profile for the provisioner");
  const offeringPools = new Map(offeringPoolsOf(plan.nodePools).map((p) => [p.name, p]));
  const controller = provisionerController({
    nodePools, options: { ...provisionerDefaults, ...plan.parameters.provisioner }, framework,
    template: (np, o, name) => offeringNode(makeNode, offeringPools.get(offeringId(np.name, o)) as NodePoolPlan, name, 0),
  });
  const actor = new ControllerActor(engine, api, controller, root.fork("policy/controller/provisioner"), 0);
  api.watch(actor);
  return actor;
}

function hasBatch(plan: ScenarioPlan): boolean {
  return plan.workloads.some((w) => w.object.kind === "Job" || w.object.kind === "CronJob");
}

/** Only scenarios where owners go (Jobs deleted by their TTL or their CronJob, a Delete fault) get a garbage collector: the others run as before it existed. */
function needsGarbageCollector(plan: ScenarioPlan): boolean {
  return hasBatch(plan) || plan.faults.some((f) => f.kind === "Delete");
}

/**
 * Load, the metrics pipeline, the HPA controller and the VPA recommender, only for scenarios that
 * have load, an HPA or a VPA
 * (the others run exactly as before they existed).
 */
/** Only a rule whose memory grows with the load makes the kubelets hear the load (memory.ts). */
function loadListenerOf(plan: ScenarioPlan, kubelets: ReadonlyMap<string, Kubelet>): SliceListener | undefined {
  if (!(plan.containerBehaviors ?? []).some((b) => (b.memory?.perRequestPerSecondBytes ?? 0) > 0)) return undefined;
  return {
    onSlice(fromMs, durationMs, pods) {
      // told at the slice's end, the requests per second each running pod served in it
      for (const [key, usage] of pods) {
        const node = usage.pod.spec.nodeName;
        if (node !== undefined) kubelets.get(node)?.onPodLoad(key, usage.requests / (durationMs / 1000), fromMs + durationMs);
      }
    },
  };
}

function buildAutoscaling(plan: ScenarioPlan, engine: Engine, api: ApiServer, root: Prng): LoadActor | undefined {
  const loads = plan.load ?? [];
  const hasHpa = plan.workloads.some((w) => w.object.kind === "HorizontalPodAutoscaler");
  const hasVpa = plan.workloads.some((w) => w.object.kind === "VerticalPodAutoscaler");
  if (loads.length === 0 && !hasHpa && !hasVpa) return undefined;
  const load = new LoadActor(engine, api, loads, root.fork("world/load"), defaultMetricsPlan.loadTickMs);
  load.start();
  new MetricsServer(engine, api, load, defaultMetricsPlan.scrapeIntervalMs).start();
  api.watch(new ControllerActor(engine, api, horizontalPodAutoscalerController(), root.fork("policy/controller/horizontal-pod-autoscaler"), plan.parameters.controllerSyncMs));
  // Only where there are VPAs: every other scenario runs exactly as before the kind existed.
  if (hasVpa) api.watch(new ControllerActor(engine, api, verticalPodAutoscalerController(), root.fork("policy/controller/vertical-pod-autoscaler"), plan.parameters.controllerSyncMs));
  return load;
}
