/** A sink that hands everything to another one; subclasses add what they do with each record. */
import type { StateSnapshot } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import type { LogRecord } from "./record.ts";
import type { EventSink, MetricSample } from "./sink.ts";

export class ForwardingSink implements EventSink {
  protected readonly inner: EventSink;

  constructor(inner: EventSink) {
    this.inner = inner;
  }

  append(record: LogRecord): void {
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
}
