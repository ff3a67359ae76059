/**
 * `kubetwin explain hpa`: what would this HorizontalPodAutoscaler do now, and why? Decodes a JSON
 * input through the Kubernetes codec (the autoscaling/v2 HPA, v1 Pods, metrics.k8s.io PodMetrics;
 * custom, object and external metric values as quantities), runs one upstream sync
 * (policies/autoscaling/hpa/sync.ts) with the given history and options, and reports each metric's
 * proposal, the recommendation, the stabilized recommendation, what limited it, and the
 * conditions. The pods are taken to be the ones the target's selector matches. Bad input raises
 * ExplainInputError naming the field.
 */
import { Result, Schema } from "effect";
import { decodeObject } from "../k8s/decode.ts";
import { Duration, durationMsOf } from "../k8s/duration.ts";
import { HorizontalPodAutoscalerCodec } from "../k8s/horizontal-pod-autoscaler.ts";
import { MilliQuantity } from "../k8s/metric-quantity.ts";
import { PodMetricsCodec } from "../k8s/pod-metrics.ts";
import { PodCodec } from "../k8s/pod.ts";
import type { Segment } from "../k8s/problem.ts";
import { Timestamp } from "../k8s/time.ts";
import { formatCpuMilli, type Ms } from "../model/units.ts";
import type { HpaMetricStatus } from "../model/autoscaling-objects.ts";
import { hpaDefaults, type HpaOptions } from "../policies/autoscaling/hpa/defaults.ts";
import type { MetricsSource } from "../policies/autoscaling/hpa/metric-proposals.ts";
import type { HpaPod, PodMetric } from "../policies/autoscaling/hpa/pod-groups.ts";
import { emptyHistory, syncHpa, type HpaSyncResult } from "../policies/autoscaling/hpa/sync.ts";
import { decodeAs, ExplainInputError } from "./explain-schedule.ts";

export interface HpaExplanation {
  desiredReplicas: number;
  recommendation: number | null;
  stabilizedRecommendation: number | null;
  limitedBy: string | null;
  metrics: { type: string; name: string; replicas?: number; utilizationPercent?: number; averageValue?: string; value?: string; error?: string }[];
  conditions: { type: string; status: string; reason: string; message: string }[];
}

const opt = Schema.optionalKey;
const Event = Schema.Struct({ timestamp: Timestamp, replicaChange: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)) });

const InputSchema = Schema.Struct({
  now: Timestamp,
  hpa: Schema.Unknown,
  pods: opt(Schema.Array(Schema.Unknown)),
  podMetrics: opt(Schema.Array(Schema.Unknown)),
  customMetrics: opt(Schema.Record(Schema.String, Schema.Record(Schema.String, MilliQuantity))),
  objectMetrics: opt(Schema.Record(Schema.String, Schema.Record(Schema.String, MilliQuantity))),
  externalMetrics: opt(Schema.Record(Schema.String, Schema.Array(MilliQuantity))),
  history: opt(
    Schema.Struct({
      recommendations: opt(Schema.Array(Schema.Struct({ timestamp: Timestamp, replicas: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)) }))),
      scaleUpEvents: opt(Schema.Array(Event)),
      scaleDownEvents: opt(Schema.Array(Event)),
    }),
  ),
  options: opt(
    Schema.Struct({
      tolerance: opt(Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
      cpuInitializationPeriod: opt(Duration),
      delayOfInitialReadinessStatus: opt(Duration),
      downscaleStabilizationWindow: opt(Duration),
    }),
  ),
});

/** The Ready condition exactly as written (the model keeps its time only while True). */
const RawPodStatus = Schema.Struct({
  status: opt(Schema.Struct({ conditions: opt(Schema.Array(Schema.Struct({ type: Schema.String, status: Schema.String, lastTransitionTime: opt(Timestamp) }))) })),
});

function hpaPodOf(raw: unknown, where: Segment[]): { pod: HpaPod; namespace: string } {
  const pod = decodeAs(PodCodec, raw, "input", where);
  const rawStatus = decodeObject(RawPodStatus, raw);
  const conditions = Result.isSuccess(rawStatus) ? (rawStatus.success.status?.conditions ?? []) : [];
  const ready = conditions.find((c) => c.type === "Ready");
  const s = pod.status;
  return {
    namespace: pod.metadata.namespace,
    pod: {
      name: pod.metadata.name,
      phase: s.phase,
      deleting: pod.metadata.deletionMs !== undefined,
      ...(ready !== undefined ? { readyCondition: { ready: ready.status === "True", lastTransitionMs: ready.lastTransitionTime ?? 0 } } : {}),
      ...(s.startedMs !== undefined ? { startMs: s.startedMs } : {}),
      containers: pod.spec.containers.map((c) => ({ name: c.name, requests: c.requests })),
    },
  };
}

function optionsOf(o: typeof InputSchema.Type["options"]): HpaOptions {
  const ms = (d: string | number | undefined, fallback: Ms) => (d === undefined ? fallback : (durationMsOf(d) ?? fallback));
  return {
    ...hpaDefaults,
    tolerance: o?.tolerance ?? hpaDefaults.tolerance,
    cpuInitializationPeriodMs: ms(o?.cpuInitializationPeriod, hpaDefaults.cpuInitializationPeriodMs),
    delayOfInitialReadinessStatusMs: ms(o?.delayOfInitialReadinessStatus, hpaDefaults.delayOfInitialReadinessStatusMs),
    downscaleStabilizationWindowMs: ms(o?.downscaleStabilizationWindow, hpaDefaults.downscaleStabilizationWindowMs),
  };
}

function milliOf(resource: string, amount: number): number {
  return resource === "cpu" ? amount : amount * 1000;
}

