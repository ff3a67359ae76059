import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { hashDigest, hashUpdate, newHash64, type Hash64 } from "../../src/model/hash.ts";
import { fingerprintUpdate, type FingerprintFields } from "../../src/log/fingerprint.ts";

/** The fingerprint's definition: the record's fields joined by "|", folded with hashUpdate. */
function definition(h: Hash64, r: FingerprintFields): void {
  hashUpdate(h, `${r.seq}|${r.atMs}|${r.kind}|${r.subject}|${r.exogenous ? 1 : 0}|${r.payload}`);
}

const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.json());
const integer = fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 32, 2 ** 53 - 1));
const oddNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 2 ** 53, 1e21, 1e300, NaN, Infinity, -1));
const record = (n: fc.Arbitrary<number>) =>
  fc.record({ seq: n, atMs: n, kind: fc.string({ maxLength: 30 }), subject: text, payload: text, exogenous: fc.boolean() });

function both(records: FingerprintFields[]): [string, string] {
  const fast = newHash64();
  const slow = newHash64();
  for (const r of records) {
    fingerprintUpdate(fast, r);
    definition(slow, r);
  }
  return [hashDigest(fast), hashDigest(slow)];
}

describe("fingerprintUpdate", () => {
  test.prop([fc.array(record(integer), { maxLength: 20 })], { numRuns: 500 })("equals hashUpdate over the joined fields", (records) => {
    const [fast, slow] = both(records);
    expect(fast).toBe(slow);
  });

  test.prop([fc.array(record(oddNumber), { maxLength: 5 })], { numRuns: 300 })("equals it for numbers that are not non-negative safe integers", (records) => {
    const [fast, slow] = both(records);
    expect(fast).toBe(slow);
  });

  test.prop([record(integer), record(integer)])("depends on every field and on order", (a, b) => {
    fc.pre(JSON.stringify(a) !== JSON.stringify(b));
    const [ab] = both([a, b]);
    const [ba] = both([b, a]);
    const [aa] = both([a, a]);
    expect(ab === ba && ab === aa).toBe(false);
  });

  test("a known record keeps its known fingerprint", () => {
    const r = { seq: 12, atMs: 3400, kind: "PodBound", subject: "pod/shop/a-1", payload: '{"key":"shop/a-1","kind":"PodBound","nodeName":"n1"}', exogenous: false };
    const h = newHash64();
    fingerprintUpdate(h, r);
    expect(hashDigest(h)).toBe(both([r])[1]);
    expect(hashDigest(h)).toMatchInlineSnapshot(`"e8c54b909dedfb54"`);
  });
});
