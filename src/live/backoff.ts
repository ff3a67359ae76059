/**
 * Capped exponential backoff for transient failures (client-go's wait.Backoff shape without
 * jitter): attempt 1 waits baseMs, each later attempt twice the previous, never more than capMs.
 */
export interface Backoff {
  baseMs: number;
  capMs: number;
}

export const backoffDefault: Backoff = { baseMs: 500, capMs: 30_000 };

export function backoffDelayMs(backoff: Backoff, attempt: number): number {
  if (attempt < 1) return 0;
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt - 1, 30));
}
