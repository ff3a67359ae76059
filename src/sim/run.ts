/**
 * Runs one scenario variant on one seed to its end: builds the world, steps the engine in slices
 * (reporting progress between slices), takes a last sample, judges expectations, and returns the
 * summary with the event log's fingerprint. Synchronous and deterministic.
 */
import { InvariantError } from "../model/assert.ts";
import type { ClusterState } from "../model/state.ts";
import type { PlacementPolicy } from "./actors/scheduler-actor.ts";
import type { EventSink } from "../log/sink.ts";
import { applyVariant, type ScenarioPlan } from "./plan.ts";
import { summarize, type RunSummary } from "./summary.ts";
import { buildWorld } from "./world.ts";

export interface RunOptions {
  seed: number;
  variant: string;
  sink: EventSink;
  /** Called between slices with the fraction of virtual time done. */
  onProgress?: (fraction: number) => void;
  placement?: PlacementPolicy;
  /** A hard cap on engine steps: a run that needs more is a bug (runaway loop). */
  stepsMax?: number;
  /** The framework scheduler's recount mode: every N-th cycle rebuilds its caches and asserts they agree (0: off). */
  recountEvery?: number;
}

export interface RunResult {
  summary: RunSummary;
  state: ClusterState;
  steps: number;
  /** Scheduling cycles whose caches were recounted and found equal (recountEvery). */
  recounts: number;
}

const slices = 100;

export function runScenario(basePlan: ScenarioPlan, options: RunOptions): RunResult {
  return runResolvedPlan(applyVariant(basePlan, options.variant), options);
}

/** Runs a plan whose variant (`options.variant`, named in the summary) is already applied. */
export function runResolvedPlan(plan: ScenarioPlan, options: RunOptions): RunResult {
  const world = buildWorld(plan, options.seed, options.sink, options.placement, options.recountEvery ?? 0);
  const stepsMax = options.stepsMax ?? 2_000_000_000;
  for (let i = 1; i <= slices; i++) {
    const outcome = world.engine.runUntil({ atMsMax: Math.round((plan.durationMs * i) / slices), stepsMax: stepsMax - world.engine.steps });
    if (outcome === "stepsMax") throw new InvariantError(`runaway run: reached stepsMax (${stepsMax} engine steps) at ${world.engine.nowMs} ms of virtual time`);
    options.onProgress?.(i / slices);
  }
  world.observer.sample(plan.durationMs);
  const fingerprint = options.sink.finish();
  const summary = summarize({
    plan,
    seed: options.seed,
    variant: options.variant,
    fingerprint,
    eventCount: world.api.seq,
    observer: world.observer,
    schedulingAttempts: world.scheduler.attempts,
    preemptions: "preemptions" in world.scheduler ? world.scheduler.preemptions : 0,
    writeConflicts: world.api.conflicts,
    failedWrites: world.api.failedWrites,
    finalState: world.api.state,
    ...(world.load !== undefined ? { traffic: [...world.load.traffic].map(([service, t]) => ({ service, ...t })) } : {}),
    ...(world.store ? { store: world.store } : {}),
  });
  const recounts = "recounts" in world.scheduler ? world.scheduler.recounts : 0;
  return { summary, state: world.api.state, steps: world.engine.steps, recounts };
}
