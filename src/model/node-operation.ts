/**
 * A maintenance request on one node, with a recorded status, as a maintenance workflow has:
 * cordon, uncordon, or drain (cordon, then evict every pod through the Eviction API, respecting
 * disruption budgets, as `kubectl drain` does). Scenario faults create them; any policy may too.
 * Cluster-scoped, in the generic object store.
 */
import type { ObjectMeta } from "./objects.ts";
import type { Ms } from "./units.ts";

export type NodeOperationType = "Cordon" | "Uncordon" | "Drain";
export type NodeOperationPhase = "Pending" | "InProgress" | "Succeeded" | "Failed";

export interface NodeOperation {
  kind: "NodeOperation";
  metadata: ObjectMeta;
  spec: {
    node: string;
    operation: NodeOperationType;
    /** Drain: give up (Failed) after this long (kubectl drain --timeout; 0 = wait forever). */
    timeoutMs: Ms;
    /** Drain: also delete pods no controller owns (kubectl drain --force). */
    force: boolean;
  };
  status: {
    phase: NodeOperationPhase;
    reason?: string;
    startedMs?: Ms;
    finishedMs?: Ms;
    /** Evictions the Eviction API admitted, and refusals it answered (429: a budget said no). */
    evicted: number;
    refused: number;
  };
}
