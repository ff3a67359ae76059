/**
 * autoscaling/v2 HorizontalPodAutoscaler ↔ the model's HorizontalPodAutoscaler. Defaults as
 * upstream pkg/apis/autoscaling/v2/defaults.go: minReplicas 1, and cpu Utilization 80 % when no
 * metric is given; `behavior` is kept as written (the controller fills absent rules with
 * GenerateHPAScaleUpRules / GenerateHPAScaleDownRules, autoscaling/hpa/defaults.ts). Refused as
 * upstream validation refuses: minReplicas below 1 (HPAScaleToZero is alpha), maxReplicas below
 * minReplicas, a target without the field its type needs, policies with a non-positive value or
 * a period outside 1..1800 s, a stabilization window outside 0..3600 s. Metric quantities are
 * milli-units (metric-quantity.ts); status.currentMetrics is written in upstream's nested shape.
 */
import { Schema, SchemaGetter } from "effect";
import type {
  HorizontalPodAutoscaler, HpaCondition, HpaMetricSpec, HpaMetricStatus, HpaMetricTarget, HpaScalingRules,
} from "../model/autoscaling-objects.ts";
import { modelOf } from "./codec.ts";
import { Count, CountOrZero, opt, PositiveCount } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { MilliQuantity } from "./metric-quantity.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { issueAt } from "./problem.ts";
import { Timestamp } from "./time.ts";

const TargetWire = Schema.Struct({
  type: Schema.Literals(["Utilization", "Value", "AverageValue"]),
  value: opt(MilliQuantity),
  averageValue: opt(MilliQuantity),
  averageUtilization: opt(PositiveCount),
}).check(
  Schema.makeFilter((t) => {
    if (t.type === "Utilization") return t.averageUtilization !== undefined || issueAt(["averageUtilization"], "expected averageUtilization for a Utilization target", { pointAt: "key" });
    if (t.type === "Value") return t.value !== undefined || issueAt(["value"], "expected value for a Value target", { pointAt: "key" });
    return t.averageValue !== undefined || issueAt(["averageValue"], "expected averageValue for an AverageValue target", { pointAt: "key" });
  }),
);

const Identifier = Schema.Struct({ name: Schema.NonEmptyString, selector: opt(LabelSelector) });
const ObjectRef = Schema.Struct({ apiVersion: opt(Schema.String), kind: Schema.NonEmptyString, name: Schema.NonEmptyString });

const MetricSpecWire = Schema.Struct({
  type: Schema.Literals(["Resource", "ContainerResource", "Pods", "Object", "External"]),
  resource: opt(Schema.Struct({ name: Schema.NonEmptyString, target: TargetWire })),
  containerResource: opt(Schema.Struct({ name: Schema.NonEmptyString, container: Schema.NonEmptyString, target: TargetWire })),
  pods: opt(Schema.Struct({ metric: Identifier, target: TargetWire })),
  object: opt(Schema.Struct({ describedObject: ObjectRef, metric: Identifier, target: TargetWire })),
  external: opt(Schema.Struct({ metric: Identifier, target: TargetWire })),
}).check(
  Schema.makeFilter((m) => {
    const field = sourceField[m.type];
    if (m[field] === undefined) return issueAt([field], `expected "${field}" for a metric of type ${m.type}`, { pointAt: "key" });
    if ((m.type === "Resource" || m.type === "ContainerResource") && m[field]?.target.type === "Value") return issueAt([field, "target", "type"], "expected Utilization or AverageValue for a resource metric", { showFound: true });
    return true;
  }),
);

const sourceField = { Resource: "resource", ContainerResource: "containerResource", Pods: "pods", Object: "object", External: "external" } as const;

const PolicyWire = Schema.Struct({
  type: Schema.Literals(["Pods", "Percent"]),
  value: PositiveCount,
  periodSeconds: PositiveCount.check(Schema.isLessThanOrEqualTo(1800)),
});

const RulesWire = Schema.Struct({
  stabilizationWindowSeconds: opt(Count.check(Schema.isLessThanOrEqualTo(3600))),
  selectPolicy: opt(Schema.Literals(["Max", "Min", "Disabled"])),
  policies: opt(Schema.Array(PolicyWire)),
  tolerance: opt(MilliQuantity),
});

const ConditionWire = Schema.Struct({
  type: Schema.Literals(["AbleToScale", "ScalingActive", "ScalingLimited"]),
  status: Schema.Literals(["True", "False", "Unknown"]),
  reason: opt(Schema.String),
  message: opt(Schema.String),
  lastTransitionTime: opt(Timestamp),
});

const CurrentWire = Schema.Struct({ value: opt(MilliQuantity), averageValue: opt(MilliQuantity), averageUtilization: opt(Count) });

const MetricStatusWire = Schema.Struct({
  type: Schema.Literals(["Resource", "ContainerResource", "Pods", "Object", "External"]),
  resource: opt(Schema.Struct({ name: Schema.String, current: CurrentWire })),
  containerResource: opt(Schema.Struct({ name: Schema.String, container: Schema.String, current: CurrentWire })),
  pods: opt(Schema.Struct({ metric: Identifier, current: CurrentWire })),
  object: opt(Schema.Struct({ describedObject: ObjectRef, metric: Identifier, current: CurrentWire })),
  external: opt(Schema.Struct({ metric: Identifier, current: CurrentWire })),
});

const HpaWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("autoscaling/v2")),
  kind: opt(Schema.Literal("HorizontalPodAutoscaler")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({
    scaleTargetRef: ObjectRef,
    minReplicas: opt(PositiveCount),
    maxReplicas: PositiveCount,
    metrics: opt(Schema.Array(MetricSpecWire)),
    behavior: opt(Schema.Struct({ scaleUp: opt(RulesWire), scaleDown: opt(RulesWire) })),
  }).check(
    Schema.makeFilter((s) => (s.minReplicas ?? 1) <= s.maxReplicas || issueAt(["maxReplicas"], `expected at least minReplicas (${s.minReplicas ?? 1})`, { showFound: true })),
  ),
  status: opt(
    Schema.Struct({
      currentReplicas: CountOrZero,
      desiredReplicas: CountOrZero,
      lastScaleTime: opt(Timestamp),
      observedGeneration: opt(Schema.Int),
      currentMetrics: opt(Schema.Array(MetricStatusWire)),
      conditions: opt(Schema.Array(ConditionWire)),
    }),
  ),
});

type HpaWire = typeof HpaWire.Type;

function targetOf(t: typeof TargetWire.Type): HpaMetricTarget {
  return {
    type: t.type,
    ...(t.averageUtilization !== undefined ? { averageUtilization: t.averageUtilization } : {}),
    ...(t.value !== undefined ? { valueMilli: t.value } : {}),
    ...(t.averageValue !== undefined ? { averageValueMilli: t.averageValue } : {}),
  };
}

function targetWireOf(t: HpaMetricTarget): typeof TargetWire.Type {
  return {
    type: t.type,
    ...(t.averageUtilization !== undefined ? { averageUtilization: t.averageUtilization } : {}),
    ...(t.valueMilli !== undefined ? { value: t.valueMilli } : {}),
    ...(t.averageValueMilli !== undefined ? { averageValue: t.averageValueMilli } : {}),
  };
}

function metricOf(m: typeof MetricSpecWire.Type): HpaMetricSpec {
  switch (m.type) {
    case "Resource": {
      const r = m.resource as NonNullable<typeof m.resource>;
      return { type: "Resource", resource: { name: r.name, target: targetOf(r.target) } };
    }
    case "ContainerResource": {
      const r = m.containerResource as NonNullable<typeof m.containerResource>;
      return { type: "ContainerResource", containerResource: { name: r.name, container: r.container, target: targetOf(r.target) } };
    }
    case "Pods": {
      const p = m.pods as NonNullable<typeof m.pods>;
      return { type: "Pods", pods: { metric: asMutable(p.metric), target: targetOf(p.target) } };
    }
    case "Object": {
      const o = m.object as NonNullable<typeof m.object>;
      return { type: "Object", object: { describedObject: { ...o.describedObject }, metric: asMutable(o.metric), target: targetOf(o.target) } };
    }
    case "External": {
      const e = m.external as NonNullable<typeof m.external>;
      return { type: "External", external: { metric: asMutable(e.metric), target: targetOf(e.target) } };
    }
  }
}

function metricWireOf(m: HpaMetricSpec): typeof MetricSpecWire.Type {
  switch (m.type) {
    case "Resource":
      return { type: m.type, resource: { name: m.resource.name, target: targetWireOf(m.resource.target) } };
    case "ContainerResource":
      return { type: m.type, containerResource: { ...m.containerResource, target: targetWireOf(m.containerResource.target) } };
    case "Pods":
      return { type: m.type, pods: { metric: m.pods.metric, target: targetWireOf(m.pods.target) } };
    case "Object":
      return { type: m.type, object: { ...m.object, target: targetWireOf(m.object.target) } };
    case "External":
      return { type: m.type, external: { metric: m.external.metric, target: targetWireOf(m.external.target) } };
  }
}

function currentOf(c: typeof CurrentWire.Type): HpaMetricStatus["current"] {
  return {
    ...(c.averageUtilization !== undefined ? { averageUtilization: c.averageUtilization } : {}),
    ...(c.averageValue !== undefined ? { averageValueMilli: c.averageValue } : {}),
    ...(c.value !== undefined ? { valueMilli: c.value } : {}),
  };
}

function currentWireOf(c: HpaMetricStatus["current"]): typeof CurrentWire.Type {
  return {
    ...(c.averageUtilization !== undefined ? { averageUtilization: c.averageUtilization } : {}),
    ...(c.averageValueMilli !== undefined ? { averageValue: c.averageValueMilli } : {}),
    ...(c.valueMilli !== undefined ? { value: c.valueMilli } : {}),
  };
}

