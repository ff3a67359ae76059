import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Prng } from "../../src/model/prng.ts";

describe("Prng", () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 40 })])("same seed gives the same stream", (seed) => {
    const a = Prng.fromSeed(seed);
    const b = Prng.fromSeed(seed);
    for (let i = 0; i < 50; i++) expect(a.nextU32()).toBe(b.nextU32());
  });

  test.prop([fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 200 })])(
    "a fork does not depend on how much the parent has drawn",
    (seed, draws) => {
      const parent = Prng.fromSeed(seed);
      const before = parent.fork("node/n7/kubelet");
      for (let i = 0; i < draws; i++) parent.nextU32();
      const after = parent.fork("node/n7/kubelet");
      for (let i = 0; i < 20; i++) expect(after.nextU32()).toBe(before.nextU32());
    },
  );

  test.prop([fc.integer({ min: 0, max: 1e9 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 })])(
    "differently named forks give different streams",
    (seed, x, y) => {
      fc.pre(x !== y);
      const root = Prng.fromSeed(seed);
      const a = root.fork(x);
      const b = root.fork(y);
      const sa = Array.from({ length: 4 }, () => a.nextU32());
      const sb = Array.from({ length: 4 }, () => b.nextU32());
      expect(sa).not.toEqual(sb);
    },
  );

  test.prop([fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 2 ** 33 })])(
    "int stays in [lo, hi)",
    (seed, lo, span) => {
      const p = Prng.fromSeed(seed);
      for (let i = 0; i < 20; i++) {
        const x = p.int(lo, lo + span);
        expect(Number.isInteger(x) && x >= lo && x < lo + span).toBe(true);
      }
    },
  );

  test.prop([fc.integer({ min: 0, max: 1e9 })])("nextFloat stays in [0, 1)", (seed) => {
    const p = Prng.fromSeed(seed);
    for (let i = 0; i < 100; i++) {
      const x = p.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  test("int is close to uniform (chi-square against a naive expectation)", () => {
    const p = Prng.fromSeed(7);
    const buckets = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) buckets[p.int(0, 10)]++;
    const expected = n / 10;
    const chi2 = buckets.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001 for 9 degrees of freedom
  });

  test("two forks are uncorrelated (sample correlation near zero)", () => {
    const root = Prng.fromSeed(3);
    const a = root.fork("a");
    const b = root.fork("b");
    const n = 20_000;
    let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) {
      const x = a.nextFloat();
      const y = b.nextFloat();
      sa += x; sb += y; sab += x * y; saa += x * x; sbb += y * y;
    }
    const cov = sab / n - (sa / n) * (sb / n);
    const r = cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
    expect(Math.abs(r)).toBeLessThan(0.03);
  });

  test("shuffled is a permutation", () => {
    const p = Prng.fromSeed(11);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = p.shuffled(items);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
    expect(out).not.toEqual(items);
  });
});
