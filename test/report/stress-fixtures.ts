/**
 * Inputs that have broken the reports' layout: a comparison with long names and numbers in the
 * hundreds of thousands (y labels, forest axis, units), and a run with many faults close together
 * (labels in small charts).
 */
import type { ComparisonResult } from "../../src/report/comparison-result.ts";
import { comparisonFixture } from "./comparison-fixture.ts";
import { smallSpec, type SyntheticSpec } from "./synthetic-log.ts";

export const longVariantA = "spread-with-hard-zone-topology-constraints-and-budgets";
export const longVariantB = "binpack-most-allocated-with-descheduler-every-five-minutes";
export const longMetricName = "degraded workload time summed over every workload of the cluster";

export function stressComparison(): ComparisonResult {
  const base = comparisonFixture();
  const seeds = base.seeds;
  const degradedA = [312_000, 298_500, 401_250, 356_000, 287_750, 333_000];
  const degradedB = [129_000, 141_500, 118_250, 160_000, 122_750, 137_000];
  const availA = [0.667, 0.5, 0.667, 0.5, 0.667, 0.667];
  const availB = [0.667, 0.667, 0.833, 0.667, 0.667, 0.833];
  const metric = (name: string, unit: string, better: "lower" | "higher", a: number[], b: number[]) => {
    const d = a.map((x, i) => (b[i] as number) - x);
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
    const half = 2.571 * (sd / Math.sqrt(d.length));
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return { name, unit, better, values: { [longVariantA]: a, [longVariantB]: b }, mean: { [longVariantA]: avg(a), [longVariantB]: avg(b) }, diff: { mean, ciLow: mean - half, ciHigh: mean + half, n: d.length }, diffs: { [longVariantB]: { mean, ciLow: mean - half, ciHigh: mean + half, n: d.length } } };
  };
  const variants: [string, string] = [longVariantA, longVariantB];
  return {
    ...base,
    scenario: "zone-outage-with-a-very-long-scenario-name-from-a-real-application",
    scenarioFile: "scenarios/real-applications/sock-shop/zone-outage-under-peak-load.yaml",
    variants,
    metrics: [
      metric(longMetricName, "ms", "lower", degradedA, degradedB),
      metric("min workload availability", "ratio", "higher", availA, availB),
      // eight-digit tick labels: the y axis must make room for them
      metric("event-log records written", "records", "lower", [12_410_000, 13_350_000, 12_180_000, 13_400_000, 12_290_000, 13_300_000], [10_610_000, 10_750_000, 10_580_000, 10_900_000, 10_660_000, 10_710_000]),
    ],
    runs: seeds.flatMap((seed, i) => variants.map((variant, j) => ({ variant, seed, fingerprint: `fp-${j}-${seed}`, runId: 1 + i * 2 + j }))),
    command: Object.fromEntries(
      seeds.flatMap((seed) => variants.map((v) => [`${v}+${seed}`, `npx kubetwin run scenarios/real-applications/sock-shop/zone-outage-under-peak-load.yaml --seed ${seed} --variant ${v}`])),
    ),
  };
}

/** Six faults, four of them within two virtual minutes. */
export const crowdedFaultsSpec: SyntheticSpec = {
  ...smallSpec,
  faults: [
    { atMs: 60_000, fault: "NodeCrash", zone: 0, label: "node zone-0-a crashes under load", healAfterMs: 60_000 },
    { atMs: 180_000, fault: "ZoneOutage", zone: 1, label: "zone-1 down", healAfterMs: 120_000 },
    { atMs: 200_000, fault: "NodeCrash", zone: 2, label: "zone-2 crash", healAfterMs: 60_000 },
    { atMs: 230_000, fault: "NodeCrash", zone: 2, label: "zone-2 second crash", healAfterMs: 60_000 },
    { atMs: 260_000, fault: "NodeCrash", zone: 0, label: "zone-0 crash", healAfterMs: 60_000 },
    { atMs: 540_000, fault: "NodeCrash", zone: 1, label: "late crash near the end", healAfterMs: 30_000 },
  ],
};
