/**
 * An election timeout run by the host instead of Raft's tick counter (the paper benchmark's
 * ranges, such as 150–155 ms, do not fit Raft's [et, 2·et) ticks). The member restarts it as the
 * Raft paper and LogCabin do: on an AppendEntries/heartbeat/snapshot from a current leader, on
 * granting a vote (at the decision, before the vote is persisted), and on becoming a candidate;
 * every restart draws a fresh timeout.
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";

export interface HostElectionTimeout {
  minMs: Ms;
  maxMs: Ms;
  /**
   * Draws are rounded to a multiple of this above minMs (LogCabin: `lround(uniform(min, max))`
   * whole milliseconds, so 150–151 gives 150 or 151 with equal odds). Omitted: one engine time
   * unit, which is as good as continuous in a microsecond world.
   */
  drawStepMs?: Ms;
  /**
   * The timer fires late by a uniform [0, wakeDelayMsMax]: a thread woken by a timed wait runs
   * after the kernel's timer slack (Linux: 50 µs by default) and scheduling. Omitted: 0.
   */
  wakeDelayMsMax?: Ms;
}

/** A timeout uniform in [minMs, maxMs], rounded to the nearest draw step (ends get half weight), plus the wake-up delay. */
export function drawElectionTimeoutMs(prng: Prng, timeout: HostElectionTimeout): Ms {
  const stepMs = timeout.drawStepMs ?? 1;
  assert(Number.isInteger(stepMs) && stepMs >= 1, `election timeout draw step must be a positive integer, got ${stepMs}`);
  const spanMs = timeout.maxMs - timeout.minMs;
  assert(spanMs >= 0 && Number.isInteger(timeout.minMs) && Number.isInteger(timeout.maxMs), `bad election timeout range ${timeout.minMs}–${timeout.maxMs}`);
  const drawnMs = spanMs === 0 ? timeout.minMs : timeout.minMs + Math.min(spanMs, Math.round((prng.nextFloat() * spanMs) / stepMs) * stepMs);
  const wakeDelayMsMax = timeout.wakeDelayMsMax ?? 0;
  return wakeDelayMsMax > 0 ? drawnMs + prng.int(0, wakeDelayMsMax + 1) : drawnMs;
}

/** True when `message` shows a live leader at `term` or later: a follower restarts its timer. */
export function hearsFromLeader(type: string, messageTerm: number, term: number): boolean {
  return (type === "MsgApp" || type === "MsgHeartbeat" || type === "MsgSnap") && messageTerm >= term;
}
