/**
 * Linearizability checker for key-value histories: Wing & Gong's search with Lowe's memoization
 * (the cache of (linearized set, state) pairs already explored) and P-compositionality (each key is
 * checked on its own), as Porcupine does. Intervals are closed: an operation returning at t and one
 * invoked at t are concurrent. An operation whose outcome is unknown (timed out, client crashed)
 * may take effect at any time after its invocation, or never. A step budget bounds the search; when
 * it runs out the answer is "unknown", never "linearizable".
 */
import { assert } from "../../model/assert.ts";

export type KvOpKind = "put" | "get" | "cas";

export interface KvOperation {
  clientId: number;
  kind: KvOpKind;
  key: string;
  /** put, cas: the value written. */
  value: string | null;
  /** cas: the value the key must hold for the write to happen (null = absent). */
  expected: string | null;
  invokeMs: number;
  /** Infinity when the outcome is unknown. */
  returnMs: number;
  /** False when the client never learned the outcome. */
  known: boolean;
  /** get: the value read (null = absent). */
  readValue: string | null;
  /** cas: whether it reported success. */
  casOk: boolean;
}

export type LinearizabilityOutcome = "linearizable" | "notLinearizable" | "unknown";

export interface LinearizabilityResult {
  outcome: LinearizabilityOutcome;
  keysChecked: number;
  operationsChecked: number;
  steps: number;
  /** The first key that is not linearizable (or ran out of budget), when there is one. */
  key: string | null;
}

export interface CheckOptions {
  /** Total search steps over all keys before answering "unknown". */
  stepsMax: number;
}

export function putOp(clientId: number, key: string, value: string, invokeMs: number, returnMs: number): KvOperation {
  return { clientId, kind: "put", key, value, expected: null, invokeMs, returnMs, known: returnMs !== Infinity, readValue: null, casOk: false };
}

export function getOp(clientId: number, key: string, readValue: string | null, invokeMs: number, returnMs: number): KvOperation {
  return { clientId, kind: "get", key, value: null, expected: null, invokeMs, returnMs, known: returnMs !== Infinity, readValue, casOk: false };
}

export function casOp(clientId: number, key: string, expected: string | null, value: string, casOk: boolean, invokeMs: number, returnMs: number): KvOperation {
  return { clientId, kind: "cas", key, value, expected, invokeMs, returnMs, known: returnMs !== Infinity, readValue: null, casOk };
}

/** Checks a whole history, key by key, in key order (deterministic). */
export function checkKvHistory(history: readonly KvOperation[], options: CheckOptions): LinearizabilityResult {
  const byKey = new Map<string, KvOperation[]>();
  for (const op of history) {
    assert(op.returnMs >= op.invokeMs, `operation returns before it is invoked (${op.key})`);
    if (op.kind === "get" && !op.known) continue; // an unanswered read constrains nothing
    let ops = byKey.get(op.key);
    if (ops === undefined) byKey.set(op.key, (ops = []));
    ops.push(op);
  }
  const keys = [...byKey.keys()].sort();
  let steps = 0;
  let operationsChecked = 0;
  for (const key of keys) {
    const ops = byKey.get(key) as KvOperation[];
    const search = new KeySearch(ops, options.stepsMax - steps);
    const outcome = search.run();
    steps += search.steps;
    operationsChecked += ops.length;
    if (outcome !== "linearizable") return { outcome, keysChecked: keys.length, operationsChecked, steps, key };
  }
  return { outcome: "linearizable", keysChecked: keys.length, operationsChecked, steps, key: null };
}

/** Result of applying one operation to a register: the next state, or NO when impossible. */
const NO = -2;
/** State id of the absent value. */
const ABSENT = 0;

/**
 * The search over one key. Entries 0..2n-1 are calls (even) and returns (odd) of operation
 * entry>>1; they form a doubly linked list in time order behind a head sentinel. Values are
 * interned to small integers so that the state is an int.
 */
class KeySearch {
  steps = 0;
  private readonly ops: readonly KvOperation[];
  private readonly stepsMax: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly valueIds = new Map<string, number>();
  private readonly writeId: Int32Array;
  private readonly expectId: Int32Array;
  private readonly readId: Int32Array;
  private readonly linearized: Uint32Array;
  /** Zobrist hash of the linearized set: two 32-bit lanes, each op toggles its own random words. */
  private hashHi = 0;
  private hashLo = 0;
  private readonly zobristHi: Int32Array;
  private readonly zobristLo: Int32Array;
  /** Explored (set, state) pairs by hash; exact sets are compared on a hash match. */
  private readonly seen = new Map<number, { state: number; set: Uint32Array }[]>();

