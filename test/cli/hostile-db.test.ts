/**
 * Issue 11, "every failure is a message": a `--db` (or a reader's database argument) that is not a
 * kubetwin event log this kubetwin can use — a missing folder, a folder, a text file, a PNG,
 * another program's SQLite file, a log cut short, a log of a newer schema, a locked log, "" — is
 * exit 2 with one line naming the file and what is wrong, no stack trace, and nothing written:
 * not the file, not a journal beside it, not a report. Through the real command, for run, compare,
 * digest, replay and report.
 */
import Database from "better-sqlite3";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exitBadInput, exitOk } from "../../src/cli/exit-codes.ts";
import { expectCleanExit, repoRoot, runKubetwin, runKubetwinAsync, tinyScenarioText, type CliResult } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-hostile-db-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const scenario = join(dir, "tiny.yaml");
writeFileSync(scenario, tinyScenarioText);
const good = join(dir, "good.db");
beforeAll(() => {
  const r = runKubetwin(["run", scenario, "--db", good]);
  expect(r.code, r.stderr).toBe(exitOk);
});

/** 1×1 PNG. */
const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082", "hex");

let n = 0;
/** A fresh folder per case, so "nothing written" can be checked as "the folder holds what it held". */
function caseDir(): string {
  const d = join(dir, `case${n++}`);
  mkdirSync(d);
  return d;
}

function listing(d: string): Record<string, number> {
  return Object.fromEntries(readdirSync(d).map((f) => [f, statSync(join(d, f)).isDirectory() ? -1 : statSync(join(d, f)).size]));
}

function expectOneLineRefusal(r: CliResult, what: string, message: RegExp): void {
  expectCleanExit(r, what);
  expect(r.code, `${what}: ${r.stderr}`).toBe(exitBadInput);
  expect(r.stderr.trim().split("\n"), `${what}: ${r.stderr}`).toHaveLength(1);
  expect(r.stderr, what).toMatch(message);
  expect(r.stdout, what).toBe("");
}

const commands = {
  run: (db: string) => ["run", scenario, "--db", db],
  compare: (db: string) => ["compare", scenario, "--variants", "baseline,more", "--seeds", "1..2", "--workers", "1", "--db", db],
  digest: (db: string) => ["digest", db],
  replay: (db: string) => ["replay", db, "--at", "1m"],
  report: (db: string, out: string) => ["report", db, "--out", out],
};

/** Every command refuses `db` (made in a fresh folder by `make`) with one line; the folder is unchanged. */
function expectEveryCommandRefuses(make: (d: string) => string, message: RegExp, only: (keyof typeof commands)[] = ["run", "compare", "digest", "replay", "report"]): void {
  for (const name of only) {
    const d = caseDir();
    const db = make(d);
    const before = listing(d);
    const bytes = existsSync(db) && statSync(db).isFile() ? readFileSync(db) : undefined;
    const r = runKubetwin(commands[name](db, join(d, "report.html")), { cwd: d });
    expectOneLineRefusal(r, `${name} ${db}`, message);
    expect(listing(d), `${name}: nothing written`).toEqual(before);
    if (bytes !== undefined) expect(readFileSync(db).equals(bytes), `${name}: ${db} unchanged`).toBe(true);
  }
}

