/**
 * The VPA updater's flags (vertical-pod-autoscaler/pkg/updater/config/config.go
 * DefaultUpdaterConfig). The eviction rate limiter (--eviction-rate-limit) is off by default
 * (-1) and not modelled.
 */
import type { Ms } from "../../../model/units.ts";
import { defaultRestrictionConfig, type RestrictionConfig } from "./eviction-restriction.ts";
import { defaultUpdateConfig, type UpdateConfig } from "./update-priority.ts";

export interface VpaUpdaterOptions extends UpdateConfig, RestrictionConfig {
  /** --updater-interval (1m). */
  updaterIntervalMs: Ms;
}

export const vpaUpdaterDefaults: VpaUpdaterOptions = { updaterIntervalMs: 60_000, ...defaultUpdateConfig, ...defaultRestrictionConfig };
