/**
 * DaemonSet controller (upstream pkg/controller/daemon/daemon_controller.go syncDaemonSet, manage,
 * podsShouldBeOnNode, syncNodes, updateDaemonSetStatus; update.go rollingUpdate), in the one
 * controller pattern (../controller.ts), shaped as the ReplicaSet controller:
 *  - observe: a DaemonSet's own changes and its pods' events make it dirty (lowering expectations);
 *    node events make every DaemonSet dirty (a node added gets its pod, a tainted one may lose it);
 *  - reconcile: when expectations are satisfied, manage — a pod for each node that should run one
 *    and has none (pinned by node affinity, bound by the normal scheduler), failed pods and pods on
 *    nodes that should no longer run one deleted, extra pods on a node deleted — and, when manage
 *    had nothing to do, the rolling update (daemonset-update.ts; OnDelete waits for the user to
 *    delete old pods); then the status; requeue after minReadySeconds for pods not yet available;
 *  - onResult: creates go in slow-start batches (1, 2, 4, … stopping at the first error), then the
 *    deletes, as syncNodes does; a failed sync is retried rate-limited.
 * Failed pods are deleted at once (upstream backs off 1 s doubling to 15 min per node).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { emptyDaemonSetStatus, type DaemonSet, type DaemonSetStatus } from "../../model/daemon-set.ts";
import type { Decision } from "../../model/decision.ts";
import type { Pod, PodSpec } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import { daemonPodSpec, nodeShouldRunDaemonPod, pinnedAffinity, revisionHashLabel, targetNodeOf, templateHash } from "./daemon-pod.ts";
import { isUpdatedPod, rollingUpdate, type NodeSync } from "./daemonset-update.ts";
import { creationObserved, deletionObserved, expectationsSatisfied, type Expectations } from "./expectations.ts";
import { controllerKeyOf, controllerOf, objectPrng, podIsAvailable, podKeyOf } from "./ownership.ts";
import { syncFinished } from "./rate-limit.ts";
import { slowStartInitialBatchSize } from "./replicaset.ts";

/** Upstream's BurstReplicas for the DaemonSet controller. */
export const daemonSetBurstReplicas = 250;
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

interface InFlight {
  /** Nodes still to get a pod (the batches not yet issued). */
  createOn: string[];
  batchSize: number;
  deletePods: string[];
  unanswered: number;
  failed: boolean;
}

export interface DaemonSetControllerState {
  expectations: Expectations;
  inFlight: Map<string, InFlight>;
  failures: Map<string, number>;
  /** pod key → DaemonSet key (a removed pod's event carries only its key). */
  podOwners: Map<string, string>;
  dirtyWhileBusy: Set<string>;
  prngs: Map<string, Prng>;
  /** Decision id → DaemonSet key, for the writes in flight (their answer names only the decision). */
  writes: Map<string, string>;
}

const daemonSetsOf = (view: ClusterView) => storedObjectsOf(view, "DaemonSet");

const ownerKey = (pod: Pod): string | undefined => controllerKeyOf(pod, "DaemonSet");

const prngFor = (state: DaemonSetControllerState, root: Prng, key: string): Prng => objectPrng(state.prngs, root, "daemonset", key);

/** upstream getNodesToDaemonPods(includeDeletedTerminal=false): the DaemonSet's pods by target node, oldest first. */
export function podsByNodeOf(view: ClusterView, ds: DaemonSet): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const key of view.podsByOwner.get(ds.metadata.uid) ?? []) {
    const pod = view.pods.get(key);
    if (pod === undefined) continue;
    const terminal = pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
    if (terminal && pod.metadata.deletionMs !== undefined) continue;
    const node = targetNodeOf(pod);
    if (node === undefined) continue;
    const list = out.get(node) ?? [];
    list.push(pod);
    out.set(node, list);
  }
  for (const list of out.values()) list.sort(byAge);
  return out;
}

/** podByCreationTimestampAndPhase: older first, then by name. */
function byAge(a: Pod, b: Pod): number {
  return a.metadata.creationMs - b.metadata.creationMs || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
}

