import { assert } from "./assert.ts";
import { hashWords } from "./hash.ts";

/**
 * Seeded PRNG (sfc32: small, fast, passes PractRand to 2^48+) with named forks.
 * A fork's stream depends only on the parent's *key* and the fork name, never on how many numbers
 * the parent has drawn, so adding a component or a draw does not shift anyone else's stream.
 */
export class Prng {
  readonly key: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    this.key = key;
    const [w0, w1] = hashWords(`${key}#0`);
    const [w2, w3] = hashWords(`${key}#1`);
    this.a = w0;
    this.b = w1;
    this.c = w2;
    this.d = w3 | 1;
    for (let i = 0; i < 12; i++) this.nextU32(); // warm up away from the seed
  }

  static fromSeed(seed: number): Prng {
    assert(Number.isSafeInteger(seed), `seed must be a safe integer, got ${seed}`);
    return new Prng(`seed:${seed}`);
  }

  fork(name: string): Prng {
    return new Prng(`${this.key}/${name}`);
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 53 bits of randomness. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [lo, hiExclusive), unbiased (rejection sampling). */
  int(lo: number, hiExclusive: number): number {
    const span = hiExclusive - lo;
    assert(Number.isSafeInteger(span) && span > 0, `int range empty: [${lo}, ${hiExclusive})`);
    if (span <= 0x100000000) {
      const limit = 0x100000000 - (0x100000000 % span);
      let x = this.nextU32();
      while (x >= limit) x = this.nextU32();
      return lo + (x % span);
    }
    return lo + Math.floor(this.nextFloat() * span);
  }

  chance(probability: number): boolean {
    return this.nextFloat() < probability;
  }

  /** Exponential with the given mean (inverse CDF). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.nextFloat());
  }

  /** Standard normal (Box–Muller, one of the pair). */
  normal(): number {
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal parameterised by its median and the sigma of the underlying normal. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, "pick from empty list");
    return items[this.int(0, items.length)] as T;
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}
