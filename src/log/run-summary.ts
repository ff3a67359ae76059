/**
 * The run summary as the log stores it (`runs.summary`, JSON): the part of the simulator's summary
 * (src/sim/summary.ts, whose RunSummary extends this one) that readers of the log rely on.
 * Defined once here, between the writer and the reader (src/report/run-summary.ts decodes it
 * leniently, every field optional: a run that stopped early or an older summary still renders).
 */
import type { BatchJobSummary, DeletionSummary, DeploymentRollouts, NodeGroupSummary, NodeOperationSummary, TrafficSummary, WorkloadCrashLoops, ZoneNodeLoss } from "./summary-sections.ts";

export interface ExpectationResult {
  name: string;
  kind: string;
  passed: boolean;
  detail: string;
}

export interface FaultSummary {
  atMs: number;
  fault: string;
  target: string;
  label: string;
}

export interface WorkloadSummary {
  key: string;
  desired: number;
  ready: number;
  /** Lowest ready/desired once first fully available (0 when it never was). */
  minReadyRatio: number;
}

export interface StoredRunSummary {
  scenario: string;
  description: string;
  seed: number;
  variant: string;
  durationMs: number;
  fingerprint: string;
  eventCount: number;
  /** The effective simulation parameters (the writer's SimParameters). */
  parameters: unknown;
  expectations: ExpectationResult[];
  faults: FaultSummary[];
  latency: unknown;
  workloads: WorkloadSummary[];
  /** Node operations (drain, cordon, uncordon) as they ended, in name order. */
  nodeOperations?: NodeOperationSummary[];
  /** Per zone that lost a node: nodes lost and tainted NoExecute (first, last), pods evicted (absent in older logs). */
  nodeLoss?: ZoneNodeLoss[];
  /** Per workload whose containers exited: exits, restarts, longest back-off, pods in CrashLoopBackOff at the end (absent: none exited). */
  crashLoops?: WorkloadCrashLoops[];
  /** Per Deployment rolled out or paused: revision at the end, template changes, deadline exceeded, last completion (absent: none). */
  rollouts?: DeploymentRollouts[];
  /** Per CronJob, or Job no CronJob made: Jobs created, succeeded, failed (by reason), active at the end (absent: no Jobs). */
  jobs?: BatchJobSummary[];
  /** Per workload a Delete fault deleted: its propagation policy, when it was asked and removed, what it orphaned (absent: no Delete). */
  deletions?: DeletionSummary[];
  /** Per node pool, when a pool autoscales or has a price: nodes added and removed, node-hours and their cost. */
  nodeGroups?: NodeGroupSummary[];
  /** The run's node cost: node-hours × price per hour, over every pool (present with nodeGroups). */
  nodeCost?: number;
  /** Requests offered, served and dropped (by cause) per Service, and latency percentiles for queueing loads, when the scenario has load (src/sim/load). */
  traffic?: TrafficSummary[];
}
