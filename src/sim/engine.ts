/**
 * The discrete-event engine: a binary heap of (atMs, seq) → (actor, tag, data). Actors schedule
 * their own next events; `step()` runs exactly one. No closures per event: an event is an actor
 * reference, an integer tag and an optional datum, stored in parallel arrays.
 */
import { assert } from "../model/assert.ts";
import type { Ms } from "../model/units.ts";

export interface Actor {
  onEvent(tag: number, data: unknown, nowMs: Ms): void;
}

export interface RunLimits {
  atMsMax: Ms;
  stepsMax: number;
}

export type RunOutcome = "idle" | "atMsMax" | "stepsMax" | "stopped";

export class Engine {
  nowMs: Ms = 0;
  steps = 0;
  private seqNext = 0;
  private size = 0;
  private times: Float64Array;
  private seqs: Float64Array;
  private actors: (Actor | undefined)[];
  private tags: Int32Array;
  private datas: unknown[];
  private stopRequested = false;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.tags = new Int32Array(capacity);
    this.actors = new Array(capacity);
    this.datas = new Array(capacity);
  }

  get pending(): number {
    return this.size;
  }

  /** Time of the next event, or Infinity when idle. */
  peekMs(): Ms {
    return this.size > 0 ? (this.times[0] as number) : Infinity;
  }

  at(atMs: Ms, actor: Actor, tag: number, data?: unknown): void {
    assert(atMs >= this.nowMs, `scheduling into the past: ${atMs} < ${this.nowMs}`);
    assert(Number.isSafeInteger(atMs), `event time must be integer ms, got ${atMs}`);
    if (this.size === this.times.length) this.grow();
    this.siftUp(this.size++, atMs, this.seqNext++, actor, tag, data);
  }

  after(delayMs: Ms, actor: Actor, tag: number, data?: unknown): void {
    this.at(this.nowMs + Math.max(0, Math.round(delayMs)), actor, tag, data);
  }

  /** Runs exactly one event; false when the queue is empty. */
  step(): boolean {
    if (this.size === 0) return false;
    const atMs = this.times[0] as number;
    const actor = this.actors[0] as Actor;
    const tag = this.tags[0] as number;
    const data = this.datas[0];
    this.popRoot();
    this.nowMs = atMs;
    this.steps++;
    actor.onEvent(tag, data, atMs);
    return true;
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Runs events with atMs ≤ atMsMax, at most stepsMax of them. Both limits are mandatory. */
  runUntil(limits: RunLimits): RunOutcome {
    const stepsEnd = this.steps + limits.stepsMax;
    this.stopRequested = false;
    while (true) {
      if (this.stopRequested) return "stopped";
      if (this.size === 0) {
        this.nowMs = Math.max(this.nowMs, limits.atMsMax === Infinity ? this.nowMs : limits.atMsMax);
        return "idle";
      }
      if ((this.times[0] as number) > limits.atMsMax) {
        this.nowMs = limits.atMsMax;
        return "atMsMax";
      }
      if (this.steps >= stepsEnd) return "stepsMax";
      this.step();
    }
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    const tags = new Int32Array(capacity);
    tags.set(this.tags);
    this.times = times;
    this.seqs = seqs;
    this.tags = tags;
    this.actors.length = capacity;
    this.datas.length = capacity;
  }

  private less(i: number, atMs: Ms, seq: number): boolean {
    const t = this.times[i] as number;
    return t < atMs || (t === atMs && (this.seqs[i] as number) < seq);
  }

  private place(i: number, atMs: Ms, seq: number, actor: Actor | undefined, tag: number, data: unknown): void {
    this.times[i] = atMs;
    this.seqs[i] = seq;
    this.actors[i] = actor;
    this.tags[i] = tag;
    this.datas[i] = data;
  }

  private move(from: number, to: number): void {
    this.place(to, this.times[from] as number, this.seqs[from] as number, this.actors[from], this.tags[from] as number, this.datas[from]);
  }

  private siftUp(i: number, atMs: Ms, seq: number, actor: Actor, tag: number, data: unknown): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(parent, atMs, seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, atMs, seq, actor, tag, data);
  }

  private popRoot(): void {
    const last = --this.size;
    if (last === 0) {
      this.place(0, 0, 0, undefined, 0, undefined);
      return;
    }
    const atMs = this.times[last] as number;
    const seq = this.seqs[last] as number;
    const actor = this.actors[last];
    const tag = this.tags[last] as number;
    const data = this.datas[last];
    this.place(last, 0, 0, undefined, 0, undefined);
    let i = 0;
    while (true) {
      const left = 2 * i + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.less(right, this.times[left] as number, this.seqs[left] as number) ? right : left;
      if (!this.less(child, atMs, seq)) break;
      this.move(child, i);
      i = child;
    }
    this.place(i, atMs, seq, actor, tag, data);
  }
}
