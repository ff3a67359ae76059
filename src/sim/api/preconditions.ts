/**
 * Checks the api server makes at commit time, before `evolve`: writes decided on a stale view can
 * conflict (a pod deleted meanwhile, bound twice…). A conflict is an expected outcome (409-style),
 * returned as a reason; `evolve` itself only asserts what these checks guarantee.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { objectMap, type ClusterState } from "../../model/state.ts";
import { storedKey } from "../../model/stored-objects.ts";
import { metaOfKind } from "../../model/deletion.ts";

export function conflictReason(state: ClusterState, event: ClusterEvent): string | undefined {
  switch (event.kind) {
    case "NamespaceCreated":
      return state.namespaces.has(event.namespace.metadata.name) ? "namespace exists" : undefined;
    case "NodeAdded":
    case "NodeProvisioning": {
      const name = event.kind === "NodeAdded" ? event.node.metadata.name : event.name;
      return state.nodes.has(name) ? "node exists" : undefined;
    }
    case "NodeReadyChanged":
    case "NodeTaintsChanged":
    case "NodeCordoned":
    case "NodeRemoved":
      return state.nodes.has(event.name) ? undefined : "node not found";
    case "MachineDown":
    case "MachineUp":
    case "Fault":
    case "NodeProvisioningCancelled":
      return undefined;
    case "LeaseRenewed": {
      if (event.lease === undefined) return state.leases.has(event.key) ? undefined : "lease not found";
      if (state.leases.has(event.key)) return "lease exists";
      return state.namespaces.has(event.lease.metadata.namespace) ? undefined : `namespace ${event.lease.metadata.namespace} not found`;
    }
    case "PodCreated": {
      const m = event.pod.metadata;
      if (state.pods.has(`${m.namespace}/${m.name}`)) return "pod exists";
      return state.namespaces.has(m.namespace) ? undefined : `namespace ${m.namespace} not found`;
    }
    case "PodUnschedulable": {
      const pod = state.pods.get(event.key);
      return !pod ? "pod not found" : pod.spec.nodeName !== undefined ? "pod already bound" : undefined;
    }
    case "PodBound": {
      const pod = state.pods.get(event.key);
      if (!pod) return "pod not found";
      if (pod.spec.nodeName !== undefined) return "pod already bound";
      if (pod.metadata.deletionMs !== undefined) return "pod is being deleted";
      return state.nodes.has(event.nodeName) ? undefined : "node not found";
    }
    case "PodRunning": {
      const pod = state.pods.get(event.key);
      if (!pod) return "pod not found";
      if (pod.metadata.deletionMs !== undefined) return "pod is being deleted";
      return pod.status.phase === "Pending" || pod.status.phase === "Running" ? undefined : "pod is terminal";
    }
    case "PodReadyChanged": {
      const pod = state.pods.get(event.key);
      if (!pod) return "pod not found";
      if (pod.status.ready === event.ready) return "no change";
      if (event.ready && (pod.status.phase !== "Running" || pod.metadata.deletionMs !== undefined)) return "pod not running";
      return undefined;
    }
    case "PodDeleting": {
      const pod = state.pods.get(event.key);
      return !pod ? "pod not found" : pod.metadata.deletionMs !== undefined ? "pod already deleting" : undefined;
    }
    case "PodFailed":
    case "PodRemoved":
      return state.pods.has(event.key) ? undefined : "pod not found";
    case "ContainerWaiting": {
      const pod = state.pods.get(event.key);
      if (!pod) return "pod not found";
      if (pod.metadata.deletionMs !== undefined) return "pod is being deleted";
      return pod.status.phase === "Pending" ? undefined : "pod not pending";
    }
    case "InitContainerStarted":
    case "InitContainerExited": {
      const pod = state.pods.get(event.key);
      if (!pod) return "pod not found";
      if (pod.metadata.deletionMs !== undefined) return "pod is being deleted";
      return pod.status.phase === "Pending" ? undefined : "pod not pending";
    }
    case "ContainerExited":
    case "ContainerRestarted": {
      const pod = state.pods.get(event.key);
      if (!pod) return "pod not found";
      return pod.status.phase === "Running" ? undefined : "pod not running";
    }
    case "ReplicaSetCreated": {
      const m = event.replicaSet.metadata;
      return state.replicaSets.has(`${m.namespace}/${m.name}`) ? "replicaset exists" : undefined;
    }
    case "ReplicaSetScaled":
    case "ReplicaSetStatusChanged":
    case "ReplicaSetRemoved":
    case "ReplicaSetAnnotated":
      return state.replicaSets.has(event.key) ? undefined : "replicaset not found";
    case "DeploymentCreated": {
      const m = event.deployment.metadata;
      if (state.deployments.has(`${m.namespace}/${m.name}`)) return "deployment exists";
      return state.namespaces.has(m.namespace) ? undefined : `namespace ${m.namespace} not found`;
    }
    case "DeploymentScaled":
    case "DeploymentTemplateChanged":
    case "DeploymentStatusChanged":
    case "DeploymentPauseChanged":
    case "DeploymentRemoved":
      return state.deployments.has(event.key) ? undefined : "deployment not found";
    case "ObjectCreated": {
      const m = event.object.metadata;
      if (objectMap(state, event.object.kind).has(storedKey(event.object))) return `${event.object.kind} exists`;
      return m.namespace === "" || state.namespaces.has(m.namespace) ? undefined : `namespace ${m.namespace} not found`;
    }
    case "ObjectUpdated":
      return objectMap(state, event.object.kind).has(storedKey(event.object)) ? undefined : `${event.object.kind} not found`;
    case "ObjectStatusChanged":
    case "ObjectDeleted":
      return objectMap(state, event.objectKind).has(event.key) ? undefined : `${event.objectKind} not found`;
    case "DeletionStarted":
    case "FinalizersChanged":
    case "OwnerReferencesChanged":
      return metaOfKind(state, event.objectKind, event.key) === undefined ? `${event.objectKind} not found` : undefined;
    case "AdmissionRejected":
      return undefined;
  }
}

/**
 * What a decision was based on, compared with the state it lands on: a node patched or a pod
 * bound on a view of the node that has changed since is a 409-style conflict (decide again).
 */
