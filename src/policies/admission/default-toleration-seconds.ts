/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every pod tolerates
 * node.kubernetes.io/not-ready and unreachable NoExecute for --default-not-ready-toleration-seconds
 * and --default-unreachable-toleration-seconds (300 s each) unless it already tolerates them. This,
 * with the pods' own tolerationSeconds, is what decides how long after a node is lost its pods are
 * evicted (the old --pod-eviction-timeout was retired with taint-based eviction).
 */
import { taintNodeNotReady, taintNodeUnreachable } from "../../model/node-taints.ts";
import type { Pod, Toleration } from "../../model/objects.ts";
import { defaultAdmissionConfig, type AdmissionConfig } from "./types.ts";

export const defaultTolerationSecondsName = "DefaultTolerationSeconds";
const notReadyKey = taintNodeNotReady;
const unreachableKey = taintNodeUnreachable;

function covers(t: Toleration, key: string): boolean {
  const keyMatches = t.key === key || t.key === undefined || t.key === "";
  const effectMatches = t.effect === "NoExecute" || t.effect === undefined || (t.effect as string) === "";
  return keyMatches && effectMatches;
}

export function admitDefaultTolerationSeconds(_view: unknown, pod: Pod, _nowMs = 0, config: AdmissionConfig = defaultAdmissionConfig): undefined {
  const tolerations = pod.spec.tolerations ?? [];
  const add: Toleration[] = [];
  if (!tolerations.some((t) => covers(t, notReadyKey))) {
    add.push({ key: notReadyKey, operator: "Exists", effect: "NoExecute", tolerationSeconds: config.defaultNotReadyTolerationSeconds });
  }
  if (!tolerations.some((t) => covers(t, unreachableKey))) {
    add.push({ key: unreachableKey, operator: "Exists", effect: "NoExecute", tolerationSeconds: config.defaultUnreachableTolerationSeconds });
  }
  if (add.length > 0) pod.spec.tolerations = [...tolerations, ...add];
  return undefined;
}
