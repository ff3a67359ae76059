/**
 * evolve(state, event): the one place the cluster state changes. Deterministic, total over the
 * ClusterEvent union, mutates `state` in place (the fold is the hot path). Objects carried by
 * events become owned by the state: sinks must serialize an event before it is evolved further.
 */
import { assert, unreachable } from "./assert.ts";
import type { ClusterEvent } from "./cluster-event.ts";
import type { OwnedKind } from "./deletion.ts";
import type { ObjectMeta, OwnerReference, Pod, ReplicaSet } from "./objects.ts";
import { indexAffinity, indexLabels, indexOwner, indexPod, indexReplicaSetOwner, noteNodeChange, objectMap, type ClusterState } from "./state.ts";
import { storedKey } from "./stored-objects.ts";
import type { Ms } from "./units.ts";

export function evolve(state: ClusterState, event: ClusterEvent, atMs: Ms): void {
  if (atMs < state.nowMs) assert(false, `event at ${atMs} ms before state time ${state.nowMs} ms`);
  state.nowMs = atMs;
  switch (event.kind) {
    case "NamespaceCreated":
      state.namespaces.set(event.namespace.metadata.name, touched(state, event.namespace));
      return;
    case "NodeAdded": {
      const name = event.node.metadata.name;
      if (state.nodes.has(name)) assert(false, `node ${name} added twice`);
      state.nodes.set(name, touched(state, event.node));
      state.podsByNode.set(name, state.podsByNode.get(name) ?? new Set());
      state.requestedByNode.set(name, state.requestedByNode.get(name) ?? {});
      state.nodesVersion++;
      return;
    }
    case "NodeReadyChanged": {
      const node = touched(state, mustNode(state, event.name));
      node.status.ready = event.ready;
      node.status.readyTransitionMs = atMs;
      noteNodeChange(state, event.name);
      return;
    }
    case "NodeTaintsChanged":
      touched(state, mustNode(state, event.name)).spec.taints = event.taints;
      noteNodeChange(state, event.name);
      return;
    case "NodeCordoned":
      touched(state, mustNode(state, event.name)).spec.unschedulable = event.unschedulable;
      noteNodeChange(state, event.name);
      return;
    case "NodeRemoved":
      mustNode(state, event.name);
      state.nodes.delete(event.name);
      state.nodesVersion++;
      return;
    case "MachineDown":
      state.machinesDown.add(event.name);
      return;
    case "MachineUp":
      state.machinesDown.delete(event.name);
      return;
    case "PodCreated": {
      const m = event.pod.metadata;
      const key = `${m.namespace}/${m.name}`;
      if (state.pods.has(key)) assert(false, `pod ${key} created twice`);
      state.pods.set(key, touched(state, event.pod));
      indexPod(state, key, event.pod, 1);
      indexOwner(state, key, event.pod, 1);
      indexAffinity(state, key, event.pod, 1);
      indexLabels(state, key, event.pod, 1);
      return;
    }
    case "PodUnschedulable": {
      const pod = touched(state, mustPod(state, event.key));
      pod.status.reason = "Unschedulable";
      pod.status.message = event.message;
      return;
    }
    case "PodBound": {
      const pod = touched(state, mustPod(state, event.key));
      if (pod.spec.nodeName !== undefined) assert(false, `pod ${event.key} bound twice`);
      pod.spec.nodeName = event.nodeName;
      pod.status.scheduledMs = atMs;
      pod.status.reason = undefined;
      pod.status.message = undefined;
      pod.status.nominatedNodeName = undefined;
      indexPod(state, event.key, pod, 1);
      return;
    }
    case "PodRunning": {
      const pod = touched(state, mustPod(state, event.key));
      pod.status.phase = "Running";
      pod.status.startedMs = atMs;
      // The kubelet (re)started the containers, e.g. after its machine came back.
      if (pod.status.waitingReason !== undefined) pod.status.waitingReason = undefined;
      return;
    }
    case "PodReadyChanged": {
      const pod = touched(state, mustPod(state, event.key));
      pod.status.ready = event.ready;
      if (event.ready) pod.status.readyMs = atMs;
      return;
    }
    case "PodDeleting": {
      const pod = touched(state, mustPod(state, event.key));
      pod.metadata.deletionMs = atMs;
      pod.status.ready = false;
      pod.status.reason = event.reason;
      if (pod.spec.nodeName !== undefined) noteNodeChange(state, pod.spec.nodeName);
      return;
    }
    case "PodFailed": {
      const pod = touched(state, mustPod(state, event.key));
      indexPod(state, event.key, pod, -1);
      pod.status.phase = "Failed";
      pod.status.ready = false;
      pod.status.reason = event.reason;
      pod.status.finishedMs = atMs;
      indexPod(state, event.key, pod, 1);
      return;
    }
    case "ContainerExited": {
      const pod = touched(state, mustPod(state, event.key));
      const terminal = event.phase !== "Running";
      if (terminal) indexPod(state, event.key, pod, -1);
      pod.status.phase = event.phase;
      pod.status.ready = false;
      pod.status.lastExitCode = event.exitCode;
      // lastState.terminated.reason as the container runtime reports it (containerd: OOMKilled, Completed or Error).
      pod.status.lastTerminationReason = event.cause === "OOMKilled" ? "OOMKilled" : event.exitCode === 0 ? "Completed" : "Error";
      pod.status.waitingReason = !terminal && event.backOffMs > 0 ? "CrashLoopBackOff" : undefined;
      if (terminal) pod.status.finishedMs = atMs;
      if (terminal) indexPod(state, event.key, pod, 1);
      return;
    }
    case "ContainerWaiting": {
      const pod = touched(state, mustPod(state, event.key));
      pod.status.waitingReason = event.reason;
      return;
    }
    case "ContainerRestarted": {
      const pod = touched(state, mustPod(state, event.key));
      pod.status.restartCount = (pod.status.restartCount ?? 0) + 1;
      pod.status.waitingReason = undefined;
      return;
    }
    case "InitContainerStarted": {
      const pod = touched(state, mustPod(state, event.key));
      const init = { ...(pod.status.init ?? { done: 0 }) };
      if (event.restart) init.restartCount = (init.restartCount ?? 0) + 1;
      delete init.waitingReason;
      const sidecar = pod.spec.initContainers?.[event.index]?.restartPolicy === "Always";
      init.done = sidecar ? event.index + 1 : event.index;
      if (sidecar) delete init.running;
      else init.running = true;
      pod.status.init = init;
      pod.status.waitingReason = "PodInitializing";
      return;
    }
    case "InitContainerExited": {
      const pod = touched(state, mustPod(state, event.key));
      const init = { ...(pod.status.init ?? { done: 0 }) };
      delete init.running;
      const sidecar = pod.spec.initContainers?.[event.index]?.restartPolicy === "Always";
      if (event.exitCode === 0 && !sidecar) init.done = event.index + 1;
      else init.lastExitCode = event.exitCode;
      if (event.backOffMs > 0) init.waitingReason = "CrashLoopBackOff";
      pod.status.init = init;
      if (event.phase === "Failed") {
        indexPod(state, event.key, pod, -1);
        pod.status.phase = "Failed";
        pod.status.waitingReason = undefined;
        pod.status.finishedMs = atMs;
        indexPod(state, event.key, pod, 1);
      }
      return;
    }
    case "PodRemoved": {
      const pod = mustPod(state, event.key);
      indexPod(state, event.key, pod, -1);
      indexOwner(state, event.key, pod, -1);
      indexAffinity(state, event.key, pod, -1);
      indexLabels(state, event.key, pod, -1);
      state.pods.delete(event.key);
      return;
    }
    case "ReplicaSetCreated": {
      const m = event.replicaSet.metadata;
      const key = `${m.namespace}/${m.name}`;
      const previous = state.replicaSets.get(key);
      if (previous !== undefined) indexReplicaSetOwner(state, key, previous, -1);
      const rs = touched(state, event.replicaSet);
      state.replicaSets.set(key, rs);
      indexReplicaSetOwner(state, key, rs, 1);
      return;
    }
    case "ReplicaSetScaled":
      touched(state, mustGet(state.replicaSets, event.key, "replicaset")).spec.replicas = event.replicas;
      return;
    case "ReplicaSetStatusChanged":
      touched(state, mustGet(state.replicaSets, event.key, "replicaset")).status = event.status;
      return;
    case "ReplicaSetAnnotated":
      touched(state, mustGet(state.replicaSets, event.key, "replicaset")).metadata.annotations = event.annotations;
      return;
    case "ReplicaSetRemoved":
      indexReplicaSetOwner(state, event.key, mustGet(state.replicaSets, event.key, "replicaset"), -1);
      state.replicaSets.delete(event.key);
      return;
    case "DeploymentCreated": {
      const m = event.deployment.metadata;
      state.deployments.set(`${m.namespace}/${m.name}`, touched(state, event.deployment));
      return;
    }
    case "DeploymentScaled": {
      const d = touched(state, mustGet(state.deployments, event.key, "deployment"));
      if (d.spec.replicas !== event.replicas) specChanged(d);
      d.spec.replicas = event.replicas;
      return;
    }
    case "DeploymentTemplateChanged":
      specChanged(touched(state, mustGet(state.deployments, event.key, "deployment"))).spec.template = event.template;
      return;
    case "DeploymentStatusChanged": {
      const d = touched(state, mustGet(state.deployments, event.key, "deployment"));
      d.status = event.status;
      if (event.annotations !== undefined) d.metadata.annotations = event.annotations;
      return;
    }
    case "DeploymentPauseChanged":
      specChanged(touched(state, mustGet(state.deployments, event.key, "deployment"))).spec.paused = event.paused;
      return;
    case "DeploymentRemoved":
      mustGet(state.deployments, event.key, "deployment");
      state.deployments.delete(event.key);
      return;
    case "LeaseRenewed": {
      if (event.lease !== undefined) {
        state.leases.set(event.key, touched(state, event.lease));
        return;
      }
      touched(state, mustGet(state.leases, event.key, "lease")).spec.renewTimeMs = event.renewTimeMs;
      return;
    }
    case "Fault":
    case "AdmissionRejected":
    case "NodeProvisioning":
    case "NodeProvisioningCancelled":
      return;
    case "ObjectCreated": {
      const map = objectMap(state, event.object.kind);
      const key = storedKey(event.object);
      if (map.has(key)) assert(false, `${event.object.kind} ${key} created twice`);
      map.set(key, touched(state, event.object));
      return;
    }
    case "ObjectUpdated": {
      const map = objectMap(state, event.object.kind);
      const key = storedKey(event.object);
      mustGet(map, key, event.object.kind);
      map.set(key, touched(state, event.object));
      return;
    }
    case "ObjectStatusChanged": {
      const object = touched(state, mustGet(objectMap(state, event.objectKind), event.key, event.objectKind));
      if (!("status" in object)) assert(false, `${event.objectKind} has no status`);
      (object as { status: unknown }).status = event.status;
      return;
    }
    case "ObjectDeleted": {
      const map = objectMap(state, event.objectKind);
      mustGet(map, event.key, event.objectKind);
      map.delete(event.key);
      return;
    }
    case "DeletionStarted": {
      const meta = touched(state, mustOwned(state, event.objectKind, event.key)).metadata;
      meta.deletionMs ??= atMs;
      setFinalizers(meta, event.finalizers);
      return;
    }
    case "FinalizersChanged":
      setFinalizers(touched(state, mustOwned(state, event.objectKind, event.key)).metadata, event.finalizers);
      return;
    case "OwnerReferencesChanged":
      setOwnerReferences(state, event.objectKind, event.key, event.ownerReferences);
      return;
    default:
      unreachable(event, "cluster event");
  }
}

