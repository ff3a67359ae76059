/**
 * Topology counts (topologyKey → domain value → sum) summed from per-node contributions and kept
 * across cycles: a node row's contribution is recomputed only when the view's nodeChanges journal
 * names the node (its pods or the node object changed). An entry exists exactly while at least
 * one contribution names it, as in a recount from scratch, so `size` and membership agree too.
 * Only the view's own pods count here; the caller adds assumed pods and removes excluded ones.
 *
 * Invariants, asserted as the counts change: the journal only moves forward (its start and end
 * never go back); a contribution taken off was put on before, so no entry's contribution count
 * goes negative. In a recount cycle (`snapshot.recount`, KUBETWIN_RECOUNT) the kept sums are
 * compared with sums rebuilt from every row's contribution.
 */
import { assert } from "../../model/assert.ts";
import type { Snapshot } from "./snapshot.ts";

export type TopologyCounts = Map<string, Map<string, number>>;

/** One contribution: add `by` to maps[map][key][value]. */
export interface Bump {
  readonly map: number;
  readonly key: string;
  readonly value: string;
  readonly by: number;
}

const noBumps: readonly Bump[] = Object.freeze([]);

export class RowCounts {
  /** The sums, read by the plugin (never mutate them). */
  readonly maps: readonly TopologyCounts[];
  /** How many contributions name each entry (parallel to `maps`). */
  private readonly named: Map<string, Map<string, number>>[];
  private readonly contributions: (readonly Bump[] | undefined)[];
  private journalSeen = -1;
  private journalStartSeen = -1;

  constructor(mapCount: number, rows: number) {
    this.maps = Array.from({ length: mapCount }, () => new Map());
    this.named = Array.from({ length: mapCount }, () => new Map());
    this.contributions = new Array<readonly Bump[] | undefined>(rows).fill(undefined);
  }

  /**
   * Brings the sums up to date with the snapshot's view; `contribution(row)` lists the bumps of
   * the view's pods on that row. False (nothing done) when the view keeps no journal.
   *
   * `everyRow`, when given, must hand `add` exactly the bumps of every row's contribution (in any
   * order): a from-scratch count (first use, or the journal moved past us) then visits only what it
   * names — e.g. the pods a label index says may match — instead of every row's pods.
   */
  sync(snapshot: Snapshot, contribution: (row: number) => readonly Bump[], everyRow?: (add: (row: number, b: Bump) => void) => void): boolean {
    const journal = snapshot.view.nodeChanges;
    if (journal === undefined) return false;
    const end = journal.start + journal.names.length;
    assert(journal.start >= this.journalStartSeen && end >= this.journalSeen, `nodeChanges journal went back: [${journal.start}, ${end}) after [${this.journalStartSeen}, ${this.journalSeen})`);
    this.journalStartSeen = journal.start;
    if (this.journalSeen === end) {
      if (snapshot.recount) this.verify(contribution);
      return true;
    }
    // Many journal entries since the last look (a cache not used for a while): counting the
    // matching pods afresh is cheaper than rebuilding every named row's contribution. Same sums.
    const stale = everyRow !== undefined && end - this.journalSeen > this.contributions.length >> 3;
    if (this.journalSeen === -1 || this.journalSeen < journal.start || stale) {
      if (everyRow !== undefined) this.rebuild(everyRow);
      else for (let row = 0; row < this.contributions.length; row++) this.replace(row, contribution(row));
    } else {
      const dirty = new Set<number>();
      for (let i = this.journalSeen - journal.start; i < journal.names.length; i++) {
        const row = snapshot.rowOf(journal.names[i] as string);
        if (row !== undefined) dirty.add(row);
      }
      for (const row of dirty) this.replace(row, contribution(row));
    }
    this.journalSeen = end;
    if (snapshot.recount) this.verify(contribution);
    return true;
  }

  /** Recount mode: the kept sums equal sums rebuilt from scratch from every row's contribution. */
  private verify(contribution: (row: number) => readonly Bump[]): void {
    const maps: TopologyCounts[] = this.maps.map(() => new Map());
    const named: TopologyCounts[] = this.maps.map(() => new Map());
    for (let row = 0; row < this.contributions.length; row++) {
      for (const b of contribution(row)) applyBump(maps[b.map] as TopologyCounts, named[b.map] as TopologyCounts, b, 1);
    }
    maps.forEach((m, i) => assertSameCounts(this.maps[i] as TopologyCounts, m, `RowCounts map ${i}`));
  }

  /** Starts over from `everyRow`'s bumps: rows it names nothing on contribute nothing. */
  private rebuild(everyRow: (add: (row: number, b: Bump) => void) => void): void {
    for (const m of this.maps) m.clear();
    for (const m of this.named) m.clear();
    this.contributions.fill(undefined);
    const rows = this.contributions.length;
    everyRow((row, b) => {
      assert(row >= 0 && row < rows, `RowCounts: row ${row} outside 0..${rows - 1}`);
      let list = this.contributions[row] as Bump[] | undefined;
      if (list === undefined) this.contributions[row] = list = [];
      list.push(b);
      this.apply(b, 1);
    });
  }

  private replace(row: number, bumps: readonly Bump[]): void {
    for (const b of this.contributions[row] ?? noBumps) this.apply(b, -1);
    for (const b of bumps) this.apply(b, 1);
    this.contributions[row] = bumps.length === 0 ? noBumps : bumps;
  }

  private apply(b: Bump, sign: 1 | -1): void {
    applyBump(this.maps[b.map] as TopologyCounts, this.named[b.map] as TopologyCounts, b, sign);
  }
}

/** Adds (sign 1) or takes off (sign -1) one contribution, dropping entries no contribution names. */
export function applyBump(sums: TopologyCounts, named: TopologyCounts, b: Bump, sign: 1 | -1): void {
  let sumsInner = sums.get(b.key);
  let namedInner = named.get(b.key);
  if (sumsInner === undefined || namedInner === undefined) {
    assert(sign === 1, `RowCounts: taking off ${b.key}=${b.value}, which no contribution names`);
    sums.set(b.key, (sumsInner = new Map()));
    named.set(b.key, (namedInner = new Map()));
  }
  const n = (namedInner.get(b.value) ?? 0) + sign;
  assert(n >= 0, `RowCounts: negative contribution count for ${b.key}=${b.value}`);
  if (n === 0) {
    namedInner.delete(b.value);
    sumsInner.delete(b.value);
    if (namedInner.size === 0) {
      named.delete(b.key);
      sums.delete(b.key);
    }
    return;
  }
  namedInner.set(b.value, n);
  sumsInner.set(b.value, (sumsInner.get(b.value) ?? 0) + sign * b.by);
}

/** Asserts two topology counts hold the same entries with the same sums (order aside). */
export function assertSameCounts(kept: TopologyCounts, fresh: TopologyCounts, what: string): void {
  assert(kept.size === fresh.size, `${what}: ${kept.size} topology keys kept, ${fresh.size} recounted`);
  for (const [key, inner] of fresh) {
    const k = kept.get(key);
    assert(k !== undefined && k.size === inner.size, `${what}: key ${key} has ${k?.size ?? 0} domains kept, ${inner.size} recounted`);
    for (const [value, n] of inner) assert(k.get(value) === n, `${what}: ${key}=${value} kept ${k.get(value)}, recounted ${n}`);
  }
}
