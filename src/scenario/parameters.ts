/**
 * Parameters as a user writes them (`watchLatency: 50ms`) → the plan's partial SimParameters
 * (`watchLatencyMs: 50`). Used for `spec.parameters` and for each variant's overrides.
 */
import type { ControlPlaneParameters, DeepPartial, SchedulerParameters, SimParameters } from "../sim/plan.ts";
import type { ImagePullParameters } from "../sim/kubelet/image-puller.ts";
import { bytesOf, durationMsOf } from "./formats.ts";
import type { Profile } from "../policies/scheduling/profile.ts";
import type { ParametersDoc } from "./scenario-schema.ts";
import { clusterAutoscalerOf } from "./cluster-autoscaler-parameters.ts";
import type { ProvisionerOptions } from "../policies/autoscaling/provisioner/node-pool.ts";
import type { VpaUpdaterOptions } from "../policies/autoscaling/vpa/updater-options.ts";

const plainKeys = [
  "podStartSigma",
  "snapshotMinRecords",
  "snapshotRecordsPerObject",
  "defaultNotReadyTolerationSeconds",
  "defaultUnreachableTolerationSeconds",
  "nodeEvictionRate",
  "secondaryNodeEvictionRate",
  "largeClusterSizeThreshold",
  "unhealthyZoneThreshold",
] as const;
type PlainKey = (typeof plainKeys)[number];
type DurationKey = Exclude<keyof ParametersDoc, "scheduler" | "controlPlane" | "clusterAutoscaler" | "provisioner" | "vpaUpdater" | "imagePulls" | "podEvictionTimeout" | PlainKey>;

/** User-facing name → plan field; every duration is the plan's name without its `Ms` unit. */
const durationFields: Record<DurationKey, keyof SimParameters> = {
  podStartMedian: "podStartMedianMs",
  readinessDelay: "readinessDelayMs",
  watchLatency: "watchLatencyMs",
  heartbeatPeriod: "heartbeatPeriodMs",
  nodeMonitorPeriod: "nodeMonitorPeriodMs",
  nodeMonitorGrace: "nodeMonitorGraceMs",
  controllerSync: "controllerSyncMs",
  terminationGrace: "terminationGraceMs",
  metricsInterval: "metricsIntervalMs",
  snapshotInterval: "snapshotIntervalMs",
};

/** Fails to typecheck when SimParameters gains a field this file does not map yet. */
type Unmapped = Exclude<keyof SimParameters, (typeof durationFields)[DurationKey] | PlainKey | "scheduler" | "controlPlane" | "clusterAutoscaler" | "provisioner" | "vpaUpdater" | "imagePulls">;
const everyFieldMapped: [Unmapped] extends [never] ? true : Unmapped = true;
void everyFieldMapped;

export function parametersOf(doc: ParametersDoc | undefined): DeepPartial<SimParameters> {
  const out: Record<string, unknown> = {};
  if (doc === undefined) return out;
  for (const key of Object.keys(durationFields) as DurationKey[]) {
    const value = doc[key];
    if (value !== undefined) out[durationFields[key]] = durationMsOf(value) ?? 0;
  }
  for (const key of plainKeys) if (doc[key] !== undefined) out[key] = doc[key];
  if (doc.scheduler !== undefined) out.scheduler = schedulerOf(doc.scheduler);
  if (doc.controlPlane !== undefined) out.controlPlane = controlPlaneOf(doc.controlPlane);
  if (doc.clusterAutoscaler !== undefined) out.clusterAutoscaler = clusterAutoscalerOf(doc.clusterAutoscaler);
  if (doc.vpaUpdater !== undefined) out.vpaUpdater = vpaUpdaterOf(doc.vpaUpdater);
  if (doc.imagePulls !== undefined) out.imagePulls = imagePullsOf(doc.imagePulls);
  if (doc.provisioner !== undefined) out.provisioner = provisionerOf(doc.provisioner);
  return out as DeepPartial<SimParameters>;
}

