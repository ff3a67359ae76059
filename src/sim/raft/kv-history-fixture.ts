/**
 * Generates key-value histories that are linearizable by construction, for tests and benchmarks
 * of the checker: operation i takes effect at time 10·i on a sequential register per key, and its
 * interval is widened at random around that point, so intervals overlap while a valid order (by
 * effect time) always exists. About 5% of writes end with an unknown outcome.
 */
import type { Prng } from "../../model/prng.ts";
import { casOp, getOp, putOp, type KvOperation } from "./linearizability.ts";

export function sequentialKvHistory(prng: Prng, opCount: number, keyCount: number, widthMax: number, clientCount = 16): KvOperation[] {
  const state = new Map<string, string | null>();
  const history: KvOperation[] = [];
  for (let i = 0; i < opCount; i++) {
    const key = `k${prng.int(0, keyCount)}`;
    const effectMs = 10 * i;
    const invokeMs = effectMs - prng.int(0, widthMax * 10 + 1);
    const returnMs = effectMs + prng.int(0, widthMax * 10 + 1);
    const current = state.get(key) ?? null;
    const roll = prng.int(0, 10);
    const client = i % clientCount;
    if (roll < 4) {
      const value = `v${i}`;
      state.set(key, value);
      history.push(putOp(client, key, value, invokeMs, prng.chance(0.05) ? Infinity : returnMs));
    } else if (roll < 8) {
      history.push(getOp(client, key, current, invokeMs, returnMs));
    } else {
      const expected = prng.chance(0.5) ? current : "nope";
      const ok = expected === current;
      const value = `c${i}`;
      if (ok) state.set(key, value);
      history.push(casOp(client, key, expected, value, ok, invokeMs, returnMs));
    }
  }
  return history;
}
