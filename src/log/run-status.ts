/**
 * A run's status. The writer records `running` when the run starts and, when it ends, `done`,
 * `failed` (with the error) or `interrupted` (SIGINT/SIGTERM: stopped at an event boundary,
 * flushed, marked); a shadow session ends `shadow`. A run still recorded `running` whose writer is
 * gone (kill -9, out of memory, power loss) is reported `incomplete` by every reader: that is
 * decided here, from the recorded writer (writer-identity.ts), never stored.
 */
import { formatWriter, writerLiveness, type WriterIdentity } from "./writer-identity.ts";

/** What a writer records. */
export type RecordedStatus = "running" | "done" | "failed" | "interrupted" | "shadow";

/** Statuses whose run reached its end: readers use them without --allow-incomplete. */
const completeStatuses: ReadonlySet<string> = new Set(["done", "shadow"]);

export interface RunStatusFacts {
  id: number;
  /** As readers report it: the recorded status, or `incomplete` for a running run with no live writer. */
  status: string;
  error: string | null;
  writer: WriterIdentity | undefined;
  eventCount: number;
}

/** The status readers report for a recorded one. */
export function reportedStatus(recorded: string, writer: WriterIdentity | undefined): string {
  return recorded === "running" && writerLiveness(writer) === "dead" ? "incomplete" : recorded;
}

export function isComplete(run: Pick<RunStatusFacts, "status">): boolean {
  return completeStatuses.has(run.status);
}

/** Why a run is not complete, in a few words ("incomplete: its writer (pid 7 on h) is gone, 1200 records"). */
export function describeIncomplete(run: RunStatusFacts): string {
  const records = `${run.eventCount} record${run.eventCount === 1 ? "" : "s"} logged`;
  switch (run.status) {
    case "incomplete":
      return `incomplete: its writer${run.writer ? ` (${formatWriter(run.writer)})` : ""} stopped without finishing it; ${records}`;
    case "running":
      return writerLiveness(run.writer) === "unknown" && run.writer
        ? `running on another host (${formatWriter(run.writer)}), so whether it still runs cannot be checked from here; ${records} so far`
        : `still running (${run.writer ? formatWriter(run.writer) : "writer unknown"}); ${records} so far`;
    case "failed":
    case "interrupted":
      return `${run.status}${run.error ? ` (${run.error})` : ""}; ${records} before it stopped`;
    default:
      return `status ${JSON.stringify(run.status)}; ${records}`;
  }
}
