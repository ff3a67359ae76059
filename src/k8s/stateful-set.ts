/**
 * apps/v1 StatefulSet ↔ the model's StatefulSet. Defaults as upstream SetDefaults_StatefulSet:
 * one replica, podManagementPolicy OrderedReady, updateStrategy RollingUpdate with partition 0,
 * persistentVolumeClaimRetentionPolicy Retain/Retain. Refused as ValidateStatefulSetSpec refuses:
 * rollingUpdate on an OnDelete set, a selector that does not select the template. Each
 * volumeClaimTemplate is a claim spec (storage request required) under a name.
 */
import { Schema, SchemaGetter } from "effect";
import type { StatefulSet, StatefulSetUpdateStrategy, VolumeClaimTemplate } from "../model/stateful-set.ts";
import { modelOf } from "./codec.ts";
import { Count, CountOrZero, opt, orDefault } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { Labels, ObjectName } from "./object-names.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { AccessModes, StorageList } from "./persistent-volume.ts";
import { PodTemplateCodec } from "./pod-spec.ts";
import { issueAt } from "./problem.ts";
import { Replicas, selectsTemplate } from "./workload.ts";

const StrategyWire = Schema.Struct({
  type: opt(Schema.Literals(["RollingUpdate", "OnDelete"])),
  rollingUpdate: opt(Schema.Struct({ partition: opt(Count) })),
}).check(
  Schema.makeFilter((s) => s.type !== "OnDelete" || s.rollingUpdate === undefined || issueAt(["rollingUpdate"], 'may not be given when "type" is OnDelete', { pointAt: "key" })),
);

const Retention = opt(Schema.Literals(["Retain", "Delete"]));

const ClaimTemplateWire = Schema.Struct({
  metadata: Schema.Struct({ name: ObjectName, labels: opt(Labels) }),
  spec: Schema.Struct({
    storageClassName: opt(Schema.String),
    accessModes: opt(AccessModes),
    resources: Schema.Struct({ requests: StorageList }),
  }),
});

const StatusWire = orDefault(
  Schema.Struct({
    replicas: CountOrZero,
    readyReplicas: CountOrZero,
    availableReplicas: CountOrZero,
    currentReplicas: CountOrZero,
    updatedReplicas: CountOrZero,
    currentRevision: opt(Schema.String),
    updateRevision: opt(Schema.String),
  }),
  {},
);

const StatefulSetWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("apps/v1")),
  kind: opt(Schema.Literal("StatefulSet")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    replicas: Replicas,
    selector: LabelSelector,
    template: PodTemplateCodec,
    serviceName: opt(Schema.String),
    podManagementPolicy: opt(Schema.Literals(["OrderedReady", "Parallel"])),
    updateStrategy: opt(StrategyWire),
    volumeClaimTemplates: opt(Schema.Array(ClaimTemplateWire)),
    persistentVolumeClaimRetentionPolicy: opt(Schema.Struct({ whenDeleted: Retention, whenScaled: Retention })),
    minReadySeconds: opt(Count),
  }).check(selectsTemplate),
  status: StatusWire,
});

type StatefulSetWire = typeof StatefulSetWire.Type;

function strategyOf(w: StatefulSetWire["spec"]["updateStrategy"]): StatefulSetUpdateStrategy {
  const type = w?.type ?? "RollingUpdate";
  return { type, partition: type === "RollingUpdate" ? (w?.rollingUpdate?.partition ?? 0) : 0 };
}

function claimTemplateOf(w: typeof ClaimTemplateWire.Type): VolumeClaimTemplate {
  return { metadata: { name: w.metadata.name, labels: { ...(w.metadata.labels ?? {}) } }, spec: asMutable(w.spec) };
}

function statefulSetOf(w: StatefulSetWire): StatefulSet {
  const retention = w.spec.persistentVolumeClaimRetentionPolicy;
  const spec: StatefulSet["spec"] = {
    replicas: w.spec.replicas,
    selector: asMutable(w.spec.selector),
    template: w.spec.template,
    podManagementPolicy: w.spec.podManagementPolicy ?? "OrderedReady",
    updateStrategy: strategyOf(w.spec.updateStrategy),
    volumeClaimTemplates: (w.spec.volumeClaimTemplates ?? []).map(claimTemplateOf),
    persistentVolumeClaimRetentionPolicy: { whenDeleted: retention?.whenDeleted ?? "Retain", whenScaled: retention?.whenScaled ?? "Retain" },
  };
  if (w.spec.serviceName !== undefined) spec.serviceName = w.spec.serviceName;
  if (w.spec.minReadySeconds !== undefined) spec.minReadySeconds = w.spec.minReadySeconds;
  return { kind: "StatefulSet", metadata: w.metadata, spec, status: { ...w.status } };
}

function statefulSetWireOf(s: StatefulSet): StatefulSetWire {
  const { updateStrategy, ...spec } = s.spec;
  const strategy = updateStrategy.type === "OnDelete" ? { type: "OnDelete" as const } : { type: "RollingUpdate" as const, rollingUpdate: { partition: updateStrategy.partition } };
  return { apiVersion: "apps/v1", kind: "StatefulSet", metadata: s.metadata, spec: { ...spec, updateStrategy: strategy } as StatefulSetWire["spec"], status: s.status };
}

export const StatefulSetCodec = StatefulSetWire.pipe(
  Schema.decodeTo(modelOf<StatefulSet>("a StatefulSet", "StatefulSet"), {
    decode: SchemaGetter.transform(statefulSetOf),
    encode: SchemaGetter.transform(statefulSetWireOf),
  }),
);
