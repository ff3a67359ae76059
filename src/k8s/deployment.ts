/**
 * apps/v1 Deployment ↔ the model's Deployment. Defaults as upstream SetDefaults_Deployment: one
 * replica; strategy RollingUpdate with maxSurge and maxUnavailable 25%. Refused as upstream
 * ValidateDeploymentStrategy refuses: rollingUpdate on a Recreate deployment, and both limits zero
 * (a rollout that could never progress). The model keeps 25%/25% on a Recreate deployment, where
 * they mean nothing; encoding leaves them out.
 */
import { Schema, SchemaGetter } from "effect";
import type { Deployment, DeploymentStrategy } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { Count, IntOrPercent, isZeroIntOrPercent, opt } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodTemplateCodec } from "./pod-spec.ts";
import { issueAt } from "./problem.ts";
import { Replicas, ReplicaStatus, selectsTemplate } from "./workload.ts";

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
  }).check(selectsTemplate),
  status: ReplicaStatus,
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
  return { kind: "Deployment", metadata: w.metadata, spec, status: { ...w.status } };
}

function deploymentWireOf(d: Deployment): DeploymentWire {
  const { strategy, ...spec } = d.spec;
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: d.metadata, spec: { ...spec, strategy: strategyWireOf(strategy) }, status: d.status };
}

export const DeploymentCodec = DeploymentWire.pipe(
  Schema.decodeTo(modelOf<Deployment>("a Deployment", "Deployment"), {
    decode: SchemaGetter.transform(deploymentOf),
    encode: SchemaGetter.transform(deploymentWireOf),
  }),
);
