/**
 * The kubelet's per-container restart back-off (CrashLoopBackOff), as upstream:
 * pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff over client-go's
 * util/flowcontrol/backoff.go with pkg/kubelet/kubelet.go's initialCrashLoopBackOff 10 s and
 * MaxContainerBackOff 300 s (shared/vectors/timings.json "initialCrashLoopBackOff",
 * "MaxCrashLoopBackOff (MaxContainerBackOff)", "backoff reset / GC rule"):
 *
 * - a container that exits with no back-off entry (or one last updated more than 2 × max = 10 min
 *   before it finished) restarts at once and records 10 s (Backoff.Next on a fresh entry);
 * - otherwise it waits until `finishedAt + entry` (IsInBackOffSince), then restarts and the entry
 *   doubles, capped at 300 s: waits 10, 20, 40, 80, 160, 300, 300, … s.
 *
 * The twin restarts the moment the wait is over; upstream notices on its next pod sync (the pod
 * worker's 10 s backOffPeriod or a PLEG event), a few seconds later at most. No jitter (upstream's
 * kubelet back-off has none).
 */
import { assert } from "../../model/assert.ts";
import type { Ms } from "../../model/units.ts";

/** upstream pkg/kubelet/kubelet.go initialCrashLoopBackOff. */
export const initialCrashLoopBackOffMs = 10_000;
/** upstream pkg/kubelet/apis/config/v1beta1/defaults.go MaxContainerBackOff. */
export const maxCrashLoopBackOffMs = 300_000;

export interface BackOffEntry {
  backOffMs: Ms;
  lastUpdateMs: Ms;
}

export interface BackOffCurve {
  initialMs: Ms;
  maxMs: Ms;
}

export const defaultBackOffCurve: BackOffCurve = { initialMs: initialCrashLoopBackOffMs, maxMs: maxCrashLoopBackOffMs };

/** hasExpired: an entry not updated for more than 2 × max no longer counts. */
function expired(entry: BackOffEntry, eventMs: Ms, curve: BackOffCurve): boolean {
  return eventMs - entry.lastUpdateMs > 2 * curve.maxMs;
}

/** How long a container that finished at `finishedMs` waits before its restart (0: at once). */
export function restartDelayMs(entry: BackOffEntry | undefined, finishedMs: Ms, curve: BackOffCurve = defaultBackOffCurve): Ms {
  if (entry === undefined || expired(entry, finishedMs, curve)) return 0;
  return entry.backOffMs;
}

/** Backoff.Next at the restart: a fresh entry at the initial delay, else doubled up to the cap. */
export function nextBackOff(entry: BackOffEntry | undefined, finishedMs: Ms, restartMs: Ms, curve: BackOffCurve = defaultBackOffCurve): BackOffEntry {
  assert(restartMs >= finishedMs, `restart at ${restartMs} before the container finished at ${finishedMs}`);
  if (entry === undefined || expired(entry, finishedMs, curve)) return { backOffMs: curve.initialMs, lastUpdateMs: restartMs };
  return { backOffMs: Math.min(2 * entry.backOffMs, curve.maxMs), lastUpdateMs: restartMs };
}
