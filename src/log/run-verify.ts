/**
 * Checking a logged run against what its writer wrote. `checkSeal` is the cheap check every
 * reader makes before it uses a run (the run digest over row, snapshots and metrics, and the end
 * of the chunk chain); `verifyRun` is `kubetwin digest`'s full check: every chunk against the
 * chain, every record through the event codec, every snapshot against its digest, and the seal.
 * Problems are one line each, naming the part that does not match.
 */
import { hashDigest, newHash64 } from "../model/hash.ts";
import { formatDurationMs } from "../model/units.ts";
import { parseChain } from "./fingerprint.ts";
import { LogCorruptError } from "./log-errors.ts";
import { decodeRecord } from "./record.ts";
import { chainFingerprint, chainProblem, decodeStoredChunk, foldRecords } from "./record-chunk.ts";
import { differingParts, snapshotStateDigest } from "./run-integrity.ts";
import type { SqliteLog } from "./sqlite-log.ts";

const emptyFingerprint = hashDigest(newHash64());
const problemsMax = 20;

/** What does not match in a run's row, snapshot list, metrics and chain end (empty: it all matches). */
export function checkSeal(log: SqliteLog, runId: number): string[] {
  const seal = log.sealOf(runId);
  if (seal === undefined) return [`no run ${runId}`];
  const problems: string[] = [];
  if (seal.stored === null) problems.push("it has no run digest (its row was never sealed)");
  else {
    const parts = differingParts(seal.stored, seal.computed);
    if (parts.length > 0) problems.push(`its ${parts.join(", ")} do not match the run digest (changed, added or removed since they were written)`);
  }
  const fingerprint = seal.row.fingerprint;
  const recorded = typeof fingerprint === "string" && fingerprint !== "" ? fingerprint : undefined;
  if (seal.lastChain === undefined) {
    if (recorded !== undefined && recorded !== emptyFingerprint) problems.push(`its records are missing (fingerprint ${recorded} recorded, no chunks stored)`);
  } else if (recorded !== undefined && chainFingerprint(seal.lastChain) !== recorded) {
    problems.push(`its last chunk does not end at its recorded fingerprint ${recorded} (chunks at the end are missing, or were changed)`);
  }
  if (seal.row.status !== "shadow" && seal.chunkRecords !== seal.row.event_count) {
    problems.push(`it stores ${seal.chunkRecords} records but recorded ${seal.row.event_count}`);
  }
  return problems;
}

/** Every snapshot's state against the digest stored with it (one line per snapshot that does not match). */
export function snapshotProblems(log: SqliteLog, runId: number): string[] {
  const problems: string[] = [];
  for (const s of log.snapshots(runId)) {
    if (snapshotStateDigest(s.state) !== s.digest) problems.push(`the snapshot at seq ${s.seq} (${formatDurationMs(s.atMs)}) does not match its digest: its state was changed`);
  }
  return problems;
}

export interface Verified {
  /** The fingerprint of the stored records, recomputed (over the records that decode). */
  fingerprint: string;
  events: number;
  problems: string[];
}

/** The full check of one run (kubetwin digest). */
export function verifyRun(log: SqliteLog, runId: number): Verified {
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < problemsMax) problems.push(p);
    else if (problems.length === problemsMax) problems.push("… and more");
  };
  let actual = newHash64(); // over the records as stored: the fingerprint digest prints
  let chained = newHash64(); // from each chunk's predecessor's stored state: the chain check
  let events = 0;
  for (const chunk of log.chunks(runId)) {
    try {
      const records = decodeStoredChunk(chunk);
      // the two states agree until the first mismatch: then one fold serves both (digest's cost is one read)
      const same = actual.hi === chained.hi && actual.lo === chained.lo;
      const folded = foldRecords(records, actual);
      const problem = chainProblem(chunk, same ? folded : foldRecords(records, chained));
      actual = folded;
      if (problem !== undefined) note(problem);
      for (const r of records) {
        try {
          decodeRecord(r);
        } catch (e) {
          if (!(e instanceof LogCorruptError)) throw e;
          note(e.message);
        }
      }
      events += records.length;
    } catch (e) {
      if (!(e instanceof LogCorruptError)) throw e;
      note(e.message);
    }
    chained = parseChain(chunk.chain) ?? chained;
  }
  for (const p of snapshotProblems(log, runId)) note(p);
  for (const p of checkSeal(log, runId)) note(p);
  return { fingerprint: hashDigest(actual), events, problems };
}
