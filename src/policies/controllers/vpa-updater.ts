/**
 * The VerticalPodAutoscaler updater (upstream vertical-pod-autoscaler/pkg/updater/logic/updater.go
 * RunOnce) in the one controller pattern (../controller.ts). Every --updater-interval (1 min):
 *  - VPAs in mode Recreate, Auto (upstream's deprecated name for it) or InPlaceOrRecreate take
 *    part; in-place resize is not modelled, so InPlaceOrRecreate falls back to eviction, as
 *    upstream does when its InPlaceOrRecreate feature gate is off or a resize fails; InPlace is
 *    skipped, as upstream skips it with its gate off; Off and Initial never evict;
 *  - a VPA's live pods are the bound, non-terminal, non-deleting pods of its target (the pod's
 *    ReplicaSet's Deployment, or its direct controller), when it is the target's controlling VPA
 *    (admission's rule: the first by name);
 *  - the eviction restriction of that pass (autoscaling/vpa/eviction-restriction.ts) drops pods
 *    it would never let go, the priority calculator (autoscaling/vpa/update-priority.ts) keeps
 *    and orders the ones worth updating;
 *  - evictions go out one at a time through the Eviction API (CreateEviction, the decision the
 *    drain and the cluster autoscaler use; PodDisruptionBudgets decide at commit): each answer
 *    (onResult) counts an admitted eviction against its group and sends the next eviction the
 *    restriction still allows, as upstream's loop calls Evict pod after pod; a refusal (429: a
 *    budget said no) is counted as blocked and the loop goes on with the next pod.
 * The evicted pod's owner recreates it, and admission (../admission/vertical-pod-autoscaler.ts)
 * gives the new pod the recommendation.
 * Quick OOM (a container OOM-killed soon after start) needs the containers' last termination
 * reason, which the twin's kubelet does not record yet: no pod is accepted for that reason today.
 */
import type { VerticalPodAutoscaler } from "../../model/autoscaling-objects.ts";
import type { Decision } from "../../model/decision.ts";
import type { Pod } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { parentControllerOf } from "../admission/vertical-pod-autoscaler.ts";
import { scaleTargetOf, selectedPods } from "../autoscaling/hpa/cluster-reads.ts";
import { canEvict, evictionRestrictionOf, recordEviction, type EvictionRestriction } from "../autoscaling/vpa/eviction-restriction.ts";
import { acceptsUpdate, sortedByPriority, updatePriorityOf } from "../autoscaling/vpa/update-priority.ts";
import { vpaUpdaterDefaults, type VpaUpdaterOptions } from "../autoscaling/vpa/updater-options.ts";
import { reconciled, type Controller, type Reconciled, type WriteResult } from "../controller.ts";
import { podIsActive } from "./ownership.ts";

const loopKey = "updater";

interface VpaQueue {
  vpa: string;
  restriction: EvictionRestriction;
  /** Pods to evict, highest priority first, as read at the start of the pass. */
  pods: Pod[];
}

export interface VpaUpdaterState {
  /** The pass in progress: its start, the queues left, the pod whose eviction is in flight. */
  pass?: { atMs: Ms; queues: VpaQueue[]; inFlight?: { pod: Pod; queue: VpaQueue } };
  /** Per VPA key: evictions admitted and refused so far (what the run summary and tests read). */
  answers: Map<string, { evicted: number; refused: number }>;
}

/** Modes whose pods the updater evicts (updater.go RunOnce, with in-place resize unavailable). */
export function updaterEvicts(vpa: VerticalPodAutoscaler): boolean {
  const mode = vpa.spec.updateMode;
  return mode === "Recreate" || mode === "Auto" || mode === "InPlaceOrRecreate";
}

const keyOf = (pod: Pod): string => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** The updater's pod lister: scheduled, not Succeeded or Failed (newPodLister's field selector), not being deleted (filterDeletedPods). */
function isLive(pod: Pod): boolean {
  return pod.spec.nodeName !== undefined && podIsActive(pod);
}

/** getReplicaCount: undefined where upstream answers an error (no such object, no replicas). */
function configuredOf(view: ClusterView): (kind: string, namespace: string, name: string, live: number) => number | undefined {
  return (kind, namespace, name, live) => {
    const key = `${namespace}/${name}`;
    const positive = (n: number | undefined) => (n === undefined || n === 0 ? undefined : n);
    switch (kind) {
      case "ReplicaSet":
        return positive(view.replicaSets.get(key)?.spec.replicas);
      case "StatefulSet":
        return positive(storedObjectsOf(view, "StatefulSet").get(key)?.spec.replicas);
      case "DaemonSet":
        return positive(storedObjectsOf(view, "DaemonSet").get(key)?.status.numberReady);
      case "Job":
        return live;
      case "ReplicationController":
        return undefined; // not modelled: no replica count to read
      default:
        return 0; // upstream: an unknown kind counts 0 configured replicas, without error
    }
  };
}

