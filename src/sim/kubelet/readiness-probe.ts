/**
 * When a periodic readiness probe turns a container's Ready condition off and on again around a
 * window in which its endpoint fails, as upstream's prober worker (pkg/kubelet/prober/worker.go
 * doProbe): a probe every periodSeconds from the container start (initialDelaySeconds 0), the
 * result flips only after failureThreshold consecutive failures or successThreshold consecutive
 * successes. Defaults from pkg/apis/core/v1/defaults.go SetDefaults_Probe: period 10 s,
 * failureThreshold 3, successThreshold 1; the probe itself answers at once (timeoutSeconds not
 * reached).
 */
import type { Ms } from "../../model/units.ts";
import { defaultProbe } from "../../model/objects.ts";
import { probeTimingOf, type ProbeTiming } from "./probe-schedule.ts";

export const defaultProbeTiming: ProbeTiming = probeTimingOf(defaultProbe);

/**
 * Times after the start at which Ready turns false and true again, for an endpoint failing in
 * [fromMs, toMs); undefined when too few probes fall in the window to reach failureThreshold.
 */
export function readinessFlips(fromMs: Ms, toMs: Ms, p: ProbeTiming): { notReadyMs: Ms; readyAgainMs: Ms } | undefined {
  const firstFailingMs = Math.ceil(fromMs / p.periodMs) * p.periodMs;
  const notReadyMs = firstFailingMs + (p.failureThreshold - 1) * p.periodMs;
  if (notReadyMs >= toMs) return undefined;
  const firstPassingMs = Math.ceil(toMs / p.periodMs) * p.periodMs;
  return { notReadyMs, readyAgainMs: firstPassingMs + (p.successThreshold - 1) * p.periodMs };
}
