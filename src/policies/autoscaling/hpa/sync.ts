/**
 * One HPA sync, as upstream horizontal.go reconcileAutoscaler, as a pure function: read the
 * target's scale; outside [min, max] go straight to the bound; otherwise take the largest metric
 * proposal (computeReplicasForMetrics: invalid metrics are skipped unless all are invalid or the
 * valid ones would scale down), stabilize it and limit its rate (with `behavior`) or apply the
 * legacy rules (without), and set the conditions AbleToScale, ScalingActive and ScalingLimited with
 * upstream's reasons and messages. `history` (recommendations, scale events) is updated in place;
 * the scale event itself is stored by `recordRescale` once the scale write succeeded, as upstream
 * stores it after the update.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, HpaMetricStatus } from "../../../model/autoscaling-objects.ts";
import type { LabelSelector } from "../../../model/objects.ts";
import type { Ms } from "../../../model/units.ts";
import {
  limitLegacy, limitWithBehavior, stabilizeLegacy, stabilizeWithBehavior, storeScaleEvent, type LimitReason, type ScaleEvent, type TimestampedRecommendation,
} from "./behavior.ts";
import { setCondition } from "./conditions.ts";
import { resolveBehavior, tolerancesOf, type HpaOptions } from "./defaults.ts";
import { proposalFor, type MetricsSource } from "./metric-proposals.ts";
import type { HpaPod } from "./pod-groups.ts";

export interface HpaHistory {
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export function emptyHistory(): HpaHistory {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
}

/** The target's scale subresource, or why it could not be read. */
export type ScaleRead =
  | { ok: true; specReplicas: number; statusReplicas: number; selector: LabelSelector | undefined }
  | { ok: false; error: string };

export interface HpaSyncInput {
  hpa: HorizontalPodAutoscaler;
  scale: ScaleRead;
  /** The pods the scale's selector matches. */
  pods: readonly HpaPod[];
  metrics: MetricsSource;
  history: HpaHistory;
  nowMs: Ms;
  options: HpaOptions;
}

export interface MetricOutcome {
  type: HpaMetricStatus["type"];
  name: string;
  replicas?: number;
  status?: HpaMetricStatus;
  error?: string;
}

export interface HpaSyncResult {
  /** True when the controller writes a new scale (then `desiredReplicas` differs from `currentReplicas`). */
  rescale: boolean;
  currentReplicas: number;
  desiredReplicas: number;
  /** The largest metric proposal, before stabilization (absent when metrics were not consulted). */
  recommendation?: number;
  stabilizedRecommendation?: number;
  limitedBy?: LimitReason;
  /** What the metrics said (which one drove the recommendation: `drivingMetric`). */
  metrics: MetricOutcome[];
  drivingMetric?: string;
  rescaleReason: string;
  /** The status to write when no rescale happens, or when it succeeded (`lastScaleMs` set by the caller's success). */
  status: HorizontalPodAutoscalerStatus;
}

function copyStatus(s: HorizontalPodAutoscalerStatus): HorizontalPodAutoscalerStatus {
  return JSON.parse(JSON.stringify(s)) as HorizontalPodAutoscalerStatus;
}

