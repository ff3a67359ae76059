/**
 * Normalizing a recommendation, as upstream horizontal.go: stabilization windows over the
 * recommendation log, scale rate limits from `spec.behavior` policies over the scale-event log,
 * the legacy rules for HPAs without `behavior`, and the logs' own bookkeeping (the last entry
 * older than the window is reused, otherwise one is appended). Times are virtual ms; Go's
 * `After(cutoff)` is `ageMs < windowMs` and `Before(cutoff)` is `ageMs > windowMs`.
 */
import type { Ms } from "../../../model/units.ts";
import { scaleUpLimitFactor, scaleUpLimitMinimum, type ResolvedBehavior, type ResolvedRules } from "./defaults.ts";

export interface TimestampedRecommendation {
  replicas: number;
  atMs: Ms;
}

export interface ScaleEvent {
  /** Always positive: replicas added (scale-up log) or removed (scale-down log). */
  replicaChange: number;
  atMs: Ms;
  outdated: boolean;
}

export type LimitReason = "DesiredWithinRange" | "ScaleUpLimit" | "ScaleDownLimit" | "TooManyReplicas" | "TooFewReplicas";

export interface Limited {
  replicas: number;
  reason: LimitReason;
  message: string;
}

export const limitMessages: Readonly<Record<LimitReason, string>> = {
  DesiredWithinRange: "the desired count is within the acceptable range",
  ScaleUpLimit: "the desired replica count is increasing faster than the maximum scale rate",
  ScaleDownLimit: "the desired replica count is decreasing faster than the maximum scale rate",
  TooManyReplicas: "the desired replica count is more than the maximum replica count",
  TooFewReplicas: "the desired replica count is less than the minimum replica count",
};

function limited(replicas: number, reason: LimitReason): Limited {
  return { replicas, reason, message: limitMessages[reason] };
}

/** stabilizeRecommendation (no behavior): the highest recommendation within the downscale window; updates `log`. */
export function stabilizeLegacy(log: TimestampedRecommendation[], desired: number, windowMs: Ms, nowMs: Ms): number {
  let highest = desired;
  let oldIndex = -1;
  for (const [i, rec] of log.entries()) {
    if (nowMs - rec.atMs > windowMs) oldIndex = i;
    else if (rec.replicas > highest) highest = rec.replicas;
  }
  record(log, oldIndex, desired, nowMs);
  return highest;
}

function record(log: TimestampedRecommendation[], oldIndex: number, replicas: number, nowMs: Ms): void {
  if (oldIndex >= 0) log[oldIndex] = { replicas, atMs: nowMs };
  else log.push({ replicas, atMs: nowMs });
}

export interface Stabilized {
  replicas: number;
  reason: "ScaleUpStabilized" | "ScaleDownStabilized";
  message: string;
}

/**
 * stabilizeRecommendationWithBehaviors: the lowest recommendation within the scale-up window
 * bounds a rise, the highest within the scale-down window bounds a fall; updates `log`.
 */
export function stabilizeWithBehavior(log: TimestampedRecommendation[], current: number, desired: number, behavior: ResolvedBehavior, nowMs: Ms): Stabilized {
  const upWindowMs = behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downWindowMs = behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let up = desired;
  let down = desired;
  let oldIndex = -1;
  for (const [i, rec] of log.entries()) {
    const ageMs = nowMs - rec.atMs;
    if (ageMs < upWindowMs) up = Math.min(rec.replicas, up);
    if (ageMs < downWindowMs) down = Math.max(rec.replicas, down);
    if (ageMs > upWindowMs && ageMs > downWindowMs) oldIndex = i;
  }
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  record(log, oldIndex, desired, nowMs);
  return desired >= current
    ? { replicas, reason: "ScaleUpStabilized", message: "recent recommendations were lower than current one, applying the lowest recent recommendation" }
    : { replicas, reason: "ScaleDownStabilized", message: "recent recommendations were higher than current one, applying the highest recent recommendation" };
}

