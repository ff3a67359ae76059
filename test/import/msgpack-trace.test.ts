/**
 * The lossless decoder against SimKube's own trace files (test/fixtures/simkube, see NOTICE):
 * every event and object equals the JSON conversion made with python-msgpack, and what that
 * conversion had to give up — tuple keys, integer keys, u64 values — is kept with its kind.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { decodeJsonText } from "../../src/import/json-value.ts";
import { decodeMsgpack, MsgMap, type MsgValue } from "../../src/import/msgpack-value.ts";
import { plainJsonOf } from "../../src/import/plain-json.ts";
import { traceOf, type SimkubeTrace } from "../../src/import/simkube-trace.ts";

const fixtures = join(import.meta.dirname, "../fixtures/simkube");
const traces = ["bare-pods", "cronjob", "dsb-scaling"] as const;

function decoded(name: string): MsgValue {
  const r = decodeMsgpack(readFileSync(join(fixtures, `${name}.sktrace`)));
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function trace(value: MsgValue): SimkubeTrace {
  const t = traceOf(value);
  if (!t.ok) throw new Error(JSON.stringify(t.problem));
  return t.value;
}

/** The python conversion, read without losing its big integers. */
function converted(name: string): MsgMap {
  const r = decodeJsonText(readFileSync(join(fixtures, `${name}.json`), "utf8"));
  if (!r.ok || !(r.value instanceof MsgMap)) throw new Error(`cannot read ${name}.json`);
  return r.value;
}

function jsonOf(v: MsgValue | undefined): unknown {
  const r = plainJsonOf(v ?? null);
  if (!r.ok) throw new Error(r.message);
  return r.json;
}

describe.each(traces)("%s.sktrace", (name) => {
  const raw = decoded(name);
  const t = trace(raw);
  const json = converted(name);

  test("version 2, the tracer config as converted", () => {
    expect(t.version).toBe(2);
    expect(jsonOf(t.config)).toEqual(jsonOf(json.get("config")));
    expect(t.trackedKinds).toEqual(Object.keys((jsonOf(json.get("config")) as { trackedObjects: object }).trackedObjects));
    expect(t.trackedKinds.length).toBeGreaterThan(0);
  });

  test("every event: the same time, the same applied and deleted objects", () => {
    const events = json.get("events") as MsgValue[];
    expect(t.events.length).toBe(events.length);
    expect(t.events.length).toBeGreaterThan(0);
    for (const [i, e] of t.events.entries()) {
      const c = jsonOf(events[i]) as { ts: number; applied_objs: unknown[]; deleted_objs: unknown[] };
      expect(e.tsS, `events[${i}].ts`).toBe(c.ts);
      expect(e.applied, `events[${i}].applied_objs`).toEqual(c.applied_objs);
      expect(e.deleted, `events[${i}].deleted_objs`).toEqual(c.deleted_objs);
    }
  });

  test("the index keeps every u64 hash exactly (bigint), as the conversion's digits", () => {
    const index = json.get("index") as MsgMap;
    expect([...t.index.keys()]).toEqual(index.entries.map(([k]) => k));
    for (const [gvk, objects] of index.entries) {
      const ours = t.index.get(gvk as string) as Map<string, bigint>;
      expect(ours.size).toBe((objects as MsgMap).entries.length);
      for (const [nsName, hash] of (objects as MsgMap).entries) expect(ours.get(nsName as string), `${String(gvk)} ${String(nsName)}`).toBe(BigInt(hash as bigint | number));
    }
  });

  test("pod_lifecycles: tuple keys stay (GVK, ns/name) arrays, pod-spec hashes stay integers", () => {
    const wire = (raw as MsgMap).get("pod_lifecycles") as MsgMap;
    for (const [key, byHash] of wire.entries) {
      expect(Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === "string")).toBe(true);
      for (const [hash] of (byHash as MsgMap).entries) expect(typeof hash === "bigint" || typeof hash === "number").toBe(true);
    }
    const lossy = json.get("pod_lifecycles") as MsgMap;
    expect(t.podLifecycles.map((o) => `${o.ownerGvk}|${o.owner}`)).toEqual(lossy.entries.map(([k]) => k));
    for (const [i, owner] of t.podLifecycles.entries()) {
      const byHash = (lossy.entries[i] as readonly [MsgValue, MsgValue])[1] as MsgMap;
      expect(owner.bySpecHash.map((h) => String(h.podSpecHash))).toEqual(byHash.entries.map(([k]) => k));
      for (const [j, h] of owner.bySpecHash.entries()) {
        const lifecycles = jsonOf((byHash.entries[j] as readonly [MsgValue, MsgValue])[1]) as Record<string, number | number[]>[];
        expect(h.lifecycles.map((l) => (l.kind === "Finished" ? { Finished: [l.startS, l.endS] } : l.kind === "Running" ? { Running: l.startS } : "Empty"))).toEqual(lifecycles);
      }
    }
  });
});

