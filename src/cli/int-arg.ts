/**
 * Integer command-line arguments: plain decimal digits only (no sign, exponent, hex, spaces or
 * fraction), checked against a range; a number past the range says "too large", not "malformed".
 */
import { BadInput } from "./exit-codes.ts";

export interface IntRange {
  min: number;
  max: number;
}

/** Parses `text` given to `flag` as an integer in [min, max]. */
export function parseIntArg(flag: string, text: string, range: IntRange): number {
  if (!/^\d+$/.test(text)) throw new BadInput(`${flag}: expected a whole number (decimal digits) in ${range.min}..${range.max}, got "${text}"`);
  const digits = text.replace(/^0+(?=\d)/, "");
  // compare as digit strings so that values past 2^53 are not rounded into the range
  const max = String(range.max);
  if (digits.length > max.length || (digits.length === max.length && digits > max)) {
    throw new BadInput(`${flag}: ${text} is too large (at most ${range.max})`);
  }
  const value = Number(digits);
  if (value < range.min) throw new BadInput(`${flag}: ${text} is too small (at least ${range.min})`);
  return value;
}
