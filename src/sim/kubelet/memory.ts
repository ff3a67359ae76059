/**
 * A container's memory working set, as a behaviour rule describes it (`memory`): `base` right
 * after each start, growing by `growthPerMinute` (a leak) and by `perRequestPerSecond` for each
 * request per second the pod serves (the load model's share of its Service's traffic, per 5 s
 * slice). Past the container's memory limit the kernel's OOM killer ends it — exit 137, reason
 * OOMKilled — and the restart policy decides, as for any exit. A container without a memory
 * limit is never OOM-killed here (node-level memory pressure and eviction are not modelled).
 */
import type { Container } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";

export interface MemoryPlan {
  baseBytes: number;
  growthBytesPerMinute: number;
  perRequestPerSecondBytes: number;
}

/** The working set `sinceStartMs` after a start, serving `requestsPerSecond`. */
export function workingSetBytes(m: MemoryPlan, sinceStartMs: Ms, requestsPerSecond: number): number {
  return m.baseBytes + (m.growthBytesPerMinute * sinceStartMs) / 60_000 + m.perRequestPerSecondBytes * requestsPerSecond;
}

/** When the leak alone passes the limit (0: the base already does); undefined: never. */
export function leakOomAfterMs(m: MemoryPlan, limitBytes: number | undefined): Ms | undefined {
  if (limitBytes === undefined) return undefined;
  if (m.baseBytes > limitBytes) return 0;
  if (m.growthBytesPerMinute <= 0) return undefined;
  // The first whole ms at which the working set is above the limit.
  return Math.floor(((limitBytes - m.baseBytes) * 60_000) / m.growthBytesPerMinute) + 1;
}

export function memoryLimitOf(c: Container | undefined): number | undefined {
  return c?.limits.memory;
}
