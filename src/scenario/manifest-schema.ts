/**
 * The parts of Kubernetes manifests the twin models (Deployment, ReplicaSet, Pod, Namespace; the
 * policy objects are in policy-schema.ts).
 * Decoded leniently: real manifests carry probes, env, securityContext… which are ignored here.
 * Field names and enums follow the Kubernetes API (core/v1, apps/v1).
 */
import { Schema } from "effect";
import { Count, IntOrPercent, PositiveCount, Quantity, StringMap } from "./formats.ts";

const opt = Schema.optionalKey;
const Strings = Schema.Array(Schema.String);

export const ObjectMetaSchema = Schema.Struct({
  name: Schema.NonEmptyString,
  namespace: opt(Schema.String),
  labels: opt(StringMap),
  annotations: opt(StringMap),
});

/** Only what tells kinds apart; everything else is decoded per kind. */
export const ManifestHeaderSchema = Schema.Struct({
  apiVersion: opt(Schema.String),
  kind: Schema.NonEmptyString,
  metadata: Schema.Struct({ name: Schema.NonEmptyString, namespace: opt(Schema.String) }),
});

export const LabelSelectorSchema = Schema.Struct({
  matchLabels: opt(StringMap),
  matchExpressions: opt(
    Schema.Array(
      Schema.Struct({
        key: Schema.NonEmptyString,
        operator: Schema.Literals(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: opt(Strings),
      }),
    ),
  ),
});

const NodeSelectorRequirementSchema = Schema.Struct({
  key: Schema.NonEmptyString,
  operator: Schema.Literals(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
  values: opt(Strings),
});

export const NodeSelectorTermSchema = Schema.Struct({
  matchExpressions: opt(Schema.Array(NodeSelectorRequirementSchema)),
  matchFields: opt(Schema.Array(NodeSelectorRequirementSchema)),
});

const Weight = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }));

const NodeAffinitySchema = Schema.Struct({
  requiredDuringSchedulingIgnoredDuringExecution: opt(Schema.Struct({ nodeSelectorTerms: Schema.Array(NodeSelectorTermSchema) })),
  preferredDuringSchedulingIgnoredDuringExecution: opt(
    Schema.Array(Schema.Struct({ weight: Weight, preference: NodeSelectorTermSchema })),
  ),
});

const PodAffinityTermSchema = Schema.Struct({
  labelSelector: opt(LabelSelectorSchema),
  namespaces: opt(Strings),
  namespaceSelector: opt(LabelSelectorSchema),
  topologyKey: Schema.NonEmptyString,
  matchLabelKeys: opt(Strings),
  mismatchLabelKeys: opt(Strings),
});

const PodAffinitySchema = Schema.Struct({
  requiredDuringSchedulingIgnoredDuringExecution: opt(Schema.Array(PodAffinityTermSchema)),
  preferredDuringSchedulingIgnoredDuringExecution: opt(
    Schema.Array(Schema.Struct({ weight: Weight, podAffinityTerm: PodAffinityTermSchema })),
  ),
});

const AffinitySchema = Schema.Struct({
  nodeAffinity: opt(NodeAffinitySchema),
  podAffinity: opt(PodAffinitySchema),
  podAntiAffinity: opt(PodAffinitySchema),
});

const TaintEffect = Schema.Literals(["NoSchedule", "PreferNoSchedule", "NoExecute"]);

const TolerationSchema = Schema.Struct({
  key: opt(Schema.String),
  operator: opt(Schema.Literals(["Exists", "Equal"])),
  value: opt(Schema.String),
  // "" means every effect, as in the Kubernetes API.
  effect: opt(Schema.Literals(["NoSchedule", "PreferNoSchedule", "NoExecute", ""])),
  tolerationSeconds: opt(Schema.Int),
});

const Policy = Schema.Literals(["Honor", "Ignore"]);

