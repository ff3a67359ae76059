/**
 * The order of plan.workloads. Objects created at the same `at` are created in list order, so
 * policy objects go first among them: the PriorityClass, ResourceQuota or LimitRange must exist
 * when admission sees the pods that need it. Everything else keeps file order: the positions held
 * by one `at` time stay that time's, refilled with its policy objects, then its other objects.
 */
import type { Ms } from "../model/units.ts";
import type { WorkloadPlan } from "../sim/plan.ts";

export function policyObjectsFirst(workloads: readonly WorkloadPlan[]): WorkloadPlan[] {
  const queues = new Map<Ms, WorkloadPlan[]>();
  const enqueue = (w: WorkloadPlan): void => {
    const queue = queues.get(w.atMs);
    if (queue === undefined) queues.set(w.atMs, [w]);
    else queue.push(w);
  };
  for (const w of workloads) if (w.kind === "PolicyObject") enqueue(w);
  for (const w of workloads) if (w.kind !== "PolicyObject") enqueue(w);
  const taken = new Map<Ms, number>();
  return workloads.map((w) => {
    const i = taken.get(w.atMs) ?? 0;
    taken.set(w.atMs, i + 1);
    return queues.get(w.atMs)?.[i] as WorkloadPlan;
  });
}
