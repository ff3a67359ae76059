/**
 * The SQLite event log — the only file that imports better-sqlite3. One file may hold many runs
 * (and comparisons). Records are stored in chunks of consecutive records (record-chunk.ts), keyed
 * by `id = runId * 2^32 + seq of the chunk's first record`, so that a run is one range of the rowid
 * b-tree: appends stay sequential and range scans need no secondary index. The `events` view shows
 * one row per record for plain SQL. Wall-clock data lives only in the runs table, never in the
 * records. Tables and migrations: sqlite-schema.ts.
 *
 * Writers (`open`) use WAL and hand the file back in rollback-journal mode when they are the last
 * to close it, so a finished log can be read from read-only media. Readers (`openReadOnly`) open
 * it read-only and change nothing, not even the journal mode. Every read is checked: chunks
 * against the fingerprint chain, a snapshot against its digest (record-chunk.ts, run-verify.ts).
 * SQLite's failures become the log's own errors naming the file (log-errors.ts); a lock is waited
 * for lockWaitMs, then named.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { assert } from "../model/assert.ts";
import { hashDigest, hashString, newHash64, type Hash64 } from "../model/hash.ts";
import type { StateSnapshot } from "../model/state.ts";
import { formatDurationMs, type Ms } from "../model/units.ts";
import { chainText, fingerprintUpdate, parseChain } from "./fingerprint.ts";
import { checkLogFile, truncationOf } from "./log-file.ts";
import { LogCorruptError, LogDiskFullError, LogLockedError, LogOpenError } from "./log-errors.ts";
import { formatHolders, lockHolders } from "./lock-holders.ts";
import type { LogRecord } from "./record.ts";
import { checkChunk, ChunkBuilder, chunkRecordsMax, decodeChunk, type EncodedChunk, type StoredChunk } from "./record-chunk.ts";
import { MetricsDigest, runDigest, snapshotStateDigest, type DigestedRunRow, type SnapshotDigestRow } from "./run-integrity.ts";
import { reportedStatus, type RecordedStatus } from "./run-status.ts";
import { addedIn3, formatName, migrateFrom1, schema, schemaVersion, seqSpan } from "./sqlite-schema.ts";
import { FingerprintingSink, type MetricSample } from "./sink.ts";
import { currentWriter, type WriterIdentity } from "./writer-identity.ts";

export { LogCorruptError, LogDiskFullError, LogLockedError, LogOpenError } from "./log-errors.ts";

/** How long a command waits for a lock held by someone else before it says so. */
export const lockWaitMs = 5000;
// Chunks of a few KiB to tens of KiB fit 16 KiB pages better than the default 4 KiB (fewer
// overflow pages); set before the first table, so only new files get it.
const pageBytes = 16384;
// Checkpoint the WAL rarely (every 64 MiB): bulk appends then stream into the WAL instead of
// stopping every 4 MiB to copy pages back.
const walCheckpointBytes = 64 * 2 ** 20;

export interface RunInfo {
  scenario: string;
  scenarioHash: string;
  seed: number;
  variant: string;
  parameters: string; // canonical JSON of the effective SimParameters
  codeVersion: string;
  durationMs: Ms;
  createdWall: string; // ISO wall time, kept out of the records
}

export interface RunRow extends RunInfo {
  id: number;
  /** As readers report it (run-status.ts): the recorded status, or `incomplete` when its writer is gone. */
  status: string;
  /** As the writer recorded it. */
  recordedStatus: string;
  /** Why a failed or interrupted run stopped. */
  error: string | null;
  writer: WriterIdentity | undefined;
  /** The fingerprint of the records stored (of all of them once the run is done). */
  fingerprint: string | null;
  /** How many records are stored. */
  eventCount: number;
  summary: string | null;
}

/** How a run ended. A sink-backed run's event count and fingerprint are what its sink flushed. */
export interface RunOutcome {
  status: Exclude<RecordedStatus, "running">;
  summary?: string;
  error?: string;
  /** Only for runs without a sink (a shadow session counts its decisions). */
  eventCount?: number;
  fingerprint?: string;
  /** A run whose length is known only at its end (a recording: the time it covered). */
  durationMs?: number;
}

export interface SnapshotRow {
  seq: number;
  atMs: Ms;
  state: string;
}

export type ComparisonStatus = "done" | "incomplete";

export interface ComparisonRow {
  id: number;
  scenario: string;
  scenarioHash: string;
  result: string; // the JSON `compare --json` prints (for an incomplete comparison: what finished)
  createdWall: string;
  status: ComparisonStatus;
}