/** `parameters.provisioner` → the provisioner's options (durations without their `Ms`). */
function provisionerOf(doc: NonNullable<ParametersDoc["provisioner"]>): Partial<ProvisionerOptions> {
  const out: Partial<ProvisionerOptions> = {};
  if (doc.batchIdleDuration !== undefined) out.batchIdleMs = durationMsOf(doc.batchIdleDuration) ?? 0;
  if (doc.batchMaxDuration !== undefined) out.batchMaxMs = durationMsOf(doc.batchMaxDuration) ?? 0;
  if (doc.disruptionPollPeriod !== undefined) out.disruptionPollMs = durationMsOf(doc.disruptionPollPeriod) ?? 0;
  return out;
}

/** `parameters.vpaUpdater` → the updater's options (durations without their `Ms`). */
function vpaUpdaterOf(doc: NonNullable<ParametersDoc["vpaUpdater"]>): Partial<VpaUpdaterOptions> {
  const out: Partial<VpaUpdaterOptions> = {};
  if (doc.updaterInterval !== undefined) out.updaterIntervalMs = durationMsOf(doc.updaterInterval) ?? 0;
  if (doc.minReplicas !== undefined) out.minReplicas = doc.minReplicas;
  if (doc.evictionTolerance !== undefined) out.evictionToleranceFraction = doc.evictionTolerance;
  if (doc.podUpdateThreshold !== undefined) out.minChangePriority = doc.podUpdateThreshold;
  if (doc.inRecommendationBoundsEvictionLifetimeThreshold !== undefined) out.podLifetimeUpdateThresholdMs = durationMsOf(doc.inRecommendationBoundsEvictionLifetimeThreshold) ?? 0;
  if (doc.evictAfterOomThreshold !== undefined) out.evictAfterOomThresholdMs = durationMsOf(doc.evictAfterOomThreshold) ?? 0;
  return out;
}

/** `parameters.imagePulls` → the kubelet image puller's settings. */
function imagePullsOf(doc: NonNullable<ParametersDoc["imagePulls"]>): Partial<ImagePullParameters> {
  const out: Partial<ImagePullParameters> = {};
  if (doc.bandwidth !== undefined) out.bytesPerSecond = bytesOf(doc.bandwidth);
  if (doc.defaultImageSize !== undefined) out.defaultImageBytes = bytesOf(doc.defaultImageSize);
  if (doc.serialize !== undefined) out.serialize = doc.serialize;
  return out;
}

export function controlPlaneOf(doc: NonNullable<ParametersDoc["controlPlane"]>): DeepPartial<ControlPlaneParameters> {
  const out: DeepPartial<ControlPlaneParameters> = {};
  if (doc.store !== undefined) out.store = doc.store;
  if (doc.members !== undefined) out.members = doc.members;
  if (doc.heartbeat !== undefined) out.heartbeatMs = durationMsOf(doc.heartbeat) ?? 0;
  if (doc.electionTimeout !== undefined) out.electionTimeoutMs = durationMsOf(doc.electionTimeout) ?? 0;
  if (doc.preVote !== undefined) out.preVote = doc.preVote;
  if (doc.checkQuorum !== undefined) out.checkQuorum = doc.checkQuorum;
  return out;
}

function schedulerOf(doc: NonNullable<ParametersDoc["scheduler"]>): DeepPartial<SchedulerParameters> {
  const out: DeepPartial<SchedulerParameters> = {};
  if (doc.scoringStrategy !== undefined) out.scoringStrategy = doc.scoringStrategy;
  if (doc.implementation !== undefined) out.implementation = doc.implementation;
  if (doc.percentageOfNodesToScore !== undefined) out.percentageOfNodesToScore = doc.percentageOfNodesToScore;
  if (doc.profiles !== undefined) out.profiles = JSON.parse(JSON.stringify(doc.profiles)) as Profile[];
  if (doc.bindLatency !== undefined) out.bindLatencyMs = durationMsOf(doc.bindLatency) ?? 0;
  if (doc.unschedulableRetry !== undefined) out.unschedulableRetryMs = durationMsOf(doc.unschedulableRetry) ?? 0;
  return out;
}