export function syncHpa(input: HpaSyncInput): HpaSyncResult {
  const { hpa, scale, history, nowMs } = input;
  const status = copyStatus(hpa.status);
  const conditions = status.conditions;
  if (!scale.ok) {
    setCondition(conditions, "AbleToScale", "False", "FailedGetScale", `the HPA controller was unable to get the target's current scale: ${scale.error}`, nowMs);
    return { rescale: false, currentReplicas: status.currentReplicas, desiredReplicas: status.desiredReplicas, metrics: [], rescaleReason: "", status };
  }
  setCondition(conditions, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", nowMs);
  const current = scale.specReplicas;
  if (history.recommendations.length === 0) history.recommendations.push({ replicas: current, atMs: nowMs });
  const minReplicas = hpa.spec.minReplicas;
  const base = { currentReplicas: current, metrics: [] as MetricOutcome[] };
  const finish = (desired: number, rescaleReason: string, extra: Partial<HpaSyncResult>, metricStatuses: HpaMetricStatus[]): HpaSyncResult => {
    const rescale = desired !== current;
    status.currentReplicas = current;
    status.desiredReplicas = rescale ? desired : current;
    status.currentMetrics = metricStatuses;
    return { ...base, ...extra, rescale, desiredReplicas: status.desiredReplicas, rescaleReason, status };
  };
  if (current === 0 && minReplicas !== 0) {
    setCondition(conditions, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", nowMs);
    return finish(current, "", {}, status.currentMetrics);
  }
  if (current > hpa.spec.maxReplicas) return finish(hpa.spec.maxReplicas, "Current number of replicas above Spec.MaxReplicas", {}, status.currentMetrics);
  if (current < minReplicas) return finish(minReplicas, "Current number of replicas below Spec.MinReplicas", {}, status.currentMetrics);
  return fromMetrics(input, scale, status, finish);
}

type Finish = (desired: number, rescaleReason: string, extra: Partial<HpaSyncResult>, metricStatuses: HpaMetricStatus[]) => HpaSyncResult;

function fromMetrics(input: HpaSyncInput, scale: Extract<ScaleRead, { ok: true }>, status: HorizontalPodAutoscalerStatus, finish: Finish): HpaSyncResult {
  const { hpa, nowMs, options } = input;
  const conditions = status.conditions;
  const current = scale.specReplicas;
  if (scale.selector === undefined) {
    setCondition(conditions, "ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector", nowMs);
    return metricsFailed(status, current, [], []);
  }
  const ctx = { namespace: hpa.metadata.namespace, specReplicas: current, statusReplicas: scale.statusReplicas, pods: input.pods, metrics: input.metrics, tolerances: tolerancesOf(hpa.spec.behavior, options), options, nowMs };
  const outcomes: MetricOutcome[] = [];
  const statuses: HpaMetricStatus[] = [];
  let proposal = 0;
  let driving = "";
  let invalid = 0;
  let firstInvalid: { reason: string; error: string } | undefined;
  for (const spec of hpa.spec.metrics) {
    const p = proposalFor(ctx, spec);
    const name = metricSpecName(spec);
    if (!p.ok) {
      invalid++;
      firstInvalid ??= { reason: p.reason, error: p.error };
      outcomes.push({ type: spec.type, name, error: p.error });
      continue;
    }
    statuses.push(p.status);
    outcomes.push({ type: spec.type, name, replicas: p.replicas, status: p.status });
    if (proposal === 0 || p.replicas > proposal) {
      proposal = p.replicas;
      driving = p.metricName;
    }
  }
  if (firstInvalid !== undefined && (invalid >= hpa.spec.metrics.length || proposal < current)) {
    setCondition(conditions, "ScalingActive", "False", firstInvalid.reason, `the HPA was unable to compute the replica count: ${firstInvalid.error}`, nowMs);
    return metricsFailed(status, current, statuses, outcomes);
  }
  setCondition(conditions, "ScalingActive", "True", "ValidMetricFound", `the HPA was able to successfully calculate a replica count from ${driving}`, nowMs);
  const rescaleReason = proposal > current ? `${driving} above target` : proposal < current ? "All metrics below target" : "";
  const normalized = hpa.spec.behavior === undefined ? normalizeLegacy(input, current, proposal, conditions) : normalizeWithBehavior(input, current, proposal, conditions);
  return finish(normalized.desired, rescaleReason, { recommendation: proposal, stabilizedRecommendation: normalized.stabilized, limitedBy: normalized.limitedBy, metrics: outcomes, drivingMetric: driving }, statuses);
}

/** setCurrentReplicasAndMetricsInStatus: no rescale, and the desired count stays what the status said. */
function metricsFailed(status: HorizontalPodAutoscalerStatus, current: number, statuses: HpaMetricStatus[], outcomes: MetricOutcome[]): HpaSyncResult {
  status.currentReplicas = current;
  status.currentMetrics = statuses;
  return { rescale: false, currentReplicas: current, desiredReplicas: status.desiredReplicas, metrics: outcomes, rescaleReason: "", status };
}

interface Normalized {
  desired: number;
  stabilized: number;
  limitedBy: LimitReason;
}

function setLimited(conditions: HorizontalPodAutoscalerStatus["conditions"], desired: number, stabilized: number, reason: string, message: string, nowMs: Ms): void {
  setCondition(conditions, "ScalingLimited", desired === stabilized ? "False" : "True", reason, message, nowMs);
}

/** normalizeDesiredReplicas: the downscale window, then min/max and the max(2 × current, 4) cap. */
function normalizeLegacy(input: HpaSyncInput, current: number, proposal: number, conditions: HorizontalPodAutoscalerStatus["conditions"]): Normalized {
  const { hpa, history, nowMs, options } = input;
  const stabilized = stabilizeLegacy(history.recommendations, proposal, options.downscaleStabilizationWindowMs, nowMs);
  if (stabilized !== proposal) setCondition(conditions, "AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation", nowMs);
  else setCondition(conditions, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", nowMs);
  const limited = limitLegacy(current, stabilized, hpa.spec.minReplicas, hpa.spec.maxReplicas);
  setLimited(conditions, limited.replicas, stabilized, limited.reason, limited.message, nowMs);
  return { desired: limited.replicas, stabilized, limitedBy: limited.reason };
}

/** normalizeDesiredReplicasWithBehaviors: stabilization windows, then the policies' rate limits and min/max. */
function normalizeWithBehavior(input: HpaSyncInput, current: number, proposal: number, conditions: HorizontalPodAutoscalerStatus["conditions"]): Normalized {
  const { hpa, history, nowMs, options } = input;
  const behavior = resolveBehavior(hpa.spec.behavior ?? {}, options);
  const s = stabilizeWithBehavior(history.recommendations, current, proposal, behavior, nowMs);
  if (s.replicas !== proposal) setCondition(conditions, "AbleToScale", "True", s.reason, s.message, nowMs);
  else setCondition(conditions, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", nowMs);
  const limited = limitWithBehavior({
    current, desired: s.replicas, minReplicas: hpa.spec.minReplicas, maxReplicas: hpa.spec.maxReplicas,
    upEvents: history.scaleUpEvents, downEvents: history.scaleDownEvents, behavior, nowMs,
  });
  setLimited(conditions, limited.replicas, s.replicas, limited.reason, limited.message, nowMs);
  return { desired: limited.replicas, stabilized: s.replicas, limitedBy: limited.reason };
}

/** After a successful scale write: AbleToScale SucceededRescale, the last scale time, and the scale event (only with behavior). */
export function recordRescale(hpa: HorizontalPodAutoscaler, result: HpaSyncResult, history: HpaHistory, nowMs: Ms, options: HpaOptions): HorizontalPodAutoscalerStatus {
  const status = copyStatus(result.status);
  setCondition(status.conditions, "AbleToScale", "True", "SucceededRescale", `the HPA controller was able to update the target scale to ${result.desiredReplicas}`, nowMs);
  status.lastScaleMs = nowMs;
  if (hpa.spec.behavior !== undefined) {
    const behavior = resolveBehavior(hpa.spec.behavior, options);
    if (result.desiredReplicas > result.currentReplicas) storeScaleEvent(history.scaleUpEvents, result.desiredReplicas - result.currentReplicas, behavior.scaleUp, nowMs);
    else storeScaleEvent(history.scaleDownEvents, result.currentReplicas - result.desiredReplicas, behavior.scaleDown, nowMs);
  }
  return status;
}

/** After a failed scale write: AbleToScale FailedUpdateScale; the desired count stays what the status said. */
export function failedRescale(hpa: HorizontalPodAutoscaler, result: HpaSyncResult, error: string, nowMs: Ms): HorizontalPodAutoscalerStatus {
  const status = copyStatus(result.status);
  setCondition(status.conditions, "AbleToScale", "False", "FailedUpdateScale", `the HPA controller was unable to update the target scale: ${error}`, nowMs);
  status.desiredReplicas = hpa.status.desiredReplicas;
  return status;
}

export function metricSpecName(spec: HorizontalPodAutoscaler["spec"]["metrics"][number]): string {
  switch (spec.type) {
    case "Resource":
      return spec.resource.name;
    case "ContainerResource":
      return `${spec.containerResource.container}/${spec.containerResource.name}`;
    case "Pods":
      return spec.pods.metric.name;
    case "Object":
      return `${spec.object.describedObject.kind}/${spec.object.describedObject.name}/${spec.object.metric.name}`;
    case "External":
      return spec.external.metric.name;
  }
}
