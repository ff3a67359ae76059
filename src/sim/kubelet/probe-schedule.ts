/**
 * What a container's probes make of one container start, as upstream's prober worker
 * (pkg/kubelet/prober/worker.go run + doProbe): each probe ticks every periodSeconds from the
 * container start, skips ticks before initialDelaySeconds, and changes its result only after
 * failureThreshold consecutive failures or successThreshold consecutive successes. The startup
 * probe runs until its first success ("Started"); liveness and readiness skip every tick before
 * that. Readiness starts at Failure (not Ready); a startup or liveness Failure kills the container.
 *
 * The probed endpoint's behaviour is given as windows in which it fails (the app not answering
 * yet, a readiness or liveness endpoint failing for a while); a failing probe answers at once
 * (timeoutSeconds is not reached). Computed per run of equal results, never per tick, so an
 * hour-long container costs a handful of steps.
 */
import type { Probe } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";

/** A probe's timing in ms (core/v1 Probe after SetDefaults_Probe). */
export interface ProbeTiming {
  initialDelayMs: Ms;
  periodMs: Ms;
  failureThreshold: number;
  successThreshold: number;
}

export function probeTimingOf(p: Probe): ProbeTiming {
  return { initialDelayMs: p.initialDelaySeconds * 1000, periodMs: p.periodSeconds * 1000, failureThreshold: p.failureThreshold, successThreshold: p.successThreshold };
}

/** [fromMs, toMs) after the container start; toMs may be Infinity (until the container stops). */
export interface FailingWindow {
  fromMs: Ms;
  toMs: Ms;
}

/** `count` consecutive probe results alike from `firstMs`, one per period (count may be Infinity). */
export interface ResultRun {
  pass: boolean;
  firstMs: Ms;
  count: number;
}

export interface ContainerProbes {
  startup?: ProbeTiming;
  liveness?: ProbeTiming;
  readiness?: ProbeTiming;
}

/** What the app answers: from `answersFromMs` (Infinity: never), except in its failing windows. */
export interface AppAnswers {
  answersFromMs: Ms;
  readinessFailing?: FailingWindow;
  livenessFailing?: FailingWindow;
}

export interface ReadyChange {
  atMs: Ms;
  ready: boolean;
}

export interface ProbeOutcome {
  /** When the startup probe first passed (0 without one); undefined: killed before. */
  startedMs?: Ms;
  /** The readiness probe's flips, in time order (empty without a readiness probe). */
  readiness: ReadyChange[];
  /** The container killed by a failing startup or liveness probe. */
  kill?: { atMs: Ms; probe: "startup" | "liveness" };
}

/** The probe results from the first tick at or after max(initialDelay, fromMs), as runs of equal results. */
export function probeRuns(t: ProbeTiming, fromMs: Ms, failing: readonly FailingWindow[]): ResultRun[] {
  const runs: ResultRun[] = [];
  let cursorMs = firstTickMs(Math.max(t.initialDelayMs, fromMs), t.periodMs);
  for (const w of mergedWindows(failing)) {
    if (w.toMs <= cursorMs) continue;
    const fromWindowMs = Math.max(w.fromMs, cursorMs);
    pushRun(runs, true, cursorMs, fromWindowMs, t.periodMs);
    pushRun(runs, false, fromWindowMs, w.toMs, t.periodMs);
    cursorMs = w.toMs;
  }
  pushRun(runs, true, cursorMs, Infinity, t.periodMs);
  return runs;
}

function firstTickMs(atMs: Ms, periodMs: Ms): Ms {
  return Math.ceil(atMs / periodMs) * periodMs;
}

/** Ticks k × period in [fromMs, toMs), joined to the previous run when it has the same result. */
function pushRun(runs: ResultRun[], pass: boolean, fromMs: Ms, toMs: Ms, periodMs: Ms): void {
  const firstMs = firstTickMs(fromMs, periodMs);
  if (!(firstMs < toMs)) return;
  const count = toMs === Infinity ? Infinity : Math.ceil(toMs / periodMs) - firstMs / periodMs;
  const last = runs[runs.length - 1];
  if (last !== undefined && last.pass === pass) last.count += count;
  else runs.push({ pass, firstMs, count });
}