export function decisionConflict(state: ClusterState, decision: Decision): string | undefined {
  switch (decision.kind) {
    case "PatchNode":
      return stale(state, decision.name, decision.basedOnVersion);
    case "BindPod":
      return stale(state, decision.nodeName, decision.nodeVersion);
    case "ScaleDeployment":
      return staleObject(state.deployments.get(decision.key), decision.basedOnVersion);
    case "AnnotateReplicaSet":
    case "DeleteReplicaSet":
      return staleObject(state.replicaSets.get(decision.key), decision.basedOnVersion);
    case "UpdateObject":
      return staleObject(objectMap(state, decision.object.kind).get(storedKey(decision.object)), decision.basedOnVersion);
    case "UpdateObjectStatus":
      return staleObject(objectMap(state, decision.objectKind).get(decision.key), decision.basedOnVersion);
    case "RemoveFinalizer":
    case "RemoveOwnerReferences":
      return replaced(state, decision.objectKind, decision.key, decision.uid);
    default:
      return undefined;
  }
}

/** A patch with a uid precondition (the garbage collector's): another object of that name is not the one decided on. */
function replaced(state: ClusterState, kind: string, key: string, uid: string): string | undefined {
  const meta = metaOfKind(state, kind, key);
  if (meta === undefined) return `${kind} not found`;
  return meta.uid === uid ? undefined : `${kind} ${key} was replaced since the decision (uid ${uid}, now ${meta.uid})`;
}

function stale(state: ClusterState, nodeName: string, basedOn: number | undefined): string | undefined {
  if (basedOn === undefined) return undefined;
  const node = state.nodes.get(nodeName);
  if (node === undefined) return "node not found";
  const current = node.metadata.resourceVersion ?? 0;
  return current === basedOn ? undefined : `node ${nodeName} changed since the decision (version ${basedOn}, now ${current})`;
}

function staleObject(object: { metadata: { resourceVersion?: number } } | undefined, basedOn: number | undefined): string | undefined {
  if (basedOn === undefined || object === undefined) return undefined;
  const current = object.metadata.resourceVersion ?? 0;
  return current === basedOn ? undefined : `the object changed since the decision (version ${basedOn}, now ${current})`;
}