/** A pod or workload by kind (the generic store for StatefulSets, DaemonSets, Jobs and CronJobs). */
function mustOwned(state: ClusterState, kind: OwnedKind, key: string): { metadata: ObjectMeta } {
  if (kind === "Pod") return mustPod(state, key);
  if (kind === "ReplicaSet") return mustGet(state.replicaSets, key, "replicaset");
  if (kind === "Deployment") return mustGet(state.deployments, key, "deployment");
  return mustGet(objectMap(state, kind), key, kind);
}

function setFinalizers(meta: ObjectMeta, finalizers: readonly string[]): void {
  if (finalizers.length === 0) delete meta.finalizers;
  else meta.finalizers = [...finalizers];
}

/** The owner indexes (pods and ReplicaSets by controller owner) follow the references. */
function setOwnerReferences(state: ClusterState, kind: OwnedKind, key: string, refs: readonly OwnerReference[]): void {
  const object = touched(state, mustOwned(state, kind, key));
  if (kind === "Pod") indexOwner(state, key, object as Pod, -1);
  if (kind === "ReplicaSet") indexReplicaSetOwner(state, key, object as ReplicaSet, -1);
  if (refs.length === 0) delete object.metadata.ownerReferences;
  else object.metadata.ownerReferences = refs.map((r) => ({ ...r }));
  if (kind === "Pod") indexOwner(state, key, object as Pod, 1);
  if (kind === "ReplicaSet") indexReplicaSetOwner(state, key, object as ReplicaSet, 1);
}

/** Marks an API object as changed by the event being applied: the next store revision. */
function touched<T extends { metadata: { resourceVersion?: number } }>(state: ClusterState, object: T): T {
  object.metadata.resourceVersion = ++state.revision;
  return object;
}

function mustGet<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) assert(false, `${what} ${key} does not exist`);
  return value;
}

function mustPod(state: ClusterState, key: string): Pod {
  return mustGet(state.pods, key, "pod");
}

function mustNode(state: ClusterState, name: string) {
  return mustGet(state.nodes, name, "node");
}

/** A spec change bumps metadata.generation (the apps registry's PrepareForUpdate); status changes do not. */
function specChanged<T extends { metadata: { generation?: number } }>(object: T): T {
  if (object.metadata.generation !== undefined) object.metadata.generation++;
  return object;
}
