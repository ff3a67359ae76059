/** A comparison result as `kubetwin compare --json` prints it, with a real paired t-interval. */
import type { ComparisonResult } from "../../src/log/comparison-result.ts";

// two-sided 95% t quantiles by degrees of freedom
const t975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

function pairedDiff(a: number[], b: number[]) {
  const d = a.map((x, i) => (b[i] as number) - x);
  const n = d.length;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = (t975[n - 1] as number) * (sd / Math.sqrt(n));
  return { mean, ciLow: mean - half, ciHigh: mean + half, n };
}

const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function comparisonFixture(): ComparisonResult {
  const variants: [string, string] = ["binpack", "spread"];
  const seeds = [11, 12, 13, 14, 15, 16];
  const raw: { name: string; unit: string; better: "lower" | "higher"; a: number[]; b: number[] }[] = [
    { name: "p99 time to ready", unit: "ms", better: "lower", a: [5200, 6100, 4900, 7300, 5600, 6000], b: [4100, 4800, 4700, 5200, 4300, 4600] },
    { name: "availability", unit: "%", better: "higher", a: [99.1, 98.7, 99.4, 97.9, 99.0, 98.8], b: [99.2, 98.6, 99.5, 98.3, 98.9, 99.0] },
    { name: "nodes used", unit: "nodes", better: "lower", a: [40, 41, 40, 42, 40, 41], b: [52, 51, 53, 52, 51, 52] },
  ];
  return {
    scenario: "zone-outage",
    scenarioFile: "scenarios/zone-outage.yaml",
    variants,
    seeds,
    metrics: raw.map((m) => ({
      name: m.name,
      unit: m.unit,
      better: m.better,
      values: { binpack: m.a, spread: m.b },
      mean: { binpack: avg(m.a), spread: avg(m.b) },
      diff: pairedDiff(m.a, m.b),
      diffs: { spread: pairedDiff(m.a, m.b) },
    })),
    runs: seeds.flatMap((seed, i) => variants.map((variant, j) => ({ variant, seed, fingerprint: `fp-${variant}-${seed}`, runId: 1 + i * 2 + j }))),
    command: Object.fromEntries(seeds.flatMap((seed) => variants.map((v) => [`${v}+${seed}`, `kubetwin run scenarios/zone-outage.yaml --seed ${seed} --variant ${v}`]))),
  };
}

/** The same comparison with a third variant, "random", paired against the first as compare does. */
export function threeVariantFixture(): ComparisonResult {
  const two = comparisonFixture();
  const shift = (xs: number[]) => xs.map((x, i) => x + (i % 2 === 0 ? 1 : -0.5));
  return {
    ...two,
    variants: ["binpack", "spread", "random"],
    metrics: two.metrics.map((m) => {
      const random = shift(m.values.spread as number[]);
      return { ...m, values: { ...m.values, random }, mean: { ...m.mean, random: avg(random) }, diffs: { ...m.diffs, random: pairedDiff(m.values.binpack as number[], random) } };
    }),
    runs: [...two.runs, ...two.seeds.map((seed, i) => ({ variant: "random", seed, fingerprint: `fp-random-${seed}`, runId: 100 + i }))],
  };
}
