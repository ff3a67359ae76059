/**
 * The SQLite event log — the only file that imports better-sqlite3. One file may hold many runs
 * (and comparisons). Records are keyed by `id = runId * 2^32 + seq` so that a run is one range of
 * the rowid b-tree: appends stay sequential and range scans need no secondary index. Wall-clock
 * data lives only in the runs table, never in the records.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import type { StateSnapshot } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import type { LogRecord } from "./record.ts";
import { FingerprintingSink, type MetricSample } from "./sink.ts";

const formatName = "kubetwin-eventlog";
const schemaVersion = "1";
const seqSpan = 4294967296;

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

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL, variant TEXT NOT NULL,
  parameters TEXT NOT NULL, code_version TEXT NOT NULL, duration_ms INTEGER NOT NULL,
  status TEXT NOT NULL, fingerprint TEXT, event_count INTEGER NOT NULL DEFAULT 0, summary TEXT,
  created_wall TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_rows (
  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
  payload TEXT NOT NULL, exogenous INTEGER NOT NULL);
CREATE VIEW IF NOT EXISTS events AS
  SELECT id / ${seqSpan} AS run_id, id % ${seqSpan} AS seq, at_ms, kind, subject, payload, exogenous FROM event_rows;
CREATE TABLE IF NOT EXISTS snapshots (
  run_id INTEGER NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, state TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL, name TEXT NOT NULL, at_ms INTEGER NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (run_id, name, at_ms)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comparisons (
  id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL,
  result TEXT NOT NULL, created_wall TEXT NOT NULL);
`;

const batchRows = 100; // rows per INSERT statement (600 bound parameters)

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
    db.pragma("busy_timeout = 60000"); // compare workers share one file
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // Checkpoint the WAL rarely (every 64 MiB at 4 KiB pages): bulk appends then stream into the
    // WAL instead of stopping every 4 MiB to copy pages back (about 1.5× faster writes).
    db.pragma("wal_autocheckpoint = 16384");
    if (create) {
      db.exec(schema);
      db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?), ('schemaVersion', ?)").run(formatName, schemaVersion);
    }
    return new SqliteLog(db);
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
    const lo = runId * seqSpan + (range.afterSeq ?? -1) + 1;
    const hi = (runId + 1) * seqSpan;
    // Raw rows (arrays) skip building a column-named object per row before ours.
    const stmt = this.db
      .prepare("SELECT id, at_ms, kind, subject, payload, exogenous FROM event_rows WHERE id >= ? AND id < ? AND at_ms <= ? ORDER BY id")
      .raw(true);
    const base = runId * seqSpan;
    for (const row of stmt.iterate(lo, hi, range.atMsMax ?? Number.MAX_SAFE_INTEGER) as Iterable<unknown[]>) {
      yield {
        seq: (row[0] as number) - base,
        atMs: row[1] as number,
        kind: row[2] as LogRecord["kind"],
        subject: row[3] as string,
        payload: row[4] as string,
        exogenous: row[5] === 1,
      };
    }
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

/** Buffers records and writes them in multi-row inserts inside one transaction per flush. */
export class SqliteSink extends FingerprintingSink {
  private readonly db: Database.Database;
  private readonly runId: number;
  private readonly pending: unknown[] = [];
  private readonly batchParams: unknown[] = new Array(batchRows * 6);
  private pendingRows = 0;
  private readonly metricsPending: MetricSample[] = [];
  private readonly insertBatch: Database.Statement;
  private readonly insertOne: Database.Statement;
  private readonly insertMetric: Database.Statement;
  private readonly insertSnapshot: Database.Statement;
  private readonly flushAll: () => void;
  private readonly flushEveryRows = 20_000;

  constructor(db: Database.Database, runId: number) {
    super();
    this.db = db;
    this.runId = runId;
    const values = new Array(batchRows).fill("(?, ?, ?, ?, ?, ?)").join(", ");
    this.insertBatch = db.prepare(`INSERT INTO event_rows (id, at_ms, kind, subject, payload, exogenous) VALUES ${values}`);
    this.insertOne = db.prepare("INSERT INTO event_rows (id, at_ms, kind, subject, payload, exogenous) VALUES (?, ?, ?, ?, ?, ?)");
    this.insertMetric = db.prepare("INSERT OR REPLACE INTO metrics (run_id, name, at_ms, value) VALUES (?, ?, ?, ?)");
    this.insertSnapshot = db.prepare("INSERT OR REPLACE INTO snapshots (run_id, seq, at_ms, state) VALUES (?, ?, ?, ?)");
    this.flushAll = db.transaction(() => this.writePending());
  }

  protected store(r: LogRecord): void {
    this.pending.push(this.runId * seqSpan + r.seq, r.atMs, r.kind, r.subject, r.payload, r.exogenous ? 1 : 0);
    if (++this.pendingRows >= this.flushEveryRows) this.flushAll();
  }

  snapshot(seq: number, atMs: Ms, state: StateSnapshot): void {
    this.flushAll();
    this.insertSnapshot.run(this.runId, seq, atMs, JSON.stringify(state));
  }

  metric(sample: MetricSample): void {
    this.metricsPending.push(sample);
  }

  finish(): string {
    this.flushAll();
    return this.fingerprint();
  }

  private writePending(): void {
    const rows = this.pendingRows;
    const p = this.pending;
    let i = 0;
    const full = rows - (rows % batchRows);
    const params = this.batchParams;
    for (; i < full; i += batchRows) {
      for (let j = 0; j < batchRows * 6; j++) params[j] = p[i * 6 + j];
      this.insertBatch.run(params);
    }
    for (; i < rows; i++) this.insertOne.run(p.slice(i * 6, i * 6 + 6));
    this.pending.length = 0;
    this.pendingRows = 0;
    for (const m of this.metricsPending) this.insertMetric.run(this.runId, m.name, m.atMs, m.value);
    this.metricsPending.length = 0;
  }
}
