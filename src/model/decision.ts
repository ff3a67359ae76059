/**
 * What policies decide, as data with stable ids, so that the simulator's api server and a live
 * actuator can both execute them idempotently (the same id twice is one action).
 */
import type { Pod, ReplicaSet, ReplicaSetStatus, Taint } from "./objects.ts";

export type Decision =
  | { kind: "BindPod"; id: string; podKey: string; nodeName: string }
  | { kind: "MarkUnschedulable"; id: string; podKey: string; message: string }
  | { kind: "CreatePod"; id: string; pod: Pod }
  | { kind: "DeletePod"; id: string; podKey: string; reason: string }
  | { kind: "EvictPod"; id: string; podKey: string; reason: string }
  | { kind: "CreateReplicaSet"; id: string; replicaSet: ReplicaSet }
  | { kind: "ScaleReplicaSet"; id: string; key: string; replicas: number }
  | { kind: "PatchNode"; id: string; name: string; taints?: Taint[]; ready?: "True" | "False" | "Unknown" }
  | { kind: "MarkPodNotReady"; id: string; podKey: string }
  | { kind: "UpdateReplicaSetStatus"; id: string; key: string; status: ReplicaSetStatus }
  | { kind: "UpdateDeploymentStatus"; id: string; key: string; status: ReplicaSetStatus };

export type DecisionKind = Decision["kind"];
