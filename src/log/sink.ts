/**
 * Where a run's records, snapshots and metric samples go. The world writes through this interface
 * only; the fingerprint is computed here, identically for every sink.
 */
import { hashDigest, newHash64, type Hash64 } from "../model/hash.ts";
import type { StateSnapshot } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import { fingerprintUpdate, type LogRecord } from "./record.ts";

export interface MetricSample {
  name: string;
  atMs: Ms;
  value: number;
}

export interface EventSink {
  append(record: LogRecord): void;
  snapshot(seq: number, atMs: Ms, state: StateSnapshot): void;
  metric(sample: MetricSample): void;
  /** Flushes buffered writes; returns the run's fingerprint. */
  finish(): string;
}

/** Shared fingerprinting for sinks. */
export abstract class FingerprintingSink implements EventSink {
  private readonly hash: Hash64 = newHash64();
  count = 0;

  /** The running fingerprint state (after the last record appended); read it, never keep it. */
  protected hashState(): Hash64 {
    return this.hash;
  }

  append(record: LogRecord): void {
    fingerprintUpdate(this.hash, record);
    this.count++;
    this.store(record);
  }

  fingerprint(): string {
    return hashDigest(this.hash);
  }

  protected abstract store(record: LogRecord): void;
  abstract snapshot(seq: number, atMs: Ms, state: StateSnapshot): void;
  abstract metric(sample: MetricSample): void;
  abstract finish(): string;
}
