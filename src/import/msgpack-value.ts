/**
 * Lossless msgpack: bytes → `MsgValue`, a tree that keeps what JSON cannot — map keys of any kind
 * (SimKube's `pod_lifecycles` is keyed by `(GVK, "ns/name")` tuples, then by `u64` pod-spec
 * hashes) in their order, and integers past 2^53 as bigint (its `index` holds u64 hashes).
 *
 * `@msgpack/msgpack` builds plain objects and accepts only string or number keys; its
 * `mapKeyConverter` hook lets every key through as a placeholder that names its slot in a side
 * table, and a second pass turns each placeholder object back into a `MsgMap` of real keys. The
 * placeholders are never integer-like, so objects keep their keys in wire order.
 */
import { Decoder, ExtData } from "@msgpack/msgpack";

export type MsgValue = null | boolean | number | bigint | string | Uint8Array | MsgValue[] | MsgMap;

/** A msgpack map: its entries in wire order, keys of any kind (duplicates kept as they came). */
export class MsgMap {
  readonly entries: readonly (readonly [MsgValue, MsgValue])[];
  constructor(entries: readonly (readonly [MsgValue, MsgValue])[]) {
    this.entries = entries;
  }

  /** The value under a string key (the first such entry), if any. */
  get(key: string): MsgValue | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
}

export type MsgDecoded = { ok: true; value: MsgValue } | { ok: false; message: string };

const slotPrefix = "\u0000key#";

/** Decodes one msgpack document; a truncated or malformed one is an answer naming what went wrong and where. */
export function decodeMsgpack(bytes: Uint8Array): MsgDecoded {
  const keys: unknown[] = [];
  const decoder = new Decoder({
    useBigInt64: true,
    mapKeyConverter: (key: unknown) => {
      keys.push(key);
      return `${slotPrefix}${keys.length - 1}`;
    },
  });
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    return { ok: false, message: decodeFailure(e, bytes.byteLength, cursorOf(decoder)) };
  }
  try {
    return { ok: true, value: restore(raw, keys) };
  } catch (e) {
    if (e instanceof UnsupportedValue) return { ok: false, message: e.message };
    throw e;
  }
}

class UnsupportedValue extends Error {}

function decodeFailure(e: unknown, byteLength: number, cursor: number | undefined): string {
  const message = e instanceof Error ? e.message : String(e);
  // the library says "Insufficient data" with no offset: the input ended inside a value
  if (/^Insufficient data/.test(message)) return `truncated: the data ends at byte ${byteLength} inside a value`;
  // its cursor is just past the head byte it did not recognise
  if (/^Unrecognized type byte/.test(message) && cursor !== undefined && cursor > 0) return `${message} at byte ${cursor - 1}`;
  return message;
}

/** The decoder's read position (an internal field of the library: absent, the message goes without an offset). */
function cursorOf(decoder: Decoder): number | undefined {
  const pos: unknown = (decoder as unknown as { pos?: unknown }).pos;
  return typeof pos === "number" ? pos : undefined;
}

function restore(raw: unknown, keys: readonly unknown[]): MsgValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "boolean" || typeof raw === "string" || raw instanceof Uint8Array) return raw;
  if (typeof raw === "number") return raw;
  if (typeof raw === "bigint") return Number.isSafeInteger(Number(raw)) && BigInt(Number(raw)) === raw ? Number(raw) : raw;
  if (Array.isArray(raw)) return raw.map((x) => restore(x, keys));
  if (raw instanceof ExtData) throw new UnsupportedValue(`a msgpack extension value (type ${raw.type}): not part of the format`);
  if (typeof raw === "object") {
    const entries = Object.entries(raw as Record<string, unknown>).map(([slot, v]) => [restore(keys[Number(slot.slice(slotPrefix.length))], keys), restore(v, keys)] as const);
    return new MsgMap(entries);
  }
  throw new UnsupportedValue(`an unexpected msgpack value (${typeof raw})`);
}
