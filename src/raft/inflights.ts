import { assert } from "../model/assert.ts";

/**
 * The last indexes of MsgApps sent to one follower and not yet acknowledged: a fixed ring
 * buffer (no allocation after construction). Full means "stop sending until an ack frees a slot".
 */
export class Inflights {
  private readonly buffer: number[];
  private start = 0;
  count = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    assert(capacity > 0, `inflight capacity must be positive, got ${capacity}`);
    this.capacity = capacity;
    this.buffer = new Array<number>(capacity).fill(0);
  }

  full(): boolean {
    return this.count === this.capacity;
  }

  /** Record a MsgApp whose last entry is `index`; indexes must increase. */
  add(index: number): void {
    assert(!this.full(), "inflights.add on a full window");
    const at = (this.start + this.count) % this.capacity;
    this.buffer[at] = index;
    this.count++;
  }

  /** Free every in-flight message whose last index is ≤ `index` (they were acknowledged). */
  freeLE(index: number): void {
    while (this.count > 0 && (this.buffer[this.start] as number) <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
    if (this.count === 0) this.start = 0;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
