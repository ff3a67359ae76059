/**
 * Issue 11, "integrity": a logged run edited after it was written — a record, a chunk, a snapshot,
 * a metric sample, the run's recorded parameters — or damaged (a chunk that is not JSON, a record
 * of the wrong shape, an unknown kind) is found by every reader, through the real command:
 * `digest` exits 3 (with --json too, whose problems say what does not match), `replay` and
 * `report` refuse with exit 3 naming the log, the run and what does not match, print nothing and
 * write no report. Never a stack trace.
 */
import Database from "better-sqlite3";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exitBadInput, exitInvariantBroken, exitOk } from "../../src/cli/exit-codes.ts";
import { canonicalJson } from "../../src/model/canonical.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { expectCleanExit, runKubetwin, type CliResult } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-integrity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3 nodes, 4 pods, a pod kill at 10m, 30 minutes: ~600 records, a snapshot every 5 minutes. */
const scenario = join(dir, "small.yaml");
writeFileSync(
  scenario,
  `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: small }
spec:
  duration: 30m
  parameters: { snapshotInterval: 5m, snapshotMinRecords: 10, snapshotRecordsPerObject: 0 }
  cluster:
    nodePools:
      - { name: pool, count: 3, zones: [z1, z2], allocatable: { cpu: "4", memory: 8Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: default }
        spec:
          replicas: 4
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 500m } } } ] }
  faults:
    - { at: 10m, type: PodKill, selector: { app: web }, count: 2 }
`,
);
const good = join(dir, "good.db");
/** replay --at 12m starts from the 10m snapshot and reads the chunk after it: the one the edits hit. */
const at = "12m";
const atMs = 12 * 60_000;
let n = 0;

beforeAll(() => {
  const r = runKubetwin(["run", scenario, "--db", good]);
  expect(r.code, r.stderr).toBe(exitOk);
});

type Chunk = { id: number; seq_last: number; at_ms_min: number; at_ms_max: number; count: number; records: string };
type Tuple = [number, number, string, string, string, number];

/** A copy of the good log with `edit` applied through plain SQL, as someone with sqlite3 would. */
function tampered(edit: (sql: Database.Database, chunk: Chunk) => void): string {
  const db = join(dir, `t${n++}.db`);
  copyFileSync(good, db);
  const sql = new Database(db);
  // the chunk replay --at 12m reads: the first one after the snapshot at or before 12m
  const snapshotSeq = sql.prepare("SELECT max(seq) FROM snapshots WHERE at_ms <= ?").pluck().get(atMs) as number;
  const chunk = sql.prepare("SELECT * FROM event_chunks WHERE (id & 4294967295) = ?").get(snapshotSeq + 1) as Chunk;
  expect(chunk.at_ms_min).toBeLessThanOrEqual(atMs);
  edit(sql, chunk);
  sql.close();
  return db;
}

function setTuples(sql: Database.Database, chunk: Chunk, change: (tuples: Tuple[]) => unknown): void {
  const tuples = JSON.parse(chunk.records) as Tuple[];
  const changed = change(tuples);
  sql.prepare("UPDATE event_chunks SET records = ? WHERE id = ?").run(typeof changed === "string" ? changed : JSON.stringify(tuples), chunk.id);
}

const seqOf = (chunk: Chunk) => chunk.id % 2 ** 32;

function expectRefused(r: CliResult, what: string, problem: RegExp, db: string): void {
  expectCleanExit(r, what);
  expect(r.code, `${what}: ${r.stderr}`).toBe(exitInvariantBroken);
  expect(r.stderr, what).toContain(`${db}: run 1`);
  expect(r.stderr, what).toMatch(problem);
}

