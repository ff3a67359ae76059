/**
 * Parameters as a user writes them (`watchLatency: 50ms`) → the plan's partial SimParameters
 * (`watchLatencyMs: 50`). Used for `spec.parameters` and for each variant's overrides.
 */
import type { DeepPartial, SchedulerParameters, SimParameters } from "../sim/plan.ts";
import { durationMsOf } from "./formats.ts";
import type { ParametersDoc } from "./scenario-schema.ts";

type PlainKey = "podStartSigma" | "snapshotMinRecords";
type DurationKey = Exclude<keyof ParametersDoc, "scheduler" | PlainKey>;

/** User-facing name → plan field; every duration is the plan's name without its `Ms` unit. */
const durationFields: Record<DurationKey, keyof SimParameters> = {
  podStartMedian: "podStartMedianMs",
  readinessDelay: "readinessDelayMs",
  watchLatency: "watchLatencyMs",
  heartbeatPeriod: "heartbeatPeriodMs",
  nodeMonitorPeriod: "nodeMonitorPeriodMs",
  nodeMonitorGrace: "nodeMonitorGraceMs",
  podEvictionTimeout: "podEvictionTimeoutMs",
  controllerSync: "controllerSyncMs",
  terminationGrace: "terminationGraceMs",
  metricsInterval: "metricsIntervalMs",
  snapshotInterval: "snapshotIntervalMs",
};

/** Fails to typecheck when SimParameters gains a field this file does not map yet. */
type Unmapped = Exclude<keyof SimParameters, (typeof durationFields)[DurationKey] | PlainKey | "scheduler">;
const everyFieldMapped: [Unmapped] extends [never] ? true : Unmapped = true;
void everyFieldMapped;

export function parametersOf(doc: ParametersDoc | undefined): DeepPartial<SimParameters> {
  const out: Record<string, unknown> = {};
  if (doc === undefined) return out;
  for (const key of Object.keys(durationFields) as DurationKey[]) {
    const value = doc[key];
    if (value !== undefined) out[durationFields[key]] = durationMsOf(value) ?? 0;
  }
  if (doc.podStartSigma !== undefined) out.podStartSigma = doc.podStartSigma;
  if (doc.snapshotMinRecords !== undefined) out.snapshotMinRecords = doc.snapshotMinRecords;
  if (doc.scheduler !== undefined) out.scheduler = schedulerOf(doc.scheduler);
  return out as DeepPartial<SimParameters>;
}

function schedulerOf(doc: NonNullable<ParametersDoc["scheduler"]>): DeepPartial<SchedulerParameters> {
  const out: DeepPartial<SchedulerParameters> = {};
  if (doc.scoringStrategy !== undefined) out.scoringStrategy = doc.scoringStrategy;
  if (doc.bindLatency !== undefined) out.bindLatencyMs = durationMsOf(doc.bindLatency) ?? 0;
  if (doc.unschedulableRetry !== undefined) out.unschedulableRetryMs = durationMsOf(doc.unschedulableRetry) ?? 0;
  return out;
}