/**
 * One decision of a shadow session (kubetwin shadow): what the twin's policy would have done beside
 * what the cluster did. `wall_ms` is wall-clock time: a shadow session observes a real cluster.
 */
export interface ShadowDecisionRow {
  seq: number;
  wallMs: number;
  /** "schedule" (more kinds as more policies run in shadow). */
  kind: string;
  /** The object decided about, "namespace/name". */
  subject: string;
  /** The twin's choice; null when the twin found it unschedulable. */
  twin: string | null;
  real: string;
  agreed: boolean;
  /** The cluster's choice was one the twin found feasible. */
  feasible: boolean;
  /** Canonical JSON: ranks, scores, reasons. */
  detail: string;
}

function sqliteCode(e: unknown): string {
  return e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : "";
}

/** SQLite's failure as the log's own error, naming the file; anything else unchanged. */
function translate(e: unknown, path: string): unknown {
  const code = sqliteCode(e);
  if (!code.startsWith("SQLITE_")) return e;
  const said = (e as Error).message;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    const holders = formatHolders(lockHolders([path, `${path}-wal`, `${path}-shm`]));
    return new LogLockedError(`${path}: the event log is locked by ${holders} (gave up after ${lockWaitMs / 1000} s)`);
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    const truncated = existsSync(path) ? truncationOf(path) : undefined;
    return truncated !== undefined ? new LogOpenError(truncated) : new LogCorruptError(`${path}: the database file is damaged (SQLite: ${said})`);
  }
  if (code === "SQLITE_FULL") return new LogDiskFullError(`disk full: cannot write ${path} (SQLite: ${said})`);
  if (code.startsWith("SQLITE_READONLY")) return new LogOpenError(`${path}: cannot write: the file or its folder is read-only (SQLite: ${said})`);
  if (code.startsWith("SQLITE_CANTOPEN")) return new LogOpenError(`${path}: cannot open (SQLite: ${said})`);
  return e;
}

/** A schema 2 failed run kept its error in the summary: `{ "error": … }`. */
function errorOfSummary(summary: unknown): string | null {
  try {
    const error = (JSON.parse(String(summary)) as { error?: unknown }).error;
    return typeof error === "string" && error !== "" ? error : null;
  } catch {
    return null;
  }
}

function parseWriter(text: unknown): WriterIdentity | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const w = JSON.parse(text) as Partial<WriterIdentity>;
    return typeof w.host === "string" && typeof w.boot === "string" && typeof w.pid === "number" && typeof w.start === "string"
      ? { host: w.host, boot: w.boot, pid: w.pid, start: w.start }
      : undefined;
  } catch {
    return undefined;
  }
}

function toRunRow(row: Record<string, unknown>): RunRow {
  const writer = parseWriter(row.writer);
  return {
    id: row.id as number,
    scenario: row.scenario as string,
    scenarioHash: row.scenario_hash as string,
    seed: row.seed as number,
    variant: row.variant as string,
    parameters: row.parameters as string,
    codeVersion: row.code_version as string,
    durationMs: row.duration_ms as number,
    createdWall: row.created_wall as string,
    status: reportedStatus(row.status as string, writer),
    recordedStatus: row.status as string,
    error: (row.error as string | null) ?? null,
    writer,
    fingerprint: (row.fingerprint as string | null) ?? null,
    eventCount: row.event_count as number,
    summary: (row.summary as string | null) ?? null,
  };
}

function chunkOf(row: Record<string, unknown>, runBase: number): StoredChunk {
  return {
    seqFirst: (row.id as number) - runBase, seqLast: row.seq_last as number, atMsMin: row.at_ms_min as number, atMsMax: row.at_ms_max as number,
    count: row.count as number, json: row.records as string, chain: row.chain as string,
  };
}

export class SqliteLog {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly writable: boolean;

  private constructor(db: Database.Database, path: string, writable: boolean) {
    this.db = db;
    this.path = path;
    this.writable = writable;
  }

  /** Opens (creating if asked) a kubetwin log for writing, upgrading an older one; rejects everything else. */
  static open(path: string, options: { create: boolean }): SqliteLog {
    checkLogFile(path, options.create ? "write" : "read");
    const db = SqliteLog.connect(path, { readonly: false, mustExist: !options.create });
    try {
      const log = new SqliteLog(db, path, true);
      log.prepareForWriting(options.create);
      return log;
    } catch (e) {
      db.close();
      throw SqliteLog.refusal(e, path);
    }
  }

