/**
 * Issue 11: a `--report`/`--out` path that cannot be written is refused before anything runs
 * (exit 2, one line, no log created, no run row added), and `report --out` replaces only a regular
 * file: a symlink is followed to the file it points to (the link stays), a dangling link, a
 * directory, a device (/dev/null) and the log itself are refused.
 */
import Database from "better-sqlite3";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exitBadInput, exitOk } from "../../src/cli/exit-codes.ts";
import { expectCleanExit, runKubetwin, tinyScenarioText, type CliResult } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-out-paths-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = join(dir, "tiny.yaml");
writeFileSync(scenario, tinyScenarioText);
const log = join(dir, "log.db");
beforeAll(() => {
  const r = runKubetwin(["run", scenario, "--db", log]);
  expect(r.code, r.stderr).toBe(exitOk);
});

function runCount(db: string): number {
  const sql = new Database(db, { readonly: true });
  const n = sql.prepare("SELECT count(*) FROM runs").pluck().get() as number;
  sql.close();
  return n;
}

function expectRefused(r: CliResult, what: string, message: RegExp): void {
  expectCleanExit(r, what);
  expect(r.code, `${what}: ${r.stderr}`).toBe(exitBadInput);
  expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

const folder = join(dir, "a-folder");
mkdirSync(folder);
const unwritable: [string, string, RegExp][] = [
  ["a missing folder", join(dir, "missing", "r.html"), /folder .*missing does not exist/],
  ["a folder", folder, /a-folder: is a directory/],
  ["a device", "/dev/null", /\/dev\/null: is not a regular file/],
  ["a dangling symlink", join(dir, "dangling.html"), /dangling\.html: is a symlink to a missing file/],
];
symlinkSync(join(dir, "nowhere", "x.html"), join(dir, "dangling.html"));

describe("run --report and compare --report that cannot be written: refused before the run", () => {
  test.each(unwritable)("run --report %s: exit 2, no log created, no run row added", (_, path, message) => {
    const fresh = join(dir, `fresh-${Math.random().toString(36).slice(2)}.db`);
    expectRefused(runKubetwin(["run", scenario, "--db", fresh, "--report", path]), `run --report ${path}`, message);
    expect(existsSync(fresh)).toBe(false);
    const before = runCount(log);
    expectRefused(runKubetwin(["run", scenario, "--db", log, "--report", path]), `run --db log --report ${path}`, message);
    expect(runCount(log)).toBe(before);
  });

  test("run --report naming the log itself is refused", () => {
    const before = runCount(log);
    expectRefused(runKubetwin(["run", scenario, "--db", log, "--report", log]), "run --report = --db", /would overwrite the log/);
    expect(runCount(log)).toBe(before);
  });

  test.each(unwritable)("compare --report %s: exit 2, no log created", (_, path, message) => {
    const fresh = join(dir, `cmp-${Math.random().toString(36).slice(2)}.db`);
    expectRefused(runKubetwin(["compare", scenario, "--variants", "baseline,more", "--seeds", "1..2", "--db", fresh, "--report", path]), `compare --report ${path}`, message);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe("report --out replaces only a regular file", () => {
  test.each(unwritable)("%s is refused before the log is read, and left as it was", (_, path, message) => {
    const before = existsSync(path) ? statSync(path) : undefined;
    expectRefused(runKubetwin(["report", log, "--out", path]), `report --out ${path}`, message);
    if (before !== undefined) {
      const after = statSync(path);
      expect([after.isDirectory(), after.isCharacterDevice(), after.rdev, after.ino]).toEqual([before.isDirectory(), before.isCharacterDevice(), before.rdev, before.ino]);
    }
    expect(lstatSync(join(dir, "dangling.html")).isSymbolicLink()).toBe(true);
  });

  test("a symlink to a device or a folder is refused", () => {
    const toNull = join(dir, "to-null.html");
    symlinkSync("/dev/null", toNull);
    expectRefused(runKubetwin(["report", log, "--out", toNull]), "report --out link to /dev/null", /to-null\.html: is not a regular file/);
    const toFolder = join(dir, "to-folder.html");
    symlinkSync(folder, toFolder);
    expectRefused(runKubetwin(["report", log, "--out", toFolder]), "report --out link to a folder", /to-folder\.html: is a directory/);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  test("the log itself is refused, and stays a log", () => {
    const bytes = readFileSync(log);
    expectRefused(runKubetwin(["report", log, "--out", log]), "report --out = the log", /would overwrite the log/);
    expect(readFileSync(log).equals(bytes)).toBe(true);
  });

  test("a symlink to a regular file is followed: the file gets the report, the link stays a link", () => {
    const target = join(dir, "target.html");
    writeFileSync(target, "old");
    const link = join(dir, "latest.html");
    symlinkSync(target, link);
    const r = runKubetwin(["report", log, "--out", link]);
    expect(r.code, r.stderr).toBe(exitOk);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, "utf8")).toMatch(/^<!doctype html>/i);
  });
});
