/**
 * One event-log record. `payload` is the canonical JSON of the ClusterEvent (kind included), so a
 * record alone rebuilds the event; the other columns exist for querying.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Ms } from "../../model/units.ts";
import { hashUpdate, type Hash64 } from "../../model/hash.ts";

export interface LogRecord {
  seq: number;
  atMs: Ms;
  kind: ClusterEvent["kind"];
  subject: string;
  payload: string;
  exogenous: boolean;
}

export function decodeRecord(record: LogRecord): ClusterEvent {
  return JSON.parse(record.payload) as ClusterEvent;
}

/** Folds one record into a fingerprint; the same function for every sink and for `digest`. */
export function fingerprintUpdate(h: Hash64, r: LogRecord): void {
  hashUpdate(h, `${r.seq}|${r.atMs}|${r.kind}|${r.subject}|${r.exogenous ? 1 : 0}|${r.payload}`);
}