export function explainHpa(input: unknown): HpaExplanation {
  const root = decodeAs(InputSchema, input, "input");
  const hpa = decodeAs(HorizontalPodAutoscalerCodec, root.hpa, "hpa");
  const namespace = hpa.metadata.namespace;
  const pods = (root.pods ?? []).map((raw, i) => hpaPodOf(raw, ["pods", i])).filter((p) => p.namespace === namespace).map((p) => p.pod);
  const podMetrics = (root.podMetrics ?? []).map((raw, i) => decodeAs(PodMetricsCodec, raw, "input", ["podMetrics", i]));
  const nowMs = root.now;
  const metrics: MetricsSource = {
    resource(resource, container) {
      const out = new Map<string, PodMetric>();
      for (const m of podMetrics) {
        let total = 0;
        let complete = true;
        for (const c of m.containers) {
          if (container !== "" && c.name !== container) continue;
          const usage = c.usage[resource];
          if (usage === undefined) complete = false;
          else total += milliOf(resource, usage);
        }
        if (complete) out.set(m.metadata.name, { valueMilli: total, timestampMs: m.timestampMs, windowMs: m.windowMs });
      }
      return out;
    },
    pods(name) {
      const values = root.customMetrics?.[name];
      if (values === undefined) return undefined;
      return new Map(Object.entries(values).map(([pod, v]) => [pod, { valueMilli: v, timestampMs: nowMs, windowMs: 0 }]));
    },
    object: (ref, name) => root.objectMetrics?.[`${ref.kind}/${ref.name}`]?.[name],
    external: (name) => root.externalMetrics?.[name],
  };
  const h = root.history;
  const history = emptyHistory();
  for (const r of h?.recommendations ?? []) history.recommendations.push({ replicas: r.replicas, atMs: r.timestamp });
  for (const e of h?.scaleUpEvents ?? []) history.scaleUpEvents.push({ replicaChange: e.replicaChange, atMs: e.timestamp, outdated: false });
  for (const e of h?.scaleDownEvents ?? []) history.scaleDownEvents.push({ replicaChange: e.replicaChange, atMs: e.timestamp, outdated: false });
  const current = hpa.status.currentReplicas;
  const scale = { ok: true as const, specReplicas: current, statusReplicas: current, selector: {} };
  const result = syncHpa({ hpa, scale, pods, metrics, history, nowMs, options: optionsOf(root.options) });
  return explanationOf(result, hpa.spec.minReplicas, hpa.spec.maxReplicas);
}

function explanationOf(r: HpaSyncResult, minReplicas: number, maxReplicas: number): HpaExplanation {
  const outOfRange = r.recommendation === undefined && r.rescale ? (r.currentReplicas > maxReplicas ? "TooManyReplicas" : r.currentReplicas < minReplicas ? "TooFewReplicas" : null) : null;
  return {
    desiredReplicas: r.desiredReplicas,
    recommendation: r.recommendation ?? null,
    stabilizedRecommendation: r.stabilizedRecommendation ?? null,
    limitedBy: r.limitedBy ?? outOfRange,
    metrics: r.metrics.map((m) => ({
      type: m.type,
      name: m.name,
      ...(m.replicas !== undefined ? { replicas: m.replicas } : {}),
      ...currentOf(m.status),
      ...(m.error !== undefined ? { error: m.error } : {}),
    })),
    conditions: r.status.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
  };
}

function currentOf(s: HpaMetricStatus | undefined): { utilizationPercent?: number; averageValue?: string; value?: string } {
  const c = s?.current;
  if (c === undefined) return {};
  return {
    ...(c.averageUtilization !== undefined ? { utilizationPercent: c.averageUtilization } : {}),
    ...(c.averageValueMilli !== undefined ? { averageValue: formatCpuMilli(c.averageValueMilli) } : {}),
    ...(c.valueMilli !== undefined ? { value: formatCpuMilli(c.valueMilli) } : {}),
  };
}

/** The readable form: the answer, which metric drove it, what limited it, and the conditions. */
export function formatHpaExplanation(e: HpaExplanation, currentReplicas?: number): string {
  const lines: string[] = [`Desired replicas: ${e.desiredReplicas}${currentReplicas !== undefined ? ` (currently ${currentReplicas})` : ""}`, ""];
  const driver = e.metrics.filter((m) => m.replicas !== undefined).reduce<number | undefined>((best, m) => (best === undefined || (m.replicas as number) > best ? m.replicas : best), undefined);
  lines.push("Metrics:");
  for (const m of e.metrics) {
    const what = m.error !== undefined
      ? `error: ${m.error}`
      : [m.utilizationPercent !== undefined ? `${m.utilizationPercent}% of request` : "", m.averageValue !== undefined ? `average ${m.averageValue}` : "", m.value !== undefined ? `value ${m.value}` : ""].filter((x) => x !== "").join(", ") + ` -> ${m.replicas} replicas${m.replicas === driver ? " (drives the recommendation)" : ""}`;
    lines.push(`  ${m.type} ${m.name}: ${what}`);
  }
  lines.push("");
  if (e.recommendation === null) lines.push(e.limitedBy === null ? "No recommendation: the metrics could not be computed." : `Metrics not consulted: the current count is outside [min, max] (${e.limitedBy}).`);
  else lines.push(`Recommendation ${e.recommendation}, after stabilization ${e.stabilizedRecommendation}, then ${e.limitedBy === "DesiredWithinRange" ? "within range" : `limited by ${e.limitedBy}`}: ${e.desiredReplicas}.`);
  lines.push("", "Conditions:");
  for (const c of e.conditions) lines.push(`  ${c.type}=${c.status} ${c.reason}: ${c.message}`);
  return lines.join("\n") + "\n";
}

