/**
 * LimitRanger: applies a namespace's LimitRange defaults to containers (default limits, default
 * requests, with upstream's LimitRangeItem defaulting: limit ← max, request ← limit ← min) and
 * rejects containers or pods outside min / max / maxLimitRequestRatio.
 */
import type { Container, Pod, ResourceList } from "../../model/objects.ts";
import type { LimitRange, LimitRangeItem } from "../../model/scheduling-objects.ts";
import { formatQuantity } from "./quantity-format.ts";
import { forbidden, type AdmissionView, type Rejection } from "./types.ts";

export const limitRangerName = "LimitRanger";

function rangesFor(view: AdmissionView, namespace: string): LimitRange[] {
  const out: LimitRange[] = [];
  for (const lr of view.limitRanges?.values() ?? []) if (lr.metadata.namespace === namespace) out.push(lr);
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** upstream SetDefaults_LimitRangeItem for Container items. */
export function containerDefaults(item: LimitRangeItem): { limits: ResourceList; requests: ResourceList } {
  const limits: ResourceList = { ...(item.default ?? {}) };
  for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in limits)) limits[k] = v;
  const requests: ResourceList = { ...(item.defaultRequest ?? {}) };
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in requests)) requests[k] = v;
  return { limits, requests };
}

function applyDefaults(c: Container, d: { limits: ResourceList; requests: ResourceList }): void {
  for (const [k, v] of Object.entries(d.limits)) if (!(k in c.limits)) c.limits[k] = v;
  for (const [k, v] of Object.entries(d.requests)) if (!(k in c.requests)) c.requests[k] = v;
}

function q(name: string, v: number): string {
  return formatQuantity(name, v);
}

function checkItem(kind: string, item: LimitRangeItem, requests: ResourceList, limits: ResourceList, errors: string[]): void {
  for (const [r, min] of Object.entries(item.min ?? {})) {
    if (!(r in requests)) errors.push(`minimum ${r} usage per ${kind} is ${q(r, min)}.  No request is specified`);
    else if ((requests[r] as number) < min) errors.push(`minimum ${r} usage per ${kind} is ${q(r, min)}, but request is ${q(r, requests[r] as number)}`);
    else if (r in limits && (limits[r] as number) < min) errors.push(`minimum ${r} usage per ${kind} is ${q(r, min)}, but limit is ${q(r, limits[r] as number)}`);
  }
  for (const [r, max] of Object.entries(item.max ?? {})) {
    if (!(r in limits)) errors.push(`maximum ${r} usage per ${kind} is ${q(r, max)}.  No limit is specified`);
    else if ((limits[r] as number) > max) errors.push(`maximum ${r} usage per ${kind} is ${q(r, max)}, but limit is ${q(r, limits[r] as number)}`);
    else if (r in requests && (requests[r] as number) > max) errors.push(`maximum ${r} usage per ${kind} is ${q(r, max)}, but request is ${q(r, requests[r] as number)}`);
  }
  for (const [r, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const req = requests[r];
    const lim = limits[r];
    if (req === undefined || lim === undefined || req === 0) {
      errors.push(`${r} max limit to request ratio per ${kind} is ${ratio}, but no request is specified or request is 0`);
    } else if (lim / req > ratio) {
      errors.push(`${r} max limit to request ratio per ${kind} is ${ratio}, but provided ratio is ${(lim / req).toFixed(6)}`);
    }
  }
}

function podTotals(pod: Pod): { requests: ResourceList; limits: ResourceList } {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  const names = new Set(pod.spec.containers.flatMap((c) => [...Object.keys(c.requests), ...Object.keys(c.limits)]));
  for (const r of names) {
    if (pod.spec.containers.every((c) => r in c.requests)) requests[r] = pod.spec.containers.reduce((s, c) => s + (c.requests[r] as number), 0);
    if (pod.spec.containers.every((c) => r in c.limits)) limits[r] = pod.spec.containers.reduce((s, c) => s + (c.limits[r] as number), 0);
  }
  return { requests, limits };
}

export function admitLimitRanger(view: AdmissionView, pod: Pod): Rejection | undefined {
  const ranges = rangesFor(view, pod.metadata.namespace);
  if (ranges.length === 0) return undefined;
  const errors: string[] = [];
  for (const lr of ranges) {
    for (const item of lr.spec.limits) {
      if (item.type !== "Container") continue;
      const d = containerDefaults(item);
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) applyDefaults(c, d);
    }
  }
  for (const lr of ranges) {
    for (const item of lr.spec.limits) {
      if (item.type === "Container") {
        for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) checkItem("Container", item, c.requests, c.limits, errors);
      } else if (item.type === "Pod") {
        const t = podTotals(pod);
        checkItem("Pod", item, t.requests, t.limits, errors);
      }
    }
  }
  if (errors.length === 0) return undefined;
  return forbidden(limitRangerName, pod, errors.length === 1 ? (errors[0] as string) : `[${errors.join(", ")}]`);
}
