/**
 * Topology counts (topologyKey → domain value → sum) summed from per-node contributions and kept
 * across cycles: a node row's contribution is recomputed only when the view's nodeChanges journal
 * names the node (its pods or the node object changed). An entry exists exactly while at least
 * one contribution names it, as in a recount from scratch, so `size` and membership agree too.
 * Only the view's own pods count here; the caller adds assumed pods and removes excluded ones.
 */
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

  constructor(mapCount: number, rows: number) {
    this.maps = Array.from({ length: mapCount }, () => new Map());
    this.named = Array.from({ length: mapCount }, () => new Map());
    this.contributions = new Array<readonly Bump[] | undefined>(rows).fill(undefined);
  }

  /**
   * Brings the sums up to date with the snapshot's view; `contribution(row)` lists the bumps of
   * the view's pods on that row. False (nothing done) when the view keeps no journal.
   */
  sync(snapshot: Snapshot, contribution: (row: number) => readonly Bump[]): boolean {
    const journal = snapshot.view.nodeChanges;
    if (journal === undefined) return false;
    const end = journal.start + journal.names.length;
    if (this.journalSeen === end) return true;
    if (this.journalSeen === -1 || this.journalSeen < journal.start) {
      for (let row = 0; row < this.contributions.length; row++) this.replace(row, contribution(row));
    } else {
      const dirty = new Set<number>();
      for (let i = this.journalSeen - journal.start; i < journal.names.length; i++) {
        const row = snapshot.rowOf(journal.names[i] as string);
        if (row !== undefined) dirty.add(row);
      }
      for (const row of dirty) this.replace(row, contribution(row));
    }
    this.journalSeen = end;
    return true;
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
    if (sign === -1) return;
    sums.set(b.key, (sumsInner = new Map()));
    named.set(b.key, (namedInner = new Map()));
  }
  const n = (namedInner.get(b.value) ?? 0) + sign;
  if (n <= 0) {
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
