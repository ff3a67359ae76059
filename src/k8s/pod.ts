/**
 * core/v1 Pod ↔ the model's Pod. The status keeps what the twin models: the phase (Pending when
 * absent, as the API server creates pods), Ready (the Ready condition; readyMs is its transition
 * time while True), scheduledMs (when PodScheduled turned True), startedMs (status.startTime),
 * the nominated node and the reason. The one thing Kubernetes JSON cannot carry back is when a pod
 * that is no longer ready was last ready: encoding drops readyMs of a pod that is not ready.
 */
import { Schema, SchemaGetter } from "effect";
import type { Pod, PodStatus } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodSpecCodec } from "./pod-spec.ts";
import { Timestamp } from "./time.ts";

const ConditionStatus = Schema.Literals(["True", "False", "Unknown"]);

const PodCondition = Schema.Struct({
  type: Schema.String,
  status: ConditionStatus,
  lastTransitionTime: opt(Timestamp),
});

const PodStatusWire = Schema.Struct({
  phase: opt(Schema.Literals(["Pending", "Running", "Succeeded", "Failed"])),
  conditions: opt(Schema.Array(PodCondition)),
  startTime: opt(Timestamp),
  nominatedNodeName: opt(Schema.String),
  reason: opt(Schema.String),
});

type PodStatusWire = typeof PodStatusWire.Type;

/** The time a condition turned True, when it is True. */
function trueSinceMs(w: PodStatusWire, type: string): { isTrue: boolean; sinceMs: number | undefined } {
  const condition = w.conditions?.find((c) => c.type === type);
  const isTrue = condition?.status === "True";
  return { isTrue, sinceMs: isTrue ? condition?.lastTransitionTime : undefined };
}

function statusOf(w: PodStatusWire): PodStatus {
  const ready = trueSinceMs(w, "Ready");
  const scheduled = trueSinceMs(w, "PodScheduled");
  const status: PodStatus = { phase: w.phase ?? "Pending", ready: ready.isTrue };
  if (scheduled.sinceMs !== undefined) status.scheduledMs = scheduled.sinceMs;
  if (w.startTime !== undefined) status.startedMs = w.startTime;
  if (ready.sinceMs !== undefined) status.readyMs = ready.sinceMs;
  if (w.nominatedNodeName) status.nominatedNodeName = w.nominatedNodeName;
  if (w.reason) status.reason = w.reason;
  return status;
}

function statusWireOf(s: PodStatus): PodStatusWire {
  const at = (ms: number | undefined) => (ms === undefined ? {} : { lastTransitionTime: ms });
  const scheduled = s.scheduledMs === undefined ? [] : [{ type: "PodScheduled", status: "True" as const, ...at(s.scheduledMs) }];
  return {
    phase: s.phase,
    conditions: [...scheduled, { type: "Ready", status: s.ready ? "True" : "False", ...at(s.ready ? s.readyMs : undefined) }],
    ...(s.startedMs === undefined ? {} : { startTime: s.startedMs }),
    ...(s.nominatedNodeName === undefined ? {} : { nominatedNodeName: s.nominatedNodeName }),
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
}

const PodWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("Pod")),
  metadata: NamespacedMeta,
  spec: PodSpecCodec,
  status: opt(PodStatusWire),
});

export const PodCodec = PodWire.pipe(
  Schema.decodeTo(modelOf<Pod>("a Pod", "Pod"), {
    decode: SchemaGetter.transform((w: typeof PodWire.Type): Pod => ({ kind: "Pod", metadata: w.metadata, spec: w.spec, status: statusOf(w.status ?? {}) })),
    encode: SchemaGetter.transform((pod: Pod) => ({
      apiVersion: "v1" as const,
      kind: "Pod" as const,
      metadata: pod.metadata,
      spec: pod.spec,
      status: statusWireOf(pod.status),
    })),
  }),
);
