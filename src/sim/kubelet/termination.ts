/**
 * How long a deleted pod's container takes to stop, as upstream's killContainer
 * (pkg/kubelet/kuberuntime/kuberuntime_container.go): the grace period is the pod's
 * terminationGracePeriodSeconds (default 30 s); the preStop hook runs first, for at most the
 * grace period, and its time is taken off the grace; what is left (at least
 * minimumGracePeriodInSeconds, 2 s) is the runtime's StopContainer timeout: SIGTERM, then
 * SIGKILL when the app has not stopped by then. A grace period of 0 stops at once.
 */
import type { Ms } from "../../model/units.ts";

/** upstream kuberuntime minimumGracePeriodInSeconds. */
export const minimumGraceMs = 2_000;

export interface Termination {
  /** The grace period the deletion gives (the pod's terminationGracePeriodSeconds). */
  graceMs: Ms;
  /** The preStop hook's run time (0: none). */
  preStopMs: Ms;
  /** How long the app takes to exit after SIGTERM. */
  appStopMs: Ms;
}

/** From the deletion to the container stopped: preStop (cut at the grace), then SIGTERM until the app exits or SIGKILL. */
export function stopDelayMs(t: Termination): Ms {
  if (t.graceMs <= 0) return 0;
  const preStopMs = Math.min(t.preStopMs, t.graceMs);
  const stopTimeoutMs = Math.max(t.graceMs - preStopMs, minimumGraceMs);
  return preStopMs + Math.min(t.appStopMs, stopTimeoutMs);
}