  /**
   * Opens a log for reading only: no journal mode switch, no write (a log on read-only media reads).
   * A log of an older schema is upgraded once, in place, which needs write access.
   */
  static openReadOnly(path: string): SqliteLog {
    checkLogFile(path, "read");
    let db = SqliteLog.connect(path, { readonly: true, mustExist: true });
    try {
      if (SqliteLog.checkFormat(db, path, false) < schemaVersion) {
        db.close();
        SqliteLog.upgradeForReading(path);
        db = SqliteLog.connect(path, { readonly: true, mustExist: true });
        SqliteLog.checkFormat(db, path, false);
      }
      return new SqliteLog(db, path, false);
    } catch (e) {
      db.close();
      throw SqliteLog.refusal(e, path);
    }
  }

  private static connect(path: string, o: { readonly: boolean; mustExist: boolean }): Database.Database {
    try {
      return new Database(path, { readonly: o.readonly, fileMustExist: o.mustExist, timeout: lockWaitMs });
    } catch (e) {
      const t = translate(e, path);
      throw t instanceof LogOpenError ? t : new LogOpenError(`${path}: cannot open as SQLite: ${(e as Error).message}`);
    }
  }

  /** Why a file was refused, as one LogOpenError (a damaged file at open is not an event log we can use). */
  private static refusal(e: unknown, path: string): unknown {
    const t = translate(e, path);
    if (t instanceof LogOpenError || t instanceof LogDiskFullError) return t;
    if (t instanceof LogCorruptError) return new LogOpenError(`${path}: not a kubetwin event log, or a damaged one (${(e as Error).message})`);
    return t instanceof Error && sqliteCode(t) !== "" ? new LogOpenError(`${path}: not a kubetwin event log (${t.message})`) : t;
  }

