/**
 * The VerticalPodAutoscaler recommender (upstream vertical-pod-autoscaler/pkg/recommender) in the
 * one controller pattern (../controller.ts):
 *  - observe: a new VPA becomes dirty; its first pass is one recommender interval later;
 *  - reconcile: every interval (1 min, the recommender's --recommender-interval) per VPA: the
 *    PodMetrics of the target's pods newer than the last seen feed each container's aggregate
 *    (autoscaling/vpa/aggregate-container.ts: CPU usage and daily memory peaks), then the
 *    recommendation (autoscaling/vpa/recommender.ts) is capped by the container policies
 *    (upstream's capping.go: minAllowed/maxAllowed, controlled resources, mode Off) and written
 *    as the VPA's status when it changed, with the RecommendationProvided condition;
 *  - onResult: nothing to do (a refused status write is retried at the next pass).
 * The recommender only: admission applies the recommendation to new pods
 * (../admission/vertical-pod-autoscaler.ts) and the updater evicts running pods (./vpa-updater.ts).
 * State: per VPA the aggregates by container name, a memory window per running container, the
 * last metrics time seen per pod and the next pass due (upstream keeps these in the recommender's
 * cluster state; checkpoints are what survive its restarts, which the twin does not model).
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { VerticalPodAutoscaler, VpaContainerPolicy, VpaContainerRecommendation } from "../../model/autoscaling-objects.ts";
import type { Decision } from "../../model/decision.ts";
import { hashString } from "../../model/hash.ts";
import type { ResourceList } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { scaleTargetOf, selectedPods } from "../autoscaling/hpa/cluster-reads.ts";
import { AggregateContainer, ContainerWindow } from "../autoscaling/vpa/aggregate-container.ts";
import { recommendContainer, type Amounts } from "../autoscaling/vpa/recommender.ts";
import { reconciled, type Controller, type Reconciled } from "../controller.ts";

/** The recommender's main loop period (--recommender-interval default 1m). */
export const recommenderIntervalMs = 60_000;

interface VpaMemory {
  aggregates: Map<string, AggregateContainer>;
  /** "pod key/container" → that container's memory window. */
  windows: Map<string, ContainerWindow>;
  /** Pod key → timestamp of the last PodMetrics taken. */
  lastMetricsMs: Map<string, Ms>;
}

export interface VpaControllerState {
  vpas: Map<string, VpaMemory>;
  dueMs: Map<string, Ms>;
}

function vpaOf(view: ClusterView, key: string): VerticalPodAutoscaler | undefined {
  return storedObjectsOf(view, "VerticalPodAutoscaler").get(key);
}

function memoryOf(state: VpaControllerState, key: string): VpaMemory {
  let m = state.vpas.get(key);
  if (m === undefined) {
    m = { aggregates: new Map(), windows: new Map(), lastMetricsMs: new Map() };
    state.vpas.set(key, m);
  }
  return m;
}

/** Feeds the target pods' new metrics samples; returns how many pods the VPA matched. */
function observeMetrics(view: ClusterView, vpa: VerticalPodAutoscaler, memory: VpaMemory): number {
  const namespace = vpa.metadata.namespace;
  const target = scaleTargetOf(view, namespace, vpa.spec.targetRef);
  if (!target.read.ok) return 0;
  const pods = selectedPods(view, namespace, target.read.selector);
  const metrics = storedObjectsOf(view, "PodMetrics");
  for (const pod of pods) {
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const m = metrics.get(podKey);
    if (m === undefined || m.timestampMs <= (memory.lastMetricsMs.get(podKey) ?? -1)) continue;
    memory.lastMetricsMs.set(podKey, m.timestampMs);
    for (const c of m.containers) {
      let aggregate = memory.aggregates.get(c.name);
      if (aggregate === undefined) {
        aggregate = new AggregateContainer();
        memory.aggregates.set(c.name, aggregate);
      }
      const windowKey = `${podKey}/${c.name}`;
      let window = memory.windows.get(windowKey);
      if (window === undefined) {
        window = new ContainerWindow(aggregate);
        memory.windows.set(windowKey, window);
      }
      window.addCpu((c.usage["cpu"] ?? 0) / 1000, m.timestampMs);
      window.addMemory(c.usage["memory"] ?? 0, m.timestampMs);
    }
  }
  return pods.length;
}

function policyFor(vpa: VerticalPodAutoscaler, container: string): VpaContainerPolicy | undefined {
  const policies = vpa.spec.containerPolicies;
  return policies.find((p) => p.containerName === container) ?? policies.find((p) => p.containerName === "*");
}

const resourceValue = { cpu: (a: Amounts) => a.cpuMillicores, memory: (a: Amounts) => a.memoryBytes } as const;

