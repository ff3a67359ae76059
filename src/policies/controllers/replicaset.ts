/**
 * ReplicaSet controller (upstream pkg/controller/replicaset/replica_set.go), in the one controller
 * pattern (../controller.ts) — the example every other controller copies:
 *  - observe: pod events lower the expectations of their ReplicaSet and mark it dirty;
 *  - reconcile: when expectations are satisfied, create the missing pods (at most burstReplicas)
 *    by slowStartBatch — batches of 1, 2, 4, … each waiting for the previous one's answers and
 *    stopping at the first error, the skipped creates no longer expected — or delete the extra ones
 *    ranked as upstream (pods-to-delete.ts); then write status when it changed; requeue after
 *    minReadySeconds when pods are ready but not yet available;
 *  - onResult: drive the batches; a failed sync is retried by the rate-limited queue (5 ms
 *    doubling to 1000 s, DefaultControllerRateLimiter's per-item part), a clean one forgets it.
 * State: expectations, the batch in flight per ReplicaSet, failure streaks, and the informer
 * cache's pod → owner map (a removed pod's event carries only its key).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import type { Pod, ReplicaSet, ReplicaSetStatus } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import {
  creationObserved, deletionObserved, expectCreations, expectDeletions, expectationsSatisfied, type Expectations,
} from "./expectations.ts";
import { controllerKeyOf, controllerOf, objectPrng, podIsActive, podIsAvailable, podKeyOf, replicaSetsOwnedBy } from "./ownership.ts";
import { podsToDelete } from "./pods-to-delete.ts";
import { syncFinished } from "./rate-limit.ts";

/** Upstream's burstReplicas: at most this many creations or deletions per sync. */
export const burstReplicas = 500;
/** Upstream's SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** The writes of one sync still in flight: a slow-start create sequence or a set of deletes. */
interface InFlight {
  kind: "create" | "delete";
  /** Creates not yet issued. */
  remaining: number;
  batchSize: number;
  /** Writes issued, not yet answered. */
  unanswered: number;
  failed: boolean;
}

export interface ReplicaSetControllerState {
  expectations: Expectations;
  inFlight: Map<string, InFlight>;
  failures: Map<string, number>;
  podOwners: Map<string, string>;
  /** Keys that became dirty while their writes were in flight: reconciled once they are done. */
  dirtyWhileBusy: Set<string>;
  /** One name stream per ReplicaSet (pod name suffixes), forked from the controller's stream. */
  prngs: Map<string, Prng>;
}

const prngFor = (state: ReplicaSetControllerState, root: Prng, key: string): Prng => objectPrng(state.prngs, root, "replicaset", key);

export function ownedPods(view: ClusterView, rs: ReplicaSet): Pod[] {
  const out: Pod[] = [];
  for (const key of view.podsByOwner.get(rs.metadata.uid) ?? []) {
    const pod = view.pods.get(key);
    if (pod) out.push(pod);
  }
  return out;
}

/** Pods of every ReplicaSet sharing this one's controller (a Deployment's old and new sets): upstream getIndirectlyRelatedPods. */
function relatedPods(view: ClusterView, rs: ReplicaSet): Pod[] {
  const owner = controllerOf(rs.metadata);
  if (owner === undefined) return ownedPods(view, rs);
  const out: Pod[] = [];
  for (const other of replicaSetsOwnedBy(view, owner.uid)) {
    if (other.metadata.namespace === rs.metadata.namespace && controllerOf(other.metadata)?.uid === owner.uid) out.push(...ownedPods(view, other));
  }
  return out;
}

const ownerKey = (pod: Pod): string | undefined => controllerKeyOf(pod, "ReplicaSet");

