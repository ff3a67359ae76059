/**
 * A Karpenter NodePool as the provisioner sees it (karpenter.sh/v1 NodePool: template
 * requirements, labels and taints, limits, weight, disruption) with the offerings its
 * requirements allow, and the provisioner's own settings (Karpenter's BATCH_IDLE_DURATION 1 s,
 * BATCH_MAX_DURATION 10 s; the disruption controller polls every 10 s).
 */
import type { Labels, ResourceList, Taint } from "../../../model/objects.ts";
import type { Ms } from "../../../model/units.ts";
import type { Offering } from "./instance-types.ts";

export type ConsolidationPolicy = "WhenEmpty" | "WhenEmptyOrUnderutilized";

export interface DisruptionBudget {
  /** A count or a percentage ("10%") of the NodePool's nodes. */
  nodes: number | string;
}

export interface ProvisionerNodePool {
  name: string;
  /** Higher first (Karpenter: NodePools are tried by weight). */
  weight: number;
  labels: Labels;
  taints: Taint[];
  /** cpu/memory (and any other resource) the NodePool's nodes may add up to; absent: no limit. */
  limits: ResourceList;
  consolidationPolicy: ConsolidationPolicy;
  /** undefined: Never (no consolidation). */
  consolidateAfterMs: Ms | undefined;
  budgets: DisruptionBudget[];
  /** Cheapest first. */
  offerings: Offering[];
}

export interface ProvisionerOptions {
  batchIdleMs: Ms;
  batchMaxMs: Ms;
  disruptionPollMs: Ms;
  /** Karpenter's consolidationTTL: a consolidation decision is validated again this long after it was found. */
  consolidationValidationMs: Ms;
  /** How long a command waits for its replacement to be Ready before it is given up (the orchestration queue's 10 minutes). */
  replacementWaitMs: Ms;
  /** The spot interruption notice (EC2's two minutes) before the instance is reclaimed. */
  spotNoticeMs: Ms;
  /** Multi-node consolidation looks at no more candidates than this (Karpenter's MaxParallel 100). */
  multiNodeCandidatesMax: number;
}

export const provisionerDefaults: ProvisionerOptions = {
  batchIdleMs: 1_000,
  batchMaxMs: 10_000,
  disruptionPollMs: 10_000,
  consolidationValidationMs: 15_000,
  replacementWaitMs: 600_000,
  spotNoticeMs: 120_000,
  multiNodeCandidatesMax: 100,
};

/** Karpenter's default budget when a NodePool gives none. */
export const defaultBudgets: readonly DisruptionBudget[] = [{ nodes: "10%" }];
