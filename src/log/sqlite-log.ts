/**
 * The SQLite event log — the only file that imports better-sqlite3. One file may hold many runs
 * (and comparisons). Records are stored in chunks of consecutive records (record-chunk.ts), keyed
 * by `id = runId * 2^32 + seq of the chunk's first record`, so that a run is one range of the rowid
 * b-tree: appends stay sequential and range scans need no secondary index. The `events` view shows
 * one row per record for plain SQL. Wall-clock data lives only in the runs table, never in the
 * records.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { assert } from "../model/assert.ts";
import type { StateSnapshot } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import type { LogRecord } from "./record.ts";
import { ChunkBuilder, chunkRecordsMax, decodeChunk, type EncodedChunk } from "./record-chunk.ts";
import { FingerprintingSink, type MetricSample } from "./sink.ts";

const formatName = "kubetwin-eventlog";
const schemaVersion = "2"; // 1: a row per record (event_rows); 2: chunks (event_chunks)
const seqSpan = 4294967296;
// Chunks of a few KiB to tens of KiB fit 16 KiB pages better than the default 4 KiB (fewer
// overflow pages); set before the first table, so only new files get it.
const pageBytes = 16384;
// Checkpoint the WAL rarely (every 64 MiB): bulk appends then stream into the WAL instead of
// stopping every 4 MiB to copy pages back.
const walCheckpointBytes = 64 * 2 ** 20;

export class LogOpenError extends Error {
  override name = "LogOpenError";
}

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
  status: string;
  fingerprint: string | null;
  eventCount: number;
  summary: string | null;
}

export interface SnapshotRow {
  seq: number;
  atMs: Ms;
  state: string;
}

export interface ComparisonRow {
  id: number;
  scenario: string;
  scenarioHash: string;
  result: string; // the JSON `compare --json` prints
  createdWall: string;
}

/** Records, chunked (record-chunk.ts); `records` is the JSON array of record tuples. */
const chunksTable = `CREATE TABLE IF NOT EXISTS event_chunks (
  id INTEGER PRIMARY KEY, seq_last INTEGER NOT NULL, at_ms_min INTEGER NOT NULL, at_ms_max INTEGER NOT NULL,
  count INTEGER NOT NULL, records TEXT NOT NULL);`;

/** One row per record, for plain SQL; ordered scans come out in (run_id, seq) order. */
const eventsView = `CREATE VIEW IF NOT EXISTS events AS
  SELECT c.id / ${seqSpan} AS run_id, r.value ->> 0 AS seq, r.value ->> 1 AS at_ms, r.value ->> 2 AS kind,
    r.value ->> 3 AS subject, r.value ->> 4 AS payload, r.value ->> 5 AS exogenous
  FROM event_chunks AS c, json_each(c.records) AS r;`;

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL, variant TEXT NOT NULL,
  parameters TEXT NOT NULL, code_version TEXT NOT NULL, duration_ms INTEGER NOT NULL,
  status TEXT NOT NULL, fingerprint TEXT, event_count INTEGER NOT NULL DEFAULT 0, summary TEXT,
  created_wall TEXT NOT NULL);
