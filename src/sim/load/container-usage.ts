/**
 * What each container of a pod uses, given the pod's CPU from the load model: the load is
 * accounted per pod and shows on its first container; memory is half of the container's request,
 * a stand-in until a working-set model exists. metrics-server reports these numbers and the
 * resource-accuracy observer scores requests against them, so both see the same usage.
 */
import type { Pod } from "../../model/objects.ts";

export interface ContainerUsage {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

export function containerUsageOf(pod: Pod, podCpuMilli: number): ContainerUsage[] {
  return pod.spec.containers.map((c, i) => ({ name: c.name, cpuMilli: i === 0 ? podCpuMilli : 0, memoryBytes: Math.trunc((c.requests.memory ?? 0) / 2) }));
}
