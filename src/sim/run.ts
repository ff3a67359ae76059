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
import { trafficSummaryOf } from "./load/traffic-summary.ts";
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
  /** What the step cap is, for the message when it is reached ("the events limit, raise it with …"). */
  stepsMaxNote?: string;
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
  const run = new ScenarioRun(plan, options);
  while (!run.advance(Number.MAX_SAFE_INTEGER));
  return run.finish();
}

/**
 * A run taken a slice of steps at a time, so that whoever drives it can stop between events (an
 * interrupted command flushes and marks its run) or yield to its event loop. Advancing in pieces
 * runs exactly the events a single call would: the engine's state carries over.
 */
export class ScenarioRun {
  private readonly plan: ScenarioPlan;
  private readonly options: RunOptions;
  private readonly world: ReturnType<typeof buildWorld>;
  private readonly stepsMax: number;
  private slice = 1;

  constructor(plan: ScenarioPlan, options: RunOptions) {
    this.plan = plan;
    this.options = options;
    this.world = buildWorld(plan, options.seed, options.sink, options.placement, options.recountEvery ?? 0);
    this.stepsMax = options.stepsMax ?? 2_000_000_000;
  }

  /** Virtual time reached so far. */
  get nowMs(): number {
    return this.world.engine.nowMs;
  }

  /** Runs at most stepsBudget more engine steps; true once the run has reached its end. */
  advance(stepsBudget: number): boolean {
    const engine = this.world.engine;
    const budgetEnd = engine.steps + stepsBudget;
    while (this.slice <= slices) {
      const left = Math.min(budgetEnd, this.stepsMax) - engine.steps;
      const outcome = engine.runUntil({ atMsMax: Math.round((this.plan.durationMs * this.slice) / slices), stepsMax: Math.max(0, left) });
      if (outcome === "stepsMax") {
        if (engine.steps >= this.stepsMax) {
          const note = this.options.stepsMaxNote !== undefined ? `: ${this.options.stepsMaxNote}` : "";
          throw new InvariantError(`runaway run: reached stepsMax (${this.stepsMax} engine steps) at ${engine.nowMs} ms of virtual time${note}`);
        }
        return false; // this call's budget is spent, between two events
      }
      this.options.onProgress?.(this.slice / slices);
      this.slice++;
    }
    return true;
  }

  /** The last sample, the sink's fingerprint, the summary: only after advance returned true. */
  finish(): RunResult {
    const { plan, options, world } = this;
    if (this.slice <= slices) throw new InvariantError("ScenarioRun.finish before the run reached its end");
    world.observer.sample(plan.durationMs);
    world.observer.checkCounts();
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
      ...(world.load !== undefined ? { traffic: [...world.load.traffic].map(([service, t]) => trafficSummaryOf(service, t)) } : {}),
      ...(world.store ? { store: world.store } : {}),
      ...(world.cloud !== undefined ? { bills: world.cloud.billsAt(plan.durationMs) } : {}),
      ...(world.vpaUpdater !== undefined ? { vpaEvictions: world.vpaUpdater.currentState.answers } : {}),
      ...(world.provisioner !== undefined ? { provisionerStats: world.provisioner.currentState.stats } : {}),
    });
    const recounts = "recounts" in world.scheduler ? world.scheduler.recounts : 0;
    return { summary, state: world.api.state, steps: world.engine.steps, recounts };
  }
}
