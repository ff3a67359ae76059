/**
 * A SimKube trace (format version 2, as sk-tracer writes it with rmp-serde; simkube
 * docs/ref/trace-files.md and lib/trace/) read from its `MsgValue` tree into typed data, nothing
 * dropped: the tracer config as it came, every event's applied and deleted objects as Kubernetes
 * JSON, the index (GVK → "ns/name" → u64 object hash, as bigint), and the pod lifecycles keyed by
 * `(owner GVK, "ns/name")` tuples and u64 pod-spec hashes (`PodLifecycleData`: `Empty`,
 * `{Running: start}`, `{Finished: [start, end]}`, unix seconds). Anything else is a problem naming
 * its path. JSON traces spell the tuple key `"GVK|ns/name"` and the hash as a decimal string.
 */
import type { Segment } from "../scenario/error.ts";
import { failAt, type Imported } from "./import-problem.ts";
import { MsgMap, type MsgValue } from "./msgpack-value.ts";
import { describeKey, isJsonObject, plainJsonOf, type JsonObject } from "./plain-json.ts";

export const traceVersion = 2;

export interface TraceEvent {
  tsS: number;
  applied: JsonObject[];
  deleted: JsonObject[];
}

export type PodLifecycle = { kind: "Empty" } | { kind: "Running"; startS: number } | { kind: "Finished"; startS: number; endS: number };

export interface OwnerLifecycles {
  /** e.g. `apps/v1.Deployment`, `v1.Pod` for a bare pod. */
  ownerGvk: string;
  /** `namespace/name` */
  owner: string;
  bySpecHash: { podSpecHash: bigint; lifecycles: PodLifecycle[] }[];
}

export interface SimkubeTrace {
  version: number;
  /** The tracer config as recorded (`trackedObjects`: GVK → its options). */
  config: MsgValue;
  /** GVKs the tracer followed, in the config's order. */
  trackedKinds: string[];
  events: TraceEvent[];
  /** GVK → "ns/name" → object hash. */
  index: Map<string, Map<string, bigint>>;
  podLifecycles: OwnerLifecycles[];
}

const topFields = ["version", "config", "events", "index", "pod_lifecycles"] as const;

export function traceOf(root: MsgValue): Imported<SimkubeTrace> {
  if (!(root instanceof MsgMap)) return failAt([], `not a SimKube trace: expected a map with ${topFields.join(", ")}, got ${kindOf(root)}`);
  for (const [key] of root.entries) {
    if (typeof key !== "string" || !(topFields as readonly string[]).includes(key)) return failAt([], `unknown field ${describeKey(key)}; expected ${topFields.join(", ")}`);
  }
  const version = root.get("version");
  if (version === undefined) return failAt(["version"], `missing: traces before format version 2 are not read (this reads version ${traceVersion})`);
  if (version !== traceVersion) return failAt(["version"], `expected trace format version ${traceVersion}, got ${typeof version === "string" ? JSON.stringify(version) : String(version)}`);
  const config = required(root, "config");
  if (!config.ok) return config;
  const tracked = trackedKindsOf(config.value);
  if (!tracked.ok) return tracked;
  const events = eventsOf(root.get("events"));
  if (!events.ok) return events;
  const index = indexOf(root.get("index"));
  if (!index.ok) return index;
  const lifecycles = lifecyclesOf(root.get("pod_lifecycles"));
  if (!lifecycles.ok) return lifecycles;
  return { ok: true, value: { version, config: config.value, trackedKinds: tracked.value, events: events.value, index: index.value, podLifecycles: lifecycles.value } };
}

function required(map: MsgMap, key: string): Imported<MsgValue> {
  const v = map.get(key);
  return v === undefined ? failAt([key], "missing required field") : { ok: true, value: v };
}

function kindOf(v: MsgValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "nil";
  if (Array.isArray(v)) return "an array";
  if (v instanceof MsgMap) return "a map";
  if (v instanceof Uint8Array) return "binary data";
  if (typeof v === "string") return `the string ${JSON.stringify(v.slice(0, 40))}`;
  return `${typeof v === "bigint" ? "the integer" : `the ${typeof v}`} ${String(v)}`;
}

