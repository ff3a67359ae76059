/**
 * apps/v1 DaemonSet in the model's style (metadata / spec / status): one pod per node that should
 * run it (policies/controllers/daemon-pod.ts), replaced node by node on a template change. Lives in
 * the generic object store (stored-objects.ts).
 */
import type { LabelSelector, ObjectMeta, PodTemplate } from "./objects.ts";

export interface DaemonSetUpdateStrategy {
  type: "RollingUpdate" | "OnDelete";
  /** Absolute or a percentage of desiredNumberScheduled, rounded up (upstream util.UnavailableCount). Default 1. */
  maxUnavailable: number | string;
  /** Absolute or a percentage, rounded up (util.SurgeCount). Default 0. */
  maxSurge: number | string;
}

/** upstream DaemonSetStatus (counts of nodes, not pods). */
export interface DaemonSetStatus {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
  observedGeneration?: number;
}

export interface DaemonSet {
  kind: "DaemonSet";
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelector;
    template: PodTemplate;
    updateStrategy: DaemonSetUpdateStrategy;
    minReadySeconds?: number;
  };
  status: DaemonSetStatus;
}

export const emptyDaemonSetStatus: DaemonSetStatus = {
  desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0,
};
