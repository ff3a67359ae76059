import { assert } from "../model/assert.ts";
import type { ConfState, Entry, HardState, Snapshot } from "./types.ts";

export interface InitialState {
  hardState: HardState;
  confState: ConfState;
}

/** term() answers for an index below the snapshot / first index. */
export const TERM_COMPACTED = -1;
/** term() answers for an index beyond the last index. */
export const TERM_UNAVAILABLE = -2;

export function emptyConfState(): ConfState {
  return { voters: [], learners: [], votersOutgoing: [] };
}

/** Approximate wire size of an entry, used for batching limits (data bytes plus a fixed header). */
export function entrySize(entry: Entry): number {
  return entry.data.length + 16;
}

/**
 * The host's stable storage, in memory. Raft only reads it; the host writes it while processing a
 * Ready (applySnapshot, append, setHardState) and when compacting (createSnapshot, compact).
 * Layout (as etcd's MemoryStorage): ents[0] is a dummy entry holding the snapshot's index and term,
 * so firstIndex = ents[0].index + 1 and the term of the snapshot index stays answerable.
 */
export class MemoryStorage {
  private hardState: HardState = { term: 0, vote: 0, commit: 0 };
  private snap: Snapshot = {
    metadata: { index: 0, term: 0, confState: emptyConfState() },
    data: "",
  };
  private ents: Entry[] = [{ term: 0, index: 0, type: "normal", data: "" }];

  /**
   * A storage that starts from a configuration snapshot at `index` (term 1, empty data): the way
   * a fresh cluster is bootstrapped. Members added later start from an empty storage and receive
   * this (or a later) snapshot from the leader, so they learn the initial membership.
   */
  static bootstrap(confState: ConfState, index = 1, data = ""): MemoryStorage {
    const storage = new MemoryStorage();
    storage.applySnapshot({ metadata: { index, term: 1, confState }, data });
    return storage;
  }

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, confState: this.snap.metadata.confState };
  }

  setHardState(hardState: HardState): void {
    this.hardState = { term: hardState.term, vote: hardState.vote, commit: hardState.commit };
  }

  firstIndex(): number {
    return (this.ents[0] as Entry).index + 1;
  }

  lastIndex(): number {
    return (this.ents[0] as Entry).index + this.ents.length - 1;
  }

  /** Term of entry i, or TERM_COMPACTED / TERM_UNAVAILABLE. The snapshot index answers too. */
  term(i: number): number {
    const offset = (this.ents[0] as Entry).index;
    if (i < offset) return TERM_COMPACTED;
    if (i - offset >= this.ents.length) return TERM_UNAVAILABLE;
    return (this.ents[i - offset] as Entry).term;
  }

  /**
   * Entries [lo, hiExcl), at most maxSizeBytes (but at least one). The caller must stay within
   * [firstIndex, lastIndex + 1): Raft checks bounds before asking.
   */
  entries(lo: number, hiExcl: number, maxSizeBytes = Infinity): Entry[] {
    const offset = (this.ents[0] as Entry).index;
    assert(lo > offset, `storage.entries(${lo}) compacted (first ${offset + 1})`);
    assert(hiExcl <= this.lastIndex() + 1, `storage.entries(.., ${hiExcl}) beyond last ${this.lastIndex()}`);
    const out: Entry[] = [];
    let size = 0;
    for (let i = lo; i < hiExcl; i++) {
      const entry = this.ents[i - offset] as Entry;
      size += entrySize(entry);
      if (out.length > 0 && size > maxSizeBytes) break;
      out.push(entry);
    }
    return out;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replace everything by a snapshot received from the leader (Ready.snapshot). */
  applySnapshot(snapshot: Snapshot): void {
    const index = snapshot.metadata.index;
    if (index <= this.snap.metadata.index) return; // stale: we already have a newer one
    this.snap = snapshot;
    this.ents = [{ term: snapshot.metadata.term, index, type: "normal", data: "" }];
    if (this.hardState.commit < index) this.hardState = { ...this.hardState, commit: index };
  }

  /**
   * Make a snapshot at applied index i (the host's state machine image `data`). Entries are kept
   * until compact() is called, so slow followers can still be fed from the log.
   */
  createSnapshot(i: number, confState: ConfState, data: string): Snapshot {
    assert(i > this.snap.metadata.index, `createSnapshot(${i}) not newer than ${this.snap.metadata.index}`);
    assert(i <= this.lastIndex(), `createSnapshot(${i}) beyond last index ${this.lastIndex()}`);
    this.snap = { metadata: { index: i, term: this.term(i), confState }, data };
    return this.snap;
  }

  /** Discard entries before compactIndex (keeping compactIndex as the new dummy entry). */
  compact(compactIndex: number): void {
    const offset = (this.ents[0] as Entry).index;
    if (compactIndex <= offset) return;
    assert(compactIndex <= this.lastIndex(), `compact(${compactIndex}) beyond last ${this.lastIndex()}`);
    const kept = this.ents.slice(compactIndex - offset);
    const head = kept[0] as Entry;
    kept[0] = { term: head.term, index: head.index, type: "normal", data: "" };
    this.ents = kept;
  }

  /** Append entries, truncating any conflicting suffix (entries[0] may overlap the log). */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const head = entries[0] as Entry;
    const last = head.index + entries.length - 1;
    if (last < first) return; // all already compacted
    const skip = first > head.index ? first - head.index : 0;
    const offset = (this.ents[0] as Entry).index;
    const at = head.index + skip - offset;
    assert(at <= this.ents.length, `storage.append gap: entry ${head.index + skip} after last ${this.lastIndex()}`);
    this.ents.length = at;
    for (let i = skip; i < entries.length; i++) this.ents.push(entries[i] as Entry);
  }
}
