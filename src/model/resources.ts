import type { Pod, PodSpec, ResourceList } from "./objects.ts";

export function addInto(target: ResourceList, add: ResourceList, sign: 1 | -1 = 1): void {
  for (const name in add) target[name] = (target[name] ?? 0) + sign * (add[name] as number);
}

/**
 * A pod's effective request, as the scheduler computes it: the larger of the sum over containers
 * and each init container, plus pod overhead. (Sidecar init containers are not modelled yet.)
 */
export function podSpecRequests(spec: PodSpec): ResourceList {
  const total: ResourceList = {};
  for (const c of spec.containers) addInto(total, c.requests);
  for (const init of spec.initContainers ?? []) {
    for (const name in init.requests) {
      const v = init.requests[name] as number;
      if (v > (total[name] ?? 0)) total[name] = v;
    }
  }
  if (spec.overhead) addInto(total, spec.overhead);
  return total;
}

export function podRequests(pod: Pod): ResourceList {
  return podSpecRequests(pod.spec);
}

/** True when the pod still holds its node's resources (bound and not terminal). */
export function podHoldsResources(pod: Pod): boolean {
  return pod.spec.nodeName !== undefined && pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed";
}
