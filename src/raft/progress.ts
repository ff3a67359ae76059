import { Inflights } from "./inflights.ts";
import type { NodeId, ProgressStateName } from "./types.ts";

/**
 * The leader's view of one follower (etcd-raft tracker.Progress).
 * - probe: we do not know the follower's log; send one MsgApp per round trip (or heartbeat).
 * - replicate: the follower accepts; stream MsgApps optimistically, limited by `inflights`.
 * - snapshot: a snapshot is on its way; send nothing until it is reported.
 * `match` is the highest index known replicated; `next` the next index to send.
 */
export class Progress {
  readonly id: NodeId;
  match = 0;
  next = 1;
  state: ProgressStateName = "probe";
  isLearner: boolean;
  /** In probe/replicate: stop sending MsgApps until an ack or heartbeat response arrives. */
  msgAppFlowPaused = false;
  pendingSnapshot = 0;
  /** Heard from since the last CheckQuorum round (also gates sending snapshots). */
  recentActive = false;
  /** Election bookkeeping: 0 = no answer, 1 = granted, -1 = rejected. */
  vote = 0;
  readonly inflights: Inflights;

  constructor(id: NodeId, next: number, maxInflight: number, isLearner: boolean) {
    this.id = id;
    this.next = next;
    this.isLearner = isLearner;
    this.inflights = new Inflights(maxInflight);
  }

  /** Forget everything learned about the follower (new term): probe again from `next`. */
  reset(next: number): void {
    this.resetState("probe");
    this.match = 0;
    this.next = next;
    this.recentActive = false;
  }

  private resetState(state: ProgressStateName): void {
    this.msgAppFlowPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot, resume right after it: the follower will have it (or reject and we back off).
    if (this.state === "snapshot") {
      const pending = this.pendingSnapshot;
      this.resetState("probe");
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState("probe");
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState("replicate");
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState("snapshot");
    this.pendingSnapshot = snapshotIndex;
    this.next = snapshotIndex + 1;
  }

  /** A MsgApp carrying `entryCount` entries (last index next-1+entryCount) was sent. */
  sentEntries(entryCount: number): void {
    if (this.state === "replicate") {
      if (entryCount > 0) {
        this.next += entryCount;
        this.inflights.add(this.next - 1);
      }
      this.msgAppFlowPaused = this.inflights.full();
    } else if (this.state === "probe") {
      if (entryCount > 0) this.msgAppFlowPaused = true;
    }
  }

  /** An ack for `index`: returns true if match moved forward. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.msgAppFlowPaused = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection of the MsgApp whose prev index was `rejected`, with the follower's hint of where
   * the logs may agree (`matchHint`). Returns false when the rejection is stale (out of order).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === "replicate") {
      if (rejected <= this.match) return false; // stale: we already know more
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false; // not an answer to our latest probe
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  isPaused(): boolean {
    if (this.state === "snapshot") return true;
    return this.msgAppFlowPaused;
  }
}
