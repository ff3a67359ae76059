/**
 * core/v1 Pod ↔ the model's Pod. The status keeps what the twin models: the phase (Pending when
 * absent, as the API server creates pods), Ready (the Ready condition; readyMs is its transition
 * time while True), scheduledMs (when PodScheduled turned True), startedMs (status.startTime),
 * the nominated node and the reason, and the containers' restarts, waiting reason and last
 * termination (containerStatuses, one account for the pod's containers), and the init containers'
 * progress (initContainerStatuses: init-container-statuses.ts). The one thing Kubernetes JSON cannot carry back is when a pod
 * that is no longer ready was last ready: encoding drops readyMs of a pod that is not ready.
 */
import { Schema, SchemaGetter } from "effect";
import type { Pod, PodSpec, PodStatus } from "../model/objects.ts";
import { ContainerStatusWire } from "./container-status.ts";
import { initContainerStatusesOf, initStatusOf } from "./init-container-statuses.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodSpecCodec } from "./pod-spec.ts";
import { Timestamp } from "./time.ts";

const ConditionStatus = Schema.Literals(["True", "False", "Unknown"]);

const PodCondition = Schema.Struct({
  type: Schema.String,
  status: ConditionStatus,
  reason: opt(Schema.String),
  message: opt(Schema.String),
  lastTransitionTime: opt(Timestamp),
});

/** The scheduler's verdict on a pod it could not place lives on PodScheduled=False (its reason and message), not status.reason. */
const unschedulable = "Unschedulable";


const PodStatusWire = Schema.Struct({
  phase: opt(Schema.Literals(["Pending", "Running", "Succeeded", "Failed"])),
  conditions: opt(Schema.Array(PodCondition)),
  startTime: opt(Timestamp),
  nominatedNodeName: opt(Schema.String),
  reason: opt(Schema.String),
  message: opt(Schema.String),
  containerStatuses: opt(Schema.Array(ContainerStatusWire)),
  initContainerStatuses: opt(Schema.Array(ContainerStatusWire)),
});

type PodStatusWire = typeof PodStatusWire.Type;

/** The time a condition turned True, when it is True. */
function trueSinceMs(w: PodStatusWire, type: string): { isTrue: boolean; sinceMs: number | undefined } {
  const condition = w.conditions?.find((c) => c.type === type);
  const isTrue = condition?.status === "True";
  return { isTrue, sinceMs: isTrue ? condition?.lastTransitionTime : undefined };
}

function statusOf(w: PodStatusWire, spec: PodSpec): PodStatus {
  const ready = trueSinceMs(w, "Ready");
  const scheduled = trueSinceMs(w, "PodScheduled");
  const status: PodStatus = { phase: w.phase ?? "Pending", ready: ready.isTrue };
  if (scheduled.sinceMs !== undefined) status.scheduledMs = scheduled.sinceMs;
  if (w.startTime !== undefined) status.startedMs = w.startTime;
  if (ready.sinceMs !== undefined) status.readyMs = ready.sinceMs;
  if (w.nominatedNodeName) status.nominatedNodeName = w.nominatedNodeName;
  if (w.reason) status.reason = w.reason;
  if (w.message) status.message = w.message;
  const notScheduled = w.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False" && c.reason === unschedulable);
  if (notScheduled !== undefined && status.reason === undefined) {
    status.reason = unschedulable;
    if (notScheduled.message !== undefined) status.message = notScheduled.message;
  }
  containerStatusesInto(status, w.containerStatuses ?? []);
  const init = initStatusOf(spec.initContainers ?? [], w.initContainerStatuses ?? []);
  if (init !== undefined) status.init = init;
  return status;
}

/**
 * The model keeps one account for the pod's containers: restarts summed, the first waiting
 * reason, and the last termination — from state.terminated once the pod has ended, else from
 * lastState.terminated (kubelet's convertToAPIContainerStatuses puts a restarted container's
 * previous run there).
 */
