/**
 * The names of the metric series a run writes (src/sim/observe/run-observer.ts) and the report
 * reads (src/report/run-data.ts): defined once here, so a renamed series cannot leave the report
 * charting nothing. Other series (autoscalers, load) are charted under their own names.
 */

/** Pods counted per phase, as the observer counts them ("ready" and "terminating" cut across phases). */
export const podCountNames = ["pending", "running", "ready", "failed", "terminating"] as const;
export type PodCountName = (typeof podCountNames)[number];

export const nodeCountNames = ["ready", "notReady"] as const;
export type NodeCountName = (typeof nodeCountNames)[number];

export const podCountMetric = (count: PodCountName): string => `pods.${count}`;
export const nodeCountMetric = (count: NodeCountName): string => `nodes.${count}`;

const workloadReadyPrefix = "workload.ready/";
const workloadDesiredPrefix = "workload.desired/";

/** Ready replicas of a workload ("Deployment/ns/name"). */
export const workloadReadyMetric = (workload: string): string => workloadReadyPrefix + workload;
/** Desired replicas of a workload. */
export const workloadDesiredMetric = (workload: string): string => workloadDesiredPrefix + workload;

/** The workload a per-workload series is about, or undefined for any other series. */
export function workloadOfMetric(name: string): string | undefined {
  if (name.startsWith(workloadReadyPrefix)) return name.slice(workloadReadyPrefix.length);
  if (name.startsWith(workloadDesiredPrefix)) return name.slice(workloadDesiredPrefix.length);
  return undefined;
}
