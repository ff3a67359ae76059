/**
 * A table keyed by log index, dense from a moving floor: Raft indexes are consecutive, so an array
 * with an offset beats a Map; `dropBelow` forgets compacted history in one splice.
 */
export class IndexTable<T> {
  private floor = 0;
  private items: (T | undefined)[] = [];

  get(index: number): T | undefined {
    const at = index - this.floor;
    return at >= 0 && at < this.items.length ? this.items[at] : undefined;
  }

  set(index: number, value: T): void {
    const at = index - this.floor;
    if (at < 0) return; // below the floor: forgotten on purpose
    while (this.items.length < at) this.items.push(undefined);
    this.items[at] = value;
  }

  dropBelow(index: number): void {
    if (index <= this.floor) return;
    this.items.splice(0, Math.min(this.items.length, index - this.floor));
    this.floor = index;
  }

  /** Visits present entries at or above `from`, in index order. */
  forEachFrom(from: number, visit: (index: number, value: T) => boolean | void): void {
    for (let at = Math.max(0, from - this.floor); at < this.items.length; at++) {
      const value = this.items[at];
      if (value !== undefined && visit(at + this.floor, value) === false) return;
    }
  }
}
