/**
 * TTL-after-finished controller (upstream pkg/controller/ttlafterfinished/
 * ttlafterfinished_controller.go processJob/processTTL/timeLeft), in the one controller pattern: a
 * finished Job (Complete or Failed) with ttlSecondsAfterFinished is deleted that long after the
 * finished condition's lastTransitionTime; until then its key is requeued for the time left.
 * Upstream deletes with propagationPolicy Foreground; the twin deletes the Job at once and the
 * garbage collector (garbage-collector.ts) deletes its pods after it, as a background deletion.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { jobFinished } from "../../model/job.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled } from "../controller.ts";

/** Nothing to remember: every answer is in the view. */
export type TtlAfterFinishedState = Record<string, never>;

function observe(_view: ClusterView, state: TtlAfterFinishedState, event: ClusterEvent): Observed<TtlAfterFinishedState> {
  if ((event.kind === "ObjectCreated" || event.kind === "ObjectUpdated") && event.object.kind === "Job") return { state, keys: [`${event.object.metadata.namespace}/${event.object.metadata.name}`] };
  if (event.kind === "ObjectStatusChanged" && event.objectKind === "Job") return { state, keys: [event.key] };
  return { state, keys: [] };
}

function reconcile(view: ClusterView, state: TtlAfterFinishedState, key: string, nowMs: Ms): Reconciled<TtlAfterFinishedState> {
  const job = storedObjectsOf(view, "Job").get(key);
  const ttlSeconds = job?.spec.ttlSecondsAfterFinished;
  const finished = job === undefined ? undefined : jobFinished(job);
  if (job === undefined || ttlSeconds === undefined || finished === undefined || job.metadata.deletionMs !== undefined) return reconciled(state);
  const expireMs = finished.lastTransitionMs + ttlSeconds * 1000;
  if (nowMs < expireMs) return reconciled(state, [], [{ key, afterMs: expireMs - nowMs }]);
  return reconciled(state, [{ kind: "DeleteObject", id: `ttl-after-finished/${key}/${job.metadata.uid}`, objectKind: "Job", key }]);
}

export const ttlAfterFinishedController: Controller<TtlAfterFinishedState> = {
  name: "ttl-after-finished",
  initialState: () => ({}),
  observe,
  reconcile,
  onResult: (_view, state) => reconciled(state),
};
