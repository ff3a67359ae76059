/**
 * The run fingerprint's per-record step. By definition it is
 *   hashUpdate(h, `${seq}|${atMs}|${kind}|${subject}|${exogenous ? 1 : 0}|${payload}`)
 * (src/model/hash.ts); this computes exactly that without building the joined string: the same
 * per-code-unit mixing fed field by field, integers fed digit by digit, and the total length folded
 * last. Building and flattening the string cost a third of the hashing time on the write path.
 * test/log/fingerprint.test.ts checks the equality against the definition on random records.
 */
import type { Hash64 } from "../model/hash.ts";

const bar = 124; // "|"
const digitZero = 48;
const int32Max = 0x7fffffff;

// The running lanes while one record is folded (module state keeps the loops free of objects).
let laneHi = 0;
let laneLo = 0;
const digits = new Uint8Array(16);

function foldCode(c: number): void {
  laneHi = Math.imul(laneHi ^ c, 0x01000193);
  const lo = Math.imul(laneLo ^ c, 0x5bd1e995);
  laneLo = lo ^ (lo >>> 15);
}

function foldText(text: string): void {
  let hi = laneHi;
  let lo = laneLo;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    hi = Math.imul(hi ^ c, 0x01000193);
    lo = Math.imul(lo ^ c, 0x5bd1e995);
    lo ^= lo >>> 15;
  }
  laneHi = hi;
  laneLo = lo;
}

/** Folds `${n}`; returns its length. Non-negative safe integers skip the string. */
function foldNumber(n: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    const text = String(n);
    foldText(text);
    return text.length;
  }
  let count = 0;
  while (n > int32Max) {
    const q = Math.floor(n / 10);
    digits[count++] = digitZero + (n - q * 10);
    n = q;
  }
  let m = n | 0; // int32 division from here on is much cheaper
  do {
    const q = (m / 10) | 0;
    digits[count++] = digitZero + (m - q * 10);
    m = q;
  } while (m > 0);
  for (let i = count - 1; i >= 0; i--) foldCode(digits[i] as number);
  return count;
}

/** The fields of a LogRecord that the fingerprint covers (all of them). */
export interface FingerprintFields {
  seq: number;
  atMs: number;
  kind: string;
  subject: string;
  payload: string;
  exogenous: boolean;
}

/** Folds one record into a fingerprint; the same function for every sink and for `digest`. */
export function fingerprintUpdate(h: Hash64, r: FingerprintFields): void {
  laneHi = h.hi;
  laneLo = h.lo;
  let length = foldNumber(r.seq);
  foldCode(bar);
  length += foldNumber(r.atMs);
  foldCode(bar);
  foldText(r.kind);
  foldCode(bar);
  foldText(r.subject);
  foldCode(bar);
  foldCode(r.exogenous ? 49 : 48);
  foldCode(bar);
  foldText(r.payload);
  length += r.kind.length + r.subject.length + r.payload.length + 6;
  // hashUpdate's length separator
  h.hi = Math.imul(laneHi ^ length, 0x85ebca6b) >>> 0;
  h.lo = Math.imul(laneLo ^ (length + 0x27d4eb2f), 0xc2b2ae35) >>> 0;
}

/**
 * The running fingerprint state as text (both lanes, raw, 16 hex digits): stored with each chunk
 * (record-chunk.ts) so that a reader can check any chunk by folding it from the state before it.
 */
export function chainText(h: Hash64): string {
  return (h.hi >>> 0).toString(16).padStart(8, "0") + (h.lo >>> 0).toString(16).padStart(8, "0");
}

/** The state chainText wrote, or undefined for anything else. */
export function parseChain(text: unknown): Hash64 | undefined {
  if (typeof text !== "string" || !/^[0-9a-f]{16}$/.test(text)) return undefined;
  return { hi: parseInt(text.slice(0, 8), 16) >>> 0, lo: parseInt(text.slice(8), 16) >>> 0 };
}
