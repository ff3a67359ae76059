/**
 * One observed change of a live object → the ClusterEvents that carry it into the event log, each
 * marked exogenous (from outside the cluster's control loops: a user, CI, an outside system) or
 * endogenous (the cluster's own doing). The diff is taken against the recorder's own state (the
 * log folded with `evolve`), not the informer's previous object, so every event applies cleanly
 * when a reader folds the log again (no pod bound twice, no object created twice).
 *
 * What is exogenous, as upstream divides the work:
 *  - created, deleted, spec changed: exogenous, unless the object has a controller owner
 *    (ownerReferences with controller: true — a Deployment's ReplicaSets, a ReplicaSet's pods, a
 *    CronJob's Jobs are the controllers' doing, pkg/controller/controller_ref_manager.go);
 *  - replicas of a workload an HorizontalPodAutoscaler targets: endogenous (the HPA controller
 *    writes the scale subresource, pkg/controller/podautoscaler/horizontal.go);
 *  - nodes joining and leaving, cordons (spec.unschedulable: kubectl cordon/drain,
 *    staging/src/k8s.io/kubectl/pkg/drain/cordon.go): exogenous; a
 *    node's Ready condition (the kubelet) and the taints the node lifecycle controller, the cloud
 *    node controller and the cluster autoscaler manage (`node.kubernetes.io/…`, upstream's
 *    staging/src/k8s.io/api/core/v1/well_known_taints.go; `node.cloudprovider.kubernetes.io/…`;
 *    `ToBeDeletedByClusterAutoscaler`, `DeletionCandidateOfClusterAutoscaler`): endogenous, other
 *    taints exogenous (kubectl taint);
 *  - bindings, pod phases, readiness, restarts, every status, leases: endogenous; a lease that
 *    was only renewed (a node heartbeat, every 10 s per node) is not recorded at all, only counted.
 * A change no event expresses (a Deployment's strategy, a node's labels, a namespace deleted) is
 * named in `unrecorded`, never guessed into another event.
 */
import type { KubeObject } from "../k8s/kinds.ts";
import { canonicalJson } from "../model/canonical.ts";
import type { ClusterEvent } from "../model/cluster-event.ts";
import type { Deployment, Lease, Node, ObjectMeta, Pod, ReplicaSet, Taint } from "../model/objects.ts";
import type { ClusterState } from "../model/state.ts";
import { isStoredKind, type StoredObject, type StoredStatus } from "../model/stored-objects.ts";
import { stateMapsByKind } from "./state-maps.ts";

export interface RecordedEvent {
  event: ClusterEvent;
  exogenous: boolean;
}

export interface ChangeEvents {
  events: RecordedEvent[];
  /** Fields that changed but that no event carries ("Deployment default/web spec.strategy"). */
  unrecorded: string[];
  /** A lease renewed and nothing else (a node's heartbeat, every 10 s per node): not recorded. */
  heartbeat: boolean;
}

/** Taint keys other controllers own: node lifecycle (node.kubernetes.io/…), cloud node controller, cluster autoscaler. */
const controllerTaint = (t: Taint) => t.key.startsWith("node.kubernetes.io/") || t.key.startsWith("node.cloudprovider.kubernetes.io/") || t.key === "ToBeDeletedByClusterAutoscaler" || t.key === "DeletionCandidateOfClusterAutoscaler";

export function hasControllerOwnerMeta(meta: ObjectMeta): boolean {
  return meta.ownerReferences?.some((r) => r.controller === true) ?? false;
}