  /** The file's schema version after checking that it is a kubetwin log (an empty one only when creating). */
  private static checkFormat(db: Database.Database, path: string, create: boolean): number {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all() as string[];
    if (tables.length === 0) {
      if (create) return schemaVersion;
      throw new LogOpenError(`${path}: empty database, not a kubetwin event log`);
    }
    if (!tables.includes("meta")) throw new LogOpenError(`${path}: not a kubetwin event log (an SQLite database with other tables: ${tables.slice(0, 5).join(", ")})`);
    const meta = new Map((db.prepare("SELECT key, value FROM meta").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (meta.get("format") !== formatName) throw new LogOpenError(`${path}: not a kubetwin event log (an SQLite database of another program)`);
    const found = meta.get("schemaVersion");
    const version = found !== undefined && /^\d+$/.test(found) ? Number(found) : NaN;
    if (!(version >= 1)) throw new LogOpenError(`${path}: event log schema version ${JSON.stringify(found ?? null)} is not one kubetwin wrote`);
    if (version > schemaVersion) {
      throw new LogOpenError(`${path}: event log schema version ${version} is newer than this kubetwin reads (${schemaVersion}); use a newer kubetwin`);
    }
    return version;
  }

  private static upgradeForReading(path: string): void {
    try {
      SqliteLog.open(path, { create: false }).close();
    } catch (e) {
      if (e instanceof LogOpenError && /read-only|cannot open|readonly/i.test(e.message)) {
        throw new LogOpenError(
          `${path}: written by an older kubetwin (an older schema); it is upgraded in place on first use, which needs write access, and the file or its folder is read-only — read a copy in a writable place`,
        );
      }
      throw e;
    }
  }

  private prepareForWriting(create: boolean): void {
    const db = this.db;
    const version = SqliteLog.checkFormat(db, this.path, create);
    const fresh = (db.prepare("SELECT count(*) FROM sqlite_master").pluck().get() as number) === 0;
    if (fresh) db.pragma(`page_size = ${pageBytes}`); // before WAL and the first table
    // Compare workers share one file, so locking_mode stays NORMAL (EXCLUSIVE would lock them out).
    db.pragma("journal_mode = WAL");
    // WAL + NORMAL: a commit survives the process exiting or crashing (it is in the WAL file); only
    // an OS crash or power loss may drop the last commits, never corrupting the file. OFF would
    // write ~15% faster but may corrupt the whole file on power loss: its other runs, comparisons
    // and live recordings, which unlike a simulated run cannot be recomputed from scenario + seed.
    db.pragma("synchronous = NORMAL");
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.round(walCheckpointBytes / pageSize))}`);
    db.transaction(() => {
      if (!fresh && version < schemaVersion) this.upgrade();
      db.exec(schema);
      db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?), ('schemaVersion', ?)").run(formatName, String(schemaVersion));
    }).immediate();
  }

  /** Brings an older log to the current schema (inside the caller's write transaction). */
  private upgrade(): void {
    const db = this.db;
    const version = () => Number(db.prepare("SELECT value FROM meta WHERE key='schemaVersion'").pluck().get());
    if (version() === 1) db.exec(migrateFrom1(chunkRecordsMax));
    if (version() !== 2) return;
    for (const [table, column, declaration] of addedIn3) {
      const exists = (db.prepare(`SELECT count(*) FROM pragma_table_info('${table}') WHERE name = ?`).pluck().get(column) as number) > 0;
      const tableExists = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?").get(table) !== undefined;
      if (tableExists && !exists) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${declaration}`);
    }
    db.exec(schema); // tables a schema 2 file may lack
    for (const runId of db.prepare("SELECT id FROM runs ORDER BY id").pluck().all() as number[]) this.blessRun(runId);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schemaVersion'").run(String(schemaVersion));
  }

  /**
   * Schema 2 → 3 for one run: chains, snapshot digests, statuses and the run digest computed from
   * what is stored (a migration takes the log as it is). A chunk that does not decode ends the
   * chain there, so readers find the damage; a stored fingerprint is kept, so a run edited before
   * the upgrade still fails its check.
   */
  private blessRun(runId: number): void {
    const base = runId * seqSpan;
    const h = newHash64();
    let count = 0;
    let broken = false;
    const page = this.db.prepare("SELECT id, records FROM event_chunks WHERE id > ? AND id < ? ORDER BY id LIMIT 64");
    const setChain = this.db.prepare("UPDATE event_chunks SET chain = ? WHERE id = ?");
    let afterId = base - 1;
    while (!broken) {
      const rows = page.all(afterId, base + seqSpan) as { id: number; records: string }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        afterId = row.id;
        try {
          for (const r of decodeChunk(row.records)) {
            fingerprintUpdate(h, r);
            count++;
          }
        } catch {
          broken = true;
          break;
        }
        setChain.run(chainText(h), row.id);
      }
    }
    const setDigest = this.db.prepare("UPDATE snapshots SET digest = ? WHERE run_id = ? AND seq = ?");
    for (const s of this.db.prepare("SELECT seq, state FROM snapshots WHERE run_id = ?").all(runId) as { seq: number; state: string }[]) {
      setDigest.run(snapshotStateDigest(s.state), runId, s.seq);
    }
    const row = this.rawRun(runId) as Record<string, unknown>;
    const status = row.status === "invariant" ? "failed" : (row.status as string);
    const stored = row.fingerprint as string | null;
    const fingerprint = stored !== null && stored !== "" ? stored : broken ? null : hashDigest(h);
    const eventCount = status === "done" || status === "shadow" || broken ? (row.event_count as number) : count;
    this.db.prepare("UPDATE runs SET status = ?, error = ?, fingerprint = ?, event_count = ? WHERE id = ?").run(status, status === "failed" ? errorOfSummary(row.summary) : null, fingerprint, eventCount, runId);
    this.sealRun(runId);
  }

  /**
   * Closes the log. A writer that is the last one on the file hands it back in rollback-journal
   * mode (no -wal/-shm left), so it can be read where nothing can be written; with other
   * connections still open it stays in WAL mode, and the last of them does it.
   */
  close(): void {
    if (this.writable && this.db.open) {
      try {
        this.db.pragma("busy_timeout = 0");
        this.db.pragma("journal_mode = DELETE");
      } catch {
        // someone else still has it open: they will
      }
    }
    this.db.close();
  }

  /** Runs fn, turning SQLite's failures into the log's errors naming this file. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translate(e, this.path);
    }
  }

  /** Runs fn in one read transaction: every statement sees the same commit (a writer may be appending). */
  private consistent<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).deferred());
  }

  /** `plan`: the text of the plan the run was made from (see planOf); stored once per distinct text. */
  createRun(info: RunInfo, plan?: string): number {
    return this.guard(() =>
      this.db.transaction(() => {
        const result = this.db
          .prepare(
            `INSERT INTO runs (scenario, scenario_hash, seed, variant, parameters, code_version, duration_ms, status, created_wall, writer)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
          )
          .run(info.scenario, info.scenarioHash, info.seed, info.variant, info.parameters, info.codeVersion, info.durationMs, info.createdWall, JSON.stringify(currentWriter()));
        const runId = Number(result.lastInsertRowid);
        if (plan !== undefined) this.storePlan(runId, plan);
        this.sealRun(runId);
        return runId;
      }).immediate(),
    );
  }

  /** Records how a run ended (status, summary or error) and seals the run digest over what is stored. */
  finishRun(runId: number, outcome: RunOutcome): void {
    this.guard(() =>
      this.db.transaction(() => {
        this.db.prepare("UPDATE runs SET status = ?, summary = ?, error = ? WHERE id = ?").run(outcome.status, outcome.summary ?? null, outcome.error ?? null, runId);
        if (outcome.eventCount !== undefined) this.db.prepare("UPDATE runs SET event_count = ? WHERE id = ?").run(outcome.eventCount, runId);
        if (outcome.fingerprint !== undefined) this.db.prepare("UPDATE runs SET fingerprint = ? WHERE id = ?").run(outcome.fingerprint, runId);
        if (outcome.durationMs !== undefined) this.db.prepare("UPDATE runs SET duration_ms = ? WHERE id = ?").run(outcome.durationMs, runId);
        this.sealRun(runId);
      }).immediate(),
    );
  }

  /** Stores the run digest of what the run's row, snapshots and metrics hold now. */
  private sealRun(runId: number): void {
    const row = this.rawRun(runId);
    assert(row !== undefined, `event log: no run ${runId} to seal`);
    const digest = runDigest(row, this.snapshotDigests(runId), this.storedMetricsDigest(runId));
    this.db.prepare("UPDATE runs SET integrity = ? WHERE id = ?").run(digest, runId);
  }

  sinkForRun(runId: number): SqliteSink {
    return this.guard(() => {
      const row = this.rawRun(runId);
      assert(row !== undefined, `event log: no run ${runId} to write`);
      return new SqliteSink(this.db, runId, row, this.path);
    });
  }

  recordShadowDecision(runId: number, d: ShadowDecisionRow): void {
    this.guard(() =>
      this.db
        .prepare("INSERT INTO shadow_decisions (run_id, seq, wall_ms, kind, subject, twin, real, agreed, feasible, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .run(runId, d.seq, d.wallMs, d.kind, d.subject, d.twin, d.real, d.agreed ? 1 : 0, d.feasible ? 1 : 0, d.detail),
    );
  }

  /** A shadow session's decisions in order (none for a simulated run, or a log older than the table). */
  shadowDecisions(runId: number): ShadowDecisionRow[] {
    return this.guard(() => {
      const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='shadow_decisions'").get();
      if (exists === undefined) return [];
      const rows = this.db.prepare("SELECT * FROM shadow_decisions WHERE run_id = ? ORDER BY seq").all(runId) as Record<string, unknown>[];
      return rows.map((r) => ({
        seq: r.seq as number, wallMs: r.wall_ms as number, kind: r.kind as string, subject: r.subject as string, twin: (r.twin as string | null) ?? null,
        real: r.real as string, agreed: r.agreed === 1, feasible: r.feasible === 1, detail: r.detail as string,
      }));
    });
  }

  runs(): RunRow[] {
    return this.guard(() => (this.db.prepare("SELECT * FROM runs ORDER BY id").all() as Record<string, unknown>[]).map(toRunRow));
  }

  run(runId: number): RunRow | undefined {
    const row = this.guard(() => this.db.prepare("SELECT * FROM runs WHERE id = ?").get(runId) as Record<string, unknown> | undefined);
    return row ? toRunRow(row) : undefined;
  }

  private storePlan(runId: number, plan: string): void {
    const digest = hashString(plan);
    this.db.prepare("INSERT OR IGNORE INTO plans (digest, plan) VALUES (?, ?)").run(digest, plan);
    this.db.prepare("INSERT INTO run_plans (run_id, digest) VALUES (?, ?)").run(runId, digest);
  }

  /**
   * The text of the plan a run was made from, checked against the digest it is stored under;
   * undefined when none was stored (a live recording, or a log older than plan storage).
   */
  planOf(runId: number): string | undefined {
    return this.guard(() => {
      const hasTable = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='run_plans'").get() !== undefined;
      if (!hasTable) return undefined;
      const row = this.db.prepare("SELECT p.digest AS digest, p.plan AS plan FROM run_plans AS r LEFT JOIN plans AS p ON p.digest = r.digest WHERE r.run_id = ?").get(runId) as
        | { digest: string | null; plan: string | null }
        | undefined;
      if (row === undefined) return undefined;
      if (row.plan === null || row.digest === null) throw new LogCorruptError(`${this.path}: run ${runId}: its plan is missing`, runId);
      if (hashString(row.plan) !== row.digest) throw new LogCorruptError(`${this.path}: run ${runId}: its plan does not match its digest ${row.digest} (edited)`, runId);
      return row.plan;
    });
  }

  latestRunId(): number | undefined {
    const id = this.guard(() => this.db.prepare("SELECT max(id) FROM runs").pluck().get() as number | null);
    return id ?? undefined;
  }

  /**
   * Records of a run in sequence order, optionally only those after `afterSeq` and up to
   * `atMsMax`. Every chunk read is checked against the fingerprint chain (from the state stored
   * with the chunk before it): an edited record or a missing chunk is a LogCorruptError.
   */
  *records(runId: number, range: { afterSeq?: number; atMsMax?: Ms } = {}): Generator<LogRecord> {
    const afterSeq = range.afterSeq ?? -1;
    const atMsMax = range.atMsMax ?? Number.MAX_SAFE_INTEGER;
    const base = runId * seqSpan;
    let start: { startId: number; before: Hash64 };
    try {
      start = this.guard(() => this.chainStart(base, afterSeq));
    } catch (e) {
      throw e instanceof LogCorruptError ? new LogCorruptError(`${this.path}: run ${runId}: ${e.message}`, runId) : e;
    }
    const { startId, before } = start;
    let state = before;
    // chunks that start after atMsMax are not decoded, only their stored state carried on
    const rows = this.guard(
      () =>
        this.db
          .prepare("SELECT id, seq_last, at_ms_min, at_ms_max, count, chain, CASE WHEN at_ms_min <= ? THEN records END AS records FROM event_chunks WHERE id >= ? AND id < ? ORDER BY id")
          .iterate(atMsMax, startId, base + seqSpan) as IterableIterator<Record<string, unknown>>,
    );
    try {
      while (true) {
        const next = this.guard(() => rows.next());
        if (next.done === true) return;
        const chunk = chunkOf(next.value, base);
        if (next.value.records === null) {
          state = parseChain(chunk.chain) ?? state;
          continue;
        }
        const checked = checkChunk(chunk, state);
        state = checked.after;
        for (const r of checked.records) if (r.seq > afterSeq && r.atMs <= atMsMax) yield r;
      }
    } catch (e) {
      throw e instanceof LogCorruptError && e.runId === undefined ? new LogCorruptError(`${this.path}: run ${runId}: ${e.message}`, runId) : e;
    } finally {
      rows.return?.();
    }
  }

  /** Where a read from afterSeq starts: the chunk that may hold afterSeq + 1, and the fingerprint state before it. */
  private chainStart(base: number, afterSeq: number): { startId: number; before: Hash64 } {
    const first = this.db.prepare("SELECT max(id) FROM event_chunks WHERE id >= ? AND id <= ?").pluck().get(base, base + afterSeq + 1) as number | null;
    const startId = first ?? base;
    const previous = this.db.prepare("SELECT id, chain FROM event_chunks WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT 1").get(base, startId) as { id: number; chain: string } | undefined;
    if (previous === undefined) return { startId, before: newHash64() };
    const before = parseChain(previous.chain);
    if (before === undefined) throw new LogCorruptError(`chunk at seq ${previous.id - base}: no fingerprint state stored with it`);
    return { startId, before };
  }

  /** The run's stored chunks in order, unchecked (run-verify.ts checks them). */
  *chunks(runId: number): Generator<StoredChunk> {
    const base = runId * seqSpan;
    const rows = this.guard(() => this.db.prepare("SELECT * FROM event_chunks WHERE id >= ? AND id < ? ORDER BY id").iterate(base, base + seqSpan) as IterableIterator<Record<string, unknown>>);
    try {
      while (true) {
        const next = this.guard(() => rows.next());
        if (next.done === true) return;
        yield chunkOf(next.value, base);
      }
    } finally {
      rows.return?.();
    }
  }

  /** The latest snapshot at or before atMs, if any, checked against its digest. */
  snapshotBefore(runId: number, atMs: Ms): SnapshotRow | undefined {
    const row = this.guard(
      () =>
        this.db.prepare("SELECT seq, at_ms, state, digest FROM snapshots WHERE run_id = ? AND at_ms <= ? ORDER BY seq DESC LIMIT 1").get(runId, atMs) as
          | { seq: number; at_ms: number; state: string; digest: string }
          | undefined,
    );
    if (row === undefined) return undefined;
    if (snapshotStateDigest(row.state) !== row.digest) {
      throw new LogCorruptError(`${this.path}: run ${runId}: the snapshot at seq ${row.seq} (${formatDurationMs(row.at_ms)}) does not match its digest: its state was changed`, runId);
    }
    return { seq: row.seq, atMs: row.at_ms, state: row.state };
  }

  /** Every snapshot of the run with its state, in order, unchecked (run-verify.ts checks them); one at a time in memory. */
  *snapshots(runId: number): Generator<SnapshotRow & { digest: string }> {
    const rows = this.guard(
      () => this.db.prepare("SELECT seq, at_ms, state, digest FROM snapshots WHERE run_id = ? ORDER BY seq").iterate(runId) as IterableIterator<{ seq: number; at_ms: number; state: string; digest: string }>,
    );
    try {
      while (true) {
        const next = this.guard(() => rows.next());
        if (next.done === true) return;
        const r = next.value;
        yield { seq: r.seq, atMs: r.at_ms, state: r.state, digest: r.digest };
      }
    } finally {
      rows.return?.();
    }
  }

  metricNames(runId: number): string[] {
    return this.guard(() => this.db.prepare("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name").pluck().all(runId) as string[]);
  }

  metricSeries(runId: number, name: string): { atMs: Ms; value: number }[] {
    return this.guard(() =>
      (this.db.prepare("SELECT at_ms, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY at_ms").all(runId, name) as { at_ms: number; value: number }[]).map((r) => ({
        atMs: r.at_ms,
        value: r.value,
      })),
    );
  }

  /**
   * What a reader checks a run's row against, read in one transaction: the row as stored, its
   * stored digest, the digest recomputed from row, snapshots and metrics, and the chunk chain's end.
   */
  sealOf(runId: number): { stored: string | null; computed: string; lastChain: string | undefined; chunkRecords: number; row: DigestedRunRow } | undefined {
    return this.consistent(() => {
      const row = this.rawRun(runId);
      if (row === undefined) return undefined;
      const base = runId * seqSpan;
      const tail = this.db.prepare("SELECT chain FROM event_chunks WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT 1").pluck().get(base, base + seqSpan) as string | undefined;
      const chunkRecords = this.db.prepare("SELECT coalesce(sum(count), 0) FROM event_chunks WHERE id >= ? AND id < ?").pluck().get(base, base + seqSpan) as number;
      return {
        stored: ((row as Record<string, unknown>).integrity as string | null) ?? null,
        computed: runDigest(row, this.snapshotDigests(runId), this.storedMetricsDigest(runId)),
        lastChain: tail,
        chunkRecords,
        row,
      };
    });
  }

  private rawRun(runId: number): (DigestedRunRow & { integrity?: string | null }) | undefined {
    return this.db.prepare("SELECT * FROM runs WHERE id = ?").get(runId) as (DigestedRunRow & { integrity?: string | null }) | undefined;
  }

  private snapshotDigests(runId: number): SnapshotDigestRow[] {
    return (this.db.prepare("SELECT seq, at_ms, digest FROM snapshots WHERE run_id = ? ORDER BY seq").all(runId) as { seq: number; at_ms: number; digest: string }[]).map((r) => ({
      seq: r.seq,
      atMs: r.at_ms,
      digest: r.digest,
    }));
  }

  private storedMetricsDigest(runId: number): string {
    const digest = new MetricsDigest(false);
    for (const r of this.db.prepare("SELECT name, at_ms, value FROM metrics WHERE run_id = ?").iterate(runId) as Iterable<{ name: string; at_ms: number; value: number }>) {
      digest.add(r.name, r.at_ms, r.value);
    }
    return digest.text();
  }

  saveComparison(scenario: string, scenarioHash: string, result: string, createdWall: string, status: ComparisonStatus = "done"): number {
    const r = this.guard(() =>
      this.db.prepare("INSERT INTO comparisons (scenario, scenario_hash, result, created_wall, status) VALUES (?, ?, ?, ?, ?)").run(scenario, scenarioHash, result, createdWall, status),
    );
    return Number(r.lastInsertRowid);
  }

  /** Ids of the stored comparisons, oldest first (for messages that list what there is). */
  comparisonIds(): number[] {
    return this.guard(() => this.db.prepare("SELECT id FROM comparisons ORDER BY id").pluck().all() as number[]);
  }

  /** A stored comparison by id; without an id the latest one with status `done` (or, when allowed, the latest of any). */
  comparison(id?: number, options: { allowIncomplete?: boolean } = {}): ComparisonRow | undefined {
    const row = this.guard(
      () =>
        (id !== undefined
          ? this.db.prepare("SELECT * FROM comparisons WHERE id = ?").get(id)
          : options.allowIncomplete === true
            ? this.db.prepare("SELECT * FROM comparisons ORDER BY id DESC LIMIT 1").get()
            : this.db.prepare("SELECT * FROM comparisons WHERE status = 'done' ORDER BY id DESC LIMIT 1").get()) as Record<string, unknown> | undefined,
    );
    if (!row) return undefined;
    return {
      id: row.id as number,
      scenario: row.scenario as string,
      scenarioHash: row.scenario_hash as string,
      result: row.result as string,
      createdWall: row.created_wall as string,
      status: row.status === "incomplete" ? "incomplete" : "done",
    };
  }
}

/**
 * Collects records into chunks and writes the finished chunks (with pending metric samples) in one
 * transaction per flushEveryRecords, so a concurrent compare worker waits at most one short commit.
 * Each flush also stores the run's event count, the fingerprint of what is stored and the run
 * digest, so a run whose writer dies keeps a true, checkable account of what it wrote.
 */
export class SqliteSink extends FingerprintingSink {
  private readonly runBase: number;
  private readonly runId: number;
  private readonly path: string;
  private readonly chunk = new ChunkBuilder();
  private readonly sealed: EncodedChunk[] = [];
  private sealedRecords = 0;
  private readonly metricsPending: MetricSample[] = [];
  private readonly row: DigestedRunRow;
  private readonly snapshotList = new Map<number, SnapshotDigestRow>();
  private readonly metricsDigest = new MetricsDigest(true);
  private readonly insertChunk: Database.Statement;
  private readonly insertMetric: Database.Statement;
  private readonly insertSnapshot: Database.Statement;
  private readonly updateRun: Database.Statement;
  private readonly flushWith: (snapshot: unknown[] | undefined) => void;
  private readonly flushEveryRecords = 20_000;
  /** Records stored by the last successful flush. */
  flushedCount = 0;
  /** A flush failed (disk full, lock): nothing more is written, so what is stored stays a checkable prefix. */
  private failed = false;

  constructor(db: Database.Database, runId: number, row: DigestedRunRow, path: string) {
    super();
    this.runId = runId;
    this.runBase = runId * seqSpan;
    this.row = { ...row };
    this.path = path;
    this.insertChunk = db.prepare("INSERT INTO event_chunks (id, seq_last, at_ms_min, at_ms_max, count, records, chain) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.insertMetric = db.prepare("INSERT OR REPLACE INTO metrics (run_id, name, at_ms, value) VALUES (?, ?, ?, ?)");
    this.insertSnapshot = db.prepare("INSERT OR REPLACE INTO snapshots (run_id, seq, at_ms, state, digest) VALUES (?, ?, ?, ?, ?)");
    this.updateRun = db.prepare("UPDATE runs SET event_count = ?, fingerprint = ?, integrity = ? WHERE id = ?");
    this.flushWith = db.transaction((snapshot: unknown[] | undefined) => {
      this.writePending();
      if (snapshot !== undefined) this.insertSnapshot.run(snapshot);
      this.updateRun.run(this.row.event_count, this.row.fingerprint, runDigest(this.row, [...this.snapshotList.values()].sort((a, b) => a.seq - b.seq), this.metricsDigest.text()), this.runId);
    });
  }

  protected store(r: LogRecord): void {
    assert(r.seq >= 0 && r.seq < seqSpan, "event log: seq out of range");
    if (!this.chunk.add(r)) return;
    this.closeChunk();
    if (this.sealedRecords >= this.flushEveryRecords) this.flush(undefined);
  }

  /** Writes the records so far and the snapshot together, so the snapshot never precedes them. */
  snapshot(seq: number, atMs: Ms, state: StateSnapshot): void {
    this.closeChunk();
    const text = JSON.stringify(state);
    const digest = snapshotStateDigest(text);
    this.snapshotList.set(seq, { seq, atMs, digest });
    this.flush([this.runId, seq, atMs, text, digest]);
  }

  metric(sample: MetricSample): void {
    this.metricsPending.push(sample);
    this.metricsDigest.add(sample.name, sample.atMs, sample.value);
  }

  finish(): string {
    this.closeChunk();
    this.flush(undefined);
    return this.fingerprint();
  }

  private flush(snapshot: unknown[] | undefined): void {
    if (this.failed) return;
    // every record appended so far is in a sealed chunk now (chunks close before each flush)
    this.row.event_count = this.count;
    this.row.fingerprint = this.fingerprint();
    try {
      this.flushWith(snapshot);
    } catch (e) {
      this.failed = true;
      throw translate(e, this.path);
    }
    this.flushedCount = this.count;
  }

  private closeChunk(): void {
    const chunk = this.chunk.take(this.hashState());
    if (this.failed) return;
    if (chunk === undefined) return;
    this.sealed.push(chunk);
    this.sealedRecords += chunk.count;
  }

  private writePending(): void {
    for (const c of this.sealed) this.insertChunk.run(this.runBase + c.seqFirst, c.seqLast, c.atMsMin, c.atMsMax, c.count, c.json, c.chain);
    this.sealed.length = 0;
    this.sealedRecords = 0;
    // In key order: each series' samples go in at the end of its own range of the primary key (~30% cheaper than time order).
    this.metricsPending.sort(byMetricKey);
    for (const m of this.metricsPending) this.insertMetric.run(this.runId, m.name, m.atMs, m.value);
    this.metricsPending.length = 0;
  }
}

function byMetricKey(a: MetricSample, b: MetricSample): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.atMs - b.atMs;
}