function observe(_view: ClusterView, state: ReplicaSetControllerState, event: ClusterEvent): Observed<ReplicaSetControllerState> {
  switch (event.kind) {
    case "ReplicaSetCreated":
      return { state, keys: [`${event.replicaSet.metadata.namespace}/${event.replicaSet.metadata.name}`] };
    case "ReplicaSetScaled":
      return { state, keys: [event.key] };
    case "DeletionStarted":
      return { state, keys: event.objectKind === "ReplicaSet" ? [event.key] : [] };
    case "OwnerReferencesChanged": {
      // An orphaned pod is no longer the set's (its informer's controller lookup follows the reference).
      const rsKey = event.objectKind === "Pod" ? state.podOwners.get(event.key) : undefined;
      if (rsKey === undefined || event.ownerReferences.some((r) => r.controller === true && r.kind === "ReplicaSet")) return { state, keys: [] };
      state.podOwners.delete(event.key);
      return { state, keys: [rsKey] };
    }
    case "ReplicaSetRemoved":
      state.expectations.delete(event.key);
      return { state, keys: [] };
    case "PodCreated": {
      const rsKey = ownerKey(event.pod);
      if (rsKey === undefined) return { state, keys: [] };
      state.podOwners.set(podKeyOf(event.pod), rsKey);
      creationObserved(state.expectations, rsKey);
      return { state, keys: [rsKey] };
    }
    case "PodDeleting":
    case "PodRemoved": {
      const rsKey = state.podOwners.get(event.key);
      if (rsKey === undefined) return { state, keys: [] };
      deletionObserved(state.expectations, rsKey, event.key);
      if (event.kind === "PodRemoved") state.podOwners.delete(event.key);
      return { state, keys: [rsKey] };
    }
    case "PodRunning":
    case "PodReadyChanged":
    case "ContainerExited":
    case "PodFailed": {
      const rsKey = state.podOwners.get(event.key);
      return { state, keys: rsKey === undefined ? [] : [rsKey] };
    }
    default:
      return { state, keys: [] };
  }
}

function reconcile(view: ClusterView, state: ReplicaSetControllerState, key: string, nowMs: Ms, prng: Prng): Reconciled<ReplicaSetControllerState> {
  const rs = view.replicaSets.get(key);
  if (!rs) {
    state.expectations.delete(key);
    state.failures.delete(key);
    state.prngs.delete(key);
    return reconciled(state);
  }
  if (state.inFlight.has(key)) {
    state.dirtyWhileBusy.add(key);
    return reconciled(state);
  }
  const pods = ownedPods(view, rs);
  const active = pods.filter(podIsActive);
  const decisions: Decision[] = [];
  // replica_set.go: `rsNeedsSync && rs.DeletionTimestamp == nil` — a set being deleted makes and deletes no pods.
  if (rs.metadata.deletionMs === undefined && expectationsSatisfied(state.expectations, key, nowMs)) manageReplicas(view, state, rs, key, active, nowMs, prngFor(state, prng, key), decisions);
  const status = replicaSetStatus(rs, pods, nowMs);
  if (!sameStatus(status, rs.status)) decisions.push({ kind: "UpdateReplicaSetStatus", id: `rs-status/${key}/${rs.metadata.resourceVersion ?? 0}/${statusId(status)}`, key, status });
  const minReady = rs.spec.minReadySeconds ?? 0;
  const waitingAvailable = minReady > 0 && status.readyReplicas === rs.spec.replicas && status.availableReplicas !== rs.spec.replicas;
  return reconciled(state, decisions, waitingAvailable ? [{ key, afterMs: minReady * 1000 }] : []);
}

function manageReplicas(view: ClusterView, state: ReplicaSetControllerState, rs: ReplicaSet, key: string, active: Pod[], nowMs: Ms, prng: Prng, out: Decision[]): void {
  const diff = rs.spec.replicas - active.length;
  if (diff > 0) {
    const count = Math.min(diff, burstReplicas);
    expectCreations(state.expectations, key, count, nowMs);
    const flight: InFlight = { kind: "create", remaining: count, batchSize: Math.min(count, slowStartInitialBatchSize), unanswered: 0, failed: false };
    state.inFlight.set(key, flight);
    issueCreates(view, rs, flight, nowMs, prng, out);
  } else if (diff < 0) {
    const victims = podsToDelete(active, relatedPods(view, rs), Math.min(-diff, burstReplicas), nowMs);
    expectDeletions(state.expectations, key, victims.map(podKeyOf), nowMs);
    state.inFlight.set(key, { kind: "delete", remaining: 0, batchSize: victims.length, unanswered: victims.length, failed: false });
    for (const pod of victims) out.push({ kind: "DeletePod", id: `delete/${podKeyOf(pod)}/${pod.metadata.uid}`, podKey: podKeyOf(pod), reason: "ScaleDown" });
  }
}