${chunksTable}
${eventsView}
CREATE TABLE IF NOT EXISTS snapshots (
  run_id INTEGER NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, state TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL, name TEXT NOT NULL, at_ms INTEGER NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (run_id, name, at_ms)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shadow_decisions (
  run_id INTEGER NOT NULL, seq INTEGER NOT NULL, wall_ms INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
  twin TEXT, real TEXT NOT NULL, agreed INTEGER NOT NULL, feasible INTEGER NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comparisons (
  id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL,
  result TEXT NOT NULL, created_wall TEXT NOT NULL);
`;

/** Schema 1 → 2 in place: each run's rows become chunks of chunkRecordsMax, in seq order. */
const migrateFrom1 = `
${chunksTable}
INSERT INTO event_chunks (id, seq_last, at_ms_min, at_ms_max, count, records)
  SELECT min(id), max(id) % ${seqSpan}, min(at_ms), max(at_ms), count(*),
    json_group_array(json_array(id % ${seqSpan}, at_ms, kind, subject, payload, exogenous) ORDER BY id)
  FROM event_rows GROUP BY id / ${chunkRecordsMax};
DROP VIEW events;
DROP TABLE event_rows;
${eventsView}
UPDATE meta SET value = '2' WHERE key = 'schemaVersion';
`;

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

export class SqliteLog {
  private readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Opens (creating if asked) a kubetwin log; rejects missing files and foreign databases. */
  static open(path: string, options: { create: boolean }): SqliteLog {
    if (!options.create && !existsSync(path)) throw new LogOpenError(`${path}: no such database`);
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: !options.create });
    } catch (e) {
      throw new LogOpenError(`${path}: cannot open as SQLite: ${(e as Error).message}`);
    }
    try {
      return SqliteLog.prepare(db, path, options.create);
    } catch (e) {
      db.close();
      throw e instanceof LogOpenError ? e : new LogOpenError(`${path}: not a kubetwin event log (${(e as Error).message})`);
    }
  }

  private static prepare(db: Database.Database, path: string, create: boolean): SqliteLog {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[];
    const hasMeta = tables.some((t) => t.name === "meta");
    if (tables.length > 0 && !hasMeta) throw new LogOpenError(`${path}: not a kubetwin event log (it has other tables)`);
    if (hasMeta) {
      const row = db.prepare("SELECT value FROM meta WHERE key='format'").get() as { value: string } | undefined;
      if (row?.value !== formatName) throw new LogOpenError(`${path}: not a kubetwin event log`);
    } else if (!create) {
      throw new LogOpenError(`${path}: empty database, not a kubetwin event log`);
    }
    if (tables.length === 0) db.pragma(`page_size = ${pageBytes}`); // before WAL and the first table
    // Compare workers share one file, so locking_mode stays NORMAL (EXCLUSIVE would lock them out).
    db.pragma("busy_timeout = 60000");
    db.pragma("journal_mode = WAL");
    // WAL + NORMAL: a commit survives the process exiting or crashing (it is in the WAL file); only
    // an OS crash or power loss may drop the last commits, never corrupting the file. OFF would
    // write ~15% faster but may corrupt the whole file on power loss: its other runs, comparisons
    // and live recordings, which unlike a simulated run cannot be recomputed from scenario + seed.
    db.pragma("synchronous = NORMAL");
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.round(walCheckpointBytes / pageSize))}`);
    if (hasMeta) SqliteLog.upgrade(db, path);
    if (create) {
      db.exec(schema);
      db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?), ('schemaVersion', ?)").run(formatName, schemaVersion);
    }
    return new SqliteLog(db);
  }

  /** Brings an older log to the current schema (inside one write transaction), or refuses. */
  private static upgrade(db: Database.Database, path: string): void {
    const version = () => (db.prepare("SELECT value FROM meta WHERE key='schemaVersion'").get() as { value: string } | undefined)?.value;
    if (version() === schemaVersion) return;
    db.transaction(() => {
      const found = version();
      if (found === "1") db.exec(migrateFrom1);
      else if (found !== schemaVersion) throw new LogOpenError(`${path}: event log schema version ${found ?? "(none)"} is not supported (this kubetwin writes ${schemaVersion})`);
    }).immediate();
  }

  close(): void {
    this.db.close();
  }

  createRun(info: RunInfo): number {
    const result = this.db
      .prepare(
        `INSERT INTO runs (scenario, scenario_hash, seed, variant, parameters, code_version, duration_ms, status, created_wall)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
      )
      .run(info.scenario, info.scenarioHash, info.seed, info.variant, info.parameters, info.codeVersion, info.durationMs, info.createdWall);
    return Number(result.lastInsertRowid);
  }

  finishRun(runId: number, outcome: { status: string; fingerprint: string; eventCount: number; summary: string }): void {
    this.db
      .prepare("UPDATE runs SET status = ?, fingerprint = ?, event_count = ?, summary = ? WHERE id = ?")
      .run(outcome.status, outcome.fingerprint, outcome.eventCount, outcome.summary, runId);
  }

  sinkForRun(runId: number): SqliteSink {
    return new SqliteSink(this.db, runId);
  }

  recordShadowDecision(runId: number, d: ShadowDecisionRow): void {
    this.db
      .prepare("INSERT INTO shadow_decisions (run_id, seq, wall_ms, kind, subject, twin, real, agreed, feasible, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(runId, d.seq, d.wallMs, d.kind, d.subject, d.twin, d.real, d.agreed ? 1 : 0, d.feasible ? 1 : 0, d.detail);
  }

  /** A shadow session's decisions in order (none for a simulated run, or a log older than the table). */
  shadowDecisions(runId: number): ShadowDecisionRow[] {
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='shadow_decisions'").get();
    if (exists === undefined) return [];
    const rows = this.db.prepare("SELECT * FROM shadow_decisions WHERE run_id = ? ORDER BY seq").all(runId) as Record<string, unknown>[];
    return rows.map((r) => ({
      seq: r.seq as number, wallMs: r.wall_ms as number, kind: r.kind as string, subject: r.subject as string, twin: (r.twin as string | null) ?? null,
      real: r.real as string, agreed: r.agreed === 1, feasible: r.feasible === 1, detail: r.detail as string,
    }));
  }

  runs(): RunRow[] {
    return (this.db.prepare("SELECT * FROM runs ORDER BY id").all() as Record<string, unknown>[]).map(toRunRow);
  }

  run(runId: number): RunRow | undefined {
    const row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(runId) as Record<string, unknown> | undefined;
    return row ? toRunRow(row) : undefined;
  }

  latestRunId(): number | undefined {
    const row = this.db.prepare("SELECT max(id) AS id FROM runs").get() as { id: number | null };
    return row.id ?? undefined;
  }

  /** Records of a run in sequence order, optionally only those after `afterSeq` and up to `atMsMax`. */
  *records(runId: number, range: { afterSeq?: number; atMsMax?: Ms } = {}): Generator<LogRecord> {
    const afterSeq = range.afterSeq ?? -1;
    const atMsMax = range.atMsMax ?? Number.MAX_SAFE_INTEGER;
    for (const json of this.chunkTexts(runId, afterSeq, atMsMax)) {
      const chunk = decodeChunk(json);
      for (let i = 0; i < chunk.length; i++) {
        const r = chunk[i] as LogRecord;
        if (r.seq > afterSeq && r.atMs <= atMsMax) yield r;
      }
    }
  }

  /** The JSON of the run's chunks that may hold records after afterSeq at or before atMsMax. */
  private chunkTexts(runId: number, afterSeq: number, atMsMax: Ms): Iterable<string> {
    const base = runId * seqSpan;
    // the chunk holding seq afterSeq + 1 may start before it
    const first = this.db.prepare("SELECT max(id) FROM event_chunks WHERE id >= ? AND id <= ?").pluck().get(base, base + afterSeq + 1) as number | null;
    return this.db
      .prepare("SELECT records FROM event_chunks WHERE id >= ? AND id < ? AND at_ms_min <= ? ORDER BY id")
      .pluck()
      .iterate(first ?? base, base + seqSpan, atMsMax) as Iterable<string>;
  }

  /** The latest snapshot at or before atMs, if any. */
  snapshotBefore(runId: number, atMs: Ms): SnapshotRow | undefined {
    const row = this.db
      .prepare("SELECT seq, at_ms, state FROM snapshots WHERE run_id = ? AND at_ms <= ? ORDER BY seq DESC LIMIT 1")
      .get(runId, atMs) as { seq: number; at_ms: number; state: string } | undefined;
    return row ? { seq: row.seq, atMs: row.at_ms, state: row.state } : undefined;
  }

  metricNames(runId: number): string[] {
    return (this.db.prepare("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name").all(runId) as { name: string }[]).map(
      (r) => r.name,
    );
  }

  metricSeries(runId: number, name: string): { atMs: Ms; value: number }[] {
    return (
      this.db.prepare("SELECT at_ms, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY at_ms").all(runId, name) as {
        at_ms: number;
        value: number;
      }[]
    ).map((r) => ({ atMs: r.at_ms, value: r.value }));
  }

  saveComparison(scenario: string, scenarioHash: string, result: string, createdWall: string): number {
    const r = this.db
      .prepare("INSERT INTO comparisons (scenario, scenario_hash, result, created_wall) VALUES (?, ?, ?, ?)")
      .run(scenario, scenarioHash, result, createdWall);
    return Number(r.lastInsertRowid);
  }

  /** Ids of the stored comparisons, oldest first (for messages that list what there is). */
  comparisonIds(): number[] {
    return this.db.prepare("SELECT id FROM comparisons ORDER BY id").pluck().all() as number[];
  }

  comparison(id?: number): ComparisonRow | undefined {
    const row = (
      id === undefined
        ? this.db.prepare("SELECT * FROM comparisons ORDER BY id DESC LIMIT 1").get()
        : this.db.prepare("SELECT * FROM comparisons WHERE id = ?").get(id)
    ) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      id: row.id as number,
      scenario: row.scenario as string,
      scenarioHash: row.scenario_hash as string,
      result: row.result as string,
      createdWall: row.created_wall as string,
    };
  }
}

function toRunRow(row: Record<string, unknown>): RunRow {
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
    status: row.status as string,
    fingerprint: (row.fingerprint as string | null) ?? null,
    eventCount: row.event_count as number,
    summary: (row.summary as string | null) ?? null,
  };
}

/**
 * Collects records into chunks and writes the finished chunks (with pending metric samples) in one
 * transaction per flushEveryRecords, so a concurrent compare worker waits at most one short commit.
 */
export class SqliteSink extends FingerprintingSink {
  private readonly runBase: number;
  private readonly runId: number;
  private readonly chunk = new ChunkBuilder();
  private readonly sealed: EncodedChunk[] = [];
  private sealedRecords = 0;
  private readonly metricsPending: MetricSample[] = [];
  private readonly insertChunk: Database.Statement;
  private readonly insertMetric: Database.Statement;
  private readonly insertSnapshot: Database.Statement;
  private readonly flushWith: (snapshot: unknown[] | undefined) => void;
  private readonly flushEveryRecords = 20_000;

  constructor(db: Database.Database, runId: number) {
    super();
    this.runId = runId;
    this.runBase = runId * seqSpan;
    this.insertChunk = db.prepare("INSERT INTO event_chunks (id, seq_last, at_ms_min, at_ms_max, count, records) VALUES (?, ?, ?, ?, ?, ?)");
    this.insertMetric = db.prepare("INSERT OR REPLACE INTO metrics (run_id, name, at_ms, value) VALUES (?, ?, ?, ?)");
    this.insertSnapshot = db.prepare("INSERT OR REPLACE INTO snapshots (run_id, seq, at_ms, state) VALUES (?, ?, ?, ?)");
    this.flushWith = db.transaction((snapshot: unknown[] | undefined) => {
      this.writePending();
      if (snapshot !== undefined) this.insertSnapshot.run(snapshot);
    });
  }

  protected store(r: LogRecord): void {
    assert(r.seq >= 0 && r.seq < seqSpan, "event log: seq out of range");
    if (!this.chunk.add(r)) return;
    this.closeChunk();
    if (this.sealedRecords >= this.flushEveryRecords) this.flushWith(undefined);
  }

  /** Writes the records so far and the snapshot together, so the snapshot never precedes them. */
  snapshot(seq: number, atMs: Ms, state: StateSnapshot): void {
    this.closeChunk();
    this.flushWith([this.runId, seq, atMs, JSON.stringify(state)]);
  }

  metric(sample: MetricSample): void {
    this.metricsPending.push(sample);
  }

  finish(): string {
    this.closeChunk();
    this.flushWith(undefined);
    return this.fingerprint();
  }

  private closeChunk(): void {
    const chunk = this.chunk.take();
    if (chunk === undefined) return;
    this.sealed.push(chunk);
    this.sealedRecords += chunk.count;
  }

  private writePending(): void {
    for (const c of this.sealed) this.insertChunk.run(this.runBase + c.seqFirst, c.seqLast, c.atMsMin, c.atMsMax, c.count, c.json);
    this.sealed.length = 0;
    this.sealedRecords = 0;
    for (const m of this.metricsPending) this.insertMetric.run(this.runId, m.name, m.atMs, m.value);
    this.metricsPending.length = 0;
  }
}
