/**
 * What the twin did with its pods, read back from a run's events: per top owner (a Deployment
 * through its ReplicaSets, a CronJob through its Jobs, a bare pod itself) every pod's creation,
 * binding (PodBound), start (PodRunning), first Ready and end (its container ran to Succeeded or Failed, or the pod failed or went
 * away), in virtual ms. The counterpart of a trace's pod lifecycles.
 */
import type { ClusterEvent } from "../model/cluster-event.ts";
import type { ObjectMeta } from "../model/objects.ts";
import type { Ms } from "../model/units.ts";

export interface TwinPod {
  name: string;
  createdMs: Ms;
  /** Bound to a node (PodBound). */
  boundMs?: Ms;
  startMs?: Ms;
  /** First Ready (PodReadyChanged to true). */
  readyMs?: Ms;
  endMs?: Ms;
  labels?: Readonly<Record<string, string>>;
}

interface Owned {
  kind: string;
  namespace: string;
  name: string;
  ownerUid: string | undefined;
}

/** Owners are found by uid, at most this deep (pod → ReplicaSet → Deployment, pod → Job → CronJob). */
const ownerDepthMax = 8;

export function twinPodLifecycles(events: Iterable<{ atMs: Ms; event: ClusterEvent }>): Map<string, TwinPod[]> {
  const byUid = new Map<string, Owned>();
  const pods: { pod: TwinPod; namespace: string; ownerUid: string | undefined }[] = [];
  const current = new Map<string, TwinPod>();
  const remember = (kind: string, meta: ObjectMeta) => byUid.set(meta.uid, { kind, namespace: meta.namespace, name: meta.name, ownerUid: controllerUid(meta) });
  const end = (key: string, atMs: Ms) => {
    const pod = current.get(key);
    if (pod !== undefined && pod.endMs === undefined) pod.endMs = atMs;
  };
  for (const { atMs, event: e } of events) {
    switch (e.kind) {
      case "DeploymentCreated":
        remember("Deployment", e.deployment.metadata);
        break;
      case "ReplicaSetCreated":
        remember("ReplicaSet", e.replicaSet.metadata);
        break;
      case "ObjectCreated":
        remember(e.object.kind, e.object.metadata);
        break;
      case "PodCreated": {
        const meta = e.pod.metadata;
        remember("Pod", meta);
        const pod: TwinPod = { name: meta.name, createdMs: atMs, ...(meta.labels !== undefined ? { labels: meta.labels } : {}) };
        pods.push({ pod, namespace: meta.namespace, ownerUid: controllerUid(meta) ?? meta.uid });
        current.set(`${meta.namespace}/${meta.name}`, pod);
        break;
      }
      case "PodBound": {
        const pod = current.get(e.key);
        if (pod !== undefined && pod.boundMs === undefined) pod.boundMs = atMs;
        break;
      }
      case "PodRunning": {
        const pod = current.get(e.key);
        if (pod !== undefined && pod.startMs === undefined) pod.startMs = atMs;
        break;
      }
      case "PodReadyChanged": {
        const pod = current.get(e.key);
        if (pod !== undefined && e.ready && pod.readyMs === undefined) pod.readyMs = atMs;
        break;
      }
      case "ContainerExited":
        if (e.phase !== "Running") end(e.key, atMs);
        break;
      case "PodFailed":
      case "PodDeleting":
      case "PodRemoved":
        end(e.key, atMs);
        break;
      default:
        break;
    }
  }
  const out = new Map<string, TwinPod[]>();
  for (const p of pods) {
    const owner = topOwner(byUid, p.ownerUid);
    if (owner === undefined) continue;
    const key = `${owner.kind}/${owner.namespace}/${owner.name}`;
    (out.get(key) ?? out.set(key, []).get(key) as TwinPod[]).push(p.pod);
  }
  return out;
}

function controllerUid(meta: ObjectMeta): string | undefined {
  return meta.ownerReferences?.find((r) => r.controller === true)?.uid ?? meta.ownerReferences?.[0]?.uid;
}

function topOwner(byUid: ReadonlyMap<string, Owned>, uid: string | undefined): Owned | undefined {
  let at = uid === undefined ? undefined : byUid.get(uid);
  for (let depth = 0; at !== undefined && at.ownerUid !== undefined && depth < ownerDepthMax; depth++) {
    const up = byUid.get(at.ownerUid);
    if (up === undefined) break;
    at = up;
  }
  return at;
}
