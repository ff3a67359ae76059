/**
 * ResourceQuota: a pod is admitted only if, for every quota in its namespace, current usage plus
 * the pod stays within `hard` (403 "exceeded quota: …, requested: …, used: …, limited: …"), and
 * only if its containers set every compute resource a quota constrains ("must specify …").
 * Usage is computed from the view's pods (non-terminal pods of the namespace).
 */
import type { Pod, ResourceList } from "../../model/objects.ts";
import { podSpecRequests } from "../../model/resources.ts";
import type { ResourceQuota } from "../../model/scheduling-objects.ts";
import { formatQuantity } from "./quantity-format.ts";
import { forbidden, type AdmissionView, type Rejection } from "./types.ts";

export const resourceQuotaName = "ResourceQuota";

function podLimits(pod: Pod): ResourceList {
  const out: ResourceList = {};
  for (const c of pod.spec.containers) for (const [k, v] of Object.entries(c.limits)) out[k] = (out[k] ?? 0) + v;
  for (const c of pod.spec.initContainers ?? []) for (const [k, v] of Object.entries(c.limits)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

/** What one pod counts against each quota resource name (upstream's pod evaluator). */
export function podQuotaUsage(pod: Pod): ResourceList {
  const usage: ResourceList = { pods: 1, "count/pods": 1 };
  const requests = podSpecRequests(pod.spec);
  const limits = podLimits(pod);
  for (const [k, v] of Object.entries(requests)) {
    usage[`requests.${k}`] = v;
    if (k === "cpu" || k === "memory" || k === "ephemeral-storage") usage[k] = v;
  }
  for (const [k, v] of Object.entries(limits)) usage[`limits.${k}`] = v;
  return usage;
}

function counts(pod: Pod): boolean {
  return pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed";
}

/** Current usage of a quota's hard resources by the namespace's non-terminal pods. */
export function quotaUsage(view: AdmissionView, quota: ResourceQuota, exceptKey?: string): ResourceList {
  const used: ResourceList = {};
  for (const name of Object.keys(quota.spec.hard)) used[name] = 0;
  for (const [key, pod] of view.pods) {
    if (key === exceptKey || pod.metadata.namespace !== quota.metadata.namespace || !counts(pod)) continue;
    const u = podQuotaUsage(pod);
    for (const name of Object.keys(quota.spec.hard)) used[name] = (used[name] as number) + (u[name] ?? 0);
  }
  return used;
}

const computeNames = ["cpu", "memory", "ephemeral-storage"];

function missingSpecs(pod: Pod, quota: ResourceQuota): string[] {
  const out: string[] = [];
  for (const name of Object.keys(quota.spec.hard).sort()) {
    const m = /^(requests|limits)\.(cpu|memory|ephemeral-storage)$/.exec(name) ?? (computeNames.includes(name) ? [name, "requests", name] : null);
    if (m === null) continue;
    const field = m[1] === "limits" ? "limits" : "requests";
    const missing = pod.spec.containers.filter((c) => !(Object.hasOwn(c[field], m[2] as string))).map((c) => c.name);
    if (missing.length > 0) out.push(`${name} for: ${missing.join(",")}`);
  }
  return out;
}

function pretty(list: [string, number][]): string {
  return list.map(([k, v]) => `${k}=${formatQuantity(k, v)}`).join(",");
}

function quotasFor(view: AdmissionView, namespace: string): ResourceQuota[] {
  const out: ResourceQuota[] = [];
  for (const rq of view.resourceQuotas?.values() ?? []) if (rq.metadata.namespace === namespace) out.push(rq);
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

export function admitResourceQuota(view: AdmissionView, pod: Pod): Rejection | undefined {
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const delta = podQuotaUsage(pod);
  for (const quota of quotasFor(view, pod.metadata.namespace)) {
    const missing = missingSpecs(pod, quota);
    if (missing.length > 0) return forbidden(resourceQuotaName, pod, `failed quota: ${quota.metadata.name}: must specify ${missing.join("; ")}`);
    const used = quotaUsage(view, quota, key);
    const requested: [string, number][] = [];
    const usedList: [string, number][] = [];
    const limited: [string, number][] = [];
    for (const name of Object.keys(quota.spec.hard).sort()) {
      const want = delta[name] ?? 0;
      if (want === 0) continue;
      const hard = quota.spec.hard[name] as number;
      const have = used[name] as number;
      if (have + want > hard) {
        requested.push([name, want]);
        usedList.push([name, have]);
        limited.push([name, hard]);
      }
    }
    if (requested.length > 0) {
      return forbidden(
        resourceQuotaName,
        pod,
        `exceeded quota: ${quota.metadata.name}, requested: ${pretty(requested)}, used: ${pretty(usedList)}, limited: ${pretty(limited)}`,
      );
    }
  }
  return undefined;
}