/** manage / podsShouldBeOnNode over every node, in name order. */
function manage(view: ClusterView, ds: DaemonSet, spec: PodSpec, podsByNode: ReadonlyMap<string, readonly Pod[]>, hash: string): NodeSync {
  const createOn: string[] = [];
  const deletePods: string[] = [];
  const surge = ds.spec.updateStrategy.type === "RollingUpdate" && ds.spec.updateStrategy.maxSurge !== 0 && ds.spec.updateStrategy.maxSurge !== "0%";
  for (const name of [...view.nodes.keys()].sort()) {
    const node = view.nodes.get(name);
    if (node === undefined) continue;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds, spec);
    const pods = podsByNode.get(name) ?? [];
    if (shouldRun && pods.length === 0) createOn.push(name);
    else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of pods) {
        if (pod.metadata.deletionMs !== undefined) continue;
        if (pod.status.phase === "Failed" || pod.status.phase === "Succeeded") deletePods.push(podKeyOf(pod));
        else running.push(pod);
      }
      deletePods.push(...extraPods(running, surge, hash).map(podKeyOf));
    } else if (!shouldContinueRunning) {
      for (const pod of pods) if (pod.metadata.deletionMs === undefined) deletePods.push(podKeyOf(pod));
    }
  }
  return { createOn, deletePods };
}

/**
 * More than one running pod on a node: without surge all but the oldest go; with surge the oldest
 * new and oldest old stay while the new one is not ready and the old one is, the rest go.
 */
function extraPods(running: readonly Pod[], surge: boolean, hash: string): Pod[] {
  if (running.length <= 1) return [];
  if (!surge) return running.slice(1);
  const extra: Pod[] = [];
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const pod of running) {
    if (isUpdatedPod(pod, hash) && oldestNew === undefined) oldestNew = pod;
    else if (!isUpdatedPod(pod, hash) && oldestOld === undefined) oldestOld = pod;
    else extra.push(pod);
  }
  if (oldestNew !== undefined && oldestOld !== undefined && (!oldestOld.status.ready || oldestNew.status.ready)) extra.push(oldestOld);
  return extra;
}

