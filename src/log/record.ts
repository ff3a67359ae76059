/**
 * One event-log record. `payload` is the canonical JSON of the ClusterEvent (kind included), so a
 * record alone rebuilds the event; the other columns exist for querying.
 */
import type { ClusterEvent } from "../model/cluster-event.ts";
import type { Ms } from "../model/units.ts";

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

/** Folds one record into a fingerprint (defined in fingerprint.ts); every sink and `digest` use it. */
export { fingerprintUpdate } from "./fingerprint.ts";
