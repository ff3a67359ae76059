/** Seed arguments: "7", "1..20", "1,5,9". Every seed a scenario may hold (spec.seed) is accepted. */
import { BadInput } from "./exit-codes.ts";
import { parseIntArg } from "./int-arg.ts";

/** The scenario schema's range for spec.seed: a non-negative safe integer. */
export const seedMax = Number.MAX_SAFE_INTEGER;

/** Most seeds one command runs. */
export const seedsCountMax = 10_000;

export function parseSeed(text: string, flag = "--seed"): number {
  return parseIntArg(flag, text, { min: 0, max: seedMax });
}

export function parseSeeds(text: string, flag = "--seeds"): number[] {
  const range = /^(.*)\.\.(.*)$/.exec(text);
  if (range) {
    const lo = parseSeed(range[1] as string, flag);
    const hi = parseSeed(range[2] as string, flag);
    if (hi < lo) throw new BadInput(`${flag}: empty range "${text}"`);
    if (hi - lo >= seedsCountMax) throw new BadInput(`${flag}: at most ${seedsCountMax} seeds, got ${hi - lo + 1}`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  const list = text.split(",").map((s) => parseSeed(s.trim(), flag));
  if (list.length > seedsCountMax) throw new BadInput(`${flag}: at most ${seedsCountMax} seeds, got ${list.length}`);
  if (new Set(list).size !== list.length) throw new BadInput(`${flag}: duplicate seed in "${text}"`);
  return list;
}
