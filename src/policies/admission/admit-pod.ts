/**
 * Pod admission, the chain the API server runs on create (upstream order): NamespaceLifecycle,
 * LimitRanger (mutating), DefaultTolerationSeconds (mutating), Priority (mutating), the VPA
 * admission webhook (mutating webhooks run after the in-tree mutating plugins), then
 * ResourceQuota (validating, last, so it sees the defaulted requests). Works on a copy.
 */
import type { Pod } from "../../model/objects.ts";
import { admitDefaultTolerationSeconds } from "./default-toleration-seconds.ts";
import { admitLimitRanger } from "./limit-ranger.ts";
import { admitNamespaceLifecycle } from "./namespace-lifecycle.ts";
import { admitPriority } from "./priority.ts";
import { admitVerticalPodAutoscaler } from "./vertical-pod-autoscaler.ts";
import { admitResourceQuota } from "./resource-quota.ts";
import { defaultAdmissionConfig, type AdmissionConfig, type AdmissionPlugin, type AdmissionResult, type AdmissionView } from "./types.ts";

export const admissionChain: readonly { name: string; admit: AdmissionPlugin }[] = [
  { name: "NamespaceLifecycle", admit: admitNamespaceLifecycle },
  { name: "LimitRanger", admit: admitLimitRanger },
  { name: "DefaultTolerationSeconds", admit: admitDefaultTolerationSeconds },
  { name: "Priority", admit: admitPriority },
  { name: "VerticalPodAutoscaler", admit: admitVerticalPodAutoscaler },
  { name: "ResourceQuota", admit: admitResourceQuota },
];

/** API defaulting before admission: a container limit without a request requests the limit. */
function defaultRequestsFromLimits(pod: Pod): void {
  for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
    for (const [k, v] of Object.entries(c.limits)) if (!(k in c.requests)) c.requests[k] = v;
  }
}

export function admitPod(view: AdmissionView, pod: Pod, nowMs: number, config: AdmissionConfig = defaultAdmissionConfig): AdmissionResult {
  const copy = structuredClone(pod);
  defaultRequestsFromLimits(copy);
  for (const plugin of admissionChain) {
    const rejection = plugin.admit(view, copy, nowMs, config);
    if (rejection !== undefined) return rejection;
  }
  return { kind: "Admitted", pod: copy };
}

export { quotaUsage, podQuotaUsage } from "./resource-quota.ts";
