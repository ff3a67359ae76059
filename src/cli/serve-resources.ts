/**
 * The resources the served twin answers for: every kind the codec models, under the REST names the
 * adapter also watches (src/live/rest-names.ts), with the map of the cluster state that holds it;
 * its singular name is also its subject prefix in the event log. Objects leave
 * through the one codec (`encodeKube`).
 */
import { encodeKube, type KubeObject } from "../k8s/kinds.ts";
import { modelledResources, type RestNames } from "../live/rest-names.ts";
import type { ClusterState } from "../model/state.ts";
import { stateMapsByKind, stored } from "../live/state-maps.ts";
import { nodeMetricsOf } from "./serve-metrics.ts";

export interface ServedResource {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** The state map holding its objects (keys "namespace/name" or "name"); undefined: always empty (Events) or computed. */
  objects: ((state: ClusterState) => ReadonlyMap<string, KubeObject>) | undefined;
  /** Objects computed from the state rather than stored (NodeMetrics), in key order. */
  computed?: (state: ClusterState) => KubeJson[];
}

function resourceOf(names: RestNames): ServedResource {
  const objects = stateMapsByKind[names.kind];
  if (objects === undefined) throw new Error(`served kind ${names.kind} has no state map`);
  return { ...names, singular: names.kind.toLowerCase(), objects };
}

/** core/v1 Events: kubectl describe lists them; the twin records none, so the list is empty. */
const events: ServedResource = {
  group: "", version: "v1", kind: "Event", plural: "events", singular: "event", shortNames: ["ev"], namespaced: true, objects: undefined,
};

/** metrics.k8s.io: what `kubectl top pods` and `kubectl top nodes` read (serve-metrics.ts). */
const podMetrics: ServedResource = {
  group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetrics", plural: "pods", singular: "podmetrics", shortNames: [], namespaced: true, objects: stored("PodMetrics"),
};
const nodeMetrics: ServedResource = {
  group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetrics", plural: "nodes", singular: "nodemetrics", shortNames: [], namespaced: false, objects: undefined, computed: nodeMetricsOf,
};

export const servedResources: readonly ServedResource[] = [...modelledResources.map(resourceOf), events, podMetrics, nodeMetrics];

export function apiVersionOf(r: ServedResource): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}

/** The resource an event-log subject ("pod/ns/name", "poddisruptionbudget/ns/name") is about, with its key. */
export function resourceOfSubject(subject: string): { resource: ServedResource; key: string } | undefined {
  const slash = subject.indexOf("/");
  if (slash < 0) return undefined;
  const prefix = subject.slice(0, slash);
  const resource = servedResources.find((r) => r.singular === prefix && r.objects !== undefined);
  return resource === undefined ? undefined : { resource, key: subject.slice(slash + 1) };
}

/** Kubernetes JSON of a model object, through the one codec. */
export type KubeJson = { apiVersion: string; kind: string; metadata: KubeMetaJson; [field: string]: unknown };
export type KubeMetaJson = { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [field: string]: unknown };

export function encodeServed(object: KubeObject): KubeJson {
  return encodeKube(object) as KubeJson;
}