  constructor(ops: readonly KvOperation[], stepsMax: number) {
    this.ops = ops;
    this.stepsMax = stepsMax;
    const n = ops.length;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.writeId = new Int32Array(n);
    this.expectId = new Int32Array(n);
    this.readId = new Int32Array(n);
    this.linearized = new Uint32Array((n + 31) >>> 5);
    this.zobristHi = new Int32Array(n);
    this.zobristLo = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.zobristHi[i] = mix32(2 * i + 1);
      this.zobristLo[i] = mix32(2 * i + 2);
      const op = ops[i] as KvOperation;
      this.writeId[i] = this.intern(op.value);
      this.expectId[i] = this.intern(op.expected);
      this.readId[i] = this.intern(op.readValue);
    }
    this.link(this.timeOrder());
  }

  run(): LinearizabilityOutcome {
    const stackEntry: number[] = [];
    const stackState: number[] = [];
    let state = ABSENT;
    let entry = this.next[this.head] as number;
    while (this.next[this.head] !== -1) {
      if (++this.steps > this.stepsMax) return "unknown";
      if ((entry & 1) === 0) {
        const op = entry >>> 1;
        const after = this.apply(op, state);
        if (after !== NO && this.firstVisit(op, after)) {
          stackEntry.push(entry);
          stackState.push(state);
          this.lift(entry);
          state = after;
          entry = this.next[this.head] as number;
        } else {
          entry = this.next[entry] as number;
        }
        continue;
      }
      // A return: its operation must be linearized before anything later; backtrack.
      if (stackEntry.length === 0) return "notLinearizable";
      entry = stackEntry.pop() as number;
      state = stackState.pop() as number;
      this.toggle(entry >>> 1);
      this.unlift(entry);
      entry = this.next[entry] as number;
    }
    return "linearizable";
  }

  private apply(op: number, state: number): number {
    const o = this.ops[op] as KvOperation;
    switch (o.kind) {
      case "put":
        return this.writeId[op] as number;
      case "get":
        return this.readId[op] === state ? state : NO;
      case "cas": {
        const matches = this.expectId[op] === state;
        if (!o.known) return matches ? (this.writeId[op] as number) : state;
        if (o.casOk) return matches ? (this.writeId[op] as number) : NO;
        return matches ? NO : state;
      }
    }
  }

  /** Marks op linearized; true when (linearized set, state) was not explored before. */
  private firstVisit(op: number, state: number): boolean {
    this.toggle(op);
    // 53-bit key: 32 bits of one lane, 21 bits of the other mixed with the state.
    const key = (this.hashHi >>> 0) * 0x200000 + ((this.hashLo ^ mix32(state + 0x9e3779b9)) & 0x1fffff);
    let bucket = this.seen.get(key);
    if (bucket === undefined) {
      this.seen.set(key, (bucket = []));
    } else {
      for (const visited of bucket) {
        if (visited.state === state && sameSet(visited.set, this.linearized)) {
          this.toggle(op);
          return false;
        }
      }
    }
    bucket.push({ state, set: this.linearized.slice() });
    return true;
  }

  private toggle(op: number): void {
    this.linearized[op >>> 5] = (this.linearized[op >>> 5] as number) ^ (1 << (op & 31));
    this.hashHi ^= this.zobristHi[op] as number;
    this.hashLo ^= this.zobristLo[op] as number;
  }

  /** Removes a call entry and its return entry from the list. */
  private lift(call: number): void {
    this.unlink(call);
    this.unlink(call + 1);
  }

  private unlift(call: number): void {
    this.relink(call + 1);
    this.relink(call);
  }

  private unlink(e: number): void {
    const p = this.prev[e] as number;
    const n = this.next[e] as number;
    this.next[p] = n;
    if (n !== -1) this.prev[n] = p;
  }

  private relink(e: number): void {
    const p = this.prev[e] as number;
    const n = this.next[e] as number;
    this.next[p] = e;
    if (n !== -1) this.prev[n] = e;
  }

  /** Entries by time; at equal times calls come first (closed intervals), then by entry number. */
  private timeOrder(): number[] {
    const entries: number[] = [];
    for (let i = 0; i < 2 * this.ops.length; i++) entries.push(i);
    const time = (e: number): number => {
      const op = this.ops[e >>> 1] as KvOperation;
      return (e & 1) === 0 ? op.invokeMs : op.returnMs;
    };
    return entries.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  }

  private link(order: readonly number[]): void {
    let previous = this.head;
    for (const e of order) {
      this.next[previous] = e;
      this.prev[e] = previous;
      previous = e;
    }
    this.next[previous] = -1;
  }

  private intern(value: string | null): number {
    if (value === null) return ABSENT;
    let id = this.valueIds.get(value);
    if (id === undefined) this.valueIds.set(value, (id = this.valueIds.size + 1));
    return id;
  }
}

function sameSet(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A 32-bit integer hash (murmur3 finalizer): deterministic pseudo-random words per op. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}
