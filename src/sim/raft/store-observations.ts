/**
 * What a RaftStore run shows from outside, as plain data for the run summary: leader changes,
 * write latencies and failures, unavailability windows and the faults that were injected.
 */
import type { Ms } from "../../model/units.ts";
import type { NodeId } from "../../raft/types.ts";

export interface LeaderChange {
  atMs: Ms;
  term: number;
  /** 0 = no live leader. */
  leader: NodeId;
}

export interface WriteLatencySample {
  writeId: number;
  proposedAtMs: Ms;
  latencyMs: Ms;
  attempts: number;
}

export interface WriteFailure {
  writeId: number;
  atMs: Ms;
  reason: string;
}

export type UnavailabilityReason = "noLeader" | "noQuorum" | "endpointDown" | "endpointCut";

export interface UnavailabilityWindow {
  startMs: Ms;
  /** null while still open. */
  endMs: Ms | null;
  reason: UnavailabilityReason;
}

export interface FaultRecord {
  atMs: Ms;
  fault: string;
}

export interface StoreObservations {
  leaderChanges: LeaderChange[];
  writeLatencies: WriteLatencySample[];
  writeFailures: WriteFailure[];
  unavailability: UnavailabilityWindow[];
  faults: FaultRecord[];
}

export interface StoreSummary {
  writesCommitted: number;
  writesFailed: number;
  latencyMsP50: number;
  latencyMsP99: number;
  latencyMsMax: number;
  leaderChanges: number;
  unavailableMsTotal: number;
  unavailabilityWindows: number;
}

/** Totals up to `nowMs` (open windows count until then). */
export function summarizeStore(observations: StoreObservations, nowMs: Ms): StoreSummary {
  const latencies = observations.writeLatencies.map((s) => s.latencyMs).sort((a, b) => a - b);
  let unavailableMsTotal = 0;
  for (const w of observations.unavailability) unavailableMsTotal += (w.endMs ?? nowMs) - w.startMs;
  return {
    writesCommitted: latencies.length,
    writesFailed: observations.writeFailures.length,
    latencyMsP50: quantile(latencies, 0.5),
    latencyMsP99: quantile(latencies, 0.99),
    latencyMsMax: latencies.length > 0 ? (latencies[latencies.length - 1] as number) : 0,
    leaderChanges: observations.leaderChanges.filter((c) => c.leader !== 0).length,
    unavailableMsTotal,
    unavailabilityWindows: observations.unavailability.length,
  };
}

/** Nearest-rank quantile of a sorted list; 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
