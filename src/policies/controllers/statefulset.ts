/**
 * StatefulSet controller (upstream pkg/controller/statefulset/stateful_set_control.go,
 * updateStatefulSet / processReplica / processCondemned, and stateful_set_status_updater.go), in
 * the one controller pattern (../controller.ts), shaped like the ReplicaSet controller:
 *  - replicas 0..n-1 in ordinal order: a missing one gets its claims (if any is missing) and then
 *    its pod; a Failed or Succeeded one is deleted (and recreated next sync); OrderedReady waits
 *    on the first pod that is missing, terminating, or not Running and Ready (and available after
 *    minReadySeconds); Parallel goes on;
 *  - condemned pods (ordinal ≥ n) deleted highest ordinal first, one at a time under OrderedReady
 *    (waiting while one terminates, or on an unhealthy pod other than the first unhealthy one),
 *    all at once under Parallel;
 *  - RollingUpdate: from the highest ordinal down to the partition, the first pod not at the
 *    update revision is deleted (recreated at the update revision), waiting until each is healthy;
 *    pods below the partition are recreated at the current revision. OnDelete recreates deleted
 *    pods at the update revision and deletes nothing;
 *  - claims are never deleted with their pod (persistentVolumeClaimRetentionPolicy Retain); with
 *    whenScaled Delete the claims of ordinals ≥ n go once their pod is gone;
 *  - status: replicas, ready/available, current/updated counts and revisions; the rollout is
 *    complete (currentRevision := updateRevision) once every pod is updated and ready.
 * One sync's writes are in flight together; the key is reconciled again when they are answered
 * (a created claim is followed by its pod), failures retried rate-limited as the ReplicaSet's.
 * State: writes in flight, failure streaks, and the templates of revisions seen (the twin's
 * stand-in for ControllerRevision objects, so pods below the partition keep the old template).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import type { Pod, PodTemplate } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { StatefulSet, StatefulSetStatus } from "../../model/stateful-set.ts";
import { ordinalOfPodName } from "../../model/stateful-set.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import { controllerKeyOf, controllerOf, podIsAvailable, podKeyOf } from "./ownership.ts";
import { syncFinished } from "./rate-limit.ts";
import { claimsFor, newStatefulSetPod, ordinalOf, podRevision, revisionOf } from "./statefulset-identity.ts";

interface InFlight {
  unanswered: number;
  failed: boolean;
  /** Claims were created: the pods that mount them come on the next sync. */
  claimsCreated: boolean;
}

export interface StatefulSetControllerState {
  inFlight: Map<string, InFlight>;
  /** decision id → set key, for the writes in flight. */
  decisionOwners: Map<string, string>;
  failures: Map<string, number>;
  dirtyWhileBusy: Set<string>;
  /** set key → revision → template (ControllerRevision stand-in). */
  revisions: Map<string, Map<string, PodTemplate>>;
  /** pod key → set key (a removed pod's event carries only its key). */
  podOwners: Map<string, string>;
}

const setKeyOf = (set: StatefulSet): string => `${set.metadata.namespace}/${set.metadata.name}`;

const ownerKey = (pod: Pod): string | undefined => controllerKeyOf(pod, "StatefulSet");

export function statefulSetOf(view: ClusterView, key: string): StatefulSet | undefined {
  return storedObjectsOf(view, "StatefulSet").get(key);
}

export function statefulSetPods(view: ClusterView, set: StatefulSet): Pod[] {
  const out: Pod[] = [];
  for (const key of view.podsByOwner.get(set.metadata.uid) ?? []) {
    const pod = view.pods.get(key);
    if (pod !== undefined && ordinalOf(set, pod) >= 0) out.push(pod);
  }
  return out.sort((a, b) => ordinalOf(set, a) - ordinalOf(set, b));
}

