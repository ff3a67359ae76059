/**
 * Per-pod derived facts the plugins read on every node (effective requests, non-zero requests,
 * host ports, priority), computed once per pod spec and cached: a spec's containers never change.
 */
import type { Container, Pod, PodSpec, ResourceList } from "../../model/objects.ts";
import { podSpecRequests } from "../../model/resources.ts";

/** Upstream's defaults for containers that do not request cpu / memory (scoring only). */
export const defaultCpuMilliRequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export interface HostPort {
  readonly protocol: string;
  readonly hostIP: string;
  readonly port: number;
}

export interface PodInfo {
  /** max(Σ containers, each init container) + overhead, real requests. */
  readonly requests: Readonly<ResourceList>;
  readonly nonZeroCpuMilli: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
}

const cache = new WeakMap<PodSpec, PodInfo>();

export function podInfoOf(pod: Pod): PodInfo {
  let info = cache.get(pod.spec);
  if (info === undefined) {
    info = computePodInfo(pod.spec);
    cache.set(pod.spec, info);
  }
  return info;
}

export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

function computePodInfo(spec: PodSpec): PodInfo {
  return {
    requests: podSpecRequests(spec),
    nonZeroCpuMilli: nonZeroRequest(spec, "cpu", defaultCpuMilliRequest),
    nonZeroMemory: nonZeroRequest(spec, "memory", defaultMemoryRequest),
    hostPorts: hostPortsOf(spec.containers),
  };
}

/** A container that does not list the resource counts the default; an explicit 0 stays 0. */
function containerNonZero(c: Container, name: string, fallback: number): number {
  return Object.hasOwn(c.requests, name) ? (c.requests[name] as number) : fallback;
}

function nonZeroRequest(spec: PodSpec, name: string, fallback: number): number {
  let sum = 0;
  for (const c of spec.containers) sum += containerNonZero(c, name, fallback);
  for (const init of spec.initContainers ?? []) sum = Math.max(sum, containerNonZero(init, name, fallback));
  return sum + (spec.overhead?.[name] ?? 0);
}

function hostPortsOf(containers: readonly Container[]): HostPort[] {
  const out: HostPort[] = [];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.hostPort === undefined || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol ?? "TCP", hostIP: p.hostIP ?? "0.0.0.0", port: p.hostPort });
    }
  }
  return out;
}
