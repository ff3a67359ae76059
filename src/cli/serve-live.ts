/**
 * A running simulation served over the Kubernetes API (`kubetwin serve <scenario.yaml>`): the world
 * of src/sim/world.ts built from the scenario, its engine advanced as wall time passes (× speed),
 * and the served state fed from the api server's sink: every committed record goes to the log (when
 * there is one) and to the ServedWorld, which folds it with `evolve` exactly as a replay does, so
 * lists and watches are the replay machinery's. The serving side reads the clock; the core never does.
 */
import { emptyState } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import { ForwardingSink } from "../log/forwarding-sink.ts";
import type { EventSink } from "../log/sink.ts";
import type { LogRecord } from "../log/record.ts";
import { buildWorld, type World } from "../sim/world.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import { ServedWorld } from "./serve-world.ts";

/** Passes every record on to the run's own sink and to the served world. */
class ServingSink extends ForwardingSink {
  private readonly served: ServedWorld;

  constructor(inner: EventSink, served: ServedWorld) {
    super(inner);
    this.served = served;
  }

  override append(record: LogRecord): void {
    this.inner.append(record);
    this.served.apply(record);
  }
}

/** Engine steps allowed per advance: a runaway world cannot freeze the server for long. */
const stepsPerAdvanceMax = 2_000_000;

export class LiveTwin {
  readonly served: ServedWorld;
  readonly sim: World;
  readonly plan: ScenarioPlan;
  private readonly sink: EventSink;

  constructor(plan: ScenarioPlan, seed: number, inner: EventSink, options: { historyMax?: number } = {}) {
    this.plan = plan;
    this.served = new ServedWorld(emptyState(), options);
    this.sink = new ServingSink(inner, this.served);
    // Every workload controller: kubectl may create a DaemonSet or a Job, or delete a Deployment (the garbage collector), in any scenario.
    this.sim = buildWorld(plan, seed, this.sink, undefined, 0, { everyController: true });
  }

  get nowMs(): Ms {
    return this.sim.engine.nowMs;
  }

  /** Runs the simulation up to virtual time `atMs` (never back). */
  advanceTo(atMs: Ms): void {
    if (atMs <= this.sim.engine.nowMs) return;
    this.sim.engine.runUntil({ atMsMax: atMs, stepsMax: stepsPerAdvanceMax });
    this.served.state.nowMs = Math.max(this.served.state.nowMs, this.sim.engine.nowMs);
  }

  /** True while a clock moves the world; a paused world moves only as far as a write needs. */
  clockRunning = false;

  /**
   * In a paused world, runs events one at a time until `done()` (a write committed and answered),
   * at most `stepsMax` of them: time moves just as far as the write needs. A moving world is left to its clock.
   */
  settle(done: () => boolean, stepsMax = 10_000): void {
    if (this.clockRunning) return;
    for (let i = 0; i < stepsMax && !done(); i++) {
      if (this.sim.engine.runUntil({ atMsMax: Number.MAX_SAFE_INTEGER, stepsMax: 1 }) === "idle") break;
    }
    this.served.state.nowMs = Math.max(this.served.state.nowMs, this.sim.engine.nowMs);
  }

  /** Flushes the run's sink; its fingerprint. */
  finish(): string {
    return this.sink.finish();
  }
}

/**
 * Moves a live twin's virtual time with the wall clock: `speed` virtual ms per real ms from the
 * moment it starts (0 keeps it paused; tests call `advanceTo` themselves).
 */
export class LiveClock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly twin: LiveTwin;
  private readonly speed: number;
  private readonly onError: (e: unknown) => void;

  /** `onError`: what the clock does with a failure of the world (a broken invariant); it stops first. */
  constructor(twin: LiveTwin, speed: number, onError: (e: unknown) => void = (e) => { throw e; }) {
    this.twin = twin;
    this.speed = speed;
    this.onError = onError;
  }

  start(tickMs = 20): void {
    if (this.speed <= 0) return;
    this.twin.clockRunning = true;
    const startWallMs = Date.now();
    const startMs = this.twin.nowMs;
    this.timer = setInterval(() => {
      try {
        this.twin.advanceTo(startMs + Math.floor((Date.now() - startWallMs) * this.speed));
      } catch (e) {
        this.stop();
        this.onError(e);
      }
    }, tickMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.twin.clockRunning = false;
  }
}