describe("a --db that is not a usable event log: exit 2, one line, nothing written", () => {
  test("a missing folder", () => {
    expectEveryCommandRefuses((d) => join(d, "no-such-folder", "log.db"), /no-such-folder.*(does not exist|no such database)/);
  });

  test("a missing file (readers only: run creates it)", () => {
    expectEveryCommandRefuses((d) => join(d, "absent.db"), /absent\.db: no such database/, ["digest", "replay", "report"]);
  });

  test("a folder", () => {
    expectEveryCommandRefuses((d) => {
      mkdirSync(join(d, "folder.db"));
      return join(d, "folder.db");
    }, /folder\.db.*is a directory/);
  });

  test("a FIFO and a device", () => {
    expectEveryCommandRefuses((d) => {
      spawnSync("mkfifo", [join(d, "pipe.db")]);
      return join(d, "pipe.db");
    }, /pipe\.db.*is not a regular file/);
    expectEveryCommandRefuses(() => "/dev/null", /\/dev\/null.*is not a regular file/);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  test("a text file", () => {
    expectEveryCommandRefuses((d) => {
      writeFileSync(join(d, "notes.db"), "remember the milk\n");
      return join(d, "notes.db");
    }, /notes\.db: not an SQLite database, so not a kubetwin event log/);
  });

  test("a PNG", () => {
    expectEveryCommandRefuses((d) => {
      writeFileSync(join(d, "image.db"), png);
      return join(d, "image.db");
    }, /image\.db: not an SQLite database, so not a kubetwin event log/);
  });

  test("another program's SQLite file", () => {
    expectEveryCommandRefuses((d) => {
      const path = join(d, "foreign.db");
      const sql = new Database(path);
      sql.exec("CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES ('ada', '123');");
      sql.close();
      return path;
    }, /foreign\.db: not a kubetwin event log \(an SQLite database with other tables: contacts\)/);
  });

  test("a kubetwin log cut short", () => {
    expectEveryCommandRefuses((d) => {
      const path = join(d, "cut.db");
      copyFileSync(good, path);
      truncateSync(path, Math.floor(statSync(path).size / 2));
      return path;
    }, /cut\.db: the file is truncated \(\d+ of the \d+ bytes its header promises\)/);
  });

  test("a log of a newer schema version", () => {
    expectEveryCommandRefuses((d) => {
      const path = join(d, "newer.db");
      copyFileSync(good, path);
      const sql = new Database(path);
      sql.prepare("UPDATE meta SET value = '99' WHERE key = 'schemaVersion'").run();
      sql.close();
      return path;
    }, /newer\.db: event log schema version 99 is newer than this kubetwin reads \(\d+\); use a newer kubetwin/);
  });

  test('--db "" and a reader given ""', () => {
    const d = caseDir();
    for (const args of [["run", scenario, "--db", ""], commands.compare(""), ["digest", ""], ["replay", "", "--at", "1m"], ["report", "", "--out", join(d, "r.html")]]) {
      const r = runKubetwin(args, { cwd: d });
      expectOneLineRefusal(r, args.join(" "), /expected a (database )?file name, got ""/);
    }
    expect(readdirSync(d)).toEqual([]);
  });
});

describe("a locked log", () => {
  test("is refused after a short wait, naming the process that holds the lock", async () => {
    const d = caseDir();
    const db = join(d, "locked.db");
    copyFileSync(good, db);
    // another process holds an exclusive lock (a rollback-journal log: readers are locked out too)
    const holder = spawn(process.execPath, ["-e", 'const D = require("better-sqlite3"); const db = new D(process.env.DB); db.exec("BEGIN EXCLUSIVE"); console.log("locked"); setInterval(() => {}, 1000);'], {
      cwd: repoRoot,
      env: { ...process.env, DB: db },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(holder);
    await new Promise<void>((resolve) => holder.stdout?.once("data", () => resolve()));
    const bytes = readFileSync(db);
    const results = await Promise.all(
      (Object.keys(commands) as (keyof typeof commands)[]).map(async (name) => ({ name, r: await runKubetwinAsync(commands[name](db, join(d, `${name}.html`)), { cwd: d }) })),
    );
    for (const { name, r } of results) {
      expectOneLineRefusal(r, `${name} on a locked log`, new RegExp(`locked\\.db: the event log is locked by process ${holder.pid} \\(node\\) \\(gave up after \\d+ s\\)`));
      expect(Number(/gave up after (\d+) s/.exec(r.stderr)?.[1]), "a short wait, not a minute").toBeLessThanOrEqual(10);
    }
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(readFileSync(db).equals(bytes)).toBe(true);
    expect(readdirSync(d).sort()).toEqual(["locked.db"]);
  });
});
