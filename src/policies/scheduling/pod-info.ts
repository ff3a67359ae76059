/**
 * Per-pod derived facts the plugins read on every node (effective requests, non-zero requests,
 * host ports, priority), computed once per pod spec and cached: a spec's containers never change.
 */
import type { Container, Pod, PodSpec, ResourceList } from "../../model/objects.ts";

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
  /** Object.keys(requests) and their values, in that order (summing them spares a for-in per pod). */
  readonly requestNames: readonly string[];
  readonly requestValues: readonly number[];
  /** requests.cpu and requests.memory (0 when absent). */
  readonly requestCpuMilli: number;
  readonly requestMemory: number;
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
  const requests = effectiveRequests(spec, (c) => c.requests);
  const requestNames = Object.keys(requests);
  return {
    requests,
    requestNames,
    requestValues: requestNames.map((n) => requests[n] as number),
    requestCpuMilli: requests["cpu"] ?? 0,
    requestMemory: requests["memory"] ?? 0,
    nonZeroCpuMilli: effectiveRequests(spec, (c) => nonZero(c.requests))["cpu"] ?? 0,
    nonZeroMemory: effectiveRequests(spec, (c) => nonZero(c.requests))["memory"] ?? 0,
    hostPorts: hostPortsOf(spec.containers),
  };
}

/** A container that does not list cpu/memory counts upstream's default; an explicit 0 stays 0. */
function nonZero(requests: ResourceList): ResourceList {
  const out: ResourceList = { ...requests };
  if (!Object.hasOwn(out, "cpu")) out["cpu"] = defaultCpuMilliRequest;
  if (!Object.hasOwn(out, "memory")) out["memory"] = defaultMemoryRequest;
  return out;
}

/** Sidecars are init containers with restartPolicy Always (not in the model type; read if present). */
function isSidecar(c: Container): boolean {
  return (c as Container & { restartPolicy?: string }).restartPolicy === "Always";
}

function addTo(target: ResourceList, add: ResourceList): void {
  for (const k in add) target[k] = (target[k] ?? 0) + (add[k] as number);
}

function maxInto(target: ResourceList, other: ResourceList): void {
  for (const k in other) if ((other[k] as number) > (target[k] ?? 0)) target[k] = other[k] as number;
}

/**
 * upstream resourcehelper.PodRequests: app containers plus all sidecars, against each ordinary
 * init container plus the sidecars started before it (the larger wins), plus pod overhead.
 */
function effectiveRequests(spec: PodSpec, requestsOf: (c: Container) => ResourceList): ResourceList {
  const total: ResourceList = {};
  for (const c of spec.containers) addTo(total, requestsOf(c));
  const sidecars: ResourceList = {};
  const initPeak: ResourceList = {};
  for (const init of spec.initContainers ?? []) {
    const own = requestsOf(init);
    let during: ResourceList;
    if (isSidecar(init)) {
      addTo(total, own);
      addTo(sidecars, own);
      during = sidecars;
    } else {
      during = { ...own };
      addTo(during, sidecars);
    }
    maxInto(initPeak, during);
  }
  maxInto(total, initPeak);
  if (spec.overhead) addTo(total, spec.overhead);
  return total;
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
