/**
 * One container start, as the kubelet will play it: when Ready turns on and off, and how the
 * container ends (its own exit, an OOM kill by a memory leak past its limit: memory.ts, or a kill
 * by a failing startup or liveness probe). The app's behaviour is the scenario's
 * (container-behavior.ts); the probes' timing is the pod spec's (probe-schedule.ts). Without a
 * readinessProbe in the spec the twin keeps its stand-in: Ready when the app answers (readyAfter,
 * or readinessDelay) once Started, turned off and on by the behaviour rule's own readiness timing.
 * The twin models one container per pod: the probes and the memory limit are those of the
 * container the rule's `image` names, else the first.
 */
import type { ContainerExitCause } from "../../model/cluster-event.ts";
import type { Container, Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { containerRunOf, drawMs, type ContainerBehaviorPlan, type ContainerRun } from "./container-behavior.ts";
import { defaultAppStopMs, graceMsOf, specPreStopMs, stopOf } from "./termination.ts";
import { probeOutcome, probeTimingOf, type ContainerProbes, type ReadyChange } from "./probe-schedule.ts";
import { readinessFlips } from "./readiness-probe.ts";
import { leakOomAfterMs, memoryLimitOf } from "./memory.ts";

/** Why a container stopped that did not exit by itself (ContainerExited.cause). */
export type KillCause = ContainerExitCause;

/** upstream: a container killed (SIGKILL, by the kubelet or the OOM killer) exits 128 + 9. */
export const killedExitCode = 137;
/** A process that ends on SIGTERM's default action exits 128 + 15. */
export const sigtermExitCode = 143;

export type ContainerAction =
  | { atMs: Ms; kind: "ready" | "notReady" }
  | { atMs: Ms; kind: "exit"; exitCode: number; cause?: KillCause };

/** The run's defaults for what a pod and its rule do not say. */
export interface ContainerDefaults {
  readinessDelayMs: Ms;
  terminationGraceMs: Ms;
}

/** The actions of one container start, in the order they are to be scheduled; nothing after its end. */
export function containerActions(pod: Pod, rule: ContainerBehaviorPlan | undefined, defaults: ContainerDefaults, prng: Prng): ContainerAction[] {
  const run = containerRunOf(rule, defaults.readinessDelayMs, prng);
  const main = mainContainer(pod, rule);
  const probes = probesOf(main);
  const hasProbes = probes.startup !== undefined || probes.liveness !== undefined || probes.readiness !== undefined;
  const outcome = hasProbes
    ? probeOutcome(probes, { answersFromMs: run.readyMs, ...(run.failing === undefined ? {} : { readinessFailing: run.failing }), ...(run.livenessFailing === undefined ? {} : { livenessFailing: run.livenessFailing }) })
    : { startedMs: 0, readiness: [] as ReadyChange[] };
  const oomMs = rule?.memory === undefined ? undefined : leakOomAfterMs(rule.memory, memoryLimitOf(main));
  const kill = outcome.kill === undefined ? undefined : probeKillOf(outcome.kill, pod, rule, defaults, prng);
  const end = endOf(run, kill, oomMs);
  // A probe's kill that began before the end takes the pod out of its endpoints then, not when the container is gone.
  const killBegan = kill !== undefined && end !== undefined && kill.startMs < end.atMs;
  const cutMs = end === undefined ? Infinity : killBegan ? (kill as { startMs: Ms }).startMs : end.atMs;
  const changes = probes.readiness !== undefined ? outcome.readiness : outcome.startedMs === undefined ? [] : standInReadiness(Math.max(run.readyMs, outcome.startedMs), run);
  const actions: ContainerAction[] = [];
  for (const c of changes) if (c.atMs < cutMs) actions.push({ atMs: c.atMs, kind: c.ready ? "ready" : "notReady" });
  if (killBegan) actions.push({ atMs: cutMs, kind: "notReady" });
  if (end !== undefined) actions.push(end);
  return actions;
}

/**
 * A failing probe's kill, as killContainer does it: the preStop hook, then SIGTERM, then SIGKILL
 * at the grace (termination.ts). The container exits 137 when SIGKILL ended it, else 143 (128 +
 * SIGTERM, a process ending on the signal).
 */
function probeKillOf(kill: { atMs: Ms; probe: "startup" | "liveness" }, pod: Pod, rule: ContainerBehaviorPlan | undefined, defaults: ContainerDefaults, prng: Prng): { startMs: Ms; exit: ContainerAction } {
  const main = mainContainer(pod, rule);
  const preStopMs = rule?.preStop === undefined ? specPreStopMs(main) : drawMs(rule.preStop, prng);
  const appStopMs = rule?.stopAfter === undefined ? defaultAppStopMs(prng) : drawMs(rule.stopAfter, prng);
  // killContainer: the probe's own terminationGracePeriodSeconds, else the pod's.
  const probeGraceSeconds = (kill.probe === "liveness" ? main?.livenessProbe : main?.startupProbe)?.terminationGracePeriodSeconds;
  const graceMs = probeGraceSeconds === undefined ? graceMsOf(pod, defaults.terminationGraceMs) : probeGraceSeconds * 1000;
  const stop = stopOf({ graceMs, preStopMs, appStopMs });
  const cause = kill.probe === "liveness" ? "LivenessProbe" : "StartupProbe";
  return { startMs: kill.atMs, exit: { atMs: kill.atMs + stop.delayMs, kind: "exit", exitCode: stop.sigkill ? killedExitCode : sigtermExitCode, cause } };
}

/** The earliest of the app's own exit, an OOM kill by its leak and a probe's kill once it stopped the container (in that order on a tie). */
function endOf(run: ContainerRun, kill: { exit: ContainerAction } | undefined, oomMs: Ms | undefined): ContainerAction | undefined {
  const ends: ContainerAction[] = [];
  if (run.exit !== undefined) ends.push({ atMs: run.exit.afterMs, kind: "exit", exitCode: run.exit.exitCode });
  if (oomMs !== undefined) ends.push({ atMs: oomMs, kind: "exit", exitCode: killedExitCode, cause: "OOMKilled" });
  if (kill !== undefined) ends.push(kill.exit);
  let first: ContainerAction | undefined;
  for (const e of ends) if (first === undefined || e.atMs < first.atMs) first = e;
  return first;
}

/** Without a readinessProbe: Ready at readyMs unless the rule's failing window covers it, then the window's flips. */
function standInReadiness(readyMs: Ms, run: ContainerRun): ReadyChange[] {
  const f = run.failing;
  const flips = f === undefined ? undefined : readinessFlips(f.fromMs, f.toMs, f.probe);
  const out: ReadyChange[] = [];
  const covered = flips !== undefined && readyMs >= flips.notReadyMs && readyMs < flips.readyAgainMs;
  if (readyMs !== Infinity && !covered) out.push({ atMs: readyMs, ready: true });
  if (flips !== undefined) out.push({ atMs: flips.notReadyMs, ready: false }, { atMs: flips.readyAgainMs, ready: true });
  return out;
}

/** The container a rule is about: the one its `image` names, else the first. */
export function mainContainer(pod: Pod, rule: ContainerBehaviorPlan | undefined): Container | undefined {
  const image = rule?.image;
  return (image === undefined ? undefined : pod.spec.containers.find((c) => c.image === image)) ?? pod.spec.containers[0];
}

function probesOf(c: Container | undefined): ContainerProbes {
  const probes: ContainerProbes = {};
  if (c?.startupProbe !== undefined) probes.startup = probeTimingOf(c.startupProbe);
  if (c?.livenessProbe !== undefined) probes.liveness = probeTimingOf(c.livenessProbe);
  if (c?.readinessProbe !== undefined) probes.readiness = probeTimingOf(c.readinessProbe);
  return probes;
}
