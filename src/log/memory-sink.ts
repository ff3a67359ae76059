import type { StateSnapshot } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import type { LogRecord } from "./record.ts";
import { FingerprintingSink, type MetricSample } from "./sink.ts";

export interface StoredSnapshot {
  seq: number;
  atMs: Ms;
  state: string;
}

/** Keeps everything in memory: for tests, compare workers and replay checks. */
export class MemorySink extends FingerprintingSink {
  readonly records: LogRecord[] = [];
  readonly snapshots: StoredSnapshot[] = [];
  readonly metrics: MetricSample[] = [];
  private readonly keepRecords: boolean;

  constructor(options: { keepRecords: boolean } = { keepRecords: true }) {
    super();
    this.keepRecords = options.keepRecords;
  }

  protected store(record: LogRecord): void {
    if (this.keepRecords) this.records.push(record);
  }

  snapshot(seq: number, atMs: Ms, state: StateSnapshot): void {
    if (this.keepRecords) this.snapshots.push({ seq, atMs, state: JSON.stringify(state) });
  }

  metric(sample: MetricSample): void {
    this.metrics.push(sample);
  }

  finish(): string {
    return this.fingerprint();
  }
}
