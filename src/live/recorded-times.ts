/**
 * A live object's times on the recording's clock. The codec reads a cluster's timestamps as unix
 * ms (creationTimestamp, a pod's startTime, a node's lastTransitionTime, a lease's renewTime …);
 * a recording's records are ms since it started. Every `…Ms` field holding a moment after
 * 1973 (≥ 1e11 ms) is moved by the recording's start, so the state a reader folds has one clock:
 * an object created before the recording has a negative creation time. Durations (`…Ms` too:
 * windows, delays, back-offs) are never that long, and a twin served from virtual time (1970) is
 * left as it is.
 */
const momentMsMin = 1e11;

/** Rebases `value` in place (a copy the caller owns); answers it. */
export function rebaseTimes<T>(value: T, originUnixMs: number): T {
  if (originUnixMs === 0) return value;
  walk(value, originUnixMs);
  return value;
}

function walk(value: unknown, originUnixMs: number): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, originUnixMs);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const o = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "number" && k.endsWith("Ms") && v >= momentMsMin) o[k] = v - originUnixMs;
    else if (typeof v === "object") walk(v, originUnixMs);
  }
}
