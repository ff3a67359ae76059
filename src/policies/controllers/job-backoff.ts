/**
 * The Job controller's pod failure back-off (upstream pkg/controller/job/backoff_utils.go): a
 * record of the failures since the last success and when the last one finished; new pods wait
 * 10 s · 2^(failures−1), at most 6 min, after the last failure (DefaultJobPodFailureBackOff,
 * MaxJobPodFailureBackOff).
 */
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import { finishedMsOf } from "./job-pod-failure.ts";

export const defaultJobPodFailureBackOffMs = 10_000;
export const maxJobPodFailureBackOffMs = 6 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureMs?: Ms;
}

/** newBackoffRecord: the previous record moved on by the pods newly finished in this sync. */
export function newBackoffRecord(old: BackoffRecord | undefined, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
  const record: BackoffRecord = { failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0 };
  if (old?.lastFailureMs !== undefined) record.lastFailureMs = old.lastFailureMs;
  const failedMs = newFailed.map(finishedMsOf).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedMs.length === 0) return record;
    return { failuresAfterLastSuccess: record.failuresAfterLastSuccess + failedMs.length, lastFailureMs: failedMs[failedMs.length - 1] as Ms };
  }
  const lastSuccessMs = Math.max(...newSucceeded.map(finishedMsOf));
  const out: BackoffRecord = { failuresAfterLastSuccess: 0 };
  for (let i = failedMs.length - 1; i >= 0; i--) {
    const t = failedMs[i] as Ms;
    if (t <= lastSuccessMs) break;
    if (out.lastFailureMs === undefined) out.lastFailureMs = t;
    out.failuresAfterLastSuccess++;
  }
  return out;
}

/** getRemainingTimeForFailuresCount: how long new pods still wait (0: create now). */
export function remainingBackoffMs(record: BackoffRecord, nowMs: Ms, baseMs: Ms = defaultJobPodFailureBackOffMs, maxMs: Ms = maxJobPodFailureBackOffMs): Ms {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureMs === undefined) return 0;
  let backoffMs = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    backoffMs *= 2;
    if (backoffMs >= maxMs) {
      backoffMs = maxMs;
      break;
    }
  }
  const elapsedMs = nowMs - record.lastFailureMs;
  return backoffMs < elapsedMs ? 0 : backoffMs - elapsedMs;
}
