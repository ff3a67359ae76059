/** Wraps a sink and keeps the last few records, for invariant-failure reports. */
import { ForwardingSink } from "./forwarding-sink.ts";
import type { LogRecord } from "./record.ts";
import type { EventSink } from "./sink.ts";

export class TailSink extends ForwardingSink {
  private readonly ring: (LogRecord | undefined)[];
  private next = 0;

  constructor(inner: EventSink, keep: number) {
    super(inner);
    this.ring = new Array(keep);
  }

  override append(record: LogRecord): void {
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.ring.length;
    this.inner.append(record);
  }

  /** The kept records, oldest first. */
  tail(): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const r = this.ring[(this.next + i) % this.ring.length];
      if (r) out.push(r);
    }
    return out;
  }
}
