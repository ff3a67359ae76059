import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { formatDurationMs, parseDurationMs, parseMilli, parseResource, parseUnits } from "../../src/model/units.ts";
import { durationMsOf, ratioOf, resourceListOf } from "../../src/scenario/formats.ts";

const hourMs = 3_600_000;

describe("durations", () => {
  test.prop([fc.integer({ min: 0, max: 10_000 * hourMs })])("formatDurationMs then parseDurationMs is the identity", (ms) => {
    expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
  });

  test.prop([fc.nat({ max: 1000 }), fc.nat({ max: 59 }), fc.nat({ max: 59 }), fc.nat({ max: 999 })])(
    "h/m/s/ms parts add up, and formatting gives the canonical text back",
    (h, m, s, ms) => {
      const total = h * hourMs + m * 60_000 + s * 1000 + ms;
      expect(parseDurationMs(`${h}h${m}m${s}s${ms}ms`)).toBe(total);
      const canonical = [[h, "h"], [m, "m"], [s, "s"], [ms, "ms"]].filter(([n]) => n !== 0).map(([n, u]) => `${n}${u}`).join("");
      expect(formatDurationMs(total)).toBe(canonical === "" ? "0s" : canonical);
    },
  );

  test.prop([fc.nat({ max: 100_000 }), fc.constantFrom(["ms", 1], ["s", 1000], ["m", 60_000], ["h", hourMs])])(
    "a single unit multiplies",
    (n, [unit, size]) => {
      expect(parseDurationMs(`${n}${unit}`)).toBe(n * (size as number));
    },
  );

  it("known values, decimals included", () => {
    expect(parseDurationMs("30s")).toBe(30_000);
    expect(parseDurationMs("5m")).toBe(300_000);
    expect(parseDurationMs("1h30m")).toBe(5_400_000);
    expect(parseDurationMs("1.5h")).toBe(5_400_000);
    expect(parseDurationMs("0.5s")).toBe(500);
    expect(parseDurationMs("250ms")).toBe(250);
    expect(parseDurationMs("0")).toBe(0);
  });

  it.each(["", "5", "soon", "1d", "-5m", "m", "5 m", "1h 30m", "5mm", "1.h", ".5s", "5sx", "1e3s"])("rejects %j", (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it("the scenario accepts the bare number 0 and no other bare number", () => {
    expect(durationMsOf(0)).toBe(0);
    expect(durationMsOf(30)).toBeUndefined();
    expect(durationMsOf("2m")).toBe(120_000);
  });
});

describe("quantities", () => {
  it("known values", () => {
    expect(parseUnits("2Gi")).toBe(2_147_483_648);
    expect(parseResource("memory", "2Gi")).toBe(2_147_483_648);
    expect(parseResource("cpu", "250m")).toBe(250);
    expect(parseMilli("1.5")).toBe(1500);
    expect(parseUnits("1e3")).toBe(1000);
    expect(parseUnits("1k")).toBe(1000);
    expect(parseUnits("1Ki")).toBe(1024);
    expect(parseUnits("123Mi")).toBe(128_974_848);
    expect(parseUnits("129e6")).toBe(129_000_000);
    expect(parseUnits("100M")).toBe(100_000_000);
    expect(parseResource("cpu", "0.1")).toBe(100);
    expect(parseResource("cpu", 2)).toBe(2000);
    expect(parseResource("pods", 110)).toBe(110);
  });

  it("rounds up to the unit, as Kubernetes' Value and MilliValue do", () => {
    expect(parseUnits("1m")).toBe(1); // a thousandth of a byte is still a byte
    expect(parseMilli("0.0001")).toBe(1);
    expect(parseMilli("1u")).toBe(1);
  });

  it.each(["", "2GB", "1.5.5", "Gi", "2 Gi", "abc", "1e", "--1"])("rejects %j", (text) => {
    expect(parseMilli(text)).toBeUndefined();
    expect(parseUnits(text)).toBeUndefined();
  });

  test.prop([fc.nat({ max: 10_000_000 })])("n millicores written \"<n>m\" parse to n", (n) => {
    expect(parseResource("cpu", `${n}m`)).toBe(n);
  });

  test.prop([fc.nat({ max: 1_000_000 })])("whole cores are a thousand millicores each, as text or number", (n) => {
    expect(parseResource("cpu", `${n}`)).toBe(n * 1000);
    expect(parseResource("cpu", n)).toBe(n * 1000);
  });

  test.prop([fc.nat({ max: 1_000_000 }), fc.constantFrom(["Ki", 2 ** 10], ["Mi", 2 ** 20], ["Gi", 2 ** 30], ["k", 1e3], ["M", 1e6], ["G", 1e9])])(
    "binary and decimal suffixes multiply exactly",
    (n, [suffix, size]) => {
      expect(parseResource("memory", `${n}${suffix}`)).toBe(n * (size as number));
    },
  );

  test.prop([fc.nat({ max: 1_000_000 }), fc.integer({ min: 0, max: 6 })])("an exponent is a power of ten", (n, e) => {
    expect(parseUnits(`${n}e${e}`)).toBe(n * 10 ** e);
    expect(parseUnits(`${n}E${e}`)).toBe(n * 10 ** e);
  });

  test.prop([fc.nat({ max: 100_000 }), fc.nat({ max: 999 })])("a decimal of cores is exact in millicores", (whole, frac) => {
    const text = `${whole}.${String(frac).padStart(3, "0")}`;
    expect(parseMilli(text)).toBe(whole * 1000 + frac);
  });

  it("a resource list converts each entry in its own unit, keys sorted", () => {
    expect(resourceListOf({ pods: 110, memory: "1Gi", cpu: "1500m", "nvidia.com/gpu": "2" })).toEqual({
      cpu: 1500,
      memory: 2 ** 30,
      "nvidia.com/gpu": 2,
      pods: 110,
    });
    expect(Object.keys(resourceListOf({ pods: 1, cpu: 1, memory: 1 }))).toEqual(["cpu", "memory", "pods"]);
  });
});

describe("ratios", () => {
  test.prop([fc.nat({ max: 100 })])("p% is p/100", (p) => {
    const r = ratioOf(`${p}%`);
    expect(r && r.num * 100).toBe(p * (r?.den ?? 0));
  });

  it("accepts decimals and fractions, refuses more than one and nonsense", () => {
    expect(ratioOf(0.9)).toEqual({ num: 9, den: 10 });
    expect(ratioOf("2/3")).toEqual({ num: 2, den: 3 });
    expect(ratioOf(1)).toEqual({ num: 1, den: 1 });
    expect(ratioOf("101%")).toBeUndefined();
    expect(ratioOf(1.5)).toBeUndefined();
    expect(ratioOf("ninety")).toBeUndefined();
    expect(ratioOf("0.1234567890123456789")).toBeUndefined(); // too many digits for exact integers
  });
});