/** capping.go: each controlled resource within [minAllowed, maxAllowed] of the container's policy. */
function capped(amounts: Amounts, policy: VpaContainerPolicy | undefined, capping: boolean): ResourceList {
  const out: ResourceList = {};
  for (const resource of policy?.controlledResources ?? (["cpu", "memory"] as const)) {
    let v = resourceValue[resource](amounts);
    if (capping) {
      const min = policy?.minAllowed?.[resource];
      const max = policy?.maxAllowed?.[resource];
      if (min !== undefined && v < min) v = min;
      if (max !== undefined && v > max) v = max;
    }
    out[resource] = v;
  }
  return out;
}

function recommendationsOf(vpa: VerticalPodAutoscaler, memory: VpaMemory): VpaContainerRecommendation[] {
  const names = [...memory.aggregates.keys()].sort();
  const out: VpaContainerRecommendation[] = [];
  for (const name of names) {
    const policy = policyFor(vpa, name);
    if (policy?.mode === "Off") continue;
    const r = recommendContainer(memory.aggregates.get(name) as AggregateContainer, names.length);
    out.push({ containerName: name, target: capped(r.target, policy, true), lowerBound: capped(r.lowerBound, policy, true), upperBound: capped(r.upperBound, policy, true), uncappedTarget: capped(r.target, policy, false) });
  }
  return out;
}

function statusOf(vpa: VerticalPodAutoscaler, recommendations: VpaContainerRecommendation[], matched: number, nowMs: Ms): VerticalPodAutoscaler["status"] {
  const provided = recommendations.length > 0;
  const reason = provided ? undefined : matched === 0 ? "NoPodsMatched" : "NoMetrics";
  const message = provided ? undefined : matched === 0 ? "No pods match this VPA object" : "No usage samples for the pods of this VPA yet";
  const previous = vpa.status.conditions.find((c) => c.type === "RecommendationProvided");
  const status = provided ? "True" : "False";
  const since = previous !== undefined && previous.status === status ? previous.lastTransitionMs : nowMs;
  return {
    ...(provided ? { recommendation: { containerRecommendations: recommendations } } : {}),
    conditions: [{ type: "RecommendationProvided", status, ...(reason !== undefined ? { reason } : {}), ...(message !== undefined ? { message } : {}), lastTransitionMs: since }],
  };
}

function statusDecision(key: string, vpa: VerticalPodAutoscaler, status: VerticalPodAutoscaler["status"]): Decision[] {
  if (canonicalJson(status) === canonicalJson(vpa.status)) return [];
  const version = vpa.metadata.resourceVersion ?? 0;
  const digest = hashString(canonicalJson(status)).slice(0, 8);
  return [{ kind: "UpdateObjectStatus", id: `vpa-status/${key}/${version}/${digest}`, objectKind: "VerticalPodAutoscaler", key, status, basedOnVersion: version }];
}

export function verticalPodAutoscalerController(intervalMs: Ms = recommenderIntervalMs): Controller<VpaControllerState> {
  function reconcile(view: ClusterView, state: VpaControllerState, key: string, nowMs: Ms): Reconciled<VpaControllerState> {
    const vpa = vpaOf(view, key);
    if (vpa === undefined) {
      state.vpas.delete(key);
      state.dueMs.delete(key);
      return reconciled(state);
    }
    const due = state.dueMs.get(key);
    if (due === undefined) {
      state.dueMs.set(key, nowMs + intervalMs);
      return reconciled(state, [], [{ key, afterMs: intervalMs }]);
    }
    if (nowMs < due) return reconciled(state); // an early wake-up: the timer chain is already running
    state.dueMs.set(key, nowMs + intervalMs);
    const memory = memoryOf(state, key);
    const matched = observeMetrics(view, vpa, memory);
    const decisions = statusDecision(key, vpa, statusOf(vpa, recommendationsOf(vpa, memory), matched, nowMs));
    return reconciled(state, decisions, [{ key, afterMs: intervalMs }]);
  }

  return {
    name: "vertical-pod-autoscaler",
    initialState: () => ({ vpas: new Map(), dueMs: new Map() }),
    observe(_view, state, event) {
      if (event.kind === "ObjectCreated" && event.object.kind === "VerticalPodAutoscaler") {
        const m = event.object.metadata;
        return { state, keys: [`${m.namespace}/${m.name}`] };
      }
      if (event.kind === "ObjectDeleted" && event.objectKind === "VerticalPodAutoscaler") return { state, keys: [event.key] };
      return { state, keys: [] };
    },
    reconcile,
    onResult: (_view, state) => reconciled(state),
  };
}
