/**
 * A simulated disk with fsync semantics. Writes are queued in order; each becomes durable when its
 * fsync completes (log-normal latency, one fsync at a time, as a WAL does). A crash throws away
 * every write whose fsync has not completed. A slow-disk fault multiplies latencies for a while.
 * The disk does not know what it stores: the owner applies a batch to its durable image in
 * `onSynced`, and rebuilds from that image after a crash.
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { Actor, Engine } from "../engine.ts";

export interface DiskParams {
  /** Median fsync latency (log-normal); SSDs are well under 1 ms, HDDs about 10 ms. */
  fsyncMedianMs: number;
  fsyncSigma: number;
  fsyncMsMin: Ms;
  fsyncMsMax: Ms;
}

/** A datacentre SSD with the integer-ms clock: most fsyncs round to 1 ms. */
export function ssdDiskParams(): DiskParams {
  return { fsyncMedianMs: 1, fsyncSigma: 0.4, fsyncMsMin: 0, fsyncMsMax: 100 };
}

export interface DiskOwner<B> {
  /** The batch is durable now. Called in write order. */
  onSynced(batch: B, nowMs: Ms): void;
}

export interface DiskStats {
  writes: number;
  synced: number;
  lostOnCrash: number;
}

interface PendingWrite<B> {
  generation: number;
  batch: B;
}

const TAG_SYNCED = 1;

export class SimDisk<B> implements Actor {
  readonly stats: DiskStats = { writes: 0, synced: 0, lostOnCrash: 0 };
  private readonly engine: Engine;
  private readonly prng: Prng;
  private readonly params: DiskParams;
  private readonly owner: DiskOwner<B>;
  /** Bumped by a crash so that completions scheduled before it are ignored. */
  private generation = 0;
  private inFlight = 0;
  private busyUntilMs: Ms = 0;
  private slowFactor = 1;
  private slowUntilMs: Ms = 0;

  constructor(engine: Engine, prng: Prng, params: DiskParams, owner: DiskOwner<B>) {
    this.engine = engine;
    this.prng = prng;
    this.params = params;
    this.owner = owner;
  }

  /** Writes not yet durable. */
  get pendingWrites(): number {
    return this.inFlight;
  }

  /** Queues a write and its fsync; it completes after every earlier write. */
  write(batch: B): void {
    const nowMs = this.engine.nowMs;
    const startMs = Math.max(nowMs, this.busyUntilMs);
    const doneMs = startMs + this.fsyncLatencyMs(nowMs);
    this.busyUntilMs = doneMs;
    this.inFlight++;
    this.stats.writes++;
    const pending: PendingWrite<B> = { generation: this.generation, batch };
    this.engine.at(doneMs, this, TAG_SYNCED, pending);
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    assert(tag === TAG_SYNCED, `disk: unknown tag ${tag}`);
    const pending = data as PendingWrite<B>;
    if (pending.generation !== this.generation) return; // lost in a crash
    this.inFlight--;
    this.stats.synced++;
    this.owner.onSynced(pending.batch, nowMs);
  }

  /** Power loss / process kill: every write not yet synced is gone. */
  crash(): void {
    this.stats.lostOnCrash += this.inFlight;
    this.inFlight = 0;
    this.generation++;
    this.busyUntilMs = this.engine.nowMs;
  }

  /** Multiplies fsync latency by `factor` for writes issued before `untilMs`. */
  slow(factor: number, untilMs: Ms): void {
    assert(factor >= 1, `slow disk factor must be ≥ 1, got ${factor}`);
    this.slowFactor = factor;
    this.slowUntilMs = untilMs;
  }

  private fsyncLatencyMs(nowMs: Ms): Ms {
    const p = this.params;
    const raw = p.fsyncSigma > 0 ? this.prng.logNormal(p.fsyncMedianMs, p.fsyncSigma) : p.fsyncMedianMs;
    const factor = nowMs < this.slowUntilMs ? this.slowFactor : 1;
    return Math.round(factor * Math.min(p.fsyncMsMax, Math.max(p.fsyncMsMin, raw)));
  }
}
