import { assert } from "./assert.ts";

/** An exact fraction of two integers, for availability and utilisation without float drift. */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export function ratio(num: number, den: number): Ratio {
  assert(Number.isSafeInteger(num) && Number.isSafeInteger(den), `ratio needs integers: ${num}/${den}`);
  assert(den > 0, `ratio denominator must be positive: ${num}/${den}`);
  return { num, den };
}

export function ratioAtLeast(r: Ratio, other: Ratio): boolean {
  return r.num * other.den >= other.num * r.den;
}

export function ratioToNumber(r: Ratio): number {
  return r.num / r.den;
}

/** Parses "0.9", "90%" or "9/10" into a ratio with an integer numerator and denominator. */
export function parseRatio(text: string): Ratio | undefined {
  const trimmed = text.trim();
  const frac = /^(\d+)\s*\/\s*(\d+)$/.exec(trimmed);
  if (frac) return Number(frac[2]) > 0 ? ratio(Number(frac[1]), Number(frac[2])) : undefined;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  const dec = /^(\d+(?:\.\d+)?)$/.exec(trimmed);
  const digits = pct?.[1] ?? dec?.[1];
  if (digits === undefined) return undefined;
  const [whole = "0", frac10 = ""] = digits.split(".");
  const den = 10 ** frac10.length * (pct ? 100 : 1);
  return ratio(Number(whole + frac10), den);
}
