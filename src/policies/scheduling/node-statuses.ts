/**
 * A cycle's filter verdicts by node name (upstream's NodeToStatus). It starts as a Map and, once
 * it holds verdicts for an eighth of the nodes (at least 64), keeps them by node row instead (an
 * array the size of the node order pays off from there): a cycle that rejects all 5,000 nodes
 * writes an array slot per node rather than growing a Map, and preemption reads them by row.
 * Either way it reads as the Map<string, Status> it replaces: `get`, `has`, `size`, and iteration
 * in first-insertion order (a name outside the node order, which the scheduler never sets, stays
 * in the Map, in its place in that order).
 */
import type { Status } from "./status.ts";

const rowsFromMin = 64;

export class NodeStatuses implements ReadonlyMap<string, Status> {
  private readonly index: ReadonlyMap<string, number>;
  /** The node of each row (the snapshot's order: `atRow` callers compare it with theirs). */
  readonly names: readonly string[];
  /** Undefined while the verdicts are few and all in `map`. */
  private byRow: (Status | undefined)[] | undefined;
  /** Once by row: every key in first-insertion order, a row or (outside the node order) a name in `map`. */
  private readonly order: (number | string)[] = [];
  private readonly map = new Map<string, Status>();
  private readonly rowsFrom: number;

  /** `names[row]` is the node of each row; `index` maps a name back to its row. */
  constructor(names: readonly string[], index: ReadonlyMap<string, number>) {
    this.names = names;
    this.index = index;
    this.rowsFrom = Math.max(rowsFromMin, names.length >> 3);
  }

  get size(): number {
    return this.byRow === undefined ? this.map.size : this.order.length;
  }

  /** set(names[row], status). */
  setAt(row: number, status: Status): this {
    const byRow = this.byRow;
    if (byRow === undefined) return this.set(this.names[row] as string, status);
    if (byRow[row] === undefined) this.order.push(row);
    byRow[row] = status;
    return this;
  }

  set(name: string, status: Status): this {
    if (this.byRow === undefined) {
      this.map.set(name, status);
      if (this.map.size >= this.rowsFrom) this.toRows();
      return this;
    }
    const row = this.rowOf(name);
    if (row !== undefined) return this.setAt(row, status);
    if (!this.map.has(name)) this.order.push(name);
    this.map.set(name, status);
    return this;
  }

  /** The status of the node in `row`, undefined when none was set. */
  atRow(row: number): Status | undefined {
    return this.byRow === undefined ? this.map.get(this.names[row] as string) : this.byRow[row];
  }

  get(name: string): Status | undefined {
    const row = this.byRow === undefined ? undefined : this.rowOf(name);
    return row === undefined ? this.map.get(name) : (this.byRow as (Status | undefined)[])[row];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Calls `visit` with every status in iteration order (no iterator objects). */
  forEachValue(visit: (status: Status) => void): void {
    const byRow = this.byRow;
    if (byRow === undefined) {
      for (const s of this.map.values()) visit(s);
      return;
    }
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const at = order[i] as number | string;
      visit((typeof at === "number" ? byRow[at] : this.map.get(at)) as Status);
    }
  }

  *entries(): MapIterator<[string, Status]> {
    const byRow = this.byRow;
    if (byRow === undefined) {
      yield* this.map.entries();
      return;
    }
    for (const at of this.order) {
      if (typeof at === "number") yield [this.names[at] as string, byRow[at] as Status];
      else yield [at, this.map.get(at) as Status];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<Status> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, Status]> {
    return this.entries();
  }

  forEach(visit: (value: Status, key: string, map: ReadonlyMap<string, Status>) => void): void {
    for (const [key, value] of this.entries()) visit(value, key, this);
  }

  private rowOf(name: string): number | undefined {
    const row = this.index.get(name);
    return row !== undefined && this.names[row] === name ? row : undefined;
  }

  /** Moves the Map's verdicts of nodes in the order to rows, keeping every key's insertion order. */
  private toRows(): void {
    const byRow = new Array<Status | undefined>(this.names.length);
    for (const [name, status] of this.map) {
      const row = this.rowOf(name);
      if (row === undefined) {
        this.order.push(name);
        continue;
      }
      byRow[row] = status;
      this.order.push(row);
      this.map.delete(name);
    }
    this.byRow = byRow;
  }
}
