/**
 * Linearizability checker speed: 10,000 operations over 100 keys (target: checked in ≤ 1 s).
 * Run: node bench/raft-linearizability.ts
 */
import { Prng } from "../src/model/prng.ts";
import { sequentialKvHistory } from "../src/sim/raft/kv-history-fixture.ts";
import { checkKvHistory } from "../src/sim/raft/linearizability.ts";

export async function main(): Promise<void> {
  // width w widens each interval by up to w op-slots on each side; a key sees every 100th op, so
  // about 2·w/100 operations on one key overlap.
  for (const width of [100, 200, 400]) {
    const history = sequentialKvHistory(new Prng(`bench/lin/${width}`), 10_000, 100, width);
    const startMs = performance.now();
    const result = checkKvHistory(history, { stepsMax: 50_000_000 });
    const wallMs = performance.now() - startMs;
    console.log(`linearizability: ${history.length} ops, 100 keys, ≈${(2 * width) / 100} overlapping per key: ${result.outcome} in ${wallMs.toFixed(1)} ms (${result.steps} steps; target ≤ 1000 ms)`);
  }
}

if (import.meta.main) await main();
