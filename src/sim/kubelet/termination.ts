/**
 * How long a deleted pod's container takes to stop, as upstream's killContainer
 * (pkg/kubelet/kuberuntime/kuberuntime_container.go): the grace period is the pod's
 * terminationGracePeriodSeconds (default 30 s); the preStop hook runs first, for at most the
 * grace period, and its time is taken off the grace; what is left (at least
 * minimumGracePeriodInSeconds, 2 s) is the runtime's StopContainer timeout: SIGTERM, then
 * SIGKILL when the app has not stopped by then. A grace period of 0 stops at once.
 */
import type { Container, Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
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

/** From the deletion (or a probe's kill) to the container stopped: preStop (cut at the grace), then SIGTERM until the app exits or SIGKILL. */
export function stopDelayMs(t: Termination): Ms {
  return stopOf(t).delayMs;
}

/** The stop delay and whether it ended in SIGKILL (the app still running when its stop timeout ran out). */
export function stopOf(t: Termination): { delayMs: Ms; sigkill: boolean } {
  if (t.graceMs <= 0) return { delayMs: 0, sigkill: true };
  const preStopMs = Math.min(t.preStopMs, t.graceMs);
  const stopTimeoutMs = Math.max(t.graceMs - preStopMs, minimumGraceMs);
  return { delayMs: preStopMs + Math.min(t.appStopMs, stopTimeoutMs), sigkill: t.appStopMs > stopTimeoutMs };
}

/** The grace period of a pod: its terminationGracePeriodSeconds, else the run's default. */
export function graceMsOf(pod: Pod, defaultGraceMs: Ms): Ms {
  const seconds = pod.spec.terminationGracePeriodSeconds;
  return seconds === undefined ? defaultGraceMs : seconds * 1000;
}

/** The preStop hook the pod spec gives a length: the sleep action (lifecycle.preStop.sleep.seconds); else none. */
export function specPreStopMs(c: Container | undefined): Ms {
  return (c?.preStopSleepSeconds ?? 0) * 1000;
}

/** How long an app takes to exit on SIGTERM when its rule does not say (stopAfter): about a second. */
export function defaultAppStopMs(prng: Prng): Ms {
  return Math.round(prng.logNormal(1_000, 0.5));
}
