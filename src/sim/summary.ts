/** The run summary: what `kubetwin run` prints and stores in the runs table (JSON). */
import type { Ms } from "../model/units.ts";
import type { StoredRunSummary, WorkloadSummary as StoredWorkload } from "../log/run-summary.ts";
import type { ExpectationResult } from "./expectations.ts";
import { judge, longestPending } from "./expectations.ts";
import { availabilityOf } from "./observe/availability.ts";
import { unschedulableReasons, type UnschedulableReason } from "./observe/unschedulable-reasons.ts";
import type { ClusterState } from "../model/state.ts";
import type { NodeOperation } from "../model/node-operation.ts";
import { distribution, type Distribution } from "./observe/percentiles.ts";
import type { ZoneNodeLoss } from "./observe/node-loss.ts";
import type { WorkloadCrashLoops } from "./observe/crash-loops.ts";
import type { ImagePullSummary } from "./observe/image-pulls.ts";
import type { DeploymentRollouts } from "./observe/rollouts.ts";
import type { BatchJobSummary } from "./observe/batch-jobs.ts";
import type { DeletionSummary } from "./observe/deletions.ts";
import type { RunObserver, SeriesPoint } from "./observe/run-observer.ts";
import type { ScenarioPlan, SimParameters } from "./plan.ts";
import type { RaftStore } from "./raft/raft-store.ts";
import type { NodeGroupBill } from "./actors/cloud-provider.ts";
import type { ProvisionerStats } from "../policies/controllers/provisioner.ts";
import { resourceAccuracySummary, vpaSummaries, type ResourceAccuracySummary, type VpaSummary } from "./observe/vpa-summary.ts";
import { summarizeStore, type LeaderChange, type StoreSummary, type UnavailabilityWindow } from "./raft/store-observations.ts";
import type { NodeGroupSummary, NodeOperationSummary } from "../log/summary-sections.ts";
import type { TrafficSummary } from "./load/traffic-summary.ts";
export type { NodeGroupSummary };
export type { NodeOperationSummary };

/** Availability counts from the moment the workload first had every desired replica ready (availability.ts). */
export interface WorkloadSummary extends StoredWorkload {
  /** Time with fewer ready than desired replicas once first fully available (exact, event by event). */
  degradedMs: Ms;
  /** When it first had every desired replica ready; null when it never did. */
  availableFromMs: Ms | null;
}

/** What `kubetwin run` prints; the log stores it as JSON (its stored contract: StoredRunSummary). */
export interface RunSummary extends StoredRunSummary {
  durationMs: Ms;
  parameters: SimParameters;
  expectations: ExpectationResult[];
  faults: { atMs: Ms; fault: string; target: string; label: string }[];
  latency: { boundMs: Distribution; runningMs: Distribution };
  longestPendingMs: Ms;
  podsCreated: number;
  schedulingAttempts: number;
  preemptions: number;
  writeConflicts: number;
  /** Creates the api server refused (quota, unknown priority class, …), the first 100. */
  admissionRejections: { count: number; first: RunObserver["rejections"] };
  workloads: WorkloadSummary[];
  /** Why pods could not be placed (by their last scheduling failure), most pods first. */
  unschedulable: { pods: number; reasons: UnschedulableReason[] };
  /** Node operations (drain, cordon, uncordon) as they ended, in name order. */
  nodeOperations: NodeOperationSummary[];
  /** Pods that waited for image pulls (ContainerCreating) or for an image Never lets the kubelet pull (absent: none). */
  imagePulls?: ImagePullSummary;
  /** Present when the control plane is a Raft group. */
  controlPlane?: ControlPlaneSummary;
  /** Each VerticalPodAutoscaler at the end and the updater's evictions (present when the scenario has one). */
  verticalPodAutoscalers?: VpaSummary[];
  /** The provisioner's launches, consolidations and spot interruptions (present when a pool is a Karpenter NodePool). */
  provisioner?: ProvisionerSummary;
  /** Requests against usage per container the load reaches: under-provisioned time and slack (present with VPAs and load). */
  resourceAccuracy?: ResourceAccuracySummary;
  series: SeriesPoint[];
  warnings: string[];
}

