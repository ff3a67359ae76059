/**
 * metadata (metav1.ObjectMeta) ↔ the model's ObjectMeta. A namespaced object without a namespace
 * is in "default"; a cluster-scoped one has namespace "" whatever the manifest says. Absent uid
 * reads as "" (the API server assigns one on create); timestamps are ms since the epoch, and an
 * absent creationTimestamp reads as 0, the start of virtual time. Names, namespaces, labels and
 * annotations are validated as the API server validates them (object-names.ts); finalizers and owner
 * references' controller / blockOwnerDeletion are kept as given. resourceVersion is the
 * store revision (a decimal string on the wire, as etcd-backed API servers write it; others are dropped).
 */
import { Effect, Schema, SchemaGetter } from "effect";
import type { ObjectMeta, OwnerReference } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { opt, Integer } from "./fields.ts";
import { Annotations, Labels, NamespaceField, ObjectName } from "./object-names.ts";
import { issueAt } from "./problem.ts";
import { Timestamp } from "./time.ts";

/** The namespace of a namespaced object whose manifest names none. */
export const defaultNamespace = "default";
const unsetTimeMs = 0;

/** apiVersions of the kinds that own objects in the twin, for owner references it made itself. */
const ownerApiVersions: Readonly<Record<string, string>> = {
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  Node: "v1",
  ReplicationController: "v1",
};

const OwnerReferenceWire = Schema.Struct({
  apiVersion: Schema.String,
  kind: Schema.NonEmptyString,
  name: Schema.NonEmptyString,
  uid: Schema.String,
  controller: opt(Schema.Boolean),
  blockOwnerDeletion: opt(Schema.Boolean),
});

const OwnerReferenceCodec = OwnerReferenceWire.pipe(
  Schema.decodeTo(modelOf<OwnerReference>("an owner reference"), {
    // The apiVersion a kind implies is left out, as the twin's own controllers leave it out.
    decode: SchemaGetter.transform(({ apiVersion, ...rest }: typeof OwnerReferenceWire.Type): OwnerReference =>
      ownerApiVersions[rest.kind] === apiVersion ? { ...rest } : { apiVersion, ...rest }),
    encode: SchemaGetter.transformEffect((ref: OwnerReference) => {
      const apiVersion = ref.apiVersion ?? ownerApiVersions[ref.kind];
      if (apiVersion === undefined) return Effect.fail(issueAt(["apiVersion"], `an owner reference to a ${ref.kind} needs its apiVersion`));
      return Effect.succeed({ ...ref, apiVersion });
    }),
  }),
);

const ObjectMetaWire = Schema.Struct({
  name: ObjectName,
  namespace: opt(NamespaceField),
  uid: opt(Schema.String),
  labels: opt(Labels),
  annotations: opt(Annotations),
  ownerReferences: opt(Schema.Array(OwnerReferenceCodec)),
  finalizers: opt(Schema.Array(Schema.String)),
  creationTimestamp: opt(Timestamp),
  deletionTimestamp: opt(Timestamp),
  generation: opt(Integer),
  resourceVersion: opt(Schema.String),
});

type ObjectMetaWire = typeof ObjectMetaWire.Type;

function metaOf(w: ObjectMetaWire, namespaced: boolean): ObjectMeta {
  const meta: ObjectMeta = {
    name: w.name,
    namespace: namespaced ? w.namespace || defaultNamespace : "",
    uid: w.uid ?? "",
    labels: { ...w.labels },
    creationMs: w.creationTimestamp ?? unsetTimeMs,
  };
  if (w.annotations !== undefined) meta.annotations = { ...w.annotations };
  if (w.ownerReferences !== undefined) meta.ownerReferences = [...w.ownerReferences];
  if (w.finalizers !== undefined && w.finalizers.length > 0) meta.finalizers = [...w.finalizers];
  if (w.deletionTimestamp !== undefined) meta.deletionMs = w.deletionTimestamp;
  if (w.generation !== undefined) meta.generation = w.generation;
  // The twin's versions are store revisions (integers); an opaque version from elsewhere is left out.
  if (w.resourceVersion !== undefined && /^[1-9]\d{0,15}$/.test(w.resourceVersion)) meta.resourceVersion = Number(w.resourceVersion);
  return meta;
}

function wireOf(meta: ObjectMeta, namespaced: boolean): ObjectMetaWire {
  return {
    name: meta.name,
    ...(namespaced ? { namespace: meta.namespace } : {}),
    ...(meta.uid === "" ? {} : { uid: meta.uid }),
    ...(Object.keys(meta.labels).length === 0 ? {} : { labels: meta.labels }),
    ...(meta.annotations === undefined ? {} : { annotations: meta.annotations }),
    ...(meta.ownerReferences === undefined ? {} : { ownerReferences: meta.ownerReferences }),
    ...(meta.finalizers === undefined ? {} : { finalizers: meta.finalizers }),
    creationTimestamp: meta.creationMs,
    ...(meta.deletionMs === undefined ? {} : { deletionTimestamp: meta.deletionMs }),
    ...(meta.generation === undefined ? {} : { generation: meta.generation }),
    ...(meta.resourceVersion === undefined ? {} : { resourceVersion: String(meta.resourceVersion) }),
  };
}

function metaCodec(namespaced: boolean) {
  return ObjectMetaWire.pipe(
    Schema.decodeTo(modelOf<ObjectMeta>("object metadata"), {
      decode: SchemaGetter.transform((w: ObjectMetaWire) => metaOf(w, namespaced)),
      encode: SchemaGetter.transform((meta: ObjectMeta) => wireOf(meta, namespaced)),
    }),
  );
}

/** metadata of a namespaced kind (Pod, Deployment, ResourceQuota…). */
export const NamespacedMeta = metaCodec(true);
/** metadata of a cluster-scoped kind (Node, Namespace, PriorityClass, PersistentVolume). */
export const ClusterMeta = metaCodec(false);

/** What every object carries, whatever its kind: enough to name it in a message or a warning. */
export const ObjectHeader = Schema.Struct({
  apiVersion: opt(Schema.String),
  kind: opt(Schema.NonEmptyString),
  metadata: Schema.Struct({ name: Schema.NonEmptyString, namespace: opt(Schema.String) }),
});
export type ObjectHeader = typeof ObjectHeader.Type;
