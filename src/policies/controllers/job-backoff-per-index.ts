/**
 * backoffLimitPerIndex for Indexed Jobs (upstream indexed_job_utils.go calculateFailedIndexes,
 * isIndexFailed, getPodsWithDelayedDeletionPerIndex, getNewIndexFailureCounts; backoff_utils.go
 * getRemainingTimePerIndex): each pod carries how often its index failed before it (the
 * job-index-failure-count annotations); an index whose pod fails with that count at the limit,
 * or matches a FailIndex rule, is failed; a replacement waits the per-index back-off after the
 * last failed pod of its index.
 */
import { jobIndexFailureCountAnnotation, jobIndexIgnoredFailureCountAnnotation, type Job } from "../../model/job.ts";
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import { remainingBackoffMs } from "./job-backoff.ts";
import { completionIndexOf, hasIndex, unknownCompletionIndex, type Interval } from "./job-indexes.ts";
import { finishedMsOf, isPodFailed, matchPodFailurePolicy } from "./job-pod-failure.ts";

/** parseInt32 of an annotation: 0 when absent, malformed or out of int32. */
function countOf(pod: Pod, annotation: string): number {
  const text = pod.metadata.annotations?.[annotation];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const value = Number(text);
  return value < 0 || value > 2_147_483_647 ? 0 : value;
}

export const indexFailureCount = (pod: Pod) => countOf(pod, jobIndexFailureCountAnnotation);
const absoluteFailureCount = (pod: Pod) => countOf(pod, jobIndexFailureCountAnnotation) + countOf(pod, jobIndexIgnoredFailureCountAnnotation);

/** isIndexFailed: a FailIndex rule matched, or a counted failure with the index's failures already at the limit. */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const match = matchPodFailurePolicy(job, pod);
  if (match.action === "FailIndex") return true;
  return match.countFailed && indexFailureCount(pod) >= (job.spec.backoffLimitPerIndex ?? 0);
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index not succeeded, failed or active, its last failed
 * pod (most failures before it, then the latest to finish) — the one a replacement takes its
 * counts from.
 */
export function lastFailedPerIndex(job: Job, pods: readonly Pod[], active: readonly Pod[], succeeded: readonly Interval[], failed: readonly Interval[]): Map<number, Pod> {
  const activeIndexes = new Set(active.map(completionIndexOf));
  const out = new Map<number, Pod>();
  for (const pod of pods) {
    const ix = completionIndexOf(pod);
    if (ix === unknownCompletionIndex || ix >= (job.spec.completions ?? 0) || !isPodFailed(pod, job)) continue;
    if (hasIndex(succeeded, ix) || hasIndex(failed, ix) || activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    if (last === undefined || (absoluteFailureCount(last) <= absoluteFailureCount(pod) && finishedMsOf(pod) >= finishedMsOf(last))) out.set(ix, pod);
  }
  return out;
}

/** getNewIndexFailureCounts: the annotations of the pod that replaces `replaced` in its index. */
export function failureCountAnnotations(job: Job, replaced: Pod | undefined): Record<string, string> {
  let failures = 0;
  let ignored = 0;
  if (replaced !== undefined) {
    failures = countOf(replaced, jobIndexFailureCountAnnotation);
    ignored = countOf(replaced, jobIndexIgnoredFailureCountAnnotation);
    if (job.spec.podFailurePolicy === undefined || matchPodFailurePolicy(job, replaced).countFailed) failures++;
    else ignored++;
  }
  const out: Record<string, string> = { [jobIndexFailureCountAnnotation]: String(failures) };
  if (ignored > 0) out[jobIndexIgnoredFailureCountAnnotation] = String(ignored);
  return out;
}

/** getRemainingTimePerIndex: the back-off after the index's last failed pod, counting its failures and this one. */
export function remainingIndexBackoffMs(lastFailed: Pod | undefined, nowMs: Ms): Ms {
  if (lastFailed === undefined) return 0;
  return remainingBackoffMs({ failuresAfterLastSuccess: absoluteFailureCount(lastFailed) + 1, lastFailureMs: finishedMsOf(lastFailed) }, nowMs);
}
