/**
 * The per-item part of client-go's DefaultTypedControllerRateLimiter
 * (ItemExponentialFailureRateLimiter(5ms, 1000s)): the n-th consecutive failure of a key waits
 * 5 ms · 2^(n−1), at most 1000 s, before the key is processed again.
 */
import type { Ms } from "../../model/units.ts";

export const rateLimitBaseMs = 5;
export const rateLimitMaxMs = 1_000_000;

export function rateLimitedDelayMs(failures: number): Ms {
  return Math.min(rateLimitMaxMs, rateLimitBaseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
}
