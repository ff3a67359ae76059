/**
 * What policies decide, as data with stable ids, so that the simulator's api server and a live
 * actuator can both execute them idempotently (the same id twice is one action).
 */
import type { DeploymentStatus, Pod, ReplicaSet, ReplicaSetStatus, Taint } from "./objects.ts";
import type { StoredKind, StoredObject, StoredStatus } from "./stored-objects.ts";
import type { OwnedKind, PropagationPolicy, WorkloadKind } from "./deletion.ts";

export type Decision =
  /** `nodeVersion`: the node's resourceVersion the placement was decided on (a changed node is a conflict). */
  | { kind: "BindPod"; id: string; podKey: string; nodeName: string; nodeVersion?: number }
  | { kind: "MarkUnschedulable"; id: string; podKey: string; message: string }
  | { kind: "CreatePod"; id: string; pod: Pod }
  | { kind: "DeletePod"; id: string; podKey: string; reason: string }
  | { kind: "EvictPod"; id: string; podKey: string; reason: string }
  /** POST pods/eviction: the api server answers as the Eviction API does (budgets checked at commit; 429 when one says no). */
  | { kind: "CreateEviction"; id: string; podKey: string }
  | { kind: "CreateReplicaSet"; id: string; replicaSet: ReplicaSet }
  | { kind: "ScaleReplicaSet"; id: string; key: string; replicas: number }
  /** One write: the fields given replace the node's; `basedOnVersion` is the node version they were computed from. */
  | { kind: "PatchNode"; id: string; name: string; basedOnVersion?: number; taints?: Taint[]; ready?: "True" | "False" | "Unknown"; unschedulable?: boolean }
  | { kind: "MarkPodNotReady"; id: string; podKey: string }
  | { kind: "UpdateReplicaSetStatus"; id: string; key: string; status: ReplicaSetStatus }
  /** `annotations`: replaced in the same write (upstream writes the Deployment's revision annotation through UpdateStatus). */
  | { kind: "UpdateDeploymentStatus"; id: string; key: string; status: DeploymentStatus; annotations?: Record<string, string> }
  /** An update of the ReplicaSet's annotations based on its version `basedOnVersion` (a stale view conflicts). */
  | { kind: "AnnotateReplicaSet"; id: string; key: string; annotations: Record<string, string>; basedOnVersion: number }
  /**
   * Deletes a ReplicaSet: the garbage collector's (its owner is gone), or revision history cleanup based on the set as read at `basedOnVersion` (a changed set conflicts).
   * `propagationPolicy` as DeleteOptions (absent: Background, apps/v1's default).
   */
  | { kind: "DeleteReplicaSet"; id: string; key: string; basedOnVersion?: number; propagationPolicy?: PropagationPolicy }
  /** The Deployment's scale subresource (an HPA, or `kubectl scale`); `basedOnVersion` is the Deployment version read. */
  | { kind: "ScaleDeployment"; id: string; key: string; replicas: number; basedOnVersion?: number }
  /** The generic object store (stored-objects.ts); updates name the object version they were based on. */
  | { kind: "CreateObject"; id: string; object: StoredObject }
  | { kind: "UpdateObject"; id: string; object: StoredObject; basedOnVersion?: number }
  | { kind: "UpdateObjectStatus"; id: string; objectKind: StoredKind; key: string; status: StoredStatus; basedOnVersion?: number }
  | { kind: "DeleteObject"; id: string; objectKind: StoredKind; key: string; propagationPolicy?: PropagationPolicy }
  /** The garbage collector removes its finalizer from the object of that uid (a patch; the last finalizer of an object being deleted removes it). */
  | { kind: "RemoveFinalizer"; id: string; objectKind: WorkloadKind; key: string; uid: string; finalizer: string }
  /** The garbage collector removes the ownerReferences naming `ownerUids` from the object of that uid (orphaning, or dangling references). */
  | { kind: "RemoveOwnerReferences"; id: string; objectKind: OwnedKind; key: string; uid: string; ownerUids: string[] }
  /** Asks node group `nodeGroup` for one more node, named `nodeName` (the cloud provider's IncreaseSize, one node at a time). */
  | { kind: "ProvisionNode"; id: string; nodeGroup: string; nodeName: string }
  /**
   * Deletes a node and its machine (the cloud provider's DeleteNodes): the pods still bound to it go
   * with it, as the pod garbage collector removes pods of a deleted node; a node not registered yet
   * is released. `basedOnVersion`: the node version the deletion was decided on.
   */
  | { kind: "DeleteNode"; id: string; nodeName: string; basedOnVersion?: number };

export type DecisionKind = Decision["kind"];
