import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { formatMicroTimeMs, formatTimeMs, timeMsOf } from "../../src/k8s/time.ts";

describe("timestamps", () => {
  it("known values: the epoch, a leap day, offsets, fractions", () => {
    expect(timeMsOf("1970-01-01T00:00:00Z")).toBe(0);
    expect(timeMsOf("2024-02-29T09:00:00.5Z")).toBe(1_709_197_200_500);
    expect(timeMsOf("2024-02-29T10:00:00.500999+01:00")).toBe(1_709_197_200_500);
    expect(timeMsOf("1969-12-31T23:59:59Z")).toBe(-1000);
    expect(formatTimeMs(1_709_197_200_500)).toBe("2024-02-29T09:00:00.500Z");
    expect(formatTimeMs(1_709_197_200_000)).toBe("2024-02-29T09:00:00Z");
  });

  it("refuses what RFC 3339 does not allow", () => {
    for (const bad of ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "yesterday"]) {
      expect(timeMsOf(bad), bad).toBeUndefined();
    }
  });

  test.prop([fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 })])("format then parse is the identity", (ms) => {
    expect(timeMsOf(formatTimeMs(ms))).toBe(ms);
  });

  test.prop([fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })])("agrees with the calendar of Date", (date) => {
    expect(formatTimeMs(date.getTime())).toBe(date.toISOString().replace(".000Z", "Z"));
  });
});

describe("MicroTime (Lease renewTime)", () => {
  it("is written with exactly six fractional digits, as Go's RFC3339Micro layout parses it", () => {
    expect(formatMicroTimeMs(0)).toBe("1970-01-01T00:00:00.000000Z");
    expect(formatMicroTimeMs(1_199_539)).toBe("1970-01-01T00:19:59.539000Z");
    expect(timeMsOf(formatMicroTimeMs(1_714_564_800_250))).toBe(1_714_564_800_250);
  });
});
