/**
 * core/v1 PersistentVolumeClaim ↔ the model's PersistentVolumeClaim. Requests in bytes and must
 * state storage. Without a status it reads Bound when it names its volume (volumeName), else
 * Pending (left to dynamic provisioning).
 */
import { Schema, SchemaGetter } from "effect";
import type { PersistentVolumeClaim } from "../model/scheduling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { AccessModes, StorageList } from "./persistent-volume.ts";

const PvcWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("PersistentVolumeClaim")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    storageClassName: opt(Schema.String),
    accessModes: opt(AccessModes),
    resources: Schema.Struct({ requests: StorageList }),
    volumeName: opt(Schema.String),
  }),
  status: opt(Schema.Struct({ phase: opt(Schema.Literals(["Pending", "Bound", "Lost"])) })),
});

type PvcWire = typeof PvcWire.Type;

function persistentVolumeClaimOf(w: PvcWire): PersistentVolumeClaim {
  const { volumeName, ...rest } = asMutable(w.spec);
  const spec: PersistentVolumeClaim["spec"] = rest;
  if (volumeName) spec.volumeName = volumeName;
  return { kind: "PersistentVolumeClaim", metadata: w.metadata, spec, status: { phase: w.status?.phase ?? (spec.volumeName === undefined ? "Pending" : "Bound") } };
}

export const PersistentVolumeClaimCodec = PvcWire.pipe(
  Schema.decodeTo(modelOf<PersistentVolumeClaim>("a PersistentVolumeClaim", "PersistentVolumeClaim"), {
    decode: SchemaGetter.transform(persistentVolumeClaimOf),
    encode: SchemaGetter.transform((pvc: PersistentVolumeClaim): PvcWire => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: pvc.metadata, spec: pvc.spec as PvcWire["spec"], status: pvc.status })),
  }),
);
