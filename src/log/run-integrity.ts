/**
 * The run digest: what a reader checks before it trusts a run's row, snapshots and metrics. The
 * records check themselves (each chunk carries the fingerprint state after it, record-chunk.ts);
 * the run digest covers everything else a reader uses: the run's recorded parameters and outcome
 * (status, error, summary, event count, fingerprint — so the end of the chunk chain is anchored),
 * every snapshot (seq, time and the digest of its state; each snapshot row keeps the digest of its
 * state, checked when that snapshot is used) and every metric sample.
 *
 * Writers compute it at every flush (so a run whose writer died keeps a digest of what it wrote)
 * and at the end; readers recompute it from what is stored. Not a signature: it finds edits,
 * damage and missing rows, not a forger who recomputes it.
 */
import { assert } from "../model/assert.ts";
import { hashDigest, hashString, hashUpdate, newHash64, type Hash64 } from "../model/hash.ts";
import { chainText } from "./fingerprint.ts";

/** The runs columns the digest covers, in this order (the row as SQLite returns it). */
export const digestedRunColumns = [
  "scenario", "scenario_hash", "seed", "variant", "parameters", "code_version", "duration_ms", "created_wall", "writer",
  "status", "error", "summary", "event_count", "fingerprint",
] as const;

export type DigestedRunRow = Record<(typeof digestedRunColumns)[number], string | number | null>;

export interface SnapshotDigestRow {
  seq: number;
  atMs: number;
  digest: string;
}

/** The digest a snapshot row keeps of its state text. */
export function snapshotStateDigest(state: string): string {
  return hashString(state);
}

function sampleHash(name: string, atMs: number, value: number): Hash64 {
  const h = newHash64();
  hashUpdate(h, `${name}|${atMs}|${value}`);
  return h;
}

/**
 * The metric samples of a run as an order-free sum of per-sample hashes: readers add the rows in
 * any order, writers keep it current as samples arrive, and a sample written again at the same
 * (name, time) replaces the old one (as the table's primary key does).
 */
export class MetricsDigest {
  private hi = 0;
  private lo = 0;
  /** Per series, its latest sample: a writer's samples of one series come in time order, so only the latest can be written again. */
  private readonly latest = new Map<string, { atMs: number; value: number }>();
  private readonly tracksReplacement: boolean;

  /** A writer tracks replacement (it may write a sample twice); a reader of stored rows need not. */
  constructor(tracksReplacement: boolean) {
    this.tracksReplacement = tracksReplacement;
  }

  add(name: string, atMs: number, value: number): void {
    if (this.tracksReplacement) {
      const old = this.latest.get(name);
      if (old !== undefined) {
        assert(atMs >= old.atMs, `metric ${name}: a sample at ${atMs} ms after one at ${old.atMs} ms`);
        if (atMs === old.atMs) this.fold(sampleHash(name, atMs, old.value), -1);
      }
      this.latest.set(name, { atMs, value });
    }
    this.fold(sampleHash(name, atMs, value), 1);
  }

  private fold(h: Hash64, sign: 1 | -1): void {
    this.hi = (this.hi + sign * h.hi) >>> 0;
    this.lo = (this.lo + sign * h.lo) >>> 0;
  }

  text(): string {
    return chainText({ hi: this.hi, lo: this.lo });
  }
}

/** The parts of a run digest, in the order it lists them, as messages name them. */
export const runDigestParts = ["recorded parameters and outcome", "snapshots", "metric samples"] as const;

/**
 * The digest of a run's row, snapshot list and metrics: `r1:` then one hash per part (so a
 * mismatch can say which part does not match), versioned so the definition can change.
 */
export function runDigest(row: DigestedRunRow, snapshots: readonly SnapshotDigestRow[], metrics: string): string {
  const rowHash = newHash64();
  for (const column of digestedRunColumns) {
    const v = row[column];
    hashUpdate(rowHash, v === null || v === undefined ? "\u0000" : `${typeof v === "number" ? "n" : "s"}${v}`);
  }
  const snapshotHash = newHash64();
  hashUpdate(snapshotHash, String(snapshots.length));
  for (const s of snapshots) hashUpdate(snapshotHash, `${s.seq}|${s.atMs}|${s.digest}`);
  return `r1:${hashDigest(rowHash)}:${hashDigest(snapshotHash)}:${metrics}`;
}

/** Which parts of two run digests differ (all of them when either is not a digest of this version). */
export function differingParts(stored: string, computed: string): string[] {
  const a = stored.split(":");
  const b = computed.split(":");
  if (a.length !== 4 || a[0] !== "r1" || b.length !== 4) return [...runDigestParts];
  return runDigestParts.filter((_, i) => a[i + 1] !== b[i + 1]);
}