function nodeOperationSummaries(state: ClusterState): NodeOperationSummary[] {
  const ops = (state.objects.get("NodeOperation") ?? new Map()) as Map<string, NodeOperation>;
  return [...ops.keys()].sort().map((key) => {
    const op = ops.get(key) as NodeOperation;
    return { name: op.metadata.name, node: op.spec.node, operation: op.spec.operation, ...op.status };
  });
}


function nodeGroupSummaries(plan: ScenarioPlan, bills: readonly NodeGroupBill[]): { nodeGroups: NodeGroupSummary[]; nodeCost: number } {
  // A provisioner's offerings are node groups of the cloud provider: only those it launched are shown.
  const nodeGroups = bills.filter((b) => b.nodesAdded > 0 || plan.nodePools.some((p) => p.name === b.pool)).map((b): NodeGroupSummary => {
    const pool = plan.nodePools.find((p) => p.name === b.pool);
    const nodeHours = b.nodeMs / 3_600_000;
    return {
      pool: b.pool,
      ...(pool?.autoscaling !== undefined ? { minCount: pool.autoscaling.minCount, maxCount: pool.autoscaling.maxCount } : {}),
      nodesAtStart: pool?.count ?? 0,
      nodesAtEnd: b.nodesAtEnd,
      nodesPeak: b.nodesPeak,
      nodesAdded: b.nodesAdded,
      nodesRemoved: b.nodesRemoved,
      nodeHours,
      pricePerHour: b.pricePerHour,
      cost: nodeHours * b.pricePerHour,
    };
  });
  return { nodeGroups, nodeCost: nodeGroups.reduce((t, g) => t + g.cost, 0) };
}

export type { TrafficSummary };

export interface ControlPlaneSummary extends StoreSummary {
  members: number;
  leaderChanges: number;
  leaderHistory: LeaderChange[];
  unavailable: UnavailabilityWindow[];
  failedWrites: number;
}

export interface SummaryInput {
  plan: ScenarioPlan;
  seed: number;
  variant: string;
  fingerprint: string;
  eventCount: number;
  observer: RunObserver;
  schedulingAttempts: number;
  preemptions: number;
  writeConflicts: number;
  store?: RaftStore;
  failedWrites: number;
  finalState: ClusterState;
  traffic?: TrafficSummary[];
  /** The cloud provider's bills per pool, when a pool autoscales or has a price. */
  bills?: NodeGroupBill[];
  /** The VPA updater's evictions per VPA, when the scenario has a VPA. */
  vpaEvictions?: ReadonlyMap<string, { evicted: number; refused: number }>;
  /** The provisioner's counts, when a pool is a Karpenter NodePool. */
  provisionerStats?: ProvisionerStats;
}

export interface ProvisionerSummary {
  /** Nodes launched per `<nodepool>/<instance type>/<capacity type>`, in key order. */
  launched: { offering: string; nodes: number }[];
  /** Nodes disrupted per `<reason>/<method>/<delete|replace>`, in key order. */
  consolidated: { decision: string; nodes: number }[];
  spotInterruptions: number;
}

function provisionerSummary(stats: ProvisionerStats): ProvisionerSummary {
  const sorted = (m: ReadonlyMap<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    launched: sorted(stats.launched).map(([offering, nodes]) => ({ offering, nodes })),
    consolidated: sorted(stats.consolidated).map(([decision, nodes]) => ({ decision, nodes })),
    spotInterruptions: stats.spotInterruptions,
  };
}

