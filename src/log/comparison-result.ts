/**
 * A comparison as `kubetwin compare` writes it: printed by `--json`, stored in `comparisons.result`,
 * read back by the report. Defined once here, between the writer (src/cli/compare-command.ts,
 * whose statistics are the precise refinement of these fields) and the reader
 * (src/report/comparison-result.ts decodes and checks it). Fields marked optional are absent in
 * results written by older kubetwins; the report still draws those.
 */

export interface PairedDiff {
  mean: number;
  /** The interval the verdict used (`interval` says which; a t-interval in results without it). */
  ciLow: number;
  ciHigh: number;
  n: number;
  interval?: "t" | "bootstrap";
  t?: { low: number; high: number; p: number };
  bootstrap?: { low: number; high: number; resamples: number };
  wilcoxon?: { p: number; statistic: number };
  /** The deciding test (Wilcoxon when the differences are clearly non-normal), its p and Holm-adjusted p. */
  test?: "t" | "wilcoxon";
  p?: number;
  pAdjusted?: number;
  inFamily?: boolean;
  nonNormal?: string | null;
  /** Mean difference / sd of the differences; null without spread. */
  effectSize?: number | null;
  verdict?: "better" | "worse" | "no clear difference" | "identical";
  seedsToDecide?: number | null;
}

/** The Holm family and rules of a compare (results since exact statistics; absent before). */
export interface ComparisonStatistics {
  family: string;
  size: number;
  method: string;
  alpha: number;
  confidenceLevel: number;
  precision: string;
}

export interface ComparisonMetric {
  name: string;
  unit: string;
  better: "lower" | "higher";
  /** Per variant, one value per seed, in the order of `seeds`. */
  values: Record<string, number[]>;
  mean: Record<string, number>;
  /** B − A (the second variant minus the first), paired over seeds, the 95% interval the verdict used. */
  diff: PairedDiff;
  /** Every other variant minus the first (diffs[variants[1]] is `diff`). */
  diffs: Record<string, PairedDiff>;
}

export interface ComparisonRun {
  variant: string;
  seed: number;
  fingerprint: string;
  /** The run in the log (compare --db); null or absent when the comparison was not logged. */
  runId?: number | null;
}

export interface ComparisonResult {
  scenario: string;
  scenarioFile: string;
  /** Two or more; each after the first is paired against the first. */
  variants: string[];
  seeds: number[];
  metrics: ComparisonMetric[];
  statistics?: ComparisonStatistics;
  runs: ComparisonRun[];
  command: Record<string, string>;
}