const isTerminating = (pod: Pod): boolean => pod.metadata.deletionMs !== undefined;
const isFinished = (pod: Pod): boolean => pod.status.phase === "Failed" || pod.status.phase === "Succeeded";
const isRunningAndReady = (pod: Pod): boolean => pod.status.phase === "Running" && pod.status.ready;

/** upstream isHealthy: running, ready (and available after minReadySeconds), not terminating. */
function isHealthy(set: StatefulSet, pod: Pod, nowMs: Ms): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod) && podIsAvailable(pod, set.spec.minReadySeconds ?? 0, nowMs);
}

function observe(_view: ClusterView, state: StatefulSetControllerState, event: ClusterEvent): Observed<StatefulSetControllerState> {
  switch (event.kind) {
    case "ObjectCreated":
    case "ObjectUpdated":
      return { state, keys: event.object.kind === "StatefulSet" ? [setKeyOf(event.object)] : [] };
    case "ObjectDeleted":
    case "DeletionStarted":
      return { state, keys: event.objectKind === "StatefulSet" ? [event.key] : [] };
    case "PodCreated": {
      const key = ownerKey(event.pod);
      if (key === undefined) return { state, keys: [] };
      state.podOwners.set(podKeyOf(event.pod), key);
      return { state, keys: [key] };
    }
    case "PodDeleting":
    case "PodRemoved":
    case "PodRunning":
    case "PodReadyChanged":
    case "PodFailed": {
      const key = state.podOwners.get(event.key);
      if (event.kind === "PodRemoved") state.podOwners.delete(event.key);
      return { state, keys: key === undefined ? [] : [key] };
    }
    default:
      return { state, keys: [] };
  }
}

/** What one sync decides for a set. `waitMs`: recheck then (a pod becoming available). */
export interface SyncPlan {
  decisions: Decision[];
  claimsCreated: boolean;
  waitMs?: Ms;
}

/** upstream updateStatefulSet, over the set's pods as the view shows them. */
export function planSync(view: ClusterView, set: StatefulSet, templates: ReadonlyMap<string, PodTemplate>, nowMs: Ms): SyncPlan {
  const plan: SyncPlan = { decisions: [], claimsCreated: false };
  const n = set.spec.replicas;
  const pods = statefulSetPods(view, set);
  const replicas: (Pod | undefined)[] = new Array<Pod | undefined>(n).fill(undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal < n) replicas[ordinal] = pod;
    else condemned.push(pod);
  }
  condemned.reverse();
  const monotonic = set.spec.podManagementPolicy === "OrderedReady";
  const updateRevision = revisionOf(set);
  const currentRevision = set.status.currentRevision ?? updateRevision;
  const firstUnhealthy = [...replicas, ...condemned].find((p) => p === undefined || !isHealthy(set, p, nowMs));
  const wait = (pod: Pod | undefined): void => {
    const readyMs = pod?.status.readyMs;
    const minReadyMs = (set.spec.minReadySeconds ?? 0) * 1000;
    if (pod !== undefined && isRunningAndReady(pod) && readyMs !== undefined && minReadyMs > 0) plan.waitMs = Math.max(0, readyMs + minReadyMs - nowMs);
  };

  for (let ordinal = 0; ordinal < n; ordinal++) {
    const pod = replicas[ordinal];
    if (pod === undefined) {
      createReplica(view, set, ordinal, templates, currentRevision, updateRevision, nowMs, plan);
      if (monotonic) return plan;
      continue;
    }
    if (isFinished(pod) && !isTerminating(pod)) {
      plan.decisions.push(deletePod(pod, "StatefulSetPodFailed"));
      if (monotonic) return plan;
      continue;
    }
    if (monotonic && !isHealthy(set, pod, nowMs)) {
      wait(pod);
      return plan;
    }
  }
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return plan;
      continue;
    }
    if (monotonic && !isHealthy(set, pod, nowMs) && pod !== firstUnhealthy) return plan;
    plan.decisions.push(deletePod(pod, "ScaleDown"));
    if (monotonic) return plan;
  }
  deleteScaledClaims(view, set, pods, plan);
  if (set.spec.updateStrategy.type !== "RollingUpdate") return plan;
  for (let target = n - 1; target >= set.spec.updateStrategy.partition; target--) {
    const pod = replicas[target];
    if (pod === undefined) return plan;
    if (podRevision(pod) !== updateRevision && !isTerminating(pod)) {
      plan.decisions.push(deletePod(pod, "RollingUpdate"));
      return plan;
    }
    if (!isHealthy(set, pod, nowMs)) {
      wait(pod);
      return plan;
    }
  }
  return plan;
}

