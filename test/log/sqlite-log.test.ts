import { fc, test } from "@fast-check/vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect } from "vitest";
import { emptyState, snapshotOf } from "../../src/model/state.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { LogRecord } from "../../src/log/record.ts";
import { chunkCharsMax, chunkRecordsMax } from "../../src/log/record-chunk.ts";
import { LogOpenError, SqliteLog } from "../../src/log/sqlite-log.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-sqlite-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `log-${files++}.db`);

const kinds = ["PodCreated", "PodBound", "PodRunning", "NodeAdded", "Fault"] as const;
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.json({ maxDepth: 2 }));
/** Records with increasing seq (gaps allowed), any atMs order, any text; sometimes huge payloads. */
const recordsArb = fc
  .array(
    fc.record({
      seqStep: fc.integer({ min: 1, max: 3 }),
      atMs: fc.integer({ min: 0, max: 10_000 }),
      kind: fc.constantFrom(...kinds),
      subject: text,
      payload: fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom("x".repeat(chunkCharsMax), '{"a":"\u2028é😀"}') }),
      exogenous: fc.boolean(),
    }),
    { maxLength: 700 },
  )
  .map((rows) => {
    let seq = -1;
    return rows.map(({ seqStep, ...r }): LogRecord => ({ ...r, seq: (seq += seqStep) }));
  });

function newRun(log: SqliteLog, variant = "v"): number {
  return log.createRun({ scenario: "s", scenarioHash: "h", seed: 1, variant, parameters: "{}", codeVersion: "test", durationMs: 0, createdWall: "" });
}

function writeRun(log: SqliteLog, records: LogRecord[]): { runId: number; fingerprint: string } {
  const runId = newRun(log);
  const sink = log.sinkForRun(runId);
  for (const r of records) sink.append(r);
  return { runId, fingerprint: sink.finish() };
}

function memoryFingerprint(records: LogRecord[]): string {
  const sink = new MemorySink();
  for (const r of records) sink.append(r);
  return sink.finish();
}

type ViewRow = { run_id: number; seq: number; at_ms: number; kind: string; subject: string; payload: string; exogenous: number };

/** Plain SQL through another SQLite build (node:sqlite), as a person with the sqlite3 shell would. */
function sql<T>(path: string, query: string, pluck = false): T[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare(query).all() as Record<string, unknown>[];
    return rows.map((r) => (pluck ? Object.values(r)[0] : { ...r })) as T[];
  } finally {
    db.close();
  }
}

