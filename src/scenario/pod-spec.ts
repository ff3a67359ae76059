/**
 * A decoded manifest pod spec → the model's PodSpec, with the defaults the API server applies:
 * schedulerName "default-scheduler", and a container's requests default to its limits for each
 * resource it limits but does not request.
 */
import { Result } from "effect";
import type { Container, PodSpec, ResourceList, Toleration } from "../model/objects.ts";
import { resourceListOf } from "./formats.ts";
import type { ContainerDoc, PodSpecDoc } from "./manifest-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import { asMutable } from "../k8s/mutable.ts";

export const defaultSchedulerName = "default-scheduler";

export function podSpecOf(doc: PodSpecDoc, site: Site): Checked<PodSpec> {
  return Result.gen(function* () {
    const containers: Container[] = [];
    for (const [i, c] of doc.containers.entries()) containers.push(yield* containerOf(c, siteAt(site, "containers", i)));
    const initContainers: Container[] = [];
    for (const [i, c] of (doc.initContainers ?? []).entries()) {
      initContainers.push(yield* containerOf(c, siteAt(site, "initContainers", i)));
    }
    const spec: PodSpec = { schedulerName: doc.schedulerName || defaultSchedulerName, containers };
    if (initContainers.length > 0) spec.initContainers = initContainers;
    if (doc.nodeName) spec.nodeName = doc.nodeName;
    if (doc.overhead) spec.overhead = resourceListOf(doc.overhead);
    if (doc.nodeSelector) spec.nodeSelector = { ...doc.nodeSelector };
    if (doc.affinity) spec.affinity = asMutable(doc.affinity);
    if (doc.tolerations) spec.tolerations = doc.tolerations.map(tolerationOf);
    if (doc.topologySpreadConstraints) spec.topologySpreadConstraints = asMutable(doc.topologySpreadConstraints);
    if (doc.priority !== undefined) spec.priority = doc.priority;
    if (doc.priorityClassName) spec.priorityClassName = doc.priorityClassName;
    if (doc.preemptionPolicy) spec.preemptionPolicy = doc.preemptionPolicy;
    if (doc.terminationGracePeriodSeconds !== undefined) spec.terminationGracePeriodSeconds = doc.terminationGracePeriodSeconds;
    if (doc.volumes) spec.volumes = asMutable(doc.volumes);
    return spec;
  });
}

function containerOf(doc: ContainerDoc, site: Site): Checked<Container> {
  const limits = resourceListOf(doc.resources?.limits);
  const requests = withDefaultsFrom(resourceListOf(doc.resources?.requests), limits);
  for (const name of Object.keys(requests)) {
    const limit = limits[name];
    if (limit !== undefined && (requests[name] ?? 0) > limit) {
      const where = siteAt(site, "resources", "requests", name);
      return Result.fail(problemAt(where, `the request must not exceed the limit (${String(doc.resources?.limits?.[name])})`));
    }
  }
  const container: Container = { name: doc.name, requests, limits };
  if (doc.image !== undefined) container.image = doc.image;
  if (doc.ports) container.ports = asMutable(doc.ports);
  return Result.succeed(container);
}

/** Requests default to limits per resource, as the API server defaults them. Keys sorted. */
function withDefaultsFrom(requests: ResourceList, limits: ResourceList): ResourceList {
  const merged: ResourceList = { ...limits, ...requests };
  const out: ResourceList = {};
  for (const name of Object.keys(merged).sort()) out[name] = merged[name] as number;
  return out;
}

function tolerationOf(doc: NonNullable<PodSpecDoc["tolerations"]>[number]): Toleration {
  const { effect, ...rest } = doc;
  return effect === "" || effect === undefined ? { ...rest } : { ...rest, effect };
}
