/**
 * One event-log record. `payload` is the canonical JSON of the ClusterEvent (kind included), so a
 * record alone rebuilds the event; the other columns exist for querying.
 */
import type { ClusterEvent } from "../model/cluster-event.ts";
import type { Ms } from "../model/units.ts";
import { decodeEventPayload } from "./event-codec.ts";
import { LogCorruptError } from "./log-errors.ts";

export interface LogRecord {
  seq: number;
  atMs: Ms;
  kind: ClusterEvent["kind"];
  subject: string;
  payload: string;
  exogenous: boolean;
}

/** The event a record holds, checked (event-codec.ts); a damaged record is a LogCorruptError naming it. */
export function decodeRecord(record: LogRecord): ClusterEvent {
  const decoded = decodeEventPayload(record.kind, record.payload);
  if ("problem" in decoded) throw new LogCorruptError(`record #${record.seq} (${String(record.kind).slice(0, 60)}): ${decoded.problem}`);
  return decoded.event;
}

/** Folds one record into a fingerprint (defined in fingerprint.ts); every sink and `digest` use it. */
export { fingerprintUpdate } from "./fingerprint.ts";