function trackedKindsOf(config: MsgValue): Imported<string[]> {
  if (!(config instanceof MsgMap)) return failAt(["config"], `expected a map, got ${kindOf(config)}`);
  const tracked = config.get("trackedObjects");
  if (tracked === undefined) return { ok: true, value: [] };
  if (!(tracked instanceof MsgMap)) return failAt(["config", "trackedObjects"], `expected a map of GVK → options, got ${kindOf(tracked)}`);
  const kinds: string[] = [];
  for (const [k, v] of tracked.entries) {
    if (typeof k !== "string") return failAt(["config", "trackedObjects"], `expected GVK strings as keys, got ${describeKey(k)}`);
    if (!(v instanceof MsgMap)) return failAt(["config", "trackedObjects", k], `expected a map of options, got ${kindOf(v)}`);
    kinds.push(k);
  }
  return { ok: true, value: kinds };
}

function integerOf(v: MsgValue | undefined, path: Segment[]): Imported<number> {
  if (typeof v === "number" && Number.isSafeInteger(v)) return { ok: true, value: v };
  return failAt(path, `expected an integer (unix seconds), got ${kindOf(v)}`);
}

function eventsOf(v: MsgValue | undefined): Imported<TraceEvent[]> {
  if (!Array.isArray(v)) return failAt(["events"], `expected an array of events, got ${kindOf(v)}`);
  const events: TraceEvent[] = [];
  for (const [i, e] of v.entries()) {
    const path = ["events", i];
    if (!(e instanceof MsgMap)) return failAt(path, `expected an event {ts, applied_objs, deleted_objs}, got ${kindOf(e)}`);
    for (const [key] of e.entries) if (key !== "ts" && key !== "applied_objs" && key !== "deleted_objs") return failAt(path, `unknown field ${describeKey(key)}; expected ts, applied_objs, deleted_objs`);
    const ts = integerOf(e.get("ts"), [...path, "ts"]);
    if (!ts.ok) return ts;
    if (i > 0 && ts.value < (events[i - 1] as TraceEvent).tsS) return failAt([...path, "ts"], `expected events in time order, got ${ts.value} after ${(events[i - 1] as TraceEvent).tsS}`);
    const applied = objectsOf(e.get("applied_objs"), [...path, "applied_objs"]);
    if (!applied.ok) return applied;
    const deleted = objectsOf(e.get("deleted_objs"), [...path, "deleted_objs"]);
    if (!deleted.ok) return deleted;
    events.push({ tsS: ts.value, applied: applied.value, deleted: deleted.value });
  }
  return { ok: true, value: events };
}

function objectsOf(v: MsgValue | undefined, path: Segment[]): Imported<JsonObject[]> {
  if (!Array.isArray(v)) return failAt(path, `expected an array of Kubernetes objects, got ${kindOf(v)}`);
  const out: JsonObject[] = [];
  for (const [i, item] of v.entries()) {
    const json = plainJsonOf(item, [...path, i]);
    if (!json.ok) return failAt(json.path, json.message);
    if (!isJsonObject(json.json)) return failAt([...path, i], `expected a Kubernetes object, got ${kindOf(item)}`);
    out.push(json.json);
  }
  return { ok: true, value: out };
}

function hashOf(v: MsgValue | undefined, path: Segment[]): Imported<bigint> {
  if (typeof v === "bigint" && v >= 0n) return { ok: true, value: v };
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return { ok: true, value: BigInt(v) };
  if (typeof v === "string" && /^\d{1,20}$/.test(v) && BigInt(v) < 2n ** 64n) return { ok: true, value: BigInt(v) };
  return failAt(path, `expected an unsigned 64-bit hash, got ${kindOf(v)}`);
}

