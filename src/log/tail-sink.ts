/** Wraps a sink and keeps the last few records, for invariant-failure reports. */
import type { StateSnapshot } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import type { LogRecord } from "./record.ts";
import type { EventSink, MetricSample } from "./sink.ts";

export class TailSink implements EventSink {
  private readonly inner: EventSink;
  private readonly ring: (LogRecord | undefined)[];
  private next = 0;

  constructor(inner: EventSink, keep: number) {
    this.inner = inner;
    this.ring = new Array(keep);
  }

  append(record: LogRecord): void {
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.ring.length;
    this.inner.append(record);
  }

  snapshot(seq: number, atMs: Ms, state: StateSnapshot): void {
    this.inner.snapshot(seq, atMs, state);
  }

  metric(sample: MetricSample): void {
    this.inner.metric(sample);
  }

  finish(): string {
    return this.inner.finish();
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
