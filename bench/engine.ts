/** Engine alone with trivial handlers: events per wall second (target ≥ 5 million). */
import { Engine, type Actor } from "../src/sim/engine.ts";

class Ticker implements Actor {
  count = 0;
  readonly engine: Engine;
  constructor(engine: Engine) {
    this.engine = engine;
  }
  onEvent(tag: number): void {
    this.count++;
    this.engine.after(1 + (tag & 7), this, (tag * 1103515245 + 12345) & 0xffff);
  }
}

function measure(actors: number, events: number): number {
  const engine = new Engine(actors * 2);
  const ticker = new Ticker(engine);
  for (let i = 0; i < actors; i++) engine.at(i % 10, ticker, i);
  const started = performance.now();
  engine.runUntil({ atMsMax: Number.MAX_SAFE_INTEGER, stepsMax: events });
  const seconds = (performance.now() - started) / 1000;
  return ticker.count / seconds;
}

measure(1000, 2_000_000); // warm-up
for (const actors of [100, 1_000, 10_000]) {
  const rate = measure(actors, 10_000_000);
  console.log(`engine: ${(rate / 1e6).toFixed(2)} M events/s with ${actors} pending events (target ≥ 5 M/s)`);
}
