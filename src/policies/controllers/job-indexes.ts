/**
 * Completion indexes of Indexed Jobs (upstream pkg/controller/job/indexed_job_utils.go): ordered
 * intervals with upstream's string form ("1,3-5,7": a run of two is written "3,4"), parsing that
 * drops indexes at or above completions, the first pending indexes, and the duplicate-index pods
 * to remove.
 */
import { jobCompletionIndexAnnotation } from "../../model/job.ts";
import type { Pod } from "../../model/objects.ts";

export const unknownCompletionIndex = -1;

export interface Interval {
  first: number;
  last: number;
}

/** getCompletionIndex: the annotation as a non-negative integer, else unknown. */
export function completionIndexOf(pod: Pod): number {
  const text = pod.metadata.annotations?.[jobCompletionIndexAnnotation];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return unknownCompletionIndex;
  const value = Number(text);
  return value < 0 || !Number.isSafeInteger(value) ? unknownCompletionIndex : value;
}

/** orderedIntervals.merge: both inputs ordered; adjacent or overlapping intervals join. */
export function mergeIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  const add = (iv: Interval) => {
    const last = out[out.length - 1];
    if (last === undefined || iv.first > last.last + 1) out.push({ ...iv });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((a[i] as Interval).first < (b[j] as Interval).first) add(a[i++] as Interval);
    else add(b[j++] as Interval);
  }
  while (i < a.length) add(a[i++] as Interval);
  while (j < b.length) add(b[j++] as Interval);
  return out;
}

/** withOrderedIndexes: `indexes` in increasing order. */
export function withIndexes(intervals: readonly Interval[], indexes: readonly number[]): Interval[] {
  return mergeIntervals(intervals, indexes.map((ix) => ({ first: ix, last: ix })));
}

export function totalOf(intervals: readonly Interval[]): number {
  let n = 0;
  for (const iv of intervals) n += iv.last - iv.first + 1;
  return n;
}

export function hasIndex(intervals: readonly Interval[], ix: number): boolean {
  return intervals.some((iv) => iv.first <= ix && ix <= iv.last);
}

/** orderedIntervals.String. */
export function formatIntervals(intervals: readonly Interval[]): string {
  let out = "";
  for (const iv of intervals) {
    if (out.length > 0) out += ",";
    out += String(iv.first);
    if (iv.last > iv.first) out += (iv.last === iv.first + 1 ? "," : "-") + String(iv.last);
  }
  return out;
}

/** parseIndexesFromString: corrupted intervals skipped, indexes ≥ completions dropped, adjacent ones joined. */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  if (text === undefined || text === "") return [];
  const out: Interval[] = [];
  for (const part of text.split(",")) {
    const limits = part.split("-");
    const first = atoi(limits[0] ?? "");
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const parsed = atoi(limits[1] ?? "");
      if (parsed === undefined) continue;
      last = Math.min(parsed, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/** strconv.Atoi: an optionally signed decimal integer. */
function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** firstPendingIndexes: `count` indexes below completions not covered by `nonPending` (ordered intervals). */
export function firstPendingIndexes(nonPending: readonly Interval[], count: number, completions: number): number[] {
  const out: number[] = [];
  if (count === 0) return out;
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

/** The indexes of pods (getIndexes), in increasing order, unknown ones left out. */
export function indexesOf(pods: readonly Pod[]): number[] {
  const set = new Set<number>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix !== unknownCompletionIndex) set.add(ix);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * appendDuplicatedIndexPodsForRemoval: pods without an index or with one ≥ completions go, and of
 * the pods sharing an index all but the last under `activeLess` (the one to keep) go.
 */
export function duplicatedIndexPods(pods: readonly Pod[], completions: number, activeLess: (a: Pod, b: Pod) => number): { rm: Pod[]; left: Pod[] } {
  const rm: Pod[] = [];
  const left: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix === unknownCompletionIndex || ix >= completions) rm.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const same = [...(byIndex.get(ix) as Pod[])].sort(activeLess);
    rm.push(...same.slice(0, -1));
    left.push(same[same.length - 1] as Pod);
  }
  return { rm, left };
}
