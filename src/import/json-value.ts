/**
 * JSON text → `MsgValue` (msgpack-value.ts), so a trace written as JSON (SimKube's test fixtures)
 * is read by the same decoder as a msgpack one: objects become `MsgMap`s, and integers past 2^53
 * become bigint from their source text instead of losing digits (JSON.parse's `context.source`).
 */
import { MsgMap, type MsgDecoded, type MsgValue } from "./msgpack-value.ts";

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

export function decodeJsonText(text: string): MsgDecoded {
  const revive: Reviver = (_key, value, context) => {
    if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)) return BigInt(context.source);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof MsgMap)) return new MsgMap(Object.entries(value as Record<string, MsgValue>));
    return value;
  };
  try {
    return { ok: true, value: JSON.parse(text, revive as Parameters<typeof JSON.parse>[1]) as MsgValue };
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