describe("SqliteLog records", () => {
  test.prop([recordsArb], { numRuns: 40 })("come back exactly, in order, with the in-memory fingerprint", (records) => {
    const log = SqliteLog.open(freshPath(), { create: true });
    const { runId, fingerprint } = writeRun(log, records);
    expect([...log.records(runId)]).toEqual(records);
    expect(fingerprint).toBe(memoryFingerprint(records));
    log.close();
  });

  test.prop([recordsArb, fc.integer({ min: -1, max: 1500 }), fc.integer({ min: -1, max: 10_001 })], { numRuns: 40 })(
    "ranges keep exactly the records after afterSeq at or before atMsMax",
    (records, afterSeq, atMsMax) => {
      const log = SqliteLog.open(freshPath(), { create: true });
      const { runId } = writeRun(log, records);
      expect([...log.records(runId, { afterSeq, atMsMax })]).toEqual(records.filter((r) => r.seq > afterSeq && r.atMs <= atMsMax));
      expect([...log.records(runId, { afterSeq })]).toEqual(records.filter((r) => r.seq > afterSeq));
      log.close();
    },
  );

  test.prop([recordsArb], { numRuns: 25 })("the events view shows one row per record with every column", (records) => {
    const path = freshPath();
    const log = SqliteLog.open(path, { create: true });
    const { runId } = writeRun(log, records);
    log.close();
    const rows = sql<ViewRow>(path, "SELECT run_id, seq, at_ms, kind, subject, payload, exogenous FROM events");
    // SQLite turns lone surrogates into U+FFFD; the view is for people, records() is exact
    const wellFormed = (s: string) => s.toWellFormed();
    expect(rows).toEqual(
      records.map((r) => ({ run_id: runId, seq: r.seq, at_ms: r.atMs, kind: r.kind, subject: wellFormed(r.subject), payload: wellFormed(r.payload), exogenous: r.exogenous ? 1 : 0 })),
    );
  });

  test("full chunks split at the record and char limits, and a late range reads only the tail", () => {
    const path = freshPath();
    const log = SqliteLog.open(path, { create: true });
    const records: LogRecord[] = Array.from({ length: chunkRecordsMax * 3 + 5 }, (_, i) => ({
      seq: i, atMs: i * 10, kind: "PodBound", subject: `pod/a/${i}`, payload: i === 300 ? "y".repeat(chunkCharsMax) : `{"i":${i}}`, exogenous: i % 2 === 0,
    }));
    const { runId } = writeRun(log, records);
    const chunks = sql(path, "SELECT id % 4294967296 AS first, seq_last AS last, count FROM event_chunks ORDER BY id");
    // 0..255 by count; 256..300 ends at the big payload; then 301..556, 557..772 by count and the rest
    expect(chunks).toEqual([
      { first: 0, last: 255, count: 256 },
      { first: 256, last: 300, count: 45 },
      { first: 301, last: 556, count: 256 },
      { first: 557, last: 772, count: 216 },
    ]);
    expect([...log.records(runId, { afterSeq: 700 })].map((r) => r.seq)).toEqual(records.slice(701).map((r) => r.seq));
    log.close();
  });

  test("runs in one file stay apart, also when two connections write at the same time", () => {
    const path = freshPath();
    const a = SqliteLog.open(path, { create: true });
    const b = SqliteLog.open(path, { create: true });
    const runA = newRun(a, "a");
    const runB = newRun(b, "b");
    const sinkA = a.sinkForRun(runA);
    const sinkB = b.sinkForRun(runB);
    const make = (tag: string) => Array.from({ length: 45_000 }, (_, i): LogRecord => ({ seq: i, atMs: i, kind: "PodRunning", subject: `${tag}${i}`, payload: `{"t":"${tag}"}`, exogenous: false }));
    const recsA = make("a");
    const recsB = make("b");
    for (let i = 0; i < recsA.length; i++) {
      sinkA.append(recsA[i] as LogRecord);
      sinkB.append(recsB[i] as LogRecord);
    }
    sinkA.finish();
    sinkB.finish();
    expect([...b.records(runA)]).toEqual(recsA);
    expect([...a.records(runB)]).toEqual(recsB);
    a.close();
    b.close();
  });

  test("a record whose seq does not increase is a broken invariant", () => {
    const log = SqliteLog.open(freshPath(), { create: true });
    const sink = log.sinkForRun(newRun(log));
    sink.append({ seq: 5, atMs: 0, kind: "PodBound", subject: "s", payload: "{}", exogenous: false });
    expect(() => sink.append({ seq: 5, atMs: 0, kind: "PodBound", subject: "s", payload: "{}", exogenous: false })).toThrow(/seq/);
    log.close();
  });
});

describe("SqliteLog snapshots and metrics", () => {
  test("a snapshot is stored with the records before it, and found by time", () => {
    const path = freshPath();
    const log = SqliteLog.open(path, { create: true });
    const runId = newRun(log);
    const sink = log.sinkForRun(runId);
    for (let i = 0; i < 10; i++) sink.append({ seq: i, atMs: i * 100, kind: "PodRunning", subject: `p${i}`, payload: "{}", exogenous: false });
    sink.snapshot(9, 900, snapshotOf(emptyState()));
    // a second connection sees the records up to the snapshot before finish()
    const reader = SqliteLog.open(path, { create: false });
    expect([...reader.records(runId)].length).toBe(10);
    expect(reader.snapshotBefore(runId, 950)).toMatchObject({ seq: 9, atMs: 900 });
    expect(reader.snapshotBefore(runId, 899)).toBeUndefined();
    reader.close();
    sink.metric({ name: "pods.ready", atMs: 1000, value: 3 });
    sink.append({ seq: 10, atMs: 1000, kind: "PodRunning", subject: "p10", payload: "{}", exogenous: false });
    sink.finish();
    expect(log.metricSeries(runId, "pods.ready")).toEqual([{ atMs: 1000, value: 3 }]);
    expect([...log.records(runId, { afterSeq: 9 })].map((r) => r.seq)).toEqual([10]);
    log.close();
  });
});