export function summarize(input: SummaryInput): RunSummary {
  const { plan, observer } = input;
  const bound: number[] = [];
  const running: number[] = [];
  for (const t of observer.pods.values()) {
    if (t.boundMs !== undefined) bound.push(t.boundMs - t.createdMs);
    if (t.runningMs !== undefined) running.push(t.runningMs - t.createdMs);
  }
  return {
    scenario: plan.name,
    description: plan.description,
    seed: input.seed,
    variant: input.variant,
    durationMs: plan.durationMs,
    fingerprint: input.fingerprint,
    eventCount: input.eventCount,
    parameters: plan.parameters,
    expectations: judge(plan.expectations, observer, plan.durationMs, input.traffic ?? []),
    faults: observer.faults,
    latency: { boundMs: distribution(bound), runningMs: distribution(running) },
    longestPendingMs: longestPending(observer, plan.durationMs).ms,
    podsCreated: observer.pods.size,
    schedulingAttempts: input.schedulingAttempts,
    preemptions: input.preemptions,
    writeConflicts: input.writeConflicts,
    admissionRejections: { count: observer.rejections.length, first: observer.rejections.slice(0, 100) },
    workloads: workloadSummaries(observer),
    unschedulable: { pods: observer.unschedulable.size, reasons: unschedulableReasons(observer.unschedulable, input.finalState) },
    nodeOperations: nodeOperationSummaries(input.finalState),
    nodeLoss: observer.nodeLoss.summary(),
    ...crashLoopsOf(observer, input.finalState),
    ...imagePullsOf(observer),
    ...rolloutsOf(observer, input.finalState),
    ...batchJobsOf(observer),
    ...deletionsOf(observer),
    ...(input.store ? { controlPlane: controlPlaneSummary(input.store, plan.durationMs, input.failedWrites) } : {}),
    ...(input.traffic !== undefined ? { traffic: input.traffic } : {}),
    ...(input.bills !== undefined ? nodeGroupSummaries(plan, input.bills) : {}),
    ...(input.vpaEvictions !== undefined ? { verticalPodAutoscalers: vpaSummaries(input.finalState, input.vpaEvictions) } : {}),
    ...(input.provisionerStats !== undefined ? { provisioner: provisionerSummary(input.provisionerStats) } : {}),
    ...(observer.resourceAccuracy !== undefined ? { resourceAccuracy: resourceAccuracySummary(input.finalState, observer.resourceAccuracy) } : {}),
    series: observer.series,
    warnings: plan.warnings,
  };
}

function rolloutsOf(observer: RunObserver, finalState: ClusterState): { rollouts?: DeploymentRollouts[] } {
  const rollouts = observer.rollouts.summary(finalState);
  return rollouts.length > 0 ? { rollouts } : {};
}

function imagePullsOf(observer: RunObserver): { imagePulls?: ImagePullSummary } {
  const imagePulls = observer.imagePulls.summary();
  return imagePulls !== undefined ? { imagePulls } : {};
}

function crashLoopsOf(observer: RunObserver, finalState: ClusterState): { crashLoops?: WorkloadCrashLoops[] } {
  const crashLoops = observer.crashLoops.summary(finalState);
  return crashLoops.length > 0 ? { crashLoops } : {};
}

function batchJobsOf(observer: RunObserver): { jobs?: BatchJobSummary[] } {
  const jobs = observer.batchJobs.summary();
  return jobs.length > 0 ? { jobs } : {};
}

function deletionsOf(observer: RunObserver): { deletions?: DeletionSummary[] } {
  const deletions = observer.deletions.summary();
  return deletions.length > 0 ? { deletions } : {};
}

function controlPlaneSummary(store: RaftStore, endMs: Ms, failedWrites: number): ControlPlaneSummary {
  const o = store.observations;
  return {
    ...summarizeStore(o, endMs),
    members: store.group.members.length,
    leaderHistory: o.leaderChanges,
    unavailable: o.unavailability,
    failedWrites,
  };
}

function workloadSummaries(observer: RunObserver): WorkloadSummary[] {
  const out: WorkloadSummary[] = [];
  for (const key of [...observer.workloadSamples.keys()].sort()) {
    const samples = observer.workloadSamples.get(key) ?? [];
    const last = samples.at(-1);
    out.push({ key, desired: last?.desired ?? 0, ready: last?.ready ?? 0, ...availabilityOf(samples) });
  }
  return out;
}