test("the traces hold what their README says: dsb-scaling 19 events over 1,134 s, cronjob 3 Finished pods, bare-pods 4 owners", () => {
  const dsb = trace(decoded("dsb-scaling"));
  expect(dsb.events.length).toBe(19);
  expect((dsb.events.at(-1)?.tsS ?? 0) - (dsb.events[0]?.tsS ?? 0)).toBe(1134);
  const cron = trace(decoded("cronjob"));
  expect(cron.podLifecycles[0]?.bySpecHash[0]?.lifecycles.filter((l) => l.kind === "Finished").length).toBe(3);
  expect(trace(decoded("bare-pods")).podLifecycles.length).toBe(4);
});

describe("keys of every kind", () => {
  test("an integer key and the string of its digits are two entries, in wire order", () => {
    // {1: "a", "1": "b", [1, "x"]: "c", 2^64-1: "d"}
    const bytes = Uint8Array.from([0x84, 0x01, 0xa1, 0x61, 0xa1, 0x31, 0xa1, 0x62, 0x92, 0x01, 0xa1, 0x78, 0xa1, 0x63, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x64]);
    const r = decodeMsgpack(bytes);
    expect(r.ok).toBe(true);
    const map = (r as { value: MsgMap }).value;
    expect(map.entries).toEqual([[1, "a"], ["1", "b"], [[1, "x"], "c"], [2n ** 64n - 1n, "d"]]);
  });

  test("a map key that is not a string cannot become Kubernetes JSON: the path says where", () => {
    const r = plainJsonOf(new MsgMap([["spec", new MsgMap([[7, "x"]])]]));
    expect(r).toEqual({ ok: false, path: ["spec"], message: "expected string keys, got the key 7 (an integer)" });
  });
});

describe("bad input", () => {
  const whole = readFileSync(join(fixtures, "cronjob.sktrace"));

  test("a trace cut short says it is truncated and where the data ends", () => {
    const r = decodeMsgpack(whole.subarray(0, 700));
    expect(r).toEqual({ ok: false, message: "truncated: the data ends at byte 700 inside a value" });
  });

  test("text that is not msgpack is refused with the library's offset", () => {
    const r = decodeMsgpack(new TextEncoder().encode("kind: Scenario\n"));
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toMatch(/byte\(s\) found at buffer\[1\]/);
  });

  test("a byte msgpack never uses, at its offset", () => {
    expect(decodeMsgpack(Uint8Array.from([0xc1]))).toEqual({ ok: false, message: "Unrecognized type byte: 0xc1 at byte 0" });
    expect(decodeMsgpack(Uint8Array.from([0x81, 0xa1, 0x61, 0x92, 0x01, 0xc1]))).toEqual({ ok: false, message: "Unrecognized type byte: 0xc1 at byte 5" });
  });

  test("another format version names the field", () => {
    const map = decoded("cronjob") as MsgMap;
    const v3 = new MsgMap(map.entries.map(([k, v]) => [k, k === "version" ? 3 : v] as const));
    expect(traceOf(v3)).toEqual({ ok: false, problem: { path: ["version"], message: "expected trace format version 2, got 3" } });
    const v1 = new MsgMap(map.entries.filter(([k]) => k !== "version"));
    expect(traceOf(v1)).toMatchObject({ ok: false, problem: { path: ["version"] } });
  });

  test("a malformed lifecycle names its path", () => {
    const map = decoded("cronjob") as MsgMap;
    const bad = new MsgMap(map.entries.map(([k, v]) => [k, k === "pod_lifecycles" ? new MsgMap([[["batch/v1.CronJob", "default/x"], new MsgMap([[5n, [new MsgMap([["Finished", [10, 5]]])]]])]]) : v] as const));
    expect(traceOf(bad)).toEqual({ ok: false, problem: { path: ["pod_lifecycles", 0, 0, 0, "Finished"], message: "expected the end (5) not before the start (10)" } });
  });
});
