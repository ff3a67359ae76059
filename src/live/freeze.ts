/**
 * Live objects are replaced, never mutated: the policies' caches (the scheduler's NodeInfo, the
 * controllers' expectations) key on object identity and version. In debug mode every object the
 * adapter hands out is deep-frozen, so a mutation anywhere throws (ES modules are strict) instead
 * of corrupting a cache quietly; `assertFrozen` checks that it was.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

export function assertFrozen(value: unknown, what: string): void {
  if (value !== null && typeof value === "object") {
    if (!Object.isFrozen(value)) throw new Error(`live object ${what} is not frozen: it was mutated or handed out unfrozen`);
    for (const [k, v] of Object.entries(value as object)) assertFrozen(v, `${what}.${k}`);
  }
}
