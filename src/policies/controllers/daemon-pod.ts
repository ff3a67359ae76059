/**
 * What makes a pod a daemon pod, after upstream pkg/controller/daemon (daemon_controller.go
 * NodeShouldRunDaemonPod / predicates, util/daemonset_util.go AddOrUpdateDaemonPodTolerations,
 * ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName): which nodes should run one, the
 * tolerations every daemon pod gets, the node affinity that pins it to its node (the normal
 * scheduler then binds it), and the template hash that tells updated pods from old ones.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { DaemonSet } from "../../model/daemon-set.ts";
import { hashString } from "../../model/hash.ts";
import { taintNodeNotReady, taintNodeUnreachable, taintNodeUnschedulable } from "../../model/node-taints.ts";
import type { Affinity, Node, Pod, PodSpec, Taint, Toleration } from "../../model/objects.ts";
import { podRequiredNodeAffinityMatches } from "../scheduling/node-selector.ts";
import { taintTolerated } from "../scheduling/tolerations.ts";

export const taintNodeDiskPressure = "node.kubernetes.io/disk-pressure";
export const taintNodeMemoryPressure = "node.kubernetes.io/memory-pressure";
export const taintNodePIDPressure = "node.kubernetes.io/pid-pressure";
export const taintNodeNetworkUnavailable = "node.kubernetes.io/network-unavailable";
/** upstream apps.ControllerRevisionHashLabelKey: the template revision a daemon pod was made from. */
export const revisionHashLabel = "controller-revision-hash";

/**
 * AddOrUpdateDaemonPodTolerations: not-ready and unreachable NoExecute forever (daemon pods survive
 * taint-based eviction), the pressure and unschedulable NoSchedule taints, network-unavailable for
 * hostNetwork pods. A template toleration with the same key, operator, value and effect is replaced
 * (v1helper.AddOrUpdateTolerationInPodSpec).
 */
export function addDaemonPodTolerations(spec: PodSpec): void {
  const added: Toleration[] = [
    { key: taintNodeNotReady, operator: "Exists", effect: "NoExecute" },
    { key: taintNodeUnreachable, operator: "Exists", effect: "NoExecute" },
    { key: taintNodeDiskPressure, operator: "Exists", effect: "NoSchedule" },
    { key: taintNodeMemoryPressure, operator: "Exists", effect: "NoSchedule" },
    { key: taintNodePIDPressure, operator: "Exists", effect: "NoSchedule" },
    { key: taintNodeUnschedulable, operator: "Exists", effect: "NoSchedule" },
  ];
  if (spec.hostNetwork === true) added.push({ key: taintNodeNetworkUnavailable, operator: "Exists", effect: "NoSchedule" });
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of added) {
    const same = tolerations.findIndex((o) => (o.key ?? "") === t.key && (o.operator ?? "Equal") === t.operator && (o.value ?? "") === "" && o.effect === t.effect);
    if (same >= 0) tolerations[same] = t;
    else tolerations.push(t);
  }
  spec.tolerations = tolerations;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes `metadata.name In [node]`, nothing else. */
export function pinnedAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In" as const, values: [nodeName] }] }] };
  return { ...affinity, nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required } };
}

/** The template's pod spec with the daemon tolerations (upstream NewPod, before the node is pinned). */
export function daemonPodSpec(ds: DaemonSet): PodSpec {
  const spec = structuredClone(ds.spec.template.spec);
  addDaemonPodTolerations(spec);
  return spec;
}

function untolerated(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined, effects: readonly Taint["effect"][]): boolean {
  return taints.some((t) => effects.includes(t.effect) && !taintTolerated(t, tolerations, false));
}

export interface ShouldRun {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** A daemon pod already there may stay (it tolerates the node's NoExecute taints). */
  shouldContinueRunning: boolean;
}

/**
 * NodeShouldRunDaemonPod: the template's nodeName (if set) and required node affinity / node
 * selector must fit the node; a NoSchedule or NoExecute taint the pod does not tolerate stops new
 * pods, and only an untolerated NoExecute one makes a running pod leave. `spec`: daemonPodSpec(ds),
 * given by callers that ask for many nodes.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet, spec: PodSpec = daemonPodSpec(ds)): ShouldRun {
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName !== undefined && spec.nodeName !== node.metadata.name) return no;
  const probe: Pod = { kind: "Pod", metadata: { name: "", namespace: ds.metadata.namespace, uid: "", labels: ds.spec.template.labels, creationMs: 0 }, spec, status: { phase: "Pending", ready: false } };
  if (!podRequiredNodeAffinityMatches(probe, node)) return no;
  const taints = node.spec.taints;
  if (untolerated(taints, spec.tolerations, ["NoSchedule", "NoExecute"])) {
    return { shouldRun: false, shouldContinueRunning: !untolerated(taints, spec.tolerations, ["NoExecute"]) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** GetTargetNodeName: the node a daemon pod is bound to, or pinned to by its affinity while pending. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec.nodeName !== undefined) return pod.spec.nodeName;
  for (const term of pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const req of term.matchFields ?? []) if (req.key === "metadata.name" && req.operator === "In" && req.values?.length === 1) return req.values[0];
  }
  return undefined;
}

/** The template's revision: a digest of the pod template (upstream hashes the ControllerRevision's data). */
export function templateHash(ds: DaemonSet): string {
  return hashString(canonicalJson(ds.spec.template)).slice(0, 10);
}
