/**
 * A member's local ticker with clock drift. With drift factor f, the member's clock runs f times
 * as fast as true time, so its ticks fire every tickMs / f true milliseconds (f > 1: a fast clock,
 * elections fire early; f < 1: slow). The fractional phase is carried so that long runs keep the
 * exact rate despite integer-ms event times.
 */
import { assert } from "../../model/assert.ts";
import type { Ms } from "../../model/units.ts";

export class TickClock {
  readonly tickMs: Ms;
  private factor = 1;
  private phaseMs = 0;

  constructor(tickMs: Ms) {
    assert(tickMs >= 1 && Number.isInteger(tickMs), `tick must be a positive integer ms, got ${tickMs}`);
    this.tickMs = tickMs;
  }

  get driftFactor(): number {
    return this.factor;
  }

  setDrift(factor: number): void {
    assert(factor > 0.1 && factor < 10, `clock drift factor out of range: ${factor}`);
    this.factor = factor;
  }

  /** Restarts the phase at `nowMs` (boot, restart) and returns the first tick time. */
  start(nowMs: Ms, offsetMs: Ms = 0): Ms {
    this.phaseMs = nowMs + offsetMs;
    return this.advance();
  }

  /** The next tick time after the one just fired. Always strictly later than the previous tick. */
  advance(): Ms {
    const previousMs = Math.round(this.phaseMs);
    this.phaseMs += this.tickMs / this.factor;
    return Math.max(previousMs + 1, Math.round(this.phaseMs));
  }
}