/** An object as it enters the log: a copy (the state owns what events carry), without the cluster's resourceVersion (`evolve` sets the log's). */
function copyOf<T extends KubeObject>(object: T): T {
  const copy = structuredClone(object);
  delete copy.metadata.resourceVersion;
  return copy;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** The events that take `state` from its object at `key` to `after` (undefined: the object is gone). */
export function eventsOfChange(state: ClusterState, kind: string, key: string, after: KubeObject | undefined): ChangeEvents {
  const map = stateMapsByKind[kind];
  const out: ChangeEvents = { events: [], unrecorded: [], heartbeat: false };
  if (map === undefined) return out;
  const before = map(state).get(key);
  if (before === undefined && after === undefined) return out;
  const push = (event: ClusterEvent, exogenous: boolean) => out.events.push({ event, exogenous });
  const outside = !hasControllerOwnerMeta((after ?? before)!.metadata);
  if (before === undefined) {
    created(copyOf(after!), outside, push);
  } else if (after === undefined) {
    deleted(before, key, outside, push, out.unrecorded);
  } else {
    if (isHeartbeat(before, after)) out.heartbeat = true;
    else updated(state, before, after, key, outside, push, out.unrecorded);
  }
  return out;
}

type Push = (event: ClusterEvent, exogenous: boolean) => void;

function created(o: KubeObject, outside: boolean, push: Push): void {
  switch (o.kind) {
    case "Namespace":
      return push({ kind: "NamespaceCreated", namespace: o }, true);
    case "Node":
      return push({ kind: "NodeAdded", node: o }, true);
    case "Pod":
      return push({ kind: "PodCreated", pod: o }, outside);
    case "Deployment":
      return push({ kind: "DeploymentCreated", deployment: o }, outside);
    case "ReplicaSet":
      return push({ kind: "ReplicaSetCreated", replicaSet: o }, outside);
    case "Lease":
      return push({ kind: "LeaseRenewed", key: `${o.metadata.namespace}/${o.metadata.name}`, renewTimeMs: o.spec.renewTimeMs, lease: o }, false);
    default:
      if (isStoredKind(o.kind)) push({ kind: "ObjectCreated", object: o as StoredObject }, outside);
  }
}

function deleted(o: KubeObject, key: string, outside: boolean, push: Push, unrecorded: string[]): void {
  switch (o.kind) {
    case "Node":
      return push({ kind: "NodeRemoved", name: key }, true);
    case "Pod":
      return push({ kind: "PodRemoved", key }, outside);
    case "Deployment":
      return push({ kind: "DeploymentRemoved", key }, outside);
    case "ReplicaSet":
      return push({ kind: "ReplicaSetRemoved", key }, outside);
    default:
      if (isStoredKind(o.kind)) return push({ kind: "ObjectDeleted", objectKind: o.kind, key }, outside);
      unrecorded.push(`${o.kind} ${key} deleted`);
  }
}

function updated(state: ClusterState, before: KubeObject, after: KubeObject, key: string, outside: boolean, push: Push, unrecorded: string[]): void {
  const where = `${after.kind} ${key}`;
  switch (after.kind) {
    case "Pod":
      return podUpdated(before as Pod, after, key, outside, push);
    case "Node":
      return nodeUpdated(before as Node, after, key, push, unrecorded);
    case "Deployment":
      return deploymentUpdated(state, before as Deployment, after, key, outside, push, unrecorded);
    case "ReplicaSet":
      return replicaSetUpdated(state, before as ReplicaSet, after, key, outside, push, unrecorded);
    case "Lease":
      if (!same((before as Lease).spec, after.spec)) push({ kind: "LeaseRenewed", key, renewTimeMs: after.spec.renewTimeMs, lease: copyOf(after) }, false);
      return;
    case "Namespace":
      if (!same(specOf(before), specOf(after))) unrecorded.push(`${where} changed`);
      return;
    default:
      if (isStoredKind(after.kind)) storedUpdated(state, before as StoredObject, after as StoredObject, key, outside, push);
  }
}

/** Only a lease's renew time moved: what a node's kubelet (or a leader) does every few seconds. */
function isHeartbeat(before: KubeObject, after: KubeObject): boolean {
  if (before.kind !== "Lease" || after.kind !== "Lease") return false;
  return same({ ...before.spec, renewTimeMs: 0 }, { ...after.spec, renewTimeMs: 0 }) && same(specOf({ ...before, spec: {} } as KubeObject), specOf({ ...after, spec: {} } as KubeObject));
}

function podUpdated(before: Pod, after: Pod, key: string, outside: boolean, push: Push): void {
  if (before.spec.nodeName === undefined && after.spec.nodeName !== undefined) push({ kind: "PodBound", key, nodeName: after.spec.nodeName }, false);
  if (before.status.phase !== after.status.phase) {
    if (after.status.phase === "Running") push({ kind: "PodRunning", key }, false);
    else if (after.status.phase === "Failed") push({ kind: "PodFailed", key, reason: after.status.reason ?? "Failed" }, false);
    else if (after.status.phase === "Succeeded") push({ kind: "ContainerExited", key, exitCode: after.status.lastExitCode ?? 0, phase: "Succeeded", backOffMs: 0 }, false);
  }
  const restarts = (after.status.restartCount ?? 0) - (before.status.restartCount ?? 0);
  for (let i = 0; i < Math.min(restarts, restartEventsMax); i++) push({ kind: "ContainerRestarted", key }, false);
  if (before.status.ready !== after.status.ready && after.status.phase !== "Failed" && after.status.phase !== "Succeeded") push({ kind: "PodReadyChanged", key, ready: after.status.ready }, false);
  // a user deleting a bare pod is exogenous; the controllers' deletions (scale-down, eviction) are theirs
  if (before.metadata.deletionMs === undefined && after.metadata.deletionMs !== undefined) push({ kind: "PodDeleting", key, reason: after.status.reason ?? "Deleted" }, outside);
}

/** Restarts seen in one change beyond this are not each recorded (a crash loop observed after a long gap). */
const restartEventsMax = 100;

function nodeUpdated(before: Node, after: Node, name: string, push: Push, unrecorded: string[]): void {
  if (before.status.ready !== after.status.ready) push({ kind: "NodeReadyChanged", name, ready: after.status.ready }, false);
  if (!same(before.spec.taints, after.spec.taints)) {
    const changed = [...before.spec.taints.filter((t) => !after.spec.taints.some((u) => same(t, u))), ...after.spec.taints.filter((t) => !before.spec.taints.some((u) => same(t, u)))];
    push({ kind: "NodeTaintsChanged", name, taints: structuredClone(after.spec.taints) }, !changed.every(controllerTaint));
  }
  if (before.spec.unschedulable !== after.spec.unschedulable) push({ kind: "NodeCordoned", name, unschedulable: after.spec.unschedulable }, true);
  if (!same(before.metadata.labels, after.metadata.labels)) unrecorded.push(`Node ${name} metadata.labels`);
  if (!same(before.status.allocatable, after.status.allocatable)) unrecorded.push(`Node ${name} status.allocatable`);
}

/** A workload whose replicas an HPA in the state scales (its scaleTargetRef names it). */
function hpaScaled(state: ClusterState, kind: string, meta: ObjectMeta): boolean {
  for (const hpa of state.objects.get("HorizontalPodAutoscaler")?.values() ?? []) {
    if (hpa.kind !== "HorizontalPodAutoscaler" || hpa.metadata.namespace !== meta.namespace) continue;
    if (hpa.spec.scaleTargetRef.kind === kind && hpa.spec.scaleTargetRef.name === meta.name) return true;
  }
  return false;
}

function deploymentUpdated(state: ClusterState, before: Deployment, after: Deployment, key: string, outside: boolean, push: Push, unrecorded: string[]): void {
  if (before.spec.replicas !== after.spec.replicas) push({ kind: "DeploymentScaled", key, replicas: after.spec.replicas }, outside && !hpaScaled(state, "Deployment", after.metadata));
  if (!same(before.spec.template, after.spec.template)) push({ kind: "DeploymentTemplateChanged", key, template: structuredClone(after.spec.template) }, outside);
  if ((before.spec.paused ?? false) !== (after.spec.paused ?? false)) push({ kind: "DeploymentPauseChanged", key, paused: after.spec.paused ?? false }, outside);
  const annotationsChanged = !same(before.metadata.annotations ?? {}, after.metadata.annotations ?? {});
  if (!same(before.status, after.status) || annotationsChanged) {
    push({ kind: "DeploymentStatusChanged", key, status: structuredClone(after.status), ...(annotationsChanged ? { annotations: { ...(after.metadata.annotations ?? {}) } } : {}) }, false);
  }
  const { replicas: _r, template: _t, paused: _p, ...restBefore } = before.spec;
  const { replicas: _r2, template: _t2, paused: _p2, ...restAfter } = after.spec;
  for (const field of changedFields(restBefore, restAfter)) unrecorded.push(`Deployment ${key} spec.${field}`);
}

function replicaSetUpdated(state: ClusterState, before: ReplicaSet, after: ReplicaSet, key: string, outside: boolean, push: Push, unrecorded: string[]): void {
  if (before.spec.replicas !== after.spec.replicas) push({ kind: "ReplicaSetScaled", key, replicas: after.spec.replicas }, outside && !hpaScaled(state, "ReplicaSet", after.metadata));
  if (!same(before.status, after.status)) push({ kind: "ReplicaSetStatusChanged", key, status: structuredClone(after.status) }, false);
  if (!same(before.metadata.annotations ?? {}, after.metadata.annotations ?? {})) push({ kind: "ReplicaSetAnnotated", key, annotations: { ...(after.metadata.annotations ?? {}) } }, false);
  if (!same(before.spec.template, after.spec.template)) unrecorded.push(`ReplicaSet ${key} spec.template`);
}

function storedUpdated(state: ClusterState, before: StoredObject, after: StoredObject, key: string, outside: boolean, push: Push): void {
  const statusOf = (o: StoredObject) => ("status" in o ? (o as { status: unknown }).status : undefined);
  if (!same(specOf(before as KubeObject), specOf(after as KubeObject))) {
    const object = copyOf(after as KubeObject) as StoredObject;
    // the spec change alone; a status change follows as the status subresource's own event
    if ("status" in object && "status" in before) (object as { status: unknown }).status = structuredClone(statusOf(before));
    push({ kind: "ObjectUpdated", object }, outside && !hpaScaled(state, after.kind, after.metadata));
  }
  if (!same(statusOf(before), statusOf(after))) push({ kind: "ObjectStatusChanged", objectKind: after.kind, key, status: structuredClone(statusOf(after)) as StoredStatus }, false);
}

/** Everything but status and the store's bookkeeping: what a user's write changes. */
function specOf(o: KubeObject): unknown {
  const { status: _s, metadata, ...rest } = o as KubeObject & { status?: unknown };
  const { resourceVersion: _v, generation: _g, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

function changedFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => !same(a[k], b[k]));
}
