/**
 * The resources the served twin answers for: one row per kind the codec (src/k8s/kinds.ts) models,
 * with its REST names as the API server's discovery gives them (plural, singular, short names), the
 * map of the cluster state that holds it, and its subject prefix in the event log. Objects leave
 * through the one codec (`encodeKube`).
 */
import { codecsOfKind, encodeKube, type KubeObject } from "../k8s/kinds.ts";
import type { ClusterState } from "../model/state.ts";
import type { StoredKind } from "../model/stored-objects.ts";

export interface ServedResource {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** The state map holding its objects (keys "namespace/name" or "name"); undefined: always empty (Events). */
  objects: ((state: ClusterState) => ReadonlyMap<string, KubeObject>) | undefined;
}

interface Row {
  kind: string;
  plural: string;
  shortNames: string[];
  objects: ServedResource["objects"];
}

const stored = (kind: StoredKind) => (s: ClusterState) => s.objects.get(kind) as ReadonlyMap<string, KubeObject>;

// Plurals and short names as upstream registers them (pkg/registry/*/rest/storage_*.go, kubectl api-resources).
const rows: readonly Row[] = [
  { kind: "Namespace", plural: "namespaces", shortNames: ["ns"], objects: (s) => s.namespaces },
  { kind: "Node", plural: "nodes", shortNames: ["no"], objects: (s) => s.nodes },
  { kind: "Pod", plural: "pods", shortNames: ["po"], objects: (s) => s.pods },
  { kind: "Deployment", plural: "deployments", shortNames: ["deploy"], objects: (s) => s.deployments },
  { kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], objects: (s) => s.replicaSets },
  { kind: "Lease", plural: "leases", shortNames: [], objects: (s) => s.leases },
  { kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", shortNames: ["pdb"], objects: stored("PodDisruptionBudget") },
  { kind: "PriorityClass", plural: "priorityclasses", shortNames: ["pc"], objects: stored("PriorityClass") },
  { kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"], objects: stored("ResourceQuota") },
  { kind: "LimitRange", plural: "limitranges", shortNames: ["limits"], objects: stored("LimitRange") },
  { kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"], objects: stored("PersistentVolume") },
  { kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"], objects: stored("PersistentVolumeClaim") },
];

function resourceOf(row: Row): ServedResource {
  const entry = codecsOfKind(row.kind)[0];
  if (entry === undefined) throw new Error(`served kind ${row.kind} has no codec`);
  const slash = entry.apiVersion.indexOf("/");
  return {
    group: slash < 0 ? "" : entry.apiVersion.slice(0, slash),
    version: slash < 0 ? entry.apiVersion : entry.apiVersion.slice(slash + 1),
    kind: row.kind,
    plural: row.plural,
    singular: row.kind.toLowerCase(),
    shortNames: row.shortNames,
    namespaced: entry.namespaced,
    objects: row.objects,
  };
}

/** core/v1 Events: kubectl describe lists them; the twin records none, so the list is empty. */
const events: ServedResource = {
  group: "", version: "v1", kind: "Event", plural: "events", singular: "event", shortNames: ["ev"], namespaced: true, objects: undefined,
};

export const servedResources: readonly ServedResource[] = [...rows.map(resourceOf), events];

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