/** getReplicasChangePerPeriod: replicas changed by events younger than the period. */
export function replicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[], nowMs: Ms): number {
  let replicas = 0;
  for (const e of events) if (nowMs - e.atMs < periodSeconds * 1000) replicas += e.replicaChange;
  return replicas;
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now. */
export function scaleUpLimit(current: number, upEvents: readonly ScaleEvent[], downEvents: readonly ScaleEvent[], rules: ResolvedRules, nowMs: Ms): number {
  if (rules.selectPolicy === "Disabled") return current;
  const pickMin = rules.selectPolicy === "Min";
  let result = pickMin ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const periodStart = current - replicasChangePerPeriod(policy.periodSeconds, upEvents, nowMs) + replicasChangePerPeriod(policy.periodSeconds, downEvents, nowMs);
    // Percent rounds up, so a small replica count can still grow.
    const proposed = policy.type === "Pods" ? periodStart + policy.value : Math.ceil(periodStart * (1 + policy.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now. */
export function scaleDownLimit(current: number, upEvents: readonly ScaleEvent[], downEvents: readonly ScaleEvent[], rules: ResolvedRules, nowMs: Ms): number {
  if (rules.selectPolicy === "Disabled") return current;
  const pickMin = rules.selectPolicy === "Min"; // the smallest change is the largest count
  let result = pickMin ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const periodStart = current + replicasChangePerPeriod(policy.periodSeconds, downEvents, nowMs) - replicasChangePerPeriod(policy.periodSeconds, upEvents, nowMs);
    const proposed = policy.type === "Pods" ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface RateInput {
  current: number;
  desired: number;
  minReplicas: number;
  maxReplicas: number;
  upEvents: readonly ScaleEvent[];
  downEvents: readonly ScaleEvent[];
  behavior: ResolvedBehavior;
  nowMs: Ms;
}

/** convertDesiredReplicasWithBehaviorRate: clamp to the policies' limits and to min/max. */
export function limitWithBehavior(a: RateInput): Limited {
  if (a.desired > a.current) {
    const limit = Math.max(scaleUpLimit(a.current, a.upEvents, a.downEvents, a.behavior.scaleUp, a.nowMs), a.current);
    const byRate = a.maxReplicas > limit;
    const allowed = byRate ? limit : a.maxReplicas;
    if (a.desired > allowed) return limited(allowed, byRate ? "ScaleUpLimit" : "TooManyReplicas");
  } else if (a.desired < a.current) {
    const limit = Math.min(scaleDownLimit(a.current, a.upEvents, a.downEvents, a.behavior.scaleDown, a.nowMs), a.current);
    const byRate = a.minReplicas < limit;
    const allowed = byRate ? limit : a.minReplicas;
    if (a.desired < allowed) return limited(allowed, byRate ? "ScaleDownLimit" : "TooFewReplicas");
  }
  return limited(a.desired, "DesiredWithinRange");
}

/** convertDesiredReplicasWithRules (no behavior): min, max, and a scale-up cap of max(2 × current, 4). */
export function limitLegacy(current: number, desired: number, minReplicas: number, maxReplicas: number): Limited {
  const upLimit = Math.trunc(Math.max(scaleUpLimitFactor * current, scaleUpLimitMinimum));
  const byRate = maxReplicas > upLimit;
  const maxAllowed = byRate ? upLimit : maxReplicas;
  if (desired < minReplicas) return limited(minReplicas, "TooFewReplicas");
  if (desired > maxAllowed) return limited(maxAllowed, byRate ? "ScaleUpLimit" : "TooManyReplicas");
  return limited(desired, "DesiredWithinRange");
}

function longestPolicyPeriodSeconds(rules: ResolvedRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/** storeScaleEvent: mark events older than the longest policy period outdated, reuse the last one, else append. */
export function storeScaleEvent(events: ScaleEvent[], replicaChange: number, rules: ResolvedRules, nowMs: Ms): void {
  const periodMs = longestPolicyPeriodSeconds(rules) * 1000;
  let oldIndex = -1;
  for (const [i, e] of events.entries()) {
    if (nowMs - e.atMs > periodMs) e.outdated = true;
    if (e.outdated) oldIndex = i;
  }
  const event = { replicaChange, atMs: nowMs, outdated: false };
  if (oldIndex >= 0) events[oldIndex] = event;
  else events.push(event);
}