/**
 * The claims of replica `ordinal` first (upstream createPersistentVolumeClaims), then its pod:
 * while claims are being created the pod waits for the next sync, so it never reaches the
 * scheduler before its claims (which would find it "persistentvolumeclaim not found").
 */
function createReplica(
  view: ClusterView, set: StatefulSet, ordinal: number, templates: ReadonlyMap<string, PodTemplate>,
  currentRevision: string, updateRevision: string, nowMs: Ms, plan: SyncPlan,
): void {
  const missing = claimsFor(set, ordinal).filter((c) => !view.persistentVolumeClaims.has(`${c.metadata.namespace}/${c.metadata.name}`));
  for (const claim of missing) plan.decisions.push({ kind: "CreateObject", id: `statefulset-claim/${claim.metadata.namespace}/${claim.metadata.name}/${set.metadata.uid}/${nowMs}`, object: claim });
  if (missing.length > 0) {
    plan.claimsCreated = true;
    return;
  }
  // upstream newVersionedStatefulSetPod: below the partition, the current revision.
  const belowPartition = set.spec.updateStrategy.type === "RollingUpdate" && ordinal < set.spec.updateStrategy.partition;
  const oldTemplate = belowPartition ? templates.get(currentRevision) : undefined;
  const pod = oldTemplate !== undefined ? newStatefulSetPod(set, oldTemplate, currentRevision, ordinal, nowMs) : newStatefulSetPod(set, set.spec.template, updateRevision, ordinal, nowMs);
  plan.decisions.push({ kind: "CreatePod", id: `statefulset-create/${podKeyOf(pod)}/${set.metadata.uid}/${nowMs}`, pod });
}

function deletePod(pod: Pod, reason: string): Decision {
  return { kind: "DeletePod", id: `delete/${podKeyOf(pod)}/${pod.metadata.uid}`, podKey: podKeyOf(pod), reason };
}

/** whenScaled Delete: claims of ordinals ≥ replicas go once no pod of that ordinal is left. */
function deleteScaledClaims(view: ClusterView, set: StatefulSet, pods: readonly Pod[], plan: SyncPlan): void {
  if (set.spec.persistentVolumeClaimRetentionPolicy.whenScaled !== "Delete") return;
  const ordinals = new Set(pods.map((p) => ordinalOf(set, p)));
  for (const [key, claim] of view.persistentVolumeClaims) {
    if (claim.metadata.namespace !== set.metadata.namespace) continue;
    for (const t of set.spec.volumeClaimTemplates) {
      const ordinal = ordinalOfPodName(`${t.metadata.name}-${set.metadata.name}`, claim.metadata.name);
      if (ordinal >= set.spec.replicas && !ordinals.has(ordinal)) {
        plan.decisions.push({ kind: "DeleteObject", id: `statefulset-claim-delete/${key}/${claim.metadata.uid}`, objectKind: "PersistentVolumeClaim", key });
      }
    }
  }
}

