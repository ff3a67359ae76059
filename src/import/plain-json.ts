/**
 * `MsgValue` → plain JSON, for what must be JSON to be read on: the Kubernetes objects of a trace
 * go to the codec (src/k8s) as Kubernetes JSON. A map key that is not a string, an integer past
 * 2^53, or raw bytes cannot be Kubernetes JSON: an answer naming where it is, never a silent cast.
 */
import { formatPath, type Segment } from "../scenario/error.ts";
import { MsgMap, type MsgValue } from "./msgpack-value.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type JsonOf = { ok: true; json: Json } | { ok: false; path: Segment[]; message: string };

export function plainJsonOf(value: MsgValue, path: Segment[] = []): JsonOf {
  if (value === null || typeof value === "boolean" || typeof value === "string") return { ok: true, json: value };
  if (typeof value === "number") return Number.isFinite(value) ? { ok: true, json: value } : { ok: false, path, message: `expected a finite number, got ${value}` };
  if (typeof value === "bigint") return { ok: false, path, message: `expected a JSON number, got the integer ${value} (beyond 2^53)` };
  if (value instanceof Uint8Array) return { ok: false, path, message: `expected JSON, got ${value.byteLength} bytes of binary data` };
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const [i, item] of value.entries()) {
      const r = plainJsonOf(item, [...path, i]);
      if (!r.ok) return r;
      out.push(r.json);
    }
    return { ok: true, json: out };
  }
  return objectOf(value, path);
}

function objectOf(map: MsgMap, path: Segment[]): JsonOf {
  const out: JsonObject = {};
  for (const [key, item] of map.entries) {
    if (typeof key !== "string") return { ok: false, path, message: `expected string keys, got the key ${describeKey(key)}` };
    if (Object.hasOwn(out, key)) return { ok: false, path: [...path, key], message: `duplicate key "${key}"` };
    const r = plainJsonOf(item, [...path, key]);
    if (!r.ok) return r;
    out[key] = r.json;
  }
  return { ok: true, json: out };
}

export function describeKey(key: MsgValue): string {
  if (typeof key === "bigint" || typeof key === "number") return `${key} (an integer)`;
  if (Array.isArray(key)) return `[${key.map(describeKey).join(", ")}] (an array)`;
  if (key instanceof MsgMap) return "(a map)";
  if (key instanceof Uint8Array) return "(binary data)";
  return JSON.stringify(key);
}

export function isJsonObject(v: Json | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

export { formatPath };