function metricStatusOf(m: typeof MetricStatusWire.Type): HpaMetricStatus | undefined {
  const r = m.resource ?? m.containerResource;
  if ((m.type === "Resource" || m.type === "ContainerResource") && r !== undefined) {
    return { type: m.type, name: r.name, ...(m.containerResource ? { container: m.containerResource.container } : {}), current: currentOf(r.current) };
  }
  const src = m.type === "Pods" ? m.pods : m.type === "Object" ? m.object : m.type === "External" ? m.external : undefined;
  if (src === undefined) return undefined;
  const out: HpaMetricStatus = { type: m.type, name: src.metric.name, current: currentOf(src.current) };
  if (src.metric.selector !== undefined) out.selector = asMutable(src.metric.selector);
  if (m.object !== undefined) out.describedObject = { ...m.object.describedObject };
  return out;
}

function metricStatusWireOf(m: HpaMetricStatus): typeof MetricStatusWire.Type {
  const current = currentWireOf(m.current);
  const metric = { name: m.name, ...(m.selector ? { selector: m.selector } : {}) };
  switch (m.type) {
    case "Resource":
      return { type: m.type, resource: { name: m.name, current } };
    case "ContainerResource":
      return { type: m.type, containerResource: { name: m.name, container: m.container ?? "", current } };
    case "Pods":
      return { type: m.type, pods: { metric, current } };
    case "Object":
      return { type: m.type, object: { describedObject: m.describedObject ?? { kind: "", name: "" }, metric, current } };
    case "External":
      return { type: m.type, external: { metric, current } };
  }
}

function rulesOf(r: typeof RulesWire.Type | undefined): HpaScalingRules | undefined {
  if (r === undefined) return undefined;
  const out: HpaScalingRules = {};
  if (r.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = r.stabilizationWindowSeconds;
  if (r.selectPolicy !== undefined) out.selectPolicy = r.selectPolicy;
  if (r.policies !== undefined) out.policies = r.policies.map((p) => ({ ...p }));
  if (r.tolerance !== undefined) out.tolerance = r.tolerance / 1000;
  return out;
}

function rulesWireOf(r: HpaScalingRules | undefined): typeof RulesWire.Type | undefined {
  if (r === undefined) return undefined;
  const { tolerance, ...rest } = r;
  return { ...rest, ...(tolerance !== undefined ? { tolerance: Math.round(tolerance * 1000) } : {}) };
}

const defaultMetrics: readonly HpaMetricSpec[] = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];

function hpaOf(w: HpaWire): HorizontalPodAutoscaler {
  const spec: HorizontalPodAutoscaler["spec"] = {
    scaleTargetRef: { ...w.spec.scaleTargetRef },
    minReplicas: w.spec.minReplicas ?? 1,
    maxReplicas: w.spec.maxReplicas,
    metrics: w.spec.metrics !== undefined && w.spec.metrics.length > 0 ? w.spec.metrics.map(metricOf) : defaultMetrics.map((m) => JSON.parse(JSON.stringify(m)) as HpaMetricSpec),
  };
  const b = w.spec.behavior;
  if (b !== undefined) {
    const scaleUp = rulesOf(b.scaleUp);
    const scaleDown = rulesOf(b.scaleDown);
    spec.behavior = { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
  }
  const s = w.status;
  const conditions: HpaCondition[] = (s?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? "", message: c.message ?? "", lastTransitionMs: c.lastTransitionTime ?? 0 }));
  const status: HorizontalPodAutoscaler["status"] = {
    currentReplicas: s?.currentReplicas ?? 0,
    desiredReplicas: s?.desiredReplicas ?? 0,
    currentMetrics: (s?.currentMetrics ?? []).flatMap((m) => metricStatusOf(m) ?? []),
    conditions,
  };
  if (s?.lastScaleTime !== undefined) status.lastScaleMs = s.lastScaleTime;
  if (s?.observedGeneration !== undefined) status.observedGeneration = s.observedGeneration;
  return { kind: "HorizontalPodAutoscaler", metadata: w.metadata, spec, status };
}

function hpaWireOf(h: HorizontalPodAutoscaler): HpaWire {
  const b = h.spec.behavior;
  const scaleUp = rulesWireOf(b?.scaleUp);
  const scaleDown = rulesWireOf(b?.scaleDown);
  const s = h.status;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: h.metadata,
    spec: {
      scaleTargetRef: h.spec.scaleTargetRef,
      minReplicas: h.spec.minReplicas,
      maxReplicas: h.spec.maxReplicas,
      metrics: h.spec.metrics.map(metricWireOf),
      ...(b !== undefined ? { behavior: { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) } } : {}),
    },
    status: {
      currentReplicas: s.currentReplicas,
      desiredReplicas: s.desiredReplicas,
      ...(s.lastScaleMs !== undefined ? { lastScaleTime: s.lastScaleMs } : {}),
      ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
      currentMetrics: s.currentMetrics.map(metricStatusWireOf),
      conditions: s.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionMs })),
    },
  };
}


export const HorizontalPodAutoscalerCodec = HpaWire.pipe(
  Schema.decodeTo(modelOf<HorizontalPodAutoscaler>("a HorizontalPodAutoscaler", "HorizontalPodAutoscaler"), {
    decode: SchemaGetter.transform(hpaOf),
    encode: SchemaGetter.transform(hpaWireOf),
  }),
);