/** digest (text and --json), replay and report all refuse the log, naming the run and the problem. */
function expectEveryReaderRefuses(db: string, problem: RegExp): void {
  const digest = runKubetwin(["digest", db]);
  expectRefused(digest, "digest", problem, db);
  expect(digest.stdout).toBe("");

  const json = runKubetwin(["digest", db, "--json"]);
  expectCleanExit(json, "digest --json");
  expect(json.code).toBe(exitInvariantBroken);
  const answer = JSON.parse(json.stdout) as { run: number; ok: boolean; problems: string[] };
  expect(answer.run).toBe(1);
  expect(answer.ok).toBe(false);
  expect(answer.problems.some((p) => problem.test(p)), answer.problems.join("\n")).toBe(true);

  const replay = runKubetwin(["replay", db, "--at", at]);
  expectRefused(replay, "replay", problem, db);
  expect(replay.stdout).toBe("");

  const out = `${db}.html`;
  const report = runKubetwin(["report", db, "--out", out]);
  expectRefused(report, "report", problem, db);
  expect(existsSync(out)).toBe(false);
}

describe("a log edited after it was written is refused by digest, replay and report", () => {
  test("the untouched log reads: digest 0, replay 0, report 0", () => {
    const digest = runKubetwin(["digest", good, "--json"]);
    expect(digest.code, digest.stderr).toBe(exitOk);
    expect(JSON.parse(digest.stdout)).toMatchObject({ run: 1, ok: true, problems: [] });
    expect(runKubetwin(["replay", good, "--at", at]).code).toBe(exitOk);
    expect(runKubetwin(["report", good, "--out", join(dir, "good.html")]).code).toBe(exitOk);
  });

  test("an edited record", () => {
    let seq = 0;
    const db = tampered((sql, chunk) =>
      setTuples(sql, chunk, (tuples) => {
        const t = tuples[1] as Tuple;
        t[3] = `${t[3]}-edited`; // its subject: still a well-formed record, no longer the one written
        seq = seqOf(chunk);
      }),
    );
    expectEveryReaderRefuses(db, new RegExp(`chunk at seq ${seq}: its records do not match the fingerprint chain`));
  });

  test("a deleted chunk", () => {
    const db = tampered((sql, chunk) => sql.prepare("DELETE FROM event_chunks WHERE id = ?").run(chunk.id));
    expectEveryReaderRefuses(db, /it stores \d+ records but recorded \d+/);
  });

  test("an edited chunk (its bounds)", () => {
    let seq = 0;
    const db = tampered((sql, chunk) => {
      seq = seqOf(chunk);
      sql.prepare("UPDATE event_chunks SET at_ms_max = at_ms_max + 1 WHERE id = ?").run(chunk.id);
    });
    expectEveryReaderRefuses(db, new RegExp(`chunk at seq ${seq}: its bounds .* do not match its records`));
  });

  test("an edited snapshot (its state)", () => {
    const db = tampered((sql) => {
      const changed = sql.prepare("UPDATE snapshots SET state = replace(state, '\"Running\"', '\"Pending\"') WHERE at_ms = 600000").run();
      expect(changed.changes).toBe(1);
    });
    expectEveryReaderRefuses(db, /the snapshot at seq \d+ \(10m\) does not match its digest: its state was changed/);
  });

  test("a deleted snapshot", () => {
    const db = tampered((sql) => sql.prepare("DELETE FROM snapshots WHERE at_ms = 600000").run());
    expectEveryReaderRefuses(db, /its snapshots do not match the run digest/);
  });

  test("an edited metric sample", () => {
    const db = tampered((sql) => {
      const changed = sql.prepare("UPDATE metrics SET value = value + 1 WHERE at_ms = 600000 AND name = (SELECT min(name) FROM metrics WHERE at_ms = 600000)").run();
      expect(changed.changes).toBe(1);
    });
    expectEveryReaderRefuses(db, /its metric samples do not match the run digest/);
  });

  test("edited run parameters (and an edited seed)", () => {
    const parameters = tampered((sql) => sql.prepare("UPDATE runs SET parameters = replace(parameters, '\"snapshotMinRecords\":10', '\"snapshotMinRecords\":11')").run());
    expectEveryReaderRefuses(parameters, /its recorded parameters and outcome do not match the run digest/);
    const seed = tampered((sql) => sql.prepare("UPDATE runs SET seed = seed + 1").run());
    expectEveryReaderRefuses(seed, /its recorded parameters and outcome do not match the run digest/);
  });

  test("an edited row holding terminal escapes: refused, and nothing from the log reaches the terminal raw", () => {
    const db = tampered((sql) => sql.prepare("UPDATE runs SET scenario = ?, status = 'failed', error = ?").run("small\u001b]0;pwned\u0007", "boom\u001b[2J"));
    const digest = runKubetwin(["digest", db]);
    expect(digest.code).toBe(exitBadInput); // a failed run, refused as one that did not finish
    const allowed = runKubetwin(["digest", db, "--allow-incomplete"]);
    expectRefused(allowed, "digest --allow-incomplete", /its recorded parameters and outcome do not match the run digest/, db);
    for (const r of [digest, allowed, runKubetwin(["replay", db, "--at", at]), runKubetwin(["replay", db, "--at", at, "--allow-incomplete"])]) {
      expect(r.stderr + r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
    for (const r of [digest, allowed]) expect(r.stderr).toMatch(/\\x1b/); // what they quote of the row, escaped
  });
});

describe("a corrupt chunk is exit 3 naming the run and the record, never a stack trace", () => {
  test("records that are not JSON", () => {
    let seq = 0;
    const db = tampered((sql, chunk) => {
      seq = seqOf(chunk);
      setTuples(sql, chunk, () => chunk.records.slice(0, -7));
    });
    expectEveryReaderRefuses(db, new RegExp(`chunk at seq ${seq}: its records are not valid JSON`));
  });

  test("a record of the wrong shape", () => {
    let seq = 0;
    const db = tampered((sql, chunk) =>
      setTuples(sql, chunk, (tuples) => {
        seq = (tuples[2] as Tuple)[0];
        (tuples[2] as unknown[]).splice(3, 1); // no subject
      }),
    );
    expectEveryReaderRefuses(db, new RegExp(`record #${seq} is not \\[seq, atMs, kind, subject, payload, exogenous\\]`));
  });

  test("a record of an unknown kind", () => {
    let seq = 0;
    const db = tampered((sql, chunk) =>
      setTuples(sql, chunk, (tuples) => {
        const t = tuples[2] as Tuple;
        seq = t[0];
        t[2] = "PodTeleported";
      }),
    );
    expectEveryReaderRefuses(db, new RegExp(`record #${seq}: unknown kind "PodTeleported"`));
  });

  test("a payload of the wrong shape that its writer chained and sealed: the codec finds it", () => {
    // a buggy or foreign writer: the chain and the run digest match what it wrote, the payload does not decode
    const db = join(dir, "bad-writer.db");
    const log = SqliteLog.open(db, { create: true });
    const runId = log.createRun({ scenario: "bad-writer", scenarioHash: "h", seed: 1, variant: "baseline", parameters: "{}", codeVersion: "test", durationMs: 1_800_000, createdWall: "2026-01-01T00:00:00Z" });
    const sink = log.sinkForRun(runId);
    const fault = (seq: number, label: unknown) => ({ seq, atMs: seq * 1000, kind: "Fault" as const, subject: "cluster", payload: canonicalJson({ kind: "Fault", fault: "Test", target: "cluster", label }), exogenous: true });
    sink.append(fault(0, "fine"));
    sink.append(fault(1, 5));
    sink.finish();
    log.finishRun(runId, { status: "done", summary: JSON.stringify({ scenario: "bad-writer", seed: 1, variant: "baseline", durationMs: 1_800_000 }) });
    log.close();
    expectEveryReaderRefuses(db, /record #1 \(Fault\): payload\.label: expected a string, found number 5/);
  });
});
