/**
 * The REST names of the kinds the codec models (src/k8s/kinds.ts), as the API server registers
 * them (pkg/registry/<group>/rest/storage_<group>.go; `kubectl api-resources`): plural, short names, and the
 * collection path across all namespaces. The adapter watches these paths; the served twin answers them.
 */
import { codecsOfKind } from "../k8s/kinds.ts";

export interface RestNames {
  kind: string;
  /** "" for the core group. */
  group: string;
  version: string;
  plural: string;
  shortNames: string[];
  namespaced: boolean;
}

const rows: readonly { kind: string; plural: string; shortNames: string[] }[] = [
  { kind: "Namespace", plural: "namespaces", shortNames: ["ns"] },
  { kind: "Node", plural: "nodes", shortNames: ["no"] },
  { kind: "Pod", plural: "pods", shortNames: ["po"] },
  { kind: "Deployment", plural: "deployments", shortNames: ["deploy"] },
  { kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"] },
  { kind: "Lease", plural: "leases", shortNames: [] },
  { kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", shortNames: ["pdb"] },
  { kind: "PriorityClass", plural: "priorityclasses", shortNames: ["pc"] },
  { kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"] },
  { kind: "LimitRange", plural: "limitranges", shortNames: ["limits"] },
  { kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"] },
  { kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"] },
  { kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"] },
  { kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"] },
  { kind: "Job", plural: "jobs", shortNames: [] },
  { kind: "CronJob", plural: "cronjobs", shortNames: ["cj"] },
  { kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", shortNames: ["hpa"] },
  { kind: "Service", plural: "services", shortNames: ["svc"] },
  // a CustomResourceDefinition in a real cluster (the VPA project's), registered under these names
  { kind: "VerticalPodAutoscaler", plural: "verticalpodautoscalers", shortNames: ["vpa"] },
];

function namesOf(row: (typeof rows)[number]): RestNames {
  const entry = codecsOfKind(row.kind)[0];
  if (entry === undefined) throw new Error(`kind ${row.kind} has no codec`);
  const slash = entry.apiVersion.indexOf("/");
  return {
    kind: row.kind,
    group: slash < 0 ? "" : entry.apiVersion.slice(0, slash),
    version: slash < 0 ? entry.apiVersion : entry.apiVersion.slice(slash + 1),
    plural: row.plural,
    shortNames: row.shortNames,
    namespaced: entry.namespaced,
  };
}

export const modelledResources: readonly RestNames[] = rows.map(namesOf);

/** /api/v1/pods, /apis/apps/v1/deployments: the collection across all namespaces. */
export function collectionPath(r: RestNames): string {
  return r.group === "" ? `/api/${r.version}/${r.plural}` : `/apis/${r.group}/${r.version}/${r.plural}`;
}
