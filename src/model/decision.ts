/**
 * What policies decide, as data with stable ids, so that the simulator's api server and a live
 * actuator can both execute them idempotently (the same id twice is one action).
 */
import type { Pod, ReplicaSet, ReplicaSetStatus, ResourceList, Taint } from "./objects.ts";
import type { PodDisruptionBudget } from "./scheduling-objects.ts";

export type Decision =
  /** `nodeVersion`: the node's resourceVersion the placement was decided on (a changed node is a conflict). */
  | { kind: "BindPod"; id: string; podKey: string; nodeName: string; nodeVersion?: number }
  | { kind: "MarkUnschedulable"; id: string; podKey: string; message: string }
  | { kind: "CreatePod"; id: string; pod: Pod }
  | { kind: "DeletePod"; id: string; podKey: string; reason: string }
  | { kind: "EvictPod"; id: string; podKey: string; reason: string }
  | { kind: "CreateReplicaSet"; id: string; replicaSet: ReplicaSet }
  | { kind: "ScaleReplicaSet"; id: string; key: string; replicas: number }
  /** One write: the fields given replace the node's; `basedOnVersion` is the node version they were computed from. */
  | { kind: "PatchNode"; id: string; name: string; basedOnVersion?: number; taints?: Taint[]; ready?: "True" | "False" | "Unknown" }
  | { kind: "MarkPodNotReady"; id: string; podKey: string }
  | { kind: "UpdateReplicaSetStatus"; id: string; key: string; status: ReplicaSetStatus }
  | { kind: "UpdateDeploymentStatus"; id: string; key: string; status: ReplicaSetStatus }
  | { kind: "UpdatePodDisruptionBudgetStatus"; id: string; key: string; status: PodDisruptionBudget["status"] }
  | { kind: "UpdateResourceQuotaStatus"; id: string; key: string; used: ResourceList };

export type DecisionKind = Decision["kind"];
