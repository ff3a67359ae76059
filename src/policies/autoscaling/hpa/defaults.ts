/**
 * The HPA controller's defaults and the API's behavior defaults, as upstream:
 * pkg/controller/podautoscaler/config/v1alpha1/defaults.go (sync 15 s, tolerance 0.1, downscale
 * stabilization 5 min, cpu initialization 5 min, initial readiness delay 30 s) and
 * pkg/apis/autoscaling/v2/defaults.go (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules).
 */
import type { HpaBehavior, HpaScalingRules, HpaSelectPolicy, HpaScalingPolicy } from "../../../model/autoscaling-objects.ts";
import type { Ms } from "../../../model/units.ts";

export interface HpaOptions {
  syncPeriodMs: Ms;
  tolerance: number;
  downscaleStabilizationWindowMs: Ms;
  cpuInitializationPeriodMs: Ms;
  delayOfInitialReadinessStatusMs: Ms;
}

export const hpaDefaults: Readonly<HpaOptions> = {
  syncPeriodMs: 15_000,
  tolerance: 0.1,
  downscaleStabilizationWindowMs: 300_000,
  cpuInitializationPeriodMs: 300_000,
  delayOfInitialReadinessStatusMs: 30_000,
};

/** Legacy (no `behavior`) scale-up cap: max(2 × current, 4) (horizontal.go scaleUpLimitFactor/Minimum). */
export const scaleUpLimitFactor = 2;
export const scaleUpLimitMinimum = 4;

/** Scaling rules with every field present, as the controller uses them. */
export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: HpaSelectPolicy;
  policies: HpaScalingPolicy[];
  tolerance: number;
}

export interface ResolvedBehavior {
  scaleUp: ResolvedRules;
  scaleDown: ResolvedRules;
}

const scaleUpPolicies: readonly HpaScalingPolicy[] = [
  { type: "Pods", value: 4, periodSeconds: 15 },
  { type: "Percent", value: 100, periodSeconds: 15 },
];
const scaleDownPolicies: readonly HpaScalingPolicy[] = [{ type: "Percent", value: 100, periodSeconds: 15 }];

function resolve(rules: HpaScalingRules | undefined, policies: readonly HpaScalingPolicy[], windowSeconds: number, tolerance: number): ResolvedRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? windowSeconds,
    selectPolicy: rules?.selectPolicy ?? "Max",
    policies: rules?.policies !== undefined && rules.policies.length > 0 ? rules.policies.map((p) => ({ ...p })) : policies.map((p) => ({ ...p })),
    tolerance: rules?.tolerance ?? tolerance,
  };
}

/**
 * The behavior as the controller applies it: API defaults for absent rules, the scale-down window
 * from the controller's downscale stabilization window when unset (maybeInitScaleDownStabilizationWindow),
 * each direction's tolerance from the rules or the controller's global tolerance (KEP-4951).
 */
export function resolveBehavior(behavior: HpaBehavior, options: HpaOptions): ResolvedBehavior {
  return {
    scaleUp: resolve(behavior.scaleUp, scaleUpPolicies, 0, options.tolerance),
    scaleDown: resolve(behavior.scaleDown, scaleDownPolicies, Math.trunc(options.downscaleStabilizationWindowMs / 1000), options.tolerance),
  };
}

/** Tolerances of one HPA: per direction (KEP-4951) or the global one. */
export interface Tolerances {
  scaleUp: number;
  scaleDown: number;
}

export function tolerancesOf(behavior: HpaBehavior | undefined, options: HpaOptions): Tolerances {
  return { scaleUp: behavior?.scaleUp?.tolerance ?? options.tolerance, scaleDown: behavior?.scaleDown?.tolerance ?? options.tolerance };
}

/** upstream Tolerances.isWithin: no change when 1 - down ≤ ratio ≤ 1 + up. */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}