/** updateDaemonSetStatus: counts over nodes; each node's oldest pod tells ready, available and updated. */
export function daemonSetStatus(view: ClusterView, ds: DaemonSet, spec: PodSpec, podsByNode: ReadonlyMap<string, readonly Pod[]>, hash: string, nowMs: Ms): DaemonSetStatus {
  const s = { ...emptyDaemonSetStatus };
  const minReady = ds.spec.minReadySeconds ?? 0;
  for (const [name, node] of view.nodes) {
    const pods = podsByNode.get(name) ?? [];
    if (!nodeShouldRunDaemonPod(node, ds, spec).shouldRun) {
      if (pods.length > 0) s.numberMisscheduled++;
      continue;
    }
    s.desiredNumberScheduled++;
    const pod = pods[0];
    if (pod === undefined) continue;
    s.currentNumberScheduled++;
    const live = pod.metadata.deletionMs === undefined;
    if (live && pod.status.ready) s.numberReady++;
    if (live && podIsAvailable(pod, minReady, nowMs)) s.numberAvailable++;
    if (isUpdatedPod(pod, hash)) s.updatedNumberScheduled++;
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  if (ds.metadata.generation !== undefined) s.observedGeneration = ds.metadata.generation;
  return s;
}

function sameStatus(a: DaemonSetStatus, b: DaemonSetStatus): boolean {
  return statusId(a) === statusId(b);
}

function statusId(s: DaemonSetStatus): string {
  return [s.desiredNumberScheduled, s.currentNumberScheduled, s.numberMisscheduled, s.numberReady, s.updatedNumberScheduled, s.numberAvailable, s.numberUnavailable, s.observedGeneration ?? ""].join(".");
}

function observe(view: ClusterView, state: DaemonSetControllerState, event: ClusterEvent): Observed<DaemonSetControllerState> {
  switch (event.kind) {
    case "ObjectCreated":
    case "ObjectUpdated":
      return { state, keys: event.object.kind === "DaemonSet" ? [`${event.object.metadata.namespace}/${event.object.metadata.name}`] : [] };
    case "ObjectDeleted":
      if (event.objectKind === "DaemonSet") state.expectations.delete(event.key);
      return { state, keys: event.objectKind === "DaemonSet" ? [event.key] : [] };
    case "DeletionStarted":
      return { state, keys: event.objectKind === "DaemonSet" ? [event.key] : [] };
    case "NodeAdded":
    case "NodeRemoved":
    case "NodeTaintsChanged":
    case "NodeReadyChanged":
      return { state, keys: [...daemonSetsOf(view).keys()].sort() };
    case "PodCreated": {
      const key = ownerKey(event.pod);
      if (key === undefined) return { state, keys: [] };
      state.podOwners.set(podKeyOf(event.pod), key);
      creationObserved(state.expectations, key);
      return { state, keys: [key] };
    }
    case "PodDeleting":
    case "PodRemoved": {
      const key = state.podOwners.get(event.key);
      if (key === undefined) return { state, keys: [] };
      deletionObserved(state.expectations, key, event.key);
      if (event.kind === "PodRemoved") state.podOwners.delete(event.key);
      return { state, keys: [key] };
    }
    case "PodBound":
    case "PodRunning":
    case "PodReadyChanged":
    case "PodFailed": {
      const key = state.podOwners.get(event.key);
      return { state, keys: key === undefined ? [] : [key] };
    }
    default:
      return { state, keys: [] };
  }
}

function reconcile(view: ClusterView, state: DaemonSetControllerState, key: string, nowMs: Ms, prng: Prng): Reconciled<DaemonSetControllerState> {
  const ds = daemonSetsOf(view).get(key);
  if (ds === undefined) {
    state.expectations.delete(key);
    state.failures.delete(key);
    state.prngs.delete(key);
    return reconciled(state);
  }
  if (state.inFlight.has(key)) {
    state.dirtyWhileBusy.add(key);
    return reconciled(state);
  }
  // daemon_controller.go syncDaemonSet: the status of a DaemonSet being deleted cannot be computed reliably; nothing is done.
  if (ds.metadata.deletionMs !== undefined) return reconciled(state);
  const hash = templateHash(ds);
  const spec = daemonPodSpec(ds);
  const podsByNode = podsByNodeOf(view, ds);
  const decisions: Decision[] = [];
  if (expectationsSatisfied(state.expectations, key, nowMs)) {
    let sync = manage(view, ds, spec, podsByNode, hash);
    if (sync.createOn.length === 0 && sync.deletePods.length === 0 && ds.spec.updateStrategy.type === "RollingUpdate") sync = rollingUpdate(ds, desiredPodsByNode(view, ds, spec, podsByNode), desiredCount(view, ds, spec), hash, nowMs);
    if (sync.createOn.length > 0 || sync.deletePods.length > 0) startSync(view, state, ds, key, sync, nowMs, prngFor(state, prng, key), decisions);
  }
  const status = daemonSetStatus(view, ds, spec, podsByNode, hash, nowMs);
  if (!sameStatus(status, ds.status)) decisions.push({ kind: "UpdateObjectStatus", id: `ds-status/${key}/${ds.metadata.resourceVersion ?? 0}/${statusId(status)}`, objectKind: "DaemonSet", key, status });
  return reconciled(state, decisions, availabilityRequeue(ds, podsByNode, key, nowMs));
}

function desiredCount(view: ClusterView, ds: DaemonSet, spec: PodSpec): number {
  let n = 0;
  for (const node of view.nodes.values()) if (nodeShouldRunDaemonPod(node, ds, spec).shouldRun) n++;
  return n;
}

/** The pods per node with an empty entry for every node that should run one (updatedDesiredNodeCounts). */
function desiredPodsByNode(view: ClusterView, ds: DaemonSet, spec: PodSpec, podsByNode: ReadonlyMap<string, readonly Pod[]>): Map<string, readonly Pod[]> {
  const out = new Map<string, readonly Pod[]>(podsByNode);
  for (const [name, node] of view.nodes) if (!out.has(name) && nodeShouldRunDaemonPod(node, ds, spec).shouldRun) out.set(name, []);
  return out;
}

/** Ready pods become available minReadySeconds later: look again then. */
function availabilityRequeue(ds: DaemonSet, podsByNode: ReadonlyMap<string, readonly Pod[]>, key: string, nowMs: Ms): { key: string; afterMs: Ms }[] {
  const minReadyMs = (ds.spec.minReadySeconds ?? 0) * 1000;
  if (minReadyMs === 0) return [];
  let soonest = Infinity;
  for (const pods of podsByNode.values()) {
    for (const pod of pods) {
      if (pod.status.ready && pod.status.readyMs !== undefined && pod.status.readyMs + minReadyMs > nowMs) soonest = Math.min(soonest, pod.status.readyMs + minReadyMs);
    }
  }
  return soonest === Infinity ? [] : [{ key, afterMs: soonest - nowMs }];
}

/** syncNodes: expectations for every create and delete, at most burstReplicas creates, the first batch issued. */
function startSync(view: ClusterView, state: DaemonSetControllerState, ds: DaemonSet, key: string, sync: NodeSync, nowMs: Ms, prng: Prng, out: Decision[]): void {
  const createOn = sync.createOn.slice(0, daemonSetBurstReplicas);
  state.expectations.set(key, { adds: createOn.length, deletes: new Set(sync.deletePods), setMs: nowMs });
  const flight: InFlight = { createOn, batchSize: Math.min(createOn.length, slowStartInitialBatchSize), deletePods: sync.deletePods, unanswered: 0, failed: false };
  state.inFlight.set(key, flight);
  issueNext(view, state, key, ds, flight, nowMs, prng, out);
}

/** The next create batch, or — once every create is answered — the deletes. */
function issueNext(view: ClusterView, state: DaemonSetControllerState, key: string, ds: DaemonSet, flight: InFlight, nowMs: Ms, prng: Prng, out: Decision[]): void {
  const first = out.length;
  issueWrites(view, ds, flight, nowMs, prng, out);
  for (const d of out.slice(first)) state.writes.set(d.id, key);
}

function issueWrites(view: ClusterView, ds: DaemonSet, flight: InFlight, nowMs: Ms, prng: Prng, out: Decision[]): void {
  const spec = daemonPodSpec(ds);
  const hash = templateHash(ds);
  if (flight.createOn.length > 0 && !flight.failed) {
    const batch = flight.createOn.splice(0, flight.batchSize);
    const taken = new Set<string>();
    for (const node of batch) out.push(createPodDecision(view, ds, node, spec, hash, nowMs, prng, taken));
    flight.unanswered = batch.length;
    return;
  }
  const deletes = flight.deletePods.splice(0);
  for (const podKey of deletes) {
    const uid = view.pods.get(podKey)?.metadata.uid ?? "";
    out.push({ kind: "DeletePod", id: `delete/${podKey}/${uid}`, podKey, reason: "DaemonSet" });
  }
  flight.unanswered = deletes.length;
}

function onResult(view: ClusterView, state: DaemonSetControllerState, decision: Decision, result: WriteResult, nowMs: Ms, prng: Prng): Reconciled<DaemonSetControllerState> {
  const key = state.writes.get(decision.id);
  state.writes.delete(decision.id);
  const flight = key === undefined ? undefined : state.inFlight.get(key);
  if (key === undefined || flight === undefined) return reconciled(state);
  flight.unanswered--;
  if (!result.ok) {
    flight.failed = true;
    if (decision.kind === "CreatePod") creationObserved(state.expectations, key);
    else if (decision.kind === "DeletePod") deletionObserved(state.expectations, key, decision.podKey);
  }
  if (flight.unanswered > 0) return reconciled(state);
  const ds = daemonSetsOf(view).get(key);
  if (ds !== undefined && (flight.createOn.length > 0 || flight.deletePods.length > 0)) {
    // Skipped creates (after a failure) are no longer expected; the deletes still go out.
    if (flight.failed) for (const _ of flight.createOn.splice(0)) creationObserved(state.expectations, key);
    flight.batchSize = Math.min(2 * flight.batchSize, flight.createOn.length);
    const decisions: Decision[] = [];
    issueNext(view, state, key, ds, flight, nowMs, prngFor(state, prng, key), decisions);
    if (decisions.length > 0) return reconciled(state, decisions);
  }
  return finishSync(state, key, flight);
}

function finishSync(state: DaemonSetControllerState, key: string, flight: InFlight): Reconciled<DaemonSetControllerState> {
  state.inFlight.delete(key);
  for (const _ of flight.createOn) creationObserved(state.expectations, key);
  const resync = state.dirtyWhileBusy.delete(key);
  return syncFinished(state, state.failures, key, flight.failed, resync);
}

/** upstream NewPod + CreatePodsWithGenerateName: the template, the daemon tolerations, pinned to the node, labelled with the revision. */
function createPodDecision(view: ClusterView, ds: DaemonSet, nodeName: string, spec: PodSpec, hash: string, nowMs: Ms, prng: Prng, taken: Set<string>): Decision {
  let name = "";
  do {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += suffixAlphabet[prng.int(0, suffixAlphabet.length)];
    name = `${ds.metadata.name}-${suffix}`;
  } while (view.pods.has(`${ds.metadata.namespace}/${name}`) || taken.has(name));
  taken.add(name);
  const t = ds.spec.template;
  const podSpec = structuredClone(spec);
  podSpec.affinity = pinnedAffinity(podSpec.affinity, nodeName);
  const pod: Pod = {
    kind: "Pod",
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      uid: "",
      labels: { ...t.labels, [revisionHashLabel]: hash },
      ...(t.annotations !== undefined ? { annotations: { ...t.annotations } } : {}),
      ownerReferences: [{ kind: "DaemonSet", name: ds.metadata.name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }],
      creationMs: nowMs,
    },
    spec: podSpec,
    status: { phase: "Pending", ready: false },
  };
  return { kind: "CreatePod", id: `create/${ds.metadata.namespace}/${name}`, pod };
}

export const daemonSetController: Controller<DaemonSetControllerState> = {
  name: "daemonset",
  initialState: () => ({ expectations: new Map(), inFlight: new Map(), failures: new Map(), podOwners: new Map(), dirtyWhileBusy: new Set(), prngs: new Map(), writes: new Map() }),
  observe,
  reconcile,
  onResult,
};
