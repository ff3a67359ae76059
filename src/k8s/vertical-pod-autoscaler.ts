/**
 * autoscaling.k8s.io/v1 VerticalPodAutoscaler ↔ the model's VerticalPodAutoscaler. Defaults as
 * upstream's API types (vertical-pod-autoscaler/pkg/apis/autoscaling.k8s.io/v1/types.go):
 * updatePolicy.updateMode Recreate, a container policy's mode Auto and controlledResources
 * [cpu, memory]; the enums as its kubebuilder validation. status.recommendation is written in
 * upstream's shape (containerRecommendations with target, lowerBound, upperBound, uncappedTarget).
 */
import { Schema, SchemaGetter } from "effect";
import type { VerticalPodAutoscaler, VpaContainerPolicy, VpaContainerRecommendation } from "../model/autoscaling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt, PositiveCount } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { ResourceList } from "./quantity.ts";
import { Timestamp } from "./time.ts";

const ObjectRef = Schema.Struct({ apiVersion: opt(Schema.String), kind: Schema.NonEmptyString, name: Schema.NonEmptyString });

const ContainerPolicyWire = Schema.Struct({
  containerName: opt(Schema.NonEmptyString),
  mode: opt(Schema.Literals(["Auto", "Off"])),
  minAllowed: opt(ResourceList),
  maxAllowed: opt(ResourceList),
  controlledResources: opt(Schema.Array(Schema.Literals(["cpu", "memory"]))),
  controlledValues: opt(Schema.Literals(["RequestsAndLimits", "RequestsOnly"])),
});

const RecommendationWire = Schema.Struct({
  containerName: Schema.NonEmptyString,
  target: ResourceList,
  lowerBound: opt(ResourceList),
  upperBound: opt(ResourceList),
  uncappedTarget: opt(ResourceList),
});

const ConditionWire = Schema.Struct({
  type: Schema.NonEmptyString,
  status: Schema.Literals(["True", "False"]),
  reason: opt(Schema.String),
  message: opt(Schema.String),
  lastTransitionTime: opt(Timestamp),
});

const VpaWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("autoscaling.k8s.io/v1")),
  kind: opt(Schema.Literal("VerticalPodAutoscaler")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    targetRef: ObjectRef,
    updatePolicy: opt(Schema.Struct({ updateMode: opt(Schema.Literals(["Off", "Initial", "Recreate", "InPlaceOrRecreate", "InPlace", "Auto"])), minReplicas: opt(PositiveCount) })),
    resourcePolicy: opt(Schema.Struct({ containerPolicies: opt(Schema.Array(ContainerPolicyWire)) })),
  }),
  status: opt(
    Schema.Struct({
      recommendation: opt(Schema.Struct({ containerRecommendations: opt(Schema.Array(RecommendationWire)) })),
      conditions: opt(Schema.Array(ConditionWire)),
    }),
  ),
});

type VpaWire = typeof VpaWire.Type;

function policyOf(p: typeof ContainerPolicyWire.Type): VpaContainerPolicy {
  return {
    containerName: p.containerName ?? "*",
    mode: p.mode ?? "Auto",
    ...(p.minAllowed !== undefined ? { minAllowed: { ...p.minAllowed } } : {}),
    ...(p.maxAllowed !== undefined ? { maxAllowed: { ...p.maxAllowed } } : {}),
    controlledResources: [...(p.controlledResources ?? ["cpu", "memory"])],
  };
}

function recommendationOf(r: typeof RecommendationWire.Type): VpaContainerRecommendation {
  return { containerName: r.containerName, target: { ...r.target }, lowerBound: { ...(r.lowerBound ?? r.target) }, upperBound: { ...(r.upperBound ?? r.target) }, uncappedTarget: { ...(r.uncappedTarget ?? r.target) } };
}

function vpaOf(w: VpaWire): VerticalPodAutoscaler {
  const recommendations = w.status?.recommendation?.containerRecommendations;
  return {
    kind: "VerticalPodAutoscaler",
    metadata: w.metadata,
    spec: {
      targetRef: { ...w.spec.targetRef },
      updateMode: w.spec.updatePolicy?.updateMode ?? "Recreate",
      ...(w.spec.updatePolicy?.minReplicas !== undefined ? { minReplicas: w.spec.updatePolicy.minReplicas } : {}),
      containerPolicies: (w.spec.resourcePolicy?.containerPolicies ?? []).map(policyOf),
    },
    status: {
      ...(recommendations !== undefined ? { recommendation: { containerRecommendations: recommendations.map(recommendationOf) } } : {}),
      conditions: (w.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason !== undefined ? { reason: c.reason } : {}), ...(c.message !== undefined ? { message: c.message } : {}), lastTransitionMs: c.lastTransitionTime ?? 0 })),
    },
  };
}

function wireOf(v: VerticalPodAutoscaler): VpaWire {
  return {
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: v.metadata,
    spec: {
      targetRef: v.spec.targetRef,
      updatePolicy: { updateMode: v.spec.updateMode, ...(v.spec.minReplicas !== undefined ? { minReplicas: v.spec.minReplicas } : {}) },
      ...(v.spec.containerPolicies.length > 0 ? { resourcePolicy: { containerPolicies: v.spec.containerPolicies } } : {}),
    },
    status: {
      ...(v.status.recommendation !== undefined ? { recommendation: v.status.recommendation } : {}),
      conditions: v.status.conditions.map((c) => ({ type: c.type, status: c.status, ...(c.reason !== undefined ? { reason: c.reason } : {}), ...(c.message !== undefined ? { message: c.message } : {}), lastTransitionTime: c.lastTransitionMs })),
    },
  };
}

export const VerticalPodAutoscalerCodec = VpaWire.pipe(
  Schema.decodeTo(modelOf<VerticalPodAutoscaler>("a VerticalPodAutoscaler", "VerticalPodAutoscaler"), {
    decode: SchemaGetter.transform(vpaOf),
    encode: SchemaGetter.transform(wireOf),
  }),
);
