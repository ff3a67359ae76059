/**
 * Priority admission: priorityClassName → spec.priority (and preemptionPolicy); no name → the
 * globalDefault class (the lowest value if several), else 0; the system classes always exist; an
 * unknown class is rejected. A pod that sets spec.priority without a class keeps it (twin leniency:
 * scenarios may give priorities directly).
 */
import type { Pod } from "../../model/objects.ts";
import type { PriorityClass } from "../../model/scheduling-objects.ts";
import { forbidden, type AdmissionView, type Rejection } from "./types.ts";

export const priorityName = "Priority";
export const systemClusterCritical = 2_000_000_000;
export const systemNodeCritical = 2_000_001_000;

const systemClasses: ReadonlyMap<string, number> = new Map([
  ["system-cluster-critical", systemClusterCritical],
  ["system-node-critical", systemNodeCritical],
]);

function globalDefault(view: AdmissionView): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of view.priorityClasses?.values() ?? []) {
    if (!pc.globalDefault) continue;
    if (best === undefined || pc.value < best.value || (pc.value === best.value && pc.metadata.name < best.metadata.name)) best = pc;
  }
  return best;
}

export function admitPriority(view: AdmissionView, pod: Pod): Rejection | undefined {
  const name = pod.spec.priorityClassName;
  let value: number;
  let policy: PriorityClass["preemptionPolicy"];
  if (name === undefined || name === "") {
    if (pod.spec.priority !== undefined) return undefined;
    const def = globalDefault(view);
    value = def?.value ?? 0;
    policy = def?.preemptionPolicy;
    if (def !== undefined) pod.spec.priorityClassName = def.metadata.name;
  } else {
    const system = systemClasses.get(name);
    const pc = view.priorityClasses?.get(name);
    if (system === undefined && pc === undefined) return forbidden(priorityName, pod, `no PriorityClass with name ${name} was found`);
    value = pc?.value ?? (system as number);
    policy = pc?.preemptionPolicy;
  }
  if (pod.spec.priority !== undefined && pod.spec.priority !== value) {
    return forbidden(
      priorityName,
      pod,
      `the integer value of priority (${pod.spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
    );
  }
  pod.spec.priority = value;
  if (pod.spec.preemptionPolicy === undefined) pod.spec.preemptionPolicy = policy ?? "PreemptLowerPriority";
  return undefined;
}
