/**
 * How a compared metric's numbers are shown to people: one unit for every number of a metric (the
 * means, the paired difference, its interval, each seed's value), chosen once from the stored unit
 * and the magnitudes (ms → s from 10 s, ratio → %, bytes → MiB/GiB). The CLI's compare table and the comparison report both ask here, so they
 * always name the same unit. Stored values stay in their stored unit (ms, ratio, …).
 */

export interface MetricScale {
  /** The unit shown ("ms", "s", "%", "pods", …; "" for a bare count). */
  unit: string;
  /** shown = stored × factor */
  factor: number;
}

/** Milliseconds from this magnitude on read better as seconds. */
const secondsFromMs = 10_000;

export function metricScale(storedUnit: string, values: readonly number[]): MetricScale {
  if (storedUnit === "ratio") return { unit: "%", factor: 100 };
  if (storedUnit === "count") return { unit: "", factor: 1 }; // "2", not "2 count"
  if (storedUnit === "ms") {
    return largestMagnitude(values) >= secondsFromMs ? { unit: "s", factor: 1 / 1000 } : { unit: "ms", factor: 1 };
  }
  if (storedUnit === "bytes") {
    const largest = largestMagnitude(values);
    if (largest >= 2 ** 30) return { unit: "GiB", factor: 2 ** -30 };
    if (largest >= 2 ** 20) return { unit: "MiB", factor: 2 ** -20 };
  }
  return { unit: storedUnit, factor: 1 };
}

function largestMagnitude(values: readonly number[]): number {
  return values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
}

/** A number for people: integers as they are, others to 4 significant digits; "–" when missing. */
export function formatSignificant(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** A stored value in the metric's shown unit, without the unit. */
export function formatScaled(value: number, scale: MetricScale): string {
  return formatSignificant(value * scale.factor);
}

/** A stored value in the metric's shown unit, with it ("98.5%", "12.3 s", "4 pods"). */
export function formatWithUnit(value: number, scale: MetricScale): string {
  const n = formatScaled(value, scale);
  if (scale.unit === "" || n === "–") return n;
  return scale.unit === "%" ? `${n}%` : `${n} ${scale.unit}`;
}

/** Every number a compared metric shows, for choosing its scale. */
export function metricMagnitudes(metric: { values: Record<string, readonly number[]>; mean: Record<string, number>; diff: { mean: number; ciLow: number; ciHigh: number } }): number[] {
  return [...Object.values(metric.values).flat(), ...Object.values(metric.mean), metric.diff.mean, metric.diff.ciLow, metric.diff.ciHigh];
}
