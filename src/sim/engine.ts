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
  // The heap holds (time, seq, slot); the event's actor/tag/data stay put in their slot, so a
  // sift moves three numbers, not five fields.
  private times: Float64Array;
  private seqs: Float64Array;
  private slots: Int32Array;
  private actors: (Actor | undefined)[];
  private tags: Int32Array;
  private datas: unknown[];
  private freeSlots: Int32Array;
  private freeCount: number;
  private stopRequested = false;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
    this.tags = new Int32Array(capacity);
    this.actors = new Array(capacity).fill(undefined);
    this.datas = new Array(capacity).fill(undefined);
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  get pending(): number {
    return this.size;
  }

  /** Time of the next event, or Infinity when idle. */
  peekMs(): Ms {
    return this.size > 0 ? (this.times[0] as number) : Infinity;
  }

  at(atMs: Ms, actor: Actor, tag: number, data?: unknown): void {
    // Checked without building the messages on the hot path.
    if (!(atMs >= this.nowMs)) assert(false, `scheduling into the past: ${atMs} < ${this.nowMs}`);
    if (!Number.isSafeInteger(atMs)) assert(false, `event time must be integer ms, got ${atMs}`);
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount] as number;
    this.actors[slot] = actor;
    this.tags[slot] = tag;
    this.datas[slot] = data;
    this.siftUp(this.size++, atMs, this.seqNext++, slot);
  }

  after(delayMs: Ms, actor: Actor, tag: number, data?: unknown): void {
    this.at(this.nowMs + Math.max(0, Math.round(delayMs)), actor, tag, data);
  }

  /** Runs exactly one event; false when the queue is empty. */
  step(): boolean {
    if (this.size === 0) return false;
    const atMs = this.times[0] as number;
    const slot = this.slots[0] as number;
    const actor = this.actors[slot] as Actor;
    const tag = this.tags[slot] as number;
    const data = this.datas[slot];
    this.actors[slot] = undefined;
    this.datas[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
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
        if (limits.atMsMax !== Infinity && limits.atMsMax > this.nowMs) this.nowMs = limits.atMsMax;
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
    const old = this.times.length;
    const capacity = old * 2;
    this.times = growFloat(this.times, capacity);
    this.seqs = growFloat(this.seqs, capacity);
    const slots = new Int32Array(capacity);
    slots.set(this.slots);
    this.slots = slots;
    const tags = new Int32Array(capacity);
    tags.set(this.tags);
    this.tags = tags;
    for (let i = old; i < capacity; i++) {
      this.actors.push(undefined);
      this.datas.push(undefined);
    }
    const free = new Int32Array(capacity);
    for (let i = 0; i < capacity - old; i++) free[i] = capacity - 1 - i;
    this.freeSlots = free;
    this.freeCount = capacity - old;
  }

  private siftUp(i: number, atMs: Ms, seq: number, slot: number): void {
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < atMs || (pt === atMs && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    times[i] = atMs;
    seqs[i] = seq;
    slots[i] = slot;
  }

  private popRoot(): void {
    const last = --this.size;
    if (last === 0) return;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const atMs = times[last] as number;
    const seq = seqs[last] as number;
    const slot = slots[last] as number;
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= last) break;
      let ct = times[child] as number;
      let cs = seqs[child] as number;
      const right = child + 1;
      if (right < last) {
        const rt = times[right] as number;
        const rs = seqs[right] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (atMs < ct || (atMs === ct && seq < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      slots[i] = slots[child] as number;
      i = child;
    }
    times[i] = atMs;
    seqs[i] = seq;
    slots[i] = slot;
  }
}

function growFloat(a: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(a);
  return out;
}
