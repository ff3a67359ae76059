/**
 * Metadata of a policy object as the plan carries it: uid "" and creationMs 0 are placeholders
 * the api server fills in when it creates the object. Cluster-scoped kinds (PriorityClass,
 * PersistentVolume) have namespace "", whatever the manifest or the workload entry says.
 */
import type { ObjectMeta } from "../model/objects.ts";
import type { ObjectMetaDoc } from "./manifest-schema.ts";

/** `namespace` is "" for cluster-scoped kinds, else the namespace already resolved for the entry. */
export function policyMetaOf(doc: ObjectMetaDoc, namespace: string): ObjectMeta {
  const meta: ObjectMeta = { name: doc.name, namespace, uid: "", labels: { ...doc.labels }, creationMs: 0, generation: 1 };
  if (doc.annotations) meta.annotations = { ...doc.annotations };
  return meta;
}
