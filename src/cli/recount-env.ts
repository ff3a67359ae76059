/**
 * KUBETWIN_RECOUNT=N: the scheduler's recount mode (every N-th cycle rebuilds its incremental
 * caches from scratch and asserts they agree). Read here, at the edge; the core gets a number.
 */
import { UsageError } from "./exit-codes.ts";

export function recountEveryFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.KUBETWIN_RECOUNT;
  if (raw === undefined || raw === "") return 0;
  if (!/^\d+$/.test(raw)) throw new UsageError(`KUBETWIN_RECOUNT must be a whole number of scheduling cycles (0: off), got "${raw}"`);
  return Number(raw);
}
