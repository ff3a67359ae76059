/** apps/v1 ReplicaSet ↔ the model's ReplicaSet: one replica unless stated (upstream SetDefaults_ReplicaSet). */
import { Schema, SchemaGetter } from "effect";
import type { ReplicaSet } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { Count, opt } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodTemplateCodec } from "./pod-spec.ts";
import { Replicas, ReplicaStatus, selectsTemplate } from "./workload.ts";

const ReplicaSetWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("apps/v1")),
  kind: opt(Schema.Literal("ReplicaSet")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    replicas: Replicas,
    selector: LabelSelector,
    template: PodTemplateCodec,
    minReadySeconds: opt(Count),
  }).check(selectsTemplate),
  status: ReplicaStatus,
});

type ReplicaSetWire = typeof ReplicaSetWire.Type;

function replicaSetOf(w: ReplicaSetWire): ReplicaSet {
  const spec: ReplicaSet["spec"] = { replicas: w.spec.replicas, selector: asMutable(w.spec.selector), template: w.spec.template };
  if (w.spec.minReadySeconds !== undefined) spec.minReadySeconds = w.spec.minReadySeconds;
  return { kind: "ReplicaSet", metadata: w.metadata, spec, status: { ...w.status } };
}

export const ReplicaSetCodec = ReplicaSetWire.pipe(
  Schema.decodeTo(modelOf<ReplicaSet>("a ReplicaSet", "ReplicaSet"), {
    decode: SchemaGetter.transform(replicaSetOf),
    encode: SchemaGetter.transform((rs: ReplicaSet): ReplicaSetWire => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: rs.metadata, spec: rs.spec, status: rs.status })),
  }),
);