function mergedWindows(windows: readonly FailingWindow[]): FailingWindow[] {
  const sorted = windows.filter((w) => w.fromMs < w.toMs).sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs);
  const out: FailingWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && w.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, w.toMs);
    else out.push({ ...w });
  }
  return out;
}

/** The tick at which a run reaches `threshold` consecutive results, if it does. */
function thresholdMs(run: ResultRun, threshold: number, periodMs: Ms): Ms | undefined {
  return run.count >= threshold ? run.firstMs + (threshold - 1) * periodMs : undefined;
}

/** The startup probe: Started at its successThreshold-th passing tick, killed at its failureThreshold-th failing one. */
export function startupResult(t: ProbeTiming, failing: readonly FailingWindow[]): { startedMs: Ms } | { killMs: Ms } {
  for (const run of probeRuns(t, 0, failing)) {
    const atMs = thresholdMs(run, run.pass ? t.successThreshold : t.failureThreshold, t.periodMs);
    if (atMs !== undefined) return run.pass ? { startedMs: atMs } : { killMs: atMs };
  }
  return { killMs: Infinity }; // unreachable: the last run is infinite
}

/** The liveness probe from `startedMs`: the kill at the first failureThreshold-th consecutive failure. */
export function livenessKillMs(t: ProbeTiming, startedMs: Ms, failing: readonly FailingWindow[]): Ms | undefined {
  for (const run of probeRuns(t, startedMs, failing)) {
    if (run.pass) continue;
    const atMs = thresholdMs(run, t.failureThreshold, t.periodMs);
    if (atMs !== undefined) return atMs;
  }
  return undefined;
}

/** The readiness probe from `startedMs`: Ready flips, starting not Ready (its initial value Failure). */
export function readinessChanges(t: ProbeTiming, startedMs: Ms, failing: readonly FailingWindow[]): ReadyChange[] {
  const out: ReadyChange[] = [];
  let ready = false;
  for (const run of probeRuns(t, startedMs, failing)) {
    if (run.pass === ready) continue;
    const atMs = thresholdMs(run, run.pass ? t.successThreshold : t.failureThreshold, t.periodMs);
    if (atMs === undefined || atMs === Infinity) continue;
    ready = run.pass;
    out.push({ atMs, ready });
  }
  return out;
}

/** One container start under its probes: started, Ready flips and kill, each cut at the kill. */
export function probeOutcome(probes: ContainerProbes, app: AppAnswers): ProbeOutcome {
  const notAnswering: FailingWindow = { fromMs: 0, toMs: app.answersFromMs };
  let startedMs: Ms = 0;
  if (probes.startup !== undefined) {
    const startup = startupResult(probes.startup, [notAnswering]);
    if ("killMs" in startup) return { readiness: [], kill: { atMs: startup.killMs, probe: "startup" } };
    startedMs = startup.startedMs;
  }
  const outcome: ProbeOutcome = { startedMs, readiness: [] };
  const liveness = probes.liveness === undefined ? undefined : livenessKillMs(probes.liveness, startedMs, windows(notAnswering, app.livenessFailing));
  if (liveness !== undefined) outcome.kill = { atMs: liveness, probe: "liveness" };
  if (probes.readiness !== undefined) {
    const changes = readinessChanges(probes.readiness, startedMs, windows(notAnswering, app.readinessFailing));
    outcome.readiness = liveness === undefined ? changes : changes.filter((c) => c.atMs < liveness);
  }
  return outcome;
}

function windows(a: FailingWindow, b: FailingWindow | undefined): FailingWindow[] {
  return b === undefined ? [a] : [a, b];
}
