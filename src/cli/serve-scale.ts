/** The scale subresource's object (apiserver registry: deployment/replicaset/statefulset ScaleREST). */
import type { KubeJson, ServedResource } from "./serve-resources.ts";

type Json = Record<string, unknown>;

const mapOf = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet (apiserver's scale subresource). */
export function scaleOf(object: KubeJson | undefined, r: ServedResource): Json | undefined {
  if (object === undefined || !["Deployment", "ReplicaSet", "StatefulSet"].includes(r.kind)) return undefined;
  const spec = mapOf(object.spec);
  const status = mapOf(object.status);
  const selector = mapOf(mapOf(spec.selector).matchLabels);
  const m = object.metadata;
  return {
    kind: "Scale", apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(",") },
  };
}
