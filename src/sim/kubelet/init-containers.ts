/**
 * Init containers as kuberuntime's computePodActions / computeInitContainerActions play them
 * (pkg/kubelet/kuberuntime/kuberuntime_manager.go): after the images are pulled, one at a time in
 * spec order, each must exit 0 before the next starts, and the app containers start only when all
 * are done. A failed one restarts (CrashLoopBackOff) unless the pod's restartPolicy is Never, which
 * fails the pod. A sidecar (an init container with restartPolicy Always, KEP-753) lets the next one
 * start once it has started — its startup probe passed, or at once without one — and keeps running
 * beside the app containers.
 *
 * What an init container does is the scenario's: the first behaviour rule whose `image` is that
 * init container's image (and whose namespace and selector match the pod) gives its `exit`; no
 * such rule: it exits 0 at once. Times are drawn from the kubelet's `containers` stream, and only
 * for pods with init containers.
 */
import type { Container, Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { drawMs, type ContainerBehaviorPlan } from "./container-behavior.ts";
import { probeOutcome, probeTimingOf } from "./probe-schedule.ts";
import { killedExitCode } from "./container-schedule.ts";

/** What one start of an init container does: exit after afterMs, or (a sidecar) count as started then. */
export type InitRun = { kind: "exit"; afterMs: Ms; exitCode: number } | { kind: "started"; afterMs: Ms };

/** What an exit means for the pod: start the next, restart this one after its back-off, or fail the pod. */
export type InitExitOutcome = "next" | "restart" | "fail";

export function isSidecar(c: Container): boolean {
  return c.restartPolicy === "Always";
}

/** The init container the kubelet is to start next (undefined: none left, the app containers start). */
export function nextInitIndex(pod: Pod): number | undefined {
  const done = pod.status.init?.done ?? 0;
  return done < (pod.spec.initContainers?.length ?? 0) ? done : undefined;
}

/** The first rule naming this image whose namespace and selector match the pod. */
export function initBehaviorOf(pod: Pod, image: string | undefined, rules: readonly ContainerBehaviorPlan[]): ContainerBehaviorPlan | undefined {
  if (image === undefined) return undefined;
  for (const rule of rules) {
    if (rule.image !== image) continue;
    if (rule.namespace !== undefined && rule.namespace !== pod.metadata.namespace) continue;
    if (Object.entries(rule.selector).every(([k, v]) => pod.metadata.labels[k] === v)) return rule;
  }
  return undefined;
}

/**
 * One start of init container `c`. A sidecar has started when its startup probe first passes
 * (probe-schedule.ts; the app answers after the rule's readyAfter, at once without one); a
 * startup probe that fails for good kills it (exit 137, the kill's stop time not modelled); the
 * rule's exit before it started ends it first.
 */
export function initRunOf(c: Container, rule: ContainerBehaviorPlan | undefined, prng: Prng): InitRun {
  const exit = rule?.exit === undefined ? undefined : { afterMs: drawMs(rule.exit.afterMs, prng), exitCode: rule.exit.exitCode };
  if (!isSidecar(c)) return { kind: "exit", afterMs: exit?.afterMs ?? 0, exitCode: exit?.exitCode ?? 0 };
  const after = rule?.readyAfter;
  const answersFromMs = after === undefined ? 0 : after === "never" ? Infinity : drawMs(after, prng);
  const outcome = c.startupProbe === undefined ? { startedMs: 0 } : probeOutcome({ startup: probeTimingOf(c.startupProbe) }, { answersFromMs });
  const kill = "kill" in outcome && outcome.kill !== undefined ? { afterMs: outcome.kill.atMs, exitCode: killedExitCode } : undefined;
  const end = exit !== undefined && (kill === undefined || exit.afterMs < kill.afterMs) ? exit : kill;
  const startedMs = outcome.startedMs;
  if (end !== undefined && (startedMs === undefined || end.afterMs < startedMs)) return { kind: "exit", ...end };
  return { kind: "started", afterMs: startedMs ?? 0 };
}

/**
 * computeInitContainerActions: exit 0 → the next; a failure restarts it, or fails the pod under
 * restartPolicy Never. A sidecar that exits (before it started) is restarted whatever its code.
 */
export function initExitOutcome(pod: Pod, c: Container, exitCode: number): InitExitOutcome {
  if (isSidecar(c)) return "restart";
  if (exitCode === 0) return "next";
  return pod.spec.restartPolicy === "Never" ? "fail" : "restart";
}
