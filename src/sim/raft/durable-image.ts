/**
 * What one member's disk holds after its fsyncs: the latest snapshot, the log entries after it and
 * the hard state. A restart rebuilds the member's MemoryStorage from this image and nothing else.
 */
import { assert } from "../../model/assert.ts";
import { MemoryStorage } from "../../raft/storage.ts";
import type { Entry, HardState, Snapshot } from "../../raft/types.ts";

/** One Ready's worth of durable changes, written as a single fsynced batch. */
export interface DurableBatch {
  snapshot: Snapshot | null;
  entries: Entry[];
  hardState: HardState | null;
}

export class DurableImage {
  hardState: HardState = { term: 0, vote: 0, commit: 0 };
  snapshot: Snapshot;
  /** entries[k] has index snapshot.metadata.index + 1 + k. */
  private entries: Entry[] = [];

  constructor(bootstrap: Snapshot) {
    this.snapshot = bootstrap;
    this.hardState = { term: 0, vote: 0, commit: bootstrap.metadata.index };
  }

  get lastIndex(): number {
    return this.snapshot.metadata.index + this.entries.length;
  }

  /** As a read-only log (the library's LogLike): first index after the snapshot, term or -1. */
  readonly log = {
    firstIndex: (): number => this.snapshot.metadata.index + 1,
    lastIndex: (): number => this.lastIndex,
    term: (i: number): number => this.termAt(i),
  };

  /** Term of a durable entry, the snapshot term at its index, or -1 when not held (compacted or absent). */
  termAt(index: number): number {
    const base = this.snapshot.metadata.index;
    if (index === base) return this.snapshot.metadata.term;
    if (index < base || index > this.lastIndex) return -1;
    return (this.entries[index - base - 1] as Entry).term;
  }

  /** True when this disk holds entry (index, term), or a snapshot that covers it. */
  holds(index: number, term: number): boolean {
    return index <= this.snapshot.metadata.index || this.termAt(index) === term;
  }

  apply(batch: DurableBatch): void {
    if (batch.snapshot !== null) this.installSnapshot(batch.snapshot);
    if (batch.entries.length > 0) this.append(batch.entries);
    if (batch.hardState !== null) this.hardState = { ...batch.hardState };
  }

  /** A snapshot the host took of its own applied state: drop entries up to compactIndex. */
  compact(snapshot: Snapshot, compactIndex: number): void {
    assert(compactIndex <= snapshot.metadata.index, "compaction beyond the snapshot");
    const base = this.snapshot.metadata.index;
    if (snapshot.metadata.index <= base) return;
    // Keep the entries after the snapshot; the ones between compactIndex and the snapshot stay in
    // the in-memory storage for slow followers, but on disk the snapshot replaces them.
    this.entries = this.entries.slice(Math.min(this.entries.length, snapshot.metadata.index - base));
    this.snapshot = snapshot;
  }

  /** A fresh MemoryStorage holding exactly what is durable. */
  restore(): MemoryStorage {
    const storage = new MemoryStorage();
    storage.applySnapshot(this.snapshot);
    storage.append(this.entries);
    const commit = Math.max(this.hardState.commit, this.snapshot.metadata.index);
    storage.setHardState({ term: this.hardState.term, vote: this.hardState.vote, commit: Math.min(commit, this.lastIndex) });
    return storage;
  }

  private installSnapshot(snapshot: Snapshot): void {
    const index = snapshot.metadata.index;
    if (index <= this.snapshot.metadata.index) return;
    const keep = this.termAt(index) === snapshot.metadata.term ? this.entries.slice(index - this.snapshot.metadata.index) : [];
    this.snapshot = snapshot;
    this.entries = keep;
  }

  private append(entries: readonly Entry[]): void {
    const base = this.snapshot.metadata.index;
    const first = (entries[0] as Entry).index;
    assert(first <= this.lastIndex + 1, `durable append gap: ${first} after ${this.lastIndex}`);
    let skip = 0;
    if (first <= base) skip = base + 1 - first; // already covered by the snapshot
    if (skip >= entries.length) return;
    this.entries.length = first + skip - base - 1;
    for (let k = skip; k < entries.length; k++) this.entries.push(entries[k] as Entry);
  }
}
