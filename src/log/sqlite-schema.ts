/**
 * The SQLite event log's tables (schema version 3) and the SQL of its migrations. Version history:
 *   1  a row per record (event_rows)
 *   2  records in chunks (event_chunks, record-chunk.ts)
 *   3  integrity and run status: each chunk keeps the fingerprint state after it (`chain`), each
 *      snapshot the digest of its state, each run its writer (host, boot, pid), its error and a
 *      run digest (run-integrity.ts); a comparison has a status (done | incomplete). Added later
 *      without a version step (new tables only, created where missing): the plan each run was made
 *      from (`plans`, keyed by the digest of its text, shared by the runs of one plan; `run_plans`)
 * A log of an older version is upgraded in place by the first kubetwin that opens it for writing
 * (sqlite-log.ts); a newer one is refused.
 */

export const formatName = "kubetwin-eventlog";
export const schemaVersion = 3;
/** Run ids and seqs share the chunks' rowid: id = runId * seqSpan + seq of the chunk's first record. */
export const seqSpan = 4294967296;

export const chunksTable = `CREATE TABLE IF NOT EXISTS event_chunks (
  id INTEGER PRIMARY KEY, seq_last INTEGER NOT NULL, at_ms_min INTEGER NOT NULL, at_ms_max INTEGER NOT NULL,
  count INTEGER NOT NULL, records TEXT NOT NULL, chain TEXT NOT NULL DEFAULT '');`;

/** One row per record, for plain SQL; ordered scans come out in (run_id, seq) order. */
export const eventsView = `CREATE VIEW IF NOT EXISTS events AS
  SELECT c.id / ${seqSpan} AS run_id, r.value ->> 0 AS seq, r.value ->> 1 AS at_ms, r.value ->> 2 AS kind,
    r.value ->> 3 AS subject, r.value ->> 4 AS payload, r.value ->> 5 AS exogenous
  FROM event_chunks AS c, json_each(c.records) AS r;`;

export const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL, variant TEXT NOT NULL,
  parameters TEXT NOT NULL, code_version TEXT NOT NULL, duration_ms INTEGER NOT NULL,
  status TEXT NOT NULL, fingerprint TEXT, event_count INTEGER NOT NULL DEFAULT 0, summary TEXT,
  created_wall TEXT NOT NULL, error TEXT, writer TEXT, integrity TEXT);
${chunksTable}
${eventsView}
CREATE TABLE IF NOT EXISTS snapshots (
  run_id INTEGER NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, state TEXT NOT NULL, digest TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL, name TEXT NOT NULL, at_ms INTEGER NOT NULL, value REAL NOT NULL,
  PRIMARY KEY (run_id, name, at_ms)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shadow_decisions (
  run_id INTEGER NOT NULL, seq INTEGER NOT NULL, wall_ms INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
  twin TEXT, real TEXT NOT NULL, agreed INTEGER NOT NULL, feasible INTEGER NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS plans (digest TEXT PRIMARY KEY, plan TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_plans (run_id INTEGER PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comparisons (
  id INTEGER PRIMARY KEY AUTOINCREMENT, scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL,
  result TEXT NOT NULL, created_wall TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'done');
`;

/** Schema 1 → 2 in place: each run's rows become chunks of chunkRecordsMax, in seq order (chain filled by 2 → 3). */
export function migrateFrom1(chunkRecordsMax: number): string {
  return `
CREATE TABLE IF NOT EXISTS event_chunks (
  id INTEGER PRIMARY KEY, seq_last INTEGER NOT NULL, at_ms_min INTEGER NOT NULL, at_ms_max INTEGER NOT NULL,
  count INTEGER NOT NULL, records TEXT NOT NULL);
INSERT INTO event_chunks (id, seq_last, at_ms_min, at_ms_max, count, records)
  SELECT min(id), max(id) % ${seqSpan}, min(at_ms), max(at_ms), count(*),
    json_group_array(json_array(id % ${seqSpan}, at_ms, kind, subject, payload, exogenous) ORDER BY id)
  FROM event_rows GROUP BY id / ${chunkRecordsMax};
DROP VIEW events;
DROP TABLE event_rows;
${eventsView}
UPDATE meta SET value = '2' WHERE key = 'schemaVersion';
`;
}

/** Schema 2 → 3, the columns added (table, column, declaration); the chains, digests and statuses are filled in by sqlite-log.ts. */
export const addedIn3: readonly [string, string, string][] = [
  ["runs", "error", "TEXT"],
  ["runs", "writer", "TEXT"],
  ["runs", "integrity", "TEXT"],
  ["event_chunks", "chain", "TEXT NOT NULL DEFAULT ''"],
  ["snapshots", "digest", "TEXT NOT NULL DEFAULT ''"],
  ["comparisons", "status", "TEXT NOT NULL DEFAULT 'done'"],
];
