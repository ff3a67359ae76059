/**
 * The run summary as the log stores it (`runs.summary`, JSON): the part of the simulator's summary
 * (src/sim/summary.ts, whose RunSummary extends this one) that readers of the log rely on.
 * Defined once here, between the writer and the reader (src/report/run-summary.ts decodes it
 * leniently, every field optional: a run that stopped early or an older summary still renders).
 */

export interface ExpectationResult {
  name: string;
  kind: string;
  passed: boolean;
  detail: string;
}

export interface FaultSummary {
  atMs: number;
  fault: string;
  target: string;
  label: string;
}

export interface WorkloadSummary {
  key: string;
  desired: number;
  ready: number;
  /** Lowest ready/desired once first fully available (0 when it never was). */
  minReadyRatio: number;
}

export interface StoredRunSummary {
  scenario: string;
  description: string;
  seed: number;
  variant: string;
  durationMs: number;
  fingerprint: string;
  eventCount: number;
  /** The effective simulation parameters (the writer's SimParameters). */
  parameters: unknown;
  expectations: ExpectationResult[];
  faults: FaultSummary[];
  latency: unknown;
  workloads: WorkloadSummary[];
}
