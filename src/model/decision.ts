/**
 * What policies decide, as data with stable ids, so that the simulator's api server and a live
 * actuator can both execute them idempotently (the same id twice is one action).
 */
import type { Pod, ReplicaSet, ReplicaSetStatus, Taint } from "./objects.ts";
import type { StoredKind, StoredObject, StoredStatus } from "./stored-objects.ts";

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
  /** The garbage collector's delete of a ReplicaSet whose owner is gone. */
  | { kind: "DeleteReplicaSet"; id: string; key: string }
  /** One write: the fields given replace the node's; `basedOnVersion` is the node version they were computed from. */
  | { kind: "PatchNode"; id: string; name: string; basedOnVersion?: number; taints?: Taint[]; ready?: "True" | "False" | "Unknown"; unschedulable?: boolean }
  | { kind: "MarkPodNotReady"; id: string; podKey: string }
  | { kind: "UpdateReplicaSetStatus"; id: string; key: string; status: ReplicaSetStatus }
  | { kind: "UpdateDeploymentStatus"; id: string; key: string; status: ReplicaSetStatus }
  /** The Deployment's scale subresource (an HPA, or `kubectl scale`); `basedOnVersion` is the Deployment version read. */
  | { kind: "ScaleDeployment"; id: string; key: string; replicas: number; basedOnVersion?: number }
  /** The generic object store (stored-objects.ts); updates name the object version they were based on. */
  | { kind: "CreateObject"; id: string; object: StoredObject }
  | { kind: "UpdateObject"; id: string; object: StoredObject; basedOnVersion?: number }
  | { kind: "UpdateObjectStatus"; id: string; objectKind: StoredKind; key: string; status: StoredStatus; basedOnVersion?: number }
  | { kind: "DeleteObject"; id: string; objectKind: StoredKind; key: string };

export type DecisionKind = Decision["kind"];
