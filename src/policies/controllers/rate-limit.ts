/**
 * The per-item part of client-go's DefaultTypedControllerRateLimiter
 * (ItemExponentialFailureRateLimiter(5ms, 1000s)): the n-th consecutive failure of a key waits
 * 5 ms · 2^(n−1), at most 1000 s, before the key is processed again.
 */
import type { Ms } from "../../model/units.ts";
import { reconciled, type Reconciled } from "../controller.ts";

export const rateLimitBaseMs = 5;
export const rateLimitMaxMs = 1_000_000;

export function rateLimitedDelayMs(failures: number): Ms {
  return Math.min(rateLimitMaxMs, rateLimitBaseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
}

/**
 * A key's sync is over (every write answered): after a failure the key comes back rate-limited
 * (the workqueue's AddRateLimited), after a success its failures are forgotten (Forget) and it
 * comes back at once only when it changed while the sync was busy.
 */
export function syncFinished<S>(state: S, failures: Map<string, number>, key: string, failed: boolean, resync: boolean): Reconciled<S> {
  if (failed) {
    const streak = (failures.get(key) ?? 0) + 1;
    failures.set(key, streak);
    return reconciled(state, [], [{ key, afterMs: rateLimitedDelayMs(streak) }]);
  }
  failures.delete(key);
  return reconciled(state, [], resync ? [{ key, afterMs: 0 }] : []);
}
