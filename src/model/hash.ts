/**
 * A fast, non-cryptographic 64-bit string hash (two independent 32-bit lanes, murmur-style
 * mixing). Used for PRNG fork keys and event-log fingerprints; stable across machines because it
 * only uses 32-bit integer arithmetic.
 */
export interface Hash64 {
  hi: number;
  lo: number;
}

export function newHash64(): Hash64 {
  return { hi: 0x811c9dc5, lo: 0x9e3779b9 };
}

/** Folds a string into the running hash (UTF-16 code units). */
export function hashUpdate(h: Hash64, text: string): void {
  let hi = h.hi;
  let lo = h.lo;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    hi = Math.imul(hi ^ c, 0x01000193);
    lo = Math.imul(lo ^ c, 0x5bd1e995);
    lo ^= lo >>> 15;
  }
  // Length separator so that ("ab","c") and ("a","bc") differ.
  hi = Math.imul(hi ^ text.length, 0x85ebca6b);
  lo = Math.imul(lo ^ (text.length + 0x27d4eb2f), 0xc2b2ae35);
  h.hi = hi >>> 0;
  h.lo = lo >>> 0;
}

function avalanche(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function hashDigest(h: Hash64): string {
  const a = avalanche(h.hi ^ Math.imul(h.lo, 0x27d4eb2f));
  const b = avalanche(h.lo ^ Math.imul(h.hi, 0x165667b1));
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

export function hashString(text: string): string {
  const h = newHash64();
  hashUpdate(h, text);
  return hashDigest(h);
}

/** Two 32-bit words from a string, for seeding. */
export function hashWords(text: string): [number, number] {
  const h = newHash64();
  hashUpdate(h, text);
  const digest = hashDigest(h);
  return [parseInt(digest.slice(0, 8), 16) >>> 0, parseInt(digest.slice(8), 16) >>> 0];
}
