/**
 * The decoder against a naive msgpack writer written here (the spec's formats, nothing else): any
 * tree of values — maps keyed by strings, integers (to u64 and i64), arrays, nil, booleans —
 * comes back as written, keys of every kind and their order included. The library's own encoder
 * cannot write such maps (it writes a Map's string-keyed properties only), which is why.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { decodeMsgpack, MsgMap, type MsgValue } from "../../src/import/msgpack-value.ts";

function encode(v: MsgValue, out: number[] = []): number[] {
  const be = (n: bigint, bytes: number) => {
    for (let i = bytes - 1; i >= 0; i--) out.push(Number((n >> BigInt(8 * i)) & 0xffn));
  };
  if (v === null) out.push(0xc0);
  else if (v === true || v === false) out.push(v ? 0xc3 : 0xc2);
  else if (typeof v === "number" || typeof v === "bigint") {
    const n = BigInt(v);
    if (n >= 0n && n < 128n) out.push(Number(n));
    else if (n >= 0n) (out.push(0xcf), be(n, 8));
    else (out.push(0xd3), be(BigInt.asUintN(64, n), 8));
  } else if (typeof v === "string") {
    const bytes = [...new TextEncoder().encode(v)];
    out.push(0xd9, bytes.length, ...bytes);
  } else if (v instanceof Uint8Array) out.push(0xc4, v.length, ...v);
  else if (Array.isArray(v)) {
    out.push(0xdc);
    be(BigInt(v.length), 2);
    for (const x of v) encode(x, out);
  } else {
    out.push(0xde);
    be(BigInt(v.entries.length), 2);
    for (const [k, x] of v.entries) (encode(k, out), encode(x, out));
  }
  return out;
}

const int = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }));
/** Integers as the decoder gives them: number when safe, bigint beyond. */
const normal = (n: number | bigint): number | bigint => (typeof n === "bigint" && Number.isSafeInteger(Number(n)) && BigInt(Number(n)) === n ? Number(n) : n);
const key: fc.Arbitrary<MsgValue> = fc.oneof(fc.string({ maxLength: 8 }).filter((s) => s !== "__proto__"), int.map(normal), fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })));
const tree = fc.letrec<{ value: MsgValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    int.map(normal),
    fc.string({ maxLength: 12 }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((entries) => new MsgMap(entries)),
  ),
}));

test.prop([tree.value], { numRuns: 300 })("what is written comes back: values, key kinds, entry order", (value) => {
  const decoded = decodeMsgpack(Uint8Array.from(encode(value)));
  expect(decoded).toEqual({ ok: true, value });
});

test.prop([tree.value, fc.nat()], { numRuns: 200 })("any prefix of a document is an answer, never a throw", (value, cut) => {
  const bytes = encode(value);
  const n = bytes.length > 1 ? cut % (bytes.length - 1) : 0;
  const decoded = decodeMsgpack(Uint8Array.from(bytes.slice(0, n)));
  expect(decoded.ok).toBe(false);
});
