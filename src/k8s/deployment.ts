/**
 * apps/v1 Deployment ↔ the model's Deployment. Defaults as upstream SetDefaults_Deployment: one
 * replica; strategy RollingUpdate with maxSurge and maxUnavailable 25%; revisionHistoryLimit 10;
 * progressDeadlineSeconds 600 (upstream ValidateDeploymentSpec: it must exceed minReadySeconds). Refused as upstream
 * ValidateDeploymentStrategy refuses: rollingUpdate on a Recreate deployment, and both limits zero
 * (a rollout that could never progress). The model keeps 25%/25% on a Recreate deployment, where
 * they mean nothing; encoding leaves them out.
 */
import { Schema, SchemaGetter } from "effect";
import type { Deployment, DeploymentCondition, DeploymentStatus, DeploymentStrategy } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { Count, CountOrZero, IntOrPercent, isZeroIntOrPercent, opt, orDefault, PositiveCount } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodTemplateCodec } from "./pod-spec.ts";
import { issueAt } from "./problem.ts";
import { Timestamp } from "./time.ts";
import { Replicas, selectsTemplate } from "./workload.ts";

const defaultSurge = "25%";

const StrategyWire = Schema.Struct({
  type: opt(Schema.Literals(["RollingUpdate", "Recreate"])),
  rollingUpdate: opt(Schema.Struct({ maxSurge: opt(IntOrPercent), maxUnavailable: opt(IntOrPercent) })),
}).check(
  Schema.makeFilter((s) => {
    if (s.type === "Recreate" && s.rollingUpdate !== undefined) return issueAt(["rollingUpdate"], 'may not be given when "type" is Recreate', { pointAt: "key" });
    const r = s.rollingUpdate;
    const bothZero = r?.maxSurge !== undefined && r.maxUnavailable !== undefined && isZeroIntOrPercent(r.maxSurge) && isZeroIntOrPercent(r.maxUnavailable);
    return !bothZero || issueAt(["rollingUpdate"], "maxSurge and maxUnavailable must not both be zero");
  }),
);

function strategyOf(w: typeof StrategyWire.Type | undefined): DeploymentStrategy {
  return { type: w?.type ?? "RollingUpdate", maxSurge: w?.rollingUpdate?.maxSurge ?? defaultSurge, maxUnavailable: w?.rollingUpdate?.maxUnavailable ?? defaultSurge };
}

function strategyWireOf(s: DeploymentStrategy): typeof StrategyWire.Type {
  return s.type === "Recreate" ? { type: "Recreate" } : { type: s.type, rollingUpdate: { maxSurge: s.maxSurge, maxUnavailable: s.maxUnavailable } };
}

const defaultRevisionHistoryLimit = 10;
const defaultProgressDeadlineSeconds = 600;

const ConditionWire = Schema.Struct({
  type: Schema.Literals(["Available", "Progressing", "ReplicaFailure"]),
  status: Schema.Literals(["True", "False", "Unknown"]),
  reason: opt(Schema.String),
  message: opt(Schema.String),
  lastUpdateTime: opt(Timestamp),
  lastTransitionTime: opt(Timestamp),
});

/** apps/v1 DeploymentStatus; absent counts are zero, an absent status is all zero. */
const StatusWire = orDefault(
  Schema.Struct({
    replicas: CountOrZero,
    readyReplicas: CountOrZero,
    availableReplicas: CountOrZero,
    observedGeneration: opt(Count),
    updatedReplicas: opt(Count),
    unavailableReplicas: opt(Count),
    conditions: opt(Schema.Array(ConditionWire)),
  }),
  {},
);

const progressAfterMinReady = Schema.makeFilter((spec: { readonly minReadySeconds?: number; readonly progressDeadlineSeconds?: number }) => {
  const deadline = spec.progressDeadlineSeconds ?? defaultProgressDeadlineSeconds;
  return deadline > (spec.minReadySeconds ?? 0) || issueAt(["progressDeadlineSeconds"], "must be greater than minReadySeconds");
});

const DeploymentWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("apps/v1")),
  kind: opt(Schema.Literal("Deployment")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    replicas: Replicas,
    selector: LabelSelector,
    template: PodTemplateCodec,
    strategy: opt(StrategyWire),
    minReadySeconds: opt(Count),
    paused: opt(Schema.Boolean),
    revisionHistoryLimit: opt(Count),
    progressDeadlineSeconds: opt(PositiveCount),
  })
    .check(selectsTemplate)
    .check(progressAfterMinReady),
  status: StatusWire,
});

type DeploymentWire = typeof DeploymentWire.Type;

function deploymentOf(w: DeploymentWire): Deployment {
  const spec: Deployment["spec"] = {
    replicas: w.spec.replicas,
    selector: asMutable(w.spec.selector),
    template: w.spec.template,
    strategy: strategyOf(w.spec.strategy),
  };
  if (w.spec.minReadySeconds !== undefined) spec.minReadySeconds = w.spec.minReadySeconds;
  if (w.spec.paused === true) spec.paused = true;
  spec.revisionHistoryLimit = w.spec.revisionHistoryLimit ?? defaultRevisionHistoryLimit;
  spec.progressDeadlineSeconds = w.spec.progressDeadlineSeconds ?? defaultProgressDeadlineSeconds;
  return { kind: "Deployment", metadata: w.metadata, spec, status: statusOf(w.status) };
}

function statusOf(w: typeof StatusWire.Type): DeploymentStatus {
  const status: DeploymentStatus = { replicas: w.replicas, readyReplicas: w.readyReplicas, availableReplicas: w.availableReplicas };
  if (w.observedGeneration !== undefined) status.observedGeneration = w.observedGeneration;
  if (w.updatedReplicas !== undefined) status.updatedReplicas = w.updatedReplicas;
  if (w.unavailableReplicas !== undefined) status.unavailableReplicas = w.unavailableReplicas;
  if (w.conditions !== undefined) status.conditions = w.conditions.map(conditionOf);
  return status;
}

function conditionOf(c: typeof ConditionWire.Type): DeploymentCondition {
  const lastTransitionMs = c.lastTransitionTime ?? 0;
  return { type: c.type, status: c.status, reason: c.reason ?? "", message: c.message ?? "", lastUpdateMs: c.lastUpdateTime ?? lastTransitionMs, lastTransitionMs };
}

function statusWireOf(s: DeploymentStatus): typeof StatusWire.Type {
  const { conditions, ...counts } = s;
  if (conditions === undefined) return counts;
  return { ...counts, conditions: conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastUpdateTime: c.lastUpdateMs, lastTransitionTime: c.lastTransitionMs })) };
}

function deploymentWireOf(d: Deployment): DeploymentWire {
  const { strategy, ...spec } = d.spec;
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: d.metadata, spec: { ...spec, strategy: strategyWireOf(strategy) }, status: statusWireOf(d.status) };
}

export const DeploymentCodec = DeploymentWire.pipe(
  Schema.decodeTo(modelOf<Deployment>("a Deployment", "Deployment"), {
    decode: SchemaGetter.transform(deploymentOf),
    encode: SchemaGetter.transform(deploymentWireOf),
  }),
);