/** One VPA's queue for this pass, or undefined when it has nothing to evict. */
function queueOf(view: ClusterView, key: string, vpa: VerticalPodAutoscaler, nowMs: Ms, options: VpaUpdaterOptions): VpaQueue | undefined {
  const recommendations = vpa.status.recommendation?.containerRecommendations ?? [];
  if (recommendations.length === 0) return undefined;
  const target = scaleTargetOf(view, vpa.metadata.namespace, vpa.spec.targetRef);
  if (!target.read.ok) return undefined;
  const ref = vpa.spec.targetRef;
  const live = selectedPods(view, vpa.metadata.namespace, target.read.selector)
    .filter((p) => {
      const parent = isLive(p) ? parentControllerOf(view, p) : undefined;
      return parent?.kind === ref.kind && parent.name === ref.name;
    })
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const restriction = evictionRestrictionOf(live, configuredOf(view), vpa.spec.minReplicas ?? options.minReplicas, options.evictionToleranceFraction);
  const candidates = live
    .filter((p) => canEvict(restriction, p)) // filterNonEvictablePods
    .map((pod) => ({ pod, priority: updatePriorityOf(pod, recommendations) }))
    .filter((c) => acceptsUpdate(c.priority, c.pod.status.startedMs, false, nowMs, options));
  if (candidates.length === 0) return undefined;
  return { vpa: key, restriction, pods: sortedByPriority(candidates).map((c) => c.pod) };
}

/** The next eviction the pass still allows, or none when the pass is over. */
function nextEviction(view: ClusterView, state: VpaUpdaterState): Decision[] {
  const pass = state.pass;
  if (pass === undefined) return [];
  for (const queue of pass.queues) {
    while (queue.pods.length > 0) {
      const pod = queue.pods.shift() as Pod;
      const now = view.pods.get(keyOf(pod));
      if (now === undefined || now.metadata.uid !== pod.metadata.uid || !isLive(now)) continue;
      if (!canEvict(queue.restriction, pod)) continue;
      pass.inFlight = { pod, queue };
      return [{ kind: "CreateEviction", id: `vpa-evict/${keyOf(pod)}/${pod.metadata.uid}/${pass.atMs}`, podKey: keyOf(pod) }];
    }
  }
  delete state.pass;
  return [];
}

const targetKeyOf = (vpa: VerticalPodAutoscaler): string => `${vpa.metadata.namespace}/${vpa.spec.targetRef.kind}/${vpa.spec.targetRef.name}`;

function runOnce(view: ClusterView, state: VpaUpdaterState, nowMs: Ms, options: VpaUpdaterOptions): Decision[] {
  const vpas = storedObjectsOf(view, "VerticalPodAutoscaler");
  const keys = [...vpas.keys()].sort();
  // The controlling VPA of a target's pods is the first by name, whatever its mode (admission's rule).
  const controlling = new Map<string, string>();
  for (const key of keys) {
    const target = targetKeyOf(vpas.get(key) as VerticalPodAutoscaler);
    if (!controlling.has(target)) controlling.set(target, key);
  }
  const queues: VpaQueue[] = [];
  for (const key of keys) {
    const vpa = vpas.get(key) as VerticalPodAutoscaler;
    if (!updaterEvicts(vpa) || controlling.get(targetKeyOf(vpa)) !== key) continue;
    const queue = queueOf(view, key, vpa, nowMs, options);
    if (queue !== undefined) queues.push(queue);
  }
  // A pass still waiting for an answer when the next one starts is dropped: the new one reads the cluster afresh.
  state.pass = { atMs: nowMs, queues };
  return nextEviction(view, state);
}

/** Counts an admitted eviction, or one the Eviction API refused (429 from a budget, 403, 500); a conflict is neither. */
function answered(state: VpaUpdaterState, vpa: string, result: WriteResult): void {
  const counts = state.answers.get(vpa) ?? { evicted: 0, refused: 0 };
  state.answers.set(vpa, counts);
  if (result.ok) counts.evicted++;
  else if (/^(429|403|500) /.test(result.reason ?? "")) counts.refused++;
}

export function vpaUpdaterController(options: VpaUpdaterOptions = vpaUpdaterDefaults): Controller<VpaUpdaterState> {
  function onResult(view: ClusterView, state: VpaUpdaterState, decision: Decision, result: WriteResult): Reconciled<VpaUpdaterState> {
    const pass = state.pass;
    const inFlight = pass?.inFlight;
    if (decision.kind !== "CreateEviction" || pass === undefined || inFlight === undefined || keyOf(inFlight.pod) !== decision.podKey) return reconciled(state);
    delete pass.inFlight;
    answered(state, inFlight.queue.vpa, result);
    // Admitted: it counts against the pod's group (Evict's evicted + 1); refused: the next pod is tried.
    if (result.ok) recordEviction(inFlight.queue.restriction, inFlight.pod);
    return reconciled(state, nextEviction(view, state));
  }

  return {
    name: "vpa-updater",
    initialState: () => ({ answers: new Map() }),
    initialRequeue: () => [{ key: loopKey, afterMs: options.updaterIntervalMs }],
    observe: (_view, state) => ({ state, keys: [] }),
    reconcile(view, state, key, nowMs) {
      if (key !== loopKey) return reconciled(state);
      return reconciled(state, runOnce(view, state, nowMs, options), [{ key: loopKey, afterMs: options.updaterIntervalMs }]);
    },
    onResult: (view, state, decision, result) => onResult(view, state, decision, result),
  };
}
