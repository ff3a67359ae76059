/**
 * core/v1 PersistentVolume ↔ the model's PersistentVolume. Cluster-scoped; capacity in bytes and
 * must state storage. Without a status it reads Bound when it names its claim (claimRef), else
 * Available (the stand-in for the PV controller). Volume sources (hostPath, csi, …) and volumeMode
 * are not modelled and are ignored.
 */
import { Schema, SchemaGetter } from "effect";
import type { PersistentVolume } from "../model/scheduling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { NodeSelectorTerm } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { ClusterMeta, defaultNamespace } from "./object-meta.ts";
import { issueAt } from "./problem.ts";
import { ResourceList } from "./quantity.ts";

/** The model keeps access modes as plain strings; encoding checks them against these again. */
export const AccessModes = Schema.Array(Schema.Literals(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]));

/** A resource list that must state storage (a volume's capacity, a claim's request). */
export const StorageList = ResourceList.check(Schema.makeFilter((list) => list.storage !== undefined || issueAt(["storage"], 'missing required field "storage"')));

const PvWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("PersistentVolume")),
  metadata: ClusterMeta,
  spec: Schema.Struct({
    capacity: StorageList,
    storageClassName: opt(Schema.String),
    accessModes: opt(AccessModes),
    nodeAffinity: opt(Schema.Struct({ required: opt(Schema.Struct({ nodeSelectorTerms: Schema.Array(NodeSelectorTerm) })) })),
    claimRef: opt(Schema.Struct({ namespace: opt(Schema.String), name: Schema.NonEmptyString })),
  }),
  status: opt(Schema.Struct({ phase: opt(Schema.Literals(["Pending", "Available", "Bound", "Released", "Failed"])) })),
});

type PvWire = typeof PvWire.Type;

function persistentVolumeOf(w: PvWire): PersistentVolume {
  const { claimRef, ...rest } = asMutable(w.spec);
  const spec: PersistentVolume["spec"] = rest;
  if (claimRef !== undefined) spec.claimRef = { namespace: claimRef.namespace || defaultNamespace, name: claimRef.name };
  return { kind: "PersistentVolume", metadata: w.metadata, spec, status: { phase: w.status?.phase ?? (claimRef === undefined ? "Available" : "Bound") } };
}

export const PersistentVolumeCodec = PvWire.pipe(
  Schema.decodeTo(modelOf<PersistentVolume>("a PersistentVolume", "PersistentVolume"), {
    decode: SchemaGetter.transform(persistentVolumeOf),
    encode: SchemaGetter.transform((pv: PersistentVolume): PvWire => ({ apiVersion: "v1", kind: "PersistentVolume", metadata: pv.metadata, spec: pv.spec as PvWire["spec"], status: pv.status })),
  }),
);
