/**
 * The HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler/horizontal.go) in
 * the one controller pattern (../controller.ts):
 *  - observe: a new HPA becomes dirty; its first sync is one sync period later, as upstream's
 *    queue adds every HPA through a fixed-interval rate limiter (NewDefaultHPARateLimiter);
 *  - reconcile: every sync period (15 s) per HPA, syncHpa (autoscaling/hpa/sync.ts) over the
 *    target's scale, its pods and their PodMetrics; a rescale is one ScaleDeployment decision (the
 *    scale subresource, based on the target's version), anything else at most one status write;
 *  - onResult: after the scale write's answer, the status (SucceededRescale and the scale event
 *    recorded, or FailedUpdateScale), as upstream writes the status after the scale update.
 * State: per HPA the recommendation and scale-event logs (upstream keeps them in the controller,
 * so a controller restart forgets them), the next due time, and the sync whose scale write is in flight.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus } from "../../model/autoscaling-objects.ts";
import type { Decision } from "../../model/decision.ts";
import { hashString } from "../../model/hash.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { hpaPodOf, scaleTargetOf, selectedPods, viewMetricsSource } from "../autoscaling/hpa/cluster-reads.ts";
import { hpaDefaults, type HpaOptions } from "../autoscaling/hpa/defaults.ts";
import { emptyHistory, failedRescale, recordRescale, syncHpa, type HpaHistory, type HpaSyncResult } from "../autoscaling/hpa/sync.ts";
import { reconciled, type Controller, type Reconciled } from "../controller.ts";

interface InFlightRescale {
  hpaKey: string;
  result: HpaSyncResult;
}

export interface HpaControllerState {
  histories: Map<string, HpaHistory>;
  /** HPA key → when its next sync is due (its timer chain is running). */
  dueMs: Map<string, Ms>;
  /** Scale decision id → the sync that made it. */
  inFlight: Map<string, InFlightRescale>;
}

function hpaOf(view: ClusterView, key: string): HorizontalPodAutoscaler | undefined {
  return storedObjectsOf(view, "HorizontalPodAutoscaler").get(key);
}

function statusDecision(key: string, hpa: HorizontalPodAutoscaler, status: HorizontalPodAutoscalerStatus): Decision[] {
  if (canonicalJson(status) === canonicalJson(hpa.status)) return [];
  const version = hpa.metadata.resourceVersion ?? 0;
  const digest = hashString(canonicalJson(status)).slice(0, 8);
  return [{ kind: "UpdateObjectStatus", id: `hpa-status/${key}/${version}/${digest}`, objectKind: "HorizontalPodAutoscaler", key, status, basedOnVersion: version }];
}

function syncOne(view: ClusterView, state: HpaControllerState, key: string, hpa: HorizontalPodAutoscaler, nowMs: Ms, options: HpaOptions): Decision[] {
  const namespace = hpa.metadata.namespace;
  const target = scaleTargetOf(view, namespace, hpa.spec.scaleTargetRef);
  const pods = target.read.ok ? selectedPods(view, namespace, target.read.selector) : [];
  let history = state.histories.get(key);
  if (history === undefined) {
    history = emptyHistory();
    state.histories.set(key, history);
  }
  const result = syncHpa({ hpa, scale: target.read, pods: pods.map(hpaPodOf), metrics: viewMetricsSource(view, namespace, pods), history, nowMs, options });
  if (!result.rescale) return statusDecision(key, hpa, result.status);
  const id = `hpa-scale/${key}/${target.key}/${target.version}/${result.desiredReplicas}`;
  state.inFlight.set(id, { hpaKey: key, result });
  if (target.kind === "ReplicaSet") return [{ kind: "ScaleReplicaSet", id, key: target.key, replicas: result.desiredReplicas }];
  return [{ kind: "ScaleDeployment", id, key: target.key, replicas: result.desiredReplicas, basedOnVersion: target.version }];
}

export function horizontalPodAutoscalerController(options: HpaOptions = hpaDefaults): Controller<HpaControllerState> {
  function reconcile(view: ClusterView, state: HpaControllerState, key: string, nowMs: Ms): Reconciled<HpaControllerState> {
    const hpa = hpaOf(view, key);
    if (hpa === undefined) {
      state.histories.delete(key);
      state.dueMs.delete(key);
      return reconciled(state);
    }
    const due = state.dueMs.get(key);
    if (due === undefined) {
      state.dueMs.set(key, nowMs + options.syncPeriodMs);
      return reconciled(state, [], [{ key, afterMs: options.syncPeriodMs }]);
    }
    if (nowMs < due) return reconciled(state); // an early wake-up: the timer chain is already running
    state.dueMs.set(key, nowMs + options.syncPeriodMs);
    const busy = [...state.inFlight.values()].some((f) => f.hpaKey === key);
    const decisions = busy ? [] : syncOne(view, state, key, hpa, nowMs, options);
    return reconciled(state, decisions, [{ key, afterMs: options.syncPeriodMs }]);
  }

  return {
    name: "horizontal-pod-autoscaler",
    initialState: () => ({ histories: new Map(), dueMs: new Map(), inFlight: new Map() }),
    observe(_view, state, event) {
      if (event.kind === "ObjectCreated" && event.object.kind === "HorizontalPodAutoscaler") {
        const m = event.object.metadata;
        return { state, keys: [`${m.namespace}/${m.name}`] };
      }
      if (event.kind === "ObjectDeleted" && event.objectKind === "HorizontalPodAutoscaler") return { state, keys: [event.key] };
      return { state, keys: [] };
    },
    reconcile,
    onResult(view, state, decision, result, nowMs) {
      const flight = state.inFlight.get(decision.id);
      if (flight === undefined) return reconciled(state);
      state.inFlight.delete(decision.id);
      const hpa = hpaOf(view, flight.hpaKey);
      const history = state.histories.get(flight.hpaKey);
      if (hpa === undefined || history === undefined) return reconciled(state);
      const status = result.ok ? recordRescale(hpa, flight.result, history, nowMs, options) : failedRescale(hpa, flight.result, result.reason ?? "", nowMs);
      return reconciled(state, statusDecision(flight.hpaKey, hpa, status));
    },
  };
}
