/**
 * apps/v1 DaemonSet ↔ the model's DaemonSet. Defaults as upstream SetDefaults_DaemonSet:
 * updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0. Refused as upstream
 * ValidateDaemonSetUpdateStrategy / ValidateRollingUpdateDaemonSet refuse: rollingUpdate on an
 * OnDelete DaemonSet, a percentage above 100%, and both limits zero or both non-zero ("exactly one
 * of maxSurge or maxUnavailable is non-zero").
 */
import { Schema, SchemaGetter } from "effect";
import type { DaemonSet, DaemonSetUpdateStrategy } from "../model/daemon-set.ts";
import { modelOf } from "./codec.ts";
import { Count, CountOrZero, IntOrPercentUpTo100, isZeroIntOrPercent, opt, orDefault } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodTemplateCodec } from "./pod-spec.ts";
import { issueAt } from "./problem.ts";
import { selectsTemplate } from "./workload.ts";

const defaultMaxUnavailable = 1;
const defaultMaxSurge = 0;

const StrategyWire = Schema.Struct({
  type: opt(Schema.Literals(["RollingUpdate", "OnDelete"])),
  rollingUpdate: opt(Schema.Struct({ maxUnavailable: opt(IntOrPercentUpTo100), maxSurge: opt(IntOrPercentUpTo100) })),
}).check(
  Schema.makeFilter((s) => {
    if (s.type === "OnDelete" && s.rollingUpdate !== undefined) return issueAt(["rollingUpdate"], 'may not be given when "type" is OnDelete', { pointAt: "key" });
    const hasUnavailable = !isZeroIntOrPercent(s.rollingUpdate?.maxUnavailable ?? defaultMaxUnavailable);
    const hasSurge = !isZeroIntOrPercent(s.rollingUpdate?.maxSurge ?? defaultMaxSurge);
    if (hasUnavailable && hasSurge) return issueAt(["rollingUpdate", "maxSurge"], "may not be set when maxUnavailable is non-zero");
    return hasUnavailable || hasSurge || issueAt(["rollingUpdate", "maxUnavailable"], "cannot be 0 when maxSurge is 0");
  }),
);

function strategyOf(w: typeof StrategyWire.Type | undefined): DaemonSetUpdateStrategy {
  return { type: w?.type ?? "RollingUpdate", maxUnavailable: w?.rollingUpdate?.maxUnavailable ?? defaultMaxUnavailable, maxSurge: w?.rollingUpdate?.maxSurge ?? defaultMaxSurge };
}

function strategyWireOf(s: DaemonSetUpdateStrategy): typeof StrategyWire.Type {
  return s.type === "OnDelete" ? { type: "OnDelete" } : { type: s.type, rollingUpdate: { maxUnavailable: s.maxUnavailable, maxSurge: s.maxSurge } };
}

const DaemonSetStatusWire = orDefault(
  Schema.Struct({
    desiredNumberScheduled: CountOrZero,
    currentNumberScheduled: CountOrZero,
    numberMisscheduled: CountOrZero,
    numberReady: CountOrZero,
    updatedNumberScheduled: CountOrZero,
    numberAvailable: CountOrZero,
    numberUnavailable: CountOrZero,
    observedGeneration: opt(Count),
  }),
  {},
);

const DaemonSetWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("apps/v1")),
  kind: opt(Schema.Literal("DaemonSet")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    selector: LabelSelector,
    template: PodTemplateCodec,
    updateStrategy: opt(StrategyWire),
    minReadySeconds: opt(Count),
  }).check(selectsTemplate),
  status: DaemonSetStatusWire,
});

type DaemonSetWire = typeof DaemonSetWire.Type;

function daemonSetOf(w: DaemonSetWire): DaemonSet {
  const spec: DaemonSet["spec"] = { selector: asMutable(w.spec.selector), template: w.spec.template, updateStrategy: strategyOf(w.spec.updateStrategy) };
  if (w.spec.minReadySeconds !== undefined) spec.minReadySeconds = w.spec.minReadySeconds;
  return { kind: "DaemonSet", metadata: w.metadata, spec, status: { ...w.status } };
}

function daemonSetWireOf(ds: DaemonSet): DaemonSetWire {
  const { updateStrategy, ...spec } = ds.spec;
  return { apiVersion: "apps/v1", kind: "DaemonSet", metadata: ds.metadata, spec: { ...spec, updateStrategy: strategyWireOf(updateStrategy) }, status: ds.status };
}

export const DaemonSetCodec = DaemonSetWire.pipe(
  Schema.decodeTo(modelOf<DaemonSet>("a DaemonSet", "DaemonSet"), {
    decode: SchemaGetter.transform(daemonSetOf),
    encode: SchemaGetter.transform(daemonSetWireOf),
  }),
);
