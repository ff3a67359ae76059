/**
 * The cluster autoscaler's options with upstream's flag defaults (cluster-autoscaler main.go /
 * config/autoscaling_options.go; the flag table in cluster-autoscaler/FAQ.md).
 */
import type { Ms } from "../../../model/units.ts";

export type ExpanderName = "least-waste" | "random" | "most-pods" | "price" | "priority";
export const expanderNames: readonly ExpanderName[] = ["least-waste", "random", "most-pods", "price", "priority"];

export interface ClusterAutoscalerOptions {
  /** --expander (default least-waste); a list is a chain, each one narrowing the previous one's ties. */
  expanders: ExpanderName[];
  /** --scan-interval 10s. */
  scanIntervalMs: Ms;
  /** --scale-down-enabled true. */
  scaleDownEnabled: boolean;
  /** --scale-down-utilization-threshold 0.5: max(cpu, memory) requests / allocatable below this is underutilized. */
  scaleDownUtilizationThreshold: number;
  /** --scale-down-unneeded-time 10m. */
  scaleDownUnneededTimeMs: Ms;
  /** --scale-down-delay-after-add 10m. */
  scaleDownDelayAfterAddMs: Ms;
  /** --scale-down-delay-after-delete: defaults to the scan interval. */
  scaleDownDelayAfterDeleteMs: Ms;
  /** --scale-down-delay-after-failure 3m. */
  scaleDownDelayAfterFailureMs: Ms;
  /** --max-node-provision-time 15m: a requested node not registered by then is given up (and its group backed off). */
  maxNodeProvisionTimeMs: Ms;
  /** --max-graceful-termination-sec 600: how long the drain waits for evicted pods to go before deleting the node anyway. */
  maxGracefulTerminationSec: number;
  /** --max-pod-eviction-time 2m: evictions refused (a PodDisruptionBudget) are retried this long, then the scale-down fails. */
  maxPodEvictionTimeMs: Ms;
  /** --max-nodes-total 0: no limit. */
  maxNodesTotal: number;
  /** --max-empty-bulk-delete 10. */
  maxEmptyBulkDelete: number;
  /** --initial-node-group-backoff-duration 5m (a group whose node failed to register). */
  initialNodeGroupBackoffMs: Ms;
  /** --unremovable-node-recheck-timeout 5m: a node the removal simulation found unremovable is not simulated again before this. */
  unremovableNodeRecheckTimeoutMs: Ms;
  /** --skip-nodes-with-local-storage true, --skip-nodes-with-system-pods true. */
  skipNodesWithLocalStorage: boolean;
  skipNodesWithSystemPods: boolean;
  /**
   * The priority expander's configuration (upstream's cluster-autoscaler-priority-expander
   * ConfigMap): priority → regular expressions matched against node group names; highest wins.
   */
  priorities: Record<string, string[]>;
}

export const clusterAutoscalerDefaults: ClusterAutoscalerOptions = {
  expanders: ["least-waste"],
  scanIntervalMs: 10_000,
  scaleDownEnabled: true,
  scaleDownUtilizationThreshold: 0.5,
  scaleDownUnneededTimeMs: 600_000,
  scaleDownDelayAfterAddMs: 600_000,
  scaleDownDelayAfterDeleteMs: 10_000,
  scaleDownDelayAfterFailureMs: 180_000,
  maxNodeProvisionTimeMs: 900_000,
  maxGracefulTerminationSec: 600,
  maxPodEvictionTimeMs: 120_000,
  maxNodesTotal: 0,
  maxEmptyBulkDelete: 10,
  initialNodeGroupBackoffMs: 300_000,
  unremovableNodeRecheckTimeoutMs: 300_000,
  skipNodesWithLocalStorage: true,
  skipNodesWithSystemPods: true,
  priorities: {},
};
