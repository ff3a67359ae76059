/**
 * The observer's pod counts (pending, running, failed, terminating, ready), kept per pod event
 * instead of a scan of every pod per sample.
 *
 * Invariant: after `onApplied(key)` for every pod event, `counts()` equals `recount(state)`, i.e.
 * each pod's remembered class is the one its current object gives (asserted by `check`, which the
 * observer runs on every `checkEvery`-th sample and at the end of the run).
 */
import { assert } from "../../model/assert.ts";
import type { ClusterState } from "../../model/state.ts";
import type { Pod } from "../../model/objects.ts";

export interface PodCounts {
  pending: number;
  running: number;
  ready: number;
  failed: number;
  terminating: number;
}

type Bucket = "pending" | "running" | "failed" | "terminating" | undefined;

function bucketOf(pod: Pod): Bucket {
  if (pod.metadata.deletionMs !== undefined) return "terminating";
  if (pod.status.phase === "Pending") return "pending";
  if (pod.status.phase === "Running") return "running";
  if (pod.status.phase === "Failed") return "failed";
  return undefined;
}

export function recountPods(state: ClusterState): PodCounts {
  const counts: PodCounts = { pending: 0, running: 0, ready: 0, failed: 0, terminating: 0 };
  for (const pod of state.pods.values()) {
    const bucket = bucketOf(pod);
    if (bucket !== undefined) counts[bucket]++;
    if (pod.status.ready) counts.ready++;
  }
  return counts;
}

export class PodPhaseCounts {
  private readonly kept: PodCounts = { pending: 0, running: 0, ready: 0, failed: 0, terminating: 0 };
  /** Pod key → the bucket and readiness it is counted under. */
  private readonly counted = new Map<string, { bucket: Bucket; ready: boolean }>();

  constructor(state: ClusterState) {
    for (const key of state.pods.keys()) this.onApplied(state, key);
  }

  /** Re-files one pod after an event that may have changed (or removed) it. */
  onApplied(state: ClusterState, key: string): void {
    const was = this.counted.get(key);
    if (was !== undefined) {
      if (was.bucket !== undefined) this.kept[was.bucket]--;
      if (was.ready) this.kept.ready--;
    }
    const pod = state.pods.get(key);
    if (pod === undefined) {
      this.counted.delete(key);
      return;
    }
    const now = { bucket: bucketOf(pod), ready: pod.status.ready === true };
    if (now.bucket !== undefined) this.kept[now.bucket]++;
    if (now.ready) this.kept.ready++;
    this.counted.set(key, now);
  }

  counts(): PodCounts {
    return { ...this.kept };
  }

  /** Asserts the invariant against a full scan. */
  check(state: ClusterState): void {
    const fresh = recountPods(state);
    assert(this.counted.size === state.pods.size, `observer counts ${this.counted.size} pods, state has ${state.pods.size}`);
    for (const name of ["pending", "running", "ready", "failed", "terminating"] as const) {
      assert(this.kept[name] === fresh[name], `observer's kept ${name} count ${this.kept[name]} != recount ${fresh[name]}`);
    }
  }
}
