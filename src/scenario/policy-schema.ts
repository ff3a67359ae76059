/**
 * The policy object manifests the twin models: PriorityClass (scheduling.k8s.io/v1),
 * PodDisruptionBudget (policy/v1), ResourceQuota, LimitRange, PersistentVolume and
 * PersistentVolumeClaim (v1). Decoded leniently like the other manifests (unknown fields such as
 * a PV's hostPath or volumeMode are ignored); a field that would change the meaning and is not
 * modelled (a quota's scopes) is decoded so that the converter can refuse it by name.
 */
import { Schema } from "effect";
import { IntOrPercent, Quantity } from "./formats.ts";
import { LabelSelectorSchema, NodeSelectorTermSchema, ObjectMetaSchema } from "./manifest-schema.ts";

const opt = Schema.optionalKey;
const Quantities = Schema.Record(Schema.String, Quantity);
const AccessModes = Schema.Array(Schema.Literals(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]));

export const PriorityClassSchema = Schema.Struct({
  kind: Schema.Literal("PriorityClass"),
  metadata: ObjectMetaSchema,
  value: Schema.Int,
  globalDefault: opt(Schema.Boolean),
  preemptionPolicy: opt(Schema.Literals(["PreemptLowerPriority", "Never"])),
  description: opt(Schema.String),
});

export const PodDisruptionBudgetSchema = Schema.Struct({
  kind: Schema.Literal("PodDisruptionBudget"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({
    selector: opt(LabelSelectorSchema),
    minAvailable: opt(IntOrPercent),
    maxUnavailable: opt(IntOrPercent),
    unhealthyPodEvictionPolicy: opt(Schema.Literals(["IfHealthyBudget", "AlwaysAllow"])),
  }),
});

export const ResourceQuotaSchema = Schema.Struct({
  kind: Schema.Literal("ResourceQuota"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({
    hard: Quantities,
    // Not modelled yet; decoded only to be refused by name.
    scopes: opt(Schema.Unknown),
    scopeSelector: opt(Schema.Unknown),
  }),
});

const LimitRangeItemSchema = Schema.Struct({
  type: Schema.Literals(["Container", "Pod", "PersistentVolumeClaim"]),
  max: opt(Quantities),
  min: opt(Quantities),
  default: opt(Quantities),
  defaultRequest: opt(Quantities),
  maxLimitRequestRatio: opt(Quantities),
});

export const LimitRangeSchema = Schema.Struct({
  kind: Schema.Literal("LimitRange"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({ limits: Schema.Array(LimitRangeItemSchema) }),
});

export const PersistentVolumeSchema = Schema.Struct({
  kind: Schema.Literal("PersistentVolume"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({
    capacity: Quantities,
    storageClassName: opt(Schema.String),
    accessModes: opt(AccessModes),
    nodeAffinity: opt(Schema.Struct({ required: opt(Schema.Struct({ nodeSelectorTerms: Schema.Array(NodeSelectorTermSchema) })) })),
    claimRef: opt(Schema.Struct({ namespace: opt(Schema.String), name: Schema.NonEmptyString })),
  }),
});

export const PersistentVolumeClaimSchema = Schema.Struct({
  kind: Schema.Literal("PersistentVolumeClaim"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({
    storageClassName: opt(Schema.String),
    accessModes: opt(AccessModes),
    resources: Schema.Struct({ requests: Quantities }),
    volumeName: opt(Schema.String),
  }),
});

export type PriorityClassDoc = typeof PriorityClassSchema.Type;
export type PodDisruptionBudgetDoc = typeof PodDisruptionBudgetSchema.Type;
export type ResourceQuotaDoc = typeof ResourceQuotaSchema.Type;
export type LimitRangeDoc = typeof LimitRangeSchema.Type;
export type LimitRangeItemDoc = LimitRangeDoc["spec"]["limits"][number];
export type PersistentVolumeDoc = typeof PersistentVolumeSchema.Type;
export type PersistentVolumeClaimDoc = typeof PersistentVolumeClaimSchema.Type;
