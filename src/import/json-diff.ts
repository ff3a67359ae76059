/** Where two JSON values differ: the paths of the smallest differing parts (a list of another length differs as a whole). */
import type { Segment } from "../scenario/error.ts";
import { isJsonObject, type Json } from "./plain-json.ts";

export function changedPaths(before: Json | undefined, after: Json | undefined, path: Segment[] = []): Segment[][] {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedPaths(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changedPaths(item, after[i], [...path, i]));
  }
  return sameJson(before, after) ? [] : [path];
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when `path` starts with `prefix`. */
export function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.every((s, i) => path[i] === s);
}
