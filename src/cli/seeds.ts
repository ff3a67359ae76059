/** Seed arguments: "7", "1..20", "1,5,9". */
import { UsageError } from "./exit-codes.ts";

export function parseSeed(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new UsageError(`--seed: expected a non-negative integer, got "${text}"`);
  return Number(text);
}

export function parseSeeds(text: string): number[] {
  const range = /^(\d{1,15})\.\.(\d{1,15})$/.exec(text);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (hi < lo) throw new UsageError(`--seeds: empty range "${text}"`);
    if (hi - lo >= 10_000) throw new UsageError(`--seeds: at most 10000 seeds, got ${hi - lo + 1}`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  const list = text.split(",").map((s) => parseSeed(s.trim()));
  if (new Set(list).size !== list.length) throw new UsageError(`--seeds: duplicate seed in "${text}"`);
  return list;
}