const TopologySpreadConstraintSchema = Schema.Struct({
  maxSkew: PositiveCount,
  topologyKey: Schema.NonEmptyString,
  whenUnsatisfiable: Schema.Literals(["DoNotSchedule", "ScheduleAnyway"]),
  labelSelector: opt(LabelSelectorSchema),
  minDomains: opt(PositiveCount),
  nodeAffinityPolicy: opt(Policy),
  nodeTaintsPolicy: opt(Policy),
  matchLabelKeys: opt(Strings),
});

const Port = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 65535 }));

const ContainerSchema = Schema.Struct({
  name: Schema.NonEmptyString,
  image: opt(Schema.String),
  resources: opt(
    Schema.Struct({
      requests: opt(Schema.Record(Schema.String, Quantity)),
      limits: opt(Schema.Record(Schema.String, Quantity)),
    }),
  ),
  ports: opt(
    Schema.Array(
      Schema.Struct({
        containerPort: Port,
        hostPort: opt(Port),
        hostIP: opt(Schema.String),
        protocol: opt(Schema.Literals(["TCP", "UDP", "SCTP"])),
      }),
    ),
  ),
});

export const PodSpecSchema = Schema.Struct({
  containers: Schema.NonEmptyArray(ContainerSchema),
  initContainers: opt(Schema.Array(ContainerSchema)),
  nodeName: opt(Schema.String),
  schedulerName: opt(Schema.String),
  overhead: opt(Schema.Record(Schema.String, Quantity)),
  nodeSelector: opt(StringMap),
  affinity: opt(AffinitySchema),
  tolerations: opt(Schema.Array(TolerationSchema)),
  topologySpreadConstraints: opt(Schema.Array(TopologySpreadConstraintSchema)),
  priority: opt(Schema.Int),
  priorityClassName: opt(Schema.String),
  preemptionPolicy: opt(Schema.Literals(["PreemptLowerPriority", "Never"])),
  terminationGracePeriodSeconds: opt(Count),
  volumes: opt(
    Schema.Array(Schema.Struct({ name: Schema.NonEmptyString, persistentVolumeClaim: opt(Schema.Struct({ claimName: Schema.NonEmptyString })) })),
  ),
});

const PodTemplateSchema = Schema.Struct({
  metadata: opt(Schema.Struct({ labels: opt(StringMap), annotations: opt(StringMap) })),
  spec: PodSpecSchema,
});

export const DeploymentSchema = Schema.Struct({
  kind: Schema.Literal("Deployment"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({
    replicas: opt(Count),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
    strategy: opt(
      Schema.Struct({
        type: opt(Schema.Literals(["RollingUpdate", "Recreate"])),
        rollingUpdate: opt(Schema.Struct({ maxSurge: opt(IntOrPercent), maxUnavailable: opt(IntOrPercent) })),
      }),
    ),
    minReadySeconds: opt(Count),
  }),
});

export const ReplicaSetSchema = Schema.Struct({
  kind: Schema.Literal("ReplicaSet"),
  metadata: ObjectMetaSchema,
  spec: Schema.Struct({
    replicas: opt(Count),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
    minReadySeconds: opt(Count),
  }),
});

export const PodSchema = Schema.Struct({
  kind: Schema.Literal("Pod"),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
});

export const NamespaceSchema = Schema.Struct({
  kind: Schema.Literal("Namespace"),
  metadata: Schema.Struct({ name: Schema.NonEmptyString }),
});

export type ObjectMetaDoc = typeof ObjectMetaSchema.Type;
export type PodSpecDoc = typeof PodSpecSchema.Type;
export type ContainerDoc = PodSpecDoc["containers"][number];
export type DeploymentDoc = typeof DeploymentSchema.Type;
export type ReplicaSetDoc = typeof ReplicaSetSchema.Type;
export type PodDoc = typeof PodSchema.Type;
export type LabelSelectorDoc = typeof LabelSelectorSchema.Type;
