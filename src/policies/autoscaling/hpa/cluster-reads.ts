/**
 * What the HPA controller reads from the cluster view, as upstream's informers and clients
 * give it: the target's scale subresource (Deployment or ReplicaSet: spec/status replicas and the
 * selector), the pods the selector matches (pod lister), and pod resource metrics from
 * metrics.k8s.io (PodMetrics objects written by the metrics pipeline; the metrics client sums a
 * pod's containers, or reads one container for ContainerResource).
 */
import type { CrossVersionObjectReference } from "../../../model/autoscaling-objects.ts";
import type { LabelSelector, Pod } from "../../../model/objects.ts";
import { podsMatching } from "../../../model/pod-selection.ts";
import { storedObjectsOf } from "../../../model/stored-objects.ts";
import type { ClusterView } from "../../../model/view.ts";
import type { MetricsSource } from "./metric-proposals.ts";
import type { HpaPod, PodMetric } from "./pod-groups.ts";
import type { ScaleRead } from "./sync.ts";

export interface ScaleTarget {
  read: ScaleRead;
  /** "namespace/name" of the target and its resourceVersion (the scale write is based on it). */
  key: string;
  version: number;
  kind: string;
}

const resources: Record<string, string> = { Deployment: "deployments.apps", ReplicaSet: "replicasets.apps" };

export function scaleTargetOf(view: ClusterView, namespace: string, ref: CrossVersionObjectReference): ScaleTarget {
  const key = `${namespace}/${ref.name}`;
  const target = ref.kind === "Deployment" ? view.deployments.get(key) : ref.kind === "ReplicaSet" ? view.replicaSets.get(key) : undefined;
  if (target === undefined) {
    const resource = resources[ref.kind];
    const error = resource === undefined ? `no matches for kind "${ref.kind}" in group "${groupOf(ref.apiVersion)}"` : `${resource} "${ref.name}" not found`;
    return { read: { ok: false, error }, key, version: 0, kind: ref.kind };
  }
  const read: ScaleRead = { ok: true, specReplicas: target.spec.replicas, statusReplicas: target.status.replicas, selector: target.spec.selector };
  return { read, key, version: target.metadata.resourceVersion ?? 0, kind: ref.kind };
}

function groupOf(apiVersion: string | undefined): string {
  const slash = apiVersion?.indexOf("/") ?? -1;
  return apiVersion !== undefined && slash > 0 ? apiVersion.slice(0, slash) : "";
}

/** The pods the selector matches in the namespace, by name (the lister's order does not matter upstream). */
export function selectedPods(view: ClusterView, namespace: string, selector: LabelSelector | undefined): Pod[] {
  return selector === undefined ? [] : podsMatching(view, namespace, selector);
}

/**
 * A model pod as the replica calculator reads it. The Ready condition exists once the pod runs;
 * its last transition is when it last became ready, or its start when it never was (the kubelet
 * writes Ready=False when the pod starts). The model does not keep the time a ready pod became
 * unready again, so such a pod's transition is taken as its last ready time.
 */
export function hpaPodOf(pod: Pod): HpaPod {
  const s = pod.status;
  const started = s.startedMs !== undefined && s.phase !== "Pending";
  return {
    name: pod.metadata.name,
    phase: s.phase,
    deleting: pod.metadata.deletionMs !== undefined,
    ...(started ? { readyCondition: { ready: s.ready, lastTransitionMs: s.readyMs ?? s.startedMs ?? 0 }, startMs: s.startedMs } : {}),
    containers: pod.spec.containers.map((c) => ({ name: c.name, requests: c.requests })),
  };
}

function milliOf(resource: string, amount: number): number {
  return resource === "cpu" ? amount : amount * 1000;
}

/** Resource metrics from the view's PodMetrics; custom, object and external metrics are not modelled yet (none returned). */
export function viewMetricsSource(view: ClusterView, namespace: string, pods: readonly Pod[]): MetricsSource {
  const podMetrics = storedObjectsOf(view, "PodMetrics");
  return {
    resource(resource, container) {
      const out = new Map<string, PodMetric>();
      for (const pod of pods) {
        const m = podMetrics.get(`${namespace}/${pod.metadata.name}`);
        if (m === undefined) continue;
        let total = 0;
        let complete = true;
        for (const c of m.containers) {
          if (container !== "" && c.name !== container) continue;
          const usage = c.usage[resource];
          if (usage === undefined) complete = false;
          else total += milliOf(resource, usage);
        }
        if (complete) out.set(pod.metadata.name, { valueMilli: total, timestampMs: m.timestampMs, windowMs: m.windowMs });
      }
      return out;
    },
    pods: () => undefined,
    object: () => undefined,
    external: () => undefined,
  };
}