function indexOf(v: MsgValue | undefined): Imported<Map<string, Map<string, bigint>>> {
  if (!(v instanceof MsgMap)) return failAt(["index"], `expected a map of GVK → objects, got ${kindOf(v)}`);
  const index = new Map<string, Map<string, bigint>>();
  for (const [gvk, objects] of v.entries) {
    if (typeof gvk !== "string") return failAt(["index"], `expected GVK strings as keys, got ${describeKey(gvk)}`);
    if (!(objects instanceof MsgMap)) return failAt(["index", gvk], `expected a map of "ns/name" → hash, got ${kindOf(objects)}`);
    const byName = new Map<string, bigint>();
    for (const [name, hash] of objects.entries) {
      if (typeof name !== "string") return failAt(["index", gvk], `expected "ns/name" keys, got ${describeKey(name)}`);
      const h = hashOf(hash, ["index", gvk, name]);
      if (!h.ok) return h;
      byName.set(name, h.value);
    }
    index.set(gvk, byName);
  }
  return { ok: true, value: index };
}

function lifecyclesOf(v: MsgValue | undefined): Imported<OwnerLifecycles[]> {
  if (!(v instanceof MsgMap)) return failAt(["pod_lifecycles"], `expected a map of (owner GVK, "ns/name") → lifecycles, got ${kindOf(v)}`);
  const out: OwnerLifecycles[] = [];
  for (const [i, [key, byHash]] of v.entries.entries()) {
    const path = ["pod_lifecycles", i];
    const owner = ownerKeyOf(key, path);
    if (!owner.ok) return owner;
    if (!(byHash instanceof MsgMap)) return failAt(path, `expected a map of pod-spec hash → lifecycles, got ${kindOf(byHash)}`);
    const bySpecHash: OwnerLifecycles["bySpecHash"] = [];
    for (const [j, [hash, list]] of byHash.entries.entries()) {
      const h = hashOf(hash, [...path, j, "key"]);
      if (!h.ok) return h;
      if (!Array.isArray(list)) return failAt([...path, j], `expected an array of pod lifecycles, got ${kindOf(list)}`);
      const lifecycles: PodLifecycle[] = [];
      for (const [k, item] of list.entries()) {
        const l = lifecycleOf(item, [...path, j, k]);
        if (!l.ok) return l;
        lifecycles.push(l.value);
      }
      bySpecHash.push({ podSpecHash: h.value, lifecycles });
    }
    out.push({ ...owner.value, bySpecHash });
  }
  return { ok: true, value: out };
}

function ownerKeyOf(key: MsgValue, path: Segment[]): Imported<{ ownerGvk: string; owner: string }> {
  if (Array.isArray(key) && key.length === 2 && typeof key[0] === "string" && typeof key[1] === "string") return { ok: true, value: { ownerGvk: key[0], owner: key[1] } };
  if (typeof key === "string" && key.includes("|")) {
    const at = key.indexOf("|");
    return { ok: true, value: { ownerGvk: key.slice(0, at), owner: key.slice(at + 1) } };
  }
  return failAt([...path, "key"], `expected the key (owner GVK, "ns/name"), got ${describeKey(key)}`);
}

function lifecycleOf(v: MsgValue, path: Segment[]): Imported<PodLifecycle> {
  if (v === "Empty") return { ok: true, value: { kind: "Empty" } };
  if (v instanceof MsgMap && v.entries.length === 1) {
    const [variant, data] = v.entries[0] as readonly [MsgValue, MsgValue];
    if (variant === "Running") {
      const start = integerOf(data, [...path, "Running"]);
      return start.ok ? { ok: true, value: { kind: "Running", startS: start.value } } : start;
    }
    if (variant === "Finished" && Array.isArray(data) && data.length === 2) {
      const start = integerOf(data[0], [...path, "Finished", 0]);
      if (!start.ok) return start;
      const end = integerOf(data[1], [...path, "Finished", 1]);
      if (!end.ok) return end;
      if (end.value < start.value) return failAt([...path, "Finished"], `expected the end (${end.value}) not before the start (${start.value})`);
      return { ok: true, value: { kind: "Finished", startS: start.value, endS: end.value } };
    }
  }
  return failAt(path, `expected a pod lifecycle: "Empty", {Running: start} or {Finished: [start, end]}, got ${kindOf(v)}`);
}

export { isJsonObject };
