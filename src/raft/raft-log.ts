import { assert } from "../model/assert.ts";
import { entrySize, TERM_COMPACTED, TERM_UNAVAILABLE, type MemoryStorage } from "./storage.ts";
import type { Entry, Snapshot } from "./types.ts";

export const NO_ENTRIES: Entry[] = [];

/**
 * The log as Raft sees it: stable storage (read only) plus an "unstable" tail that the host has
 * not yet persisted (entries from `unstableOffset`, and possibly a snapshot). Entries below
 * `unstableOffset` are read from storage; from there on the unstable tail wins, even where
 * storage still holds older entries that the next Ready will overwrite.
 */
export class RaftLog {
  readonly storage: MemoryStorage;
  unstableSnapshot: Snapshot | null = null;
  unstable: Entry[] = [];
  unstableOffset: number;
  committed: number;
  applied: number;

  constructor(storage: MemoryStorage) {
    this.storage = storage;
    this.unstableOffset = storage.lastIndex() + 1;
    this.committed = storage.firstIndex() - 1;
    this.applied = storage.firstIndex() - 1;
  }

  firstIndex(): number {
    if (this.unstableSnapshot !== null) return this.unstableSnapshot.metadata.index + 1;
    return this.storage.firstIndex();
  }

  lastIndex(): number {
    if (this.unstable.length > 0) return this.unstableOffset + this.unstable.length - 1;
    if (this.unstableSnapshot !== null) return this.unstableSnapshot.metadata.index;
    return this.storage.lastIndex();
  }

  /** Last index already handed to the host and acknowledged by advance() (the durable prefix). */
  stableLastIndex(): number {
    if (this.unstableSnapshot !== null) return this.unstableSnapshot.metadata.index - 1;
    return Math.min(this.unstableOffset - 1, this.storage.lastIndex());
  }

  /** Term of entry i (the snapshot index answers too), or TERM_COMPACTED / TERM_UNAVAILABLE. */
  term(i: number): number {
    if (i >= this.unstableOffset) {
      const at = i - this.unstableOffset;
      if (at < this.unstable.length) return (this.unstable[at] as Entry).term;
      return TERM_UNAVAILABLE;
    }
    const snap = this.unstableSnapshot;
    if (snap !== null) {
      if (i === snap.metadata.index) return snap.metadata.term;
      return i < snap.metadata.index ? TERM_COMPACTED : TERM_UNAVAILABLE;
    }
    return this.storage.term(i);
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    assert(t >= 0, `last term unavailable at ${this.lastIndex()}`);
    return t;
  }

  matchTerm(i: number, term: number): boolean {
    const t = this.term(i);
    return t >= 0 && t === term;
  }

  /** Candidate's log (lastIndex, lastTerm) is at least as up to date as ours (§5.4.1). */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Entries [lo, hiExcl) limited to maxSizeBytes (at least one), or null when lo is compacted.
   */
  slice(lo: number, hiExcl: number, maxSizeBytes: number): Entry[] | null {
    if (lo < this.firstIndex()) return null;
    assert(hiExcl <= this.lastIndex() + 1, `slice(${lo}, ${hiExcl}) beyond last ${this.lastIndex()}`);
    if (lo >= hiExcl) return NO_ENTRIES;
    const offset = this.unstableOffset;
    let out: Entry[];
    if (lo < offset) {
      out = this.storage.entries(lo, Math.min(hiExcl, offset), maxSizeBytes);
      if (out.length < Math.min(hiExcl, offset) - lo || hiExcl <= offset) return out;
    } else {
      out = [];
    }
    let size = 0;
    for (const e of out) size += entrySize(e);
    for (let i = Math.max(lo, offset); i < hiExcl; i++) {
      const entry = this.unstable[i - offset] as Entry;
      size += entrySize(entry);
      if (out.length > 0 && size > maxSizeBytes) break;
      out.push(entry);
    }
    return out;
  }

  /**
   * Follower side of AppendEntries: if our entry at `index` has `logTerm`, append `entries`
   * (truncating the first conflicting suffix), advance commit and return the last new index;
   * otherwise -1.
   */
  maybeAppend(index: number, logTerm: number, committed: number, entries: readonly Entry[]): number {
    if (!this.matchTerm(index, logTerm)) return -1;
    const lastNew = index + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      assert(conflict > this.committed, `entry ${conflict} conflicts with committed entry (committed ${this.committed})`);
      this.append(entries.slice(conflict - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  /** First index in `entries` whose term differs from ours (or that we lack); 0 if none. */
  private findConflict(entries: readonly Entry[]): number {
    for (const e of entries) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  /**
   * Fast backtracking: the largest index ≤ `index` whose term is ≤ `term`, with that term. The
   * leader jumps straight there instead of probing one entry at a time.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i > 0; i--) {
      const ourTerm = this.term(i);
      if (ourTerm < 0) return { index: i, term: 0 };
      if (ourTerm <= term) return { index: i, term: ourTerm };
    }
    return { index: 0, term: 0 };
  }

  /** Append to the unstable tail, truncating anything at or after entries[0].index. */
  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const after = (entries[0] as Entry).index;
    assert(after > this.committed, `append at ${after} would overwrite committed ${this.committed}`);
    const end = this.unstableOffset + this.unstable.length;
    if (after === end) {
      for (const e of entries) this.unstable.push(e);
    } else if (after <= this.unstableOffset) {
      this.unstableOffset = after; // replaces stable entries too: storage truncates on append
      this.unstable = entries.slice();
    } else {
      this.unstable = this.unstable.slice(0, after - this.unstableOffset);
      for (const e of entries) this.unstable.push(e);
    }
    return this.lastIndex();
  }

  commitTo(index: number): void {
    if (this.committed >= index) return;
    assert(index <= this.lastIndex(), `commit ${index} beyond last index ${this.lastIndex()}`);
    this.committed = index;
  }

  appliedTo(index: number): void {
    if (index <= this.applied) return;
    assert(index <= this.committed, `applied ${index} beyond committed ${this.committed}`);
    this.applied = index;
  }

  /** The host persisted entries up to (index, term): drop them from the unstable tail. */
  stableTo(index: number, term: number): void {
    const at = index - this.unstableOffset;
    if (at < 0 || at >= this.unstable.length) return;
    if ((this.unstable[at] as Entry).term !== term) return; // overwritten since the Ready
    this.unstable = this.unstable.slice(at + 1);
    this.unstableOffset = index + 1;
  }

  stableSnapTo(index: number): void {
    if (this.unstableSnapshot !== null && this.unstableSnapshot.metadata.index === index) {
      this.unstableSnapshot = null;
    }
  }

  /** Replace the log by a snapshot (follower catching up); it becomes unstable until persisted. */
  restore(snapshot: Snapshot): void {
    this.committed = snapshot.metadata.index;
    this.unstableSnapshot = snapshot;
    this.unstable = [];
    this.unstableOffset = snapshot.metadata.index + 1;
  }

  /** Snapshot to send a follower: the pending one if any, else the host's latest. */
  snapshot(): Snapshot {
    return this.unstableSnapshot ?? this.storage.snapshot();
  }

  hasEntriesToApply(): boolean {
    return this.unstableSnapshot === null && this.committed > this.applied;
  }

  /** Committed, not yet applied entries (none while a snapshot is pending). */
  nextCommittedEntries(maxSizeBytes: number): Entry[] {
    if (!this.hasEntriesToApply()) return NO_ENTRIES;
    return this.slice(this.applied + 1, this.committed + 1, maxSizeBytes) ?? NO_ENTRIES;
  }
}