/** upstream updateStatefulSetStatus with completeRollingUpdate. */
export function statefulSetStatus(set: StatefulSet, pods: readonly Pod[], nowMs: Ms): StatefulSetStatus {
  const updateRevision = revisionOf(set);
  const currentRevision = set.status.currentRevision ?? updateRevision;
  const status: StatefulSetStatus = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0, currentRevision, updateRevision };
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    status.replicas++;
    if (isRunningAndReady(pod)) status.readyReplicas++;
    if (isRunningAndReady(pod) && podIsAvailable(pod, set.spec.minReadySeconds ?? 0, nowMs)) status.availableReplicas++;
    if (podRevision(pod) === currentRevision) status.currentReplicas++;
    if (podRevision(pod) === updateRevision) status.updatedReplicas++;
  }
  const complete = set.spec.updateStrategy.type === "RollingUpdate" && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas;
  if (complete) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = updateRevision;
  }
  return status;
}

function sameStatus(a: StatefulSetStatus, b: StatefulSetStatus): boolean {
  return canonical(a) === canonical(b);
}

function canonical(s: StatefulSetStatus): string {
  return `${s.replicas}.${s.readyReplicas}.${s.availableReplicas}.${s.currentReplicas}.${s.updatedReplicas}.${s.currentRevision ?? ""}.${s.updateRevision ?? ""}`;
}

function rememberRevision(state: StatefulSetControllerState, key: string, set: StatefulSet): void {
  let byRevision = state.revisions.get(key);
  if (byRevision === undefined) {
    byRevision = new Map();
    state.revisions.set(key, byRevision);
  }
  byRevision.set(revisionOf(set), set.spec.template);
}

function reconcile(view: ClusterView, state: StatefulSetControllerState, key: string, nowMs: Ms): Reconciled<StatefulSetControllerState> {
  const set = statefulSetOf(view, key);
  if (set === undefined) {
    state.failures.delete(key);
    state.revisions.delete(key);
    return reconciled(state);
  }
  if (state.inFlight.has(key)) {
    state.dirtyWhileBusy.add(key);
    return reconciled(state);
  }
  rememberRevision(state, key, set);
  // stateful_set_control.go updateStatefulSet: a set being deleted gets its status updated and nothing else.
  const plan = set.metadata.deletionMs === undefined ? planSync(view, set, state.revisions.get(key) ?? new Map(), nowMs) : ({ decisions: [], claimsCreated: false } satisfies SyncPlan as SyncPlan);
  if (plan.decisions.length > 0) {
    state.inFlight.set(key, { unanswered: plan.decisions.length, failed: false, claimsCreated: plan.claimsCreated });
    for (const d of plan.decisions) state.decisionOwners.set(d.id, key);
  }
  const decisions = [...plan.decisions];
  const status = statefulSetStatus(set, statefulSetPods(view, set), nowMs);
  if (!sameStatus(status, set.status)) {
    const version = set.metadata.resourceVersion ?? 0;
    decisions.push({ kind: "UpdateObjectStatus", id: `statefulset-status/${key}/${version}/${canonical(status)}`, objectKind: "StatefulSet", key, status, basedOnVersion: version });
  }
  return reconciled(state, decisions, plan.waitMs !== undefined ? [{ key, afterMs: plan.waitMs }] : []);
}

function onResult(_view: ClusterView, state: StatefulSetControllerState, decision: Decision, result: WriteResult): Reconciled<StatefulSetControllerState> {
  const key = state.decisionOwners.get(decision.id);
  const flight = key === undefined ? undefined : state.inFlight.get(key);
  if (key === undefined || flight === undefined) return reconciled(state);
  state.decisionOwners.delete(decision.id);
  flight.unanswered--;
  if (!result.ok) flight.failed = true;
  if (flight.unanswered > 0) return reconciled(state);
  state.inFlight.delete(key);
  const resync = state.dirtyWhileBusy.delete(key) || flight.claimsCreated;
  return syncFinished(state, state.failures, key, flight.failed, resync);
}

export const statefulSetController: Controller<StatefulSetControllerState> = {
  name: "statefulset",
  initialState: () => ({ inFlight: new Map(), decisionOwners: new Map(), failures: new Map(), dirtyWhileBusy: new Set(), revisions: new Map(), podOwners: new Map() }),
  observe,
  reconcile,
  onResult,
};
