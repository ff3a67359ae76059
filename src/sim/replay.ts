/**
 * Replay: rebuild the cluster state at any moment by folding logged records with `evolve`, starting
 * from the nearest snapshot at or before that moment (or from empty).
 */
import { evolve } from "../model/evolve.ts";
import { emptyState, restoreState, type ClusterState, type StateSnapshot } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import { decodeRecord, type LogRecord } from "../log/record.ts";

export interface SnapshotSource {
  seq: number;
  atMs: Ms;
  state: string;
}

/** Folds records (in seq order, all after the snapshot's seq) up to and including atMs. */
export function replay(records: Iterable<LogRecord>, atMs: Ms, snapshot?: SnapshotSource): ClusterState {
  const state = snapshot ? restoreState(JSON.parse(snapshot.state) as StateSnapshot, { owned: true }) : emptyState();
  const afterSeq = snapshot ? snapshot.seq : -1;
  for (const record of records) {
    if (record.seq <= afterSeq) continue;
    if (record.atMs > atMs) break;
    evolve(state, decodeRecord(record), record.atMs);
  }
  return state;
}
