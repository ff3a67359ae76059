/** One unit per metric: every number of a metric is shown in the unit chosen from all of them. */
import { describe, expect, it } from "vitest";
import { formatScaled, formatWithUnit, metricMagnitudes, metricScale } from "../../src/model/metric-scale.ts";

describe("metricScale", () => {
  it("shows milliseconds as seconds once any number of the metric reaches 10 s, for all of them", () => {
    const s = metricScale("ms", [850, 12_500, -40]);
    expect(s.unit).toBe("s");
    expect(formatScaled(850, s)).toBe("0.85");
    expect(formatScaled(-40, s)).toBe("-0.04");
    expect(formatWithUnit(12_500, s)).toBe("12.5 s");
    expect(metricScale("ms", [850, 9_999]).unit).toBe("ms");
  });

  it("shows a ratio as a percentage and other units as they are", () => {
    expect(formatWithUnit(0.985, metricScale("ratio", [0.985]))).toBe("98.5%");
    expect(formatWithUnit(3, metricScale("pods", [3]))).toBe("3 pods");
    expect(formatWithUnit(2, metricScale("", [2]))).toBe("2");
    expect(formatWithUnit(2, metricScale("count", [2]))).toBe("2");
    expect(formatWithUnit(3 * 2 ** 30, metricScale("bytes", [3 * 2 ** 30, 2 ** 20]))).toBe("3 GiB");
    expect(formatWithUnit(2 ** 19, metricScale("bytes", [2 ** 19, 5 * 2 ** 20]))).toBe("0.5 MiB");
  });

  it("decides from the means, each seed's value and the interval", () => {
    const m = { values: { a: [100, 200], b: [300, 400] }, mean: { a: 150, b: 350 }, diff: { mean: 200, ciLow: -11_000, ciHigh: 12_000 } };
    expect(metricMagnitudes(m)).toEqual([100, 200, 300, 400, 150, 350, 200, -11_000, 12_000]);
    expect(metricScale("ms", metricMagnitudes(m)).unit).toBe("s");
  });
});