describe("SqliteLog schema versions", () => {
  const v1Schema = `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL,
      variant TEXT NOT NULL, parameters TEXT NOT NULL, code_version TEXT NOT NULL, duration_ms INTEGER NOT NULL, status TEXT NOT NULL,
      fingerprint TEXT, event_count INTEGER NOT NULL DEFAULT 0, summary TEXT, created_wall TEXT NOT NULL);
    CREATE TABLE event_rows (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, payload TEXT NOT NULL, exogenous INTEGER NOT NULL);
    CREATE VIEW events AS SELECT id / 4294967296 AS run_id, id % 4294967296 AS seq, at_ms, kind, subject, payload, exogenous FROM event_rows;
    CREATE TABLE snapshots (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
    CREATE TABLE metrics (run_id INTEGER NOT NULL, name TEXT NOT NULL, at_ms INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (run_id, name, at_ms)) WITHOUT ROWID;
    CREATE TABLE comparisons (id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, result TEXT NOT NULL, created_wall TEXT NOT NULL);
    INSERT INTO meta VALUES ('format', 'kubetwin-eventlog'), ('schemaVersion', '1');`;

  function v1File(runs: LogRecord[][]): string {
    const path = freshPath();
    const db = new DatabaseSync(path);
    db.exec(v1Schema);
    const insert = db.prepare("INSERT INTO event_rows VALUES (?, ?, ?, ?, ?, ?)");
    runs.forEach((records, i) => {
      db.prepare("INSERT INTO runs (scenario, scenario_hash, seed, variant, parameters, code_version, duration_ms, status, created_wall) VALUES ('s','h',1,'v','{}','t',0,'done','')").run();
      for (const r of records) insert.run((i + 1) * 4294967296 + r.seq, r.atMs, r.kind, r.subject, r.payload, r.exogenous ? 1 : 0);
    });
    db.close();
    return path;
  }

  const wellFormedRecords = recordsArb.map((rs) => rs.map((r) => ({ ...r, subject: r.subject.toWellFormed(), payload: r.payload.toWellFormed() })));

  test.prop([wellFormedRecords, wellFormedRecords], { numRuns: 15 })("a schema 1 log is upgraded in place: same records, same fingerprints", (one, two) => {
    const path = v1File([one, two]);
    const log = SqliteLog.open(path, { create: false });
    expect([...log.records(1)]).toEqual(one);
    expect([...log.records(2)]).toEqual(two);
    expect(memoryFingerprint([...log.records(2)])).toBe(memoryFingerprint(two));
    const runId = newRun(log);
    const sink = log.sinkForRun(runId);
    sink.append({ seq: 0, atMs: 1, kind: "PodBound", subject: "after", payload: "{}", exogenous: true });
    sink.finish();
    log.close();
    expect(sql(path, "SELECT value FROM meta WHERE key = 'schemaVersion'", true)).toEqual(["3"]);
    expect(sql(path, "SELECT count(*) FROM events", true)).toEqual([one.length + two.length + 1]);
  });

  test("an unknown schema version is refused with a clear error", () => {
    const path = freshPath();
    SqliteLog.open(path, { create: true }).close();
    const db = new DatabaseSync(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schemaVersion'").run();
    db.close();
    expect(() => SqliteLog.open(path, { create: false })).toThrow(LogOpenError);
    expect(() => SqliteLog.open(path, { create: true })).toThrow(/schema version 99/);
  });
});