function containerStatusesInto(status: PodStatus, list: readonly ContainerStatusWire[]): void {
  const terminal = status.phase === "Succeeded" || status.phase === "Failed";
  let restarts = 0;
  for (const c of list) {
    restarts += c.restartCount ?? 0;
    const waiting = c.state?.waiting?.reason;
    if (waiting && status.waitingReason === undefined) status.waitingReason = waiting;
    const last = terminal ? c.state?.terminated : c.lastState?.terminated;
    if (last !== undefined && status.lastExitCode === undefined) {
      status.lastExitCode = last.exitCode;
      if (last.reason) status.lastTerminationReason = last.reason;
    }
  }
  if (restarts > 0) status.restartCount = restarts;
}

/** The pod's account as the status of each container: all of it on the first, the rest plainly running or waiting alike. */
function containerStatusesOf(pod: Pod): ContainerStatusWire[] {
  const s = pod.status;
  const terminal = s.phase === "Succeeded" || s.phase === "Failed";
  const last = s.lastExitCode === undefined ? undefined : { exitCode: s.lastExitCode, ...(s.lastTerminationReason ? { reason: s.lastTerminationReason } : {}) };
  return pod.spec.containers.map((c, i): ContainerStatusWire => {
    const first = i === 0;
    const state: NonNullable<ContainerStatusWire["state"]> =
      s.waitingReason !== undefined ? { waiting: { reason: s.waitingReason } }
      // an ended pod whose exit the twin never saw (evicted, lost with its node) says nothing of it
      : terminal ? (first && last !== undefined ? { terminated: last } : {})
      : s.phase === "Running" ? { running: s.startedMs === undefined ? {} : { startedAt: s.startedMs } }
      : { waiting: {} };
    return {
      name: c.name,
      ready: s.ready,
      restartCount: first ? (s.restartCount ?? 0) : 0,
      state,
      ...(first && !terminal && last !== undefined ? { lastState: { terminated: last } } : {}),
    };
  });
}

function statusWireOf(pod: Pod): PodStatusWire {
  const s = pod.status;
  const at = (ms: number | undefined) => (ms === undefined ? {} : { lastTransitionTime: ms });
  const notScheduled = s.reason === unschedulable && s.scheduledMs === undefined;
  const scheduled =
    s.scheduledMs !== undefined ? [{ type: "PodScheduled", status: "True" as const, ...at(s.scheduledMs) }]
    : notScheduled ? [{ type: "PodScheduled", status: "False" as const, reason: unschedulable, ...(s.message === undefined ? {} : { message: s.message }) }]
    : [];
  return {
    phase: s.phase,
    conditions: [...scheduled, { type: "Ready", status: s.ready ? "True" : "False", ...at(s.ready ? s.readyMs : undefined) }],
    ...(s.startedMs === undefined ? {} : { startTime: s.startedMs }),
    ...(s.nominatedNodeName === undefined ? {} : { nominatedNodeName: s.nominatedNodeName }),
    ...(s.reason === undefined || notScheduled ? {} : { reason: s.reason }),
    ...(s.message === undefined || notScheduled ? {} : { message: s.message }),
    ...(s.phase === "Pending" && s.scheduledMs === undefined ? {} : { containerStatuses: containerStatusesOf(pod) }),
    ...(pod.spec.initContainers === undefined || s.init === undefined ? {} : { initContainerStatuses: initContainerStatusesOf(pod.spec.initContainers, s) }),
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
    decode: SchemaGetter.transform((w: typeof PodWire.Type): Pod => ({ kind: "Pod", metadata: w.metadata, spec: w.spec, status: statusOf(w.status ?? {}, w.spec) })),
    encode: SchemaGetter.transform((pod: Pod) => ({
      apiVersion: "v1" as const,
      kind: "Pod" as const,
      metadata: pod.metadata,
      spec: pod.spec,
      status: statusWireOf(pod),
    })),
  }),
);