function issueCreates(view: ClusterView, rs: ReplicaSet, flight: InFlight, nowMs: Ms, prng: Prng, out: Decision[]): void {
  const taken = new Set<string>();
  for (let i = 0; i < flight.batchSize; i++) out.push(createPodDecision(view, rs, nowMs, prng, taken));
  flight.remaining -= flight.batchSize;
  flight.unanswered = flight.batchSize;
}

function onResult(view: ClusterView, state: ReplicaSetControllerState, decision: Decision, result: WriteResult, nowMs: Ms, prng: Prng): Reconciled<ReplicaSetControllerState> {
  const key = decision.kind === "CreatePod" ? ownerKey(decision.pod) : decision.kind === "DeletePod" ? state.podOwners.get(decision.podKey) : undefined;
  const flight = key === undefined ? undefined : state.inFlight.get(key);
  if (key === undefined || flight === undefined) return reconciled(state);
  flight.unanswered--;
  if (!result.ok) {
    flight.failed = true;
    // The informer will never see a create or delete that did not happen.
    if (decision.kind === "CreatePod") creationObserved(state.expectations, key);
    else if (decision.kind === "DeletePod") deletionObserved(state.expectations, key, decision.podKey);
  }
  if (flight.unanswered > 0) return reconciled(state);
  const rs = view.replicaSets.get(key);
  if (!flight.failed && flight.kind === "create" && flight.remaining > 0 && rs !== undefined) {
    flight.batchSize = Math.min(2 * flight.batchSize, flight.remaining);
    const decisions: Decision[] = [];
    issueCreates(view, rs, flight, nowMs, prngFor(state, prng, key), decisions);
    return reconciled(state, decisions);
  }
  return finishSync(state, key, flight);
}

/** The end of a sync's writes: skipped creates are no longer expected; a failure is retried rate-limited. */
function finishSync(state: ReplicaSetControllerState, key: string, flight: InFlight): Reconciled<ReplicaSetControllerState> {
  state.inFlight.delete(key);
  for (let i = 0; i < flight.remaining; i++) creationObserved(state.expectations, key);
  const resync = state.dirtyWhileBusy.delete(key);
  return syncFinished(state, state.failures, key, flight.failed, resync);
}

function createPodDecision(view: ClusterView, rs: ReplicaSet, nowMs: Ms, prng: Prng, taken: Set<string>): Decision {
  let name = "";
  do {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += suffixAlphabet[prng.int(0, suffixAlphabet.length)];
    name = `${rs.metadata.name}-${suffix}`;
  } while (view.pods.has(`${rs.metadata.namespace}/${name}`) || taken.has(name));
  taken.add(name);
  const t = rs.spec.template;
  const pod: Pod = {
    kind: "Pod",
    metadata: {
      name,
      namespace: rs.metadata.namespace,
      uid: "",
      labels: { ...t.labels },
      ...(t.annotations !== undefined ? { annotations: { ...t.annotations } } : {}),
      ownerReferences: [{ kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
      creationMs: nowMs,
    },
    spec: JSON.parse(JSON.stringify(t.spec)) as Pod["spec"],
    status: { phase: "Pending", ready: false },
  };
  return { kind: "CreatePod", id: `create/${rs.metadata.namespace}/${name}`, pod };
}

export function replicaSetStatus(rs: ReplicaSet, pods: Pod[], nowMs: number): ReplicaSetStatus {
  let replicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  const minReady = rs.spec.minReadySeconds ?? 0;
  for (const pod of pods) {
    if (!podIsActive(pod)) continue;
    replicas++;
    if (pod.status.ready) readyReplicas++;
    if (podIsAvailable(pod, minReady, nowMs)) availableReplicas++;
  }
  return { replicas, readyReplicas, availableReplicas };
}

function sameStatus(a: ReplicaSetStatus, b: ReplicaSetStatus): boolean {
  return a.replicas === b.replicas && a.readyReplicas === b.readyReplicas && a.availableReplicas === b.availableReplicas;
}

function statusId(s: ReplicaSetStatus): string {
  return `${s.replicas}.${s.readyReplicas}.${s.availableReplicas}`;
}

export { sameStatus as sameReplicaStatus, statusId as replicaStatusId };

export const replicaSetController: Controller<ReplicaSetControllerState> = {
  name: "replicaset",
  initialState: () => ({ expectations: new Map(), inFlight: new Map(), failures: new Map(), podOwners: new Map(), dirtyWhileBusy: new Set(), prngs: new Map() }),
  observe,
  reconcile,
  onResult,
};
