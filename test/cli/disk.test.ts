/**
 * Issue 11 on real file systems (small tmpfs mounts, so only when running as root): a full disk
 * ends a run with exit 4 and "disk full", the partial run marked failed (what it flushed before,
 * with its true event count) and still readable with
 * --allow-incomplete, and a report that does not fit leaves nothing behind; a log on a read-only
 * mount is read by digest, replay and report without a byte changed (no journal mode switch),
 * while writing there is refused with exit 2 before anything runs. Skipped, with a note, when the
 * mounts cannot be made.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { exitBadInput, exitInternalError, exitOk } from "../../src/cli/exit-codes.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { expectCleanExit, runKubetwin, stackFrame } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-disk-"));
const mounts: string[] = [];

function mountTmpfs(name: string, size: string): string | undefined {
  const at = join(dir, name);
  mkdirSync(at);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", at], { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  mounts.push(at);
  return at;
}

const isRoot = process.getuid?.() === 0;
const full = isRoot ? mountTmpfs("full", "12m") : undefined;
const readOnly = isRoot && full !== undefined ? mountTmpfs("read-only", "16m") : undefined;
const fullForCompare = isRoot && readOnly !== undefined ? mountTmpfs("compare", "2m") : undefined;
const mounted = full !== undefined && readOnly !== undefined && fullForCompare !== undefined;
if (!mounted) console.warn(`test/cli/disk.test.ts skipped: ${isRoot ? "mount -t tmpfs failed" : "needs root to mount a small tmpfs"}`);

afterAll(() => {
  for (const m of mounts.reverse()) spawnSync("umount", [m]);
  rmSync(dir, { recursive: true, force: true });
});

const scenario = (nodes: number, replicas: number, duration = "2m") => `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: disk }
spec:
  duration: ${duration}
  cluster:
    nodePools:
      - { name: pool, count: ${nodes}, zones: [z1, z2], allocatable: { cpu: "8", memory: 16Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: default }
        spec:
          replicas: ${replicas}
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 100m } } } ] }
`;
/** 100 hours of two nodes: ~28 MB of log (lease renewals, metric samples), flushed every 20,000 records. */
const long = join(dir, "long.yaml");
writeFileSync(long, scenario(2, 2, "100h"));
const small = join(dir, "small.yaml");
writeFileSync(small, scenario(3, 4));

describe.skipIf(!mounted)("a full disk", () => {
  test("ends the run with exit 4 and 'disk full'; the partial run is marked failed and readable with --allow-incomplete", () => {
    const db = join(full as string, "full.db");
    const r = runKubetwin(["run", long, "--db", db]);
    expect(r.signal).toBeNull();
    expect([exitBadInput, exitInternalError], r.stderr).toContain(r.code);
    expect(stackFrame.test(r.stderr), r.stderr).toBe(false);
    expect(r.stderr).toMatch(/^kubetwin: disk full: cannot write .*full\.db/);
    expect(r.stderr).not.toMatch(/INTERNAL ERROR|invariant/i);
    expect(r.stderr).toMatch(/logged: run 1 in .*full\.db marked failed, \d+ records kept/);

    const log = SqliteLog.openReadOnly(db);
    const [row] = log.runs();
    const records = [...log.records(1)].length;
    log.close();
    expect(row?.status).toBe("failed");
    expect(row?.eventCount, "its true event count: what it stored").toBe(records);
    expect(records, "the flushes before the disk filled are kept").toBeGreaterThan(0);
    expect(r.stderr).toContain(`marked failed, ${records} records kept`);
    expect(row?.error).toMatch(/^disk full: cannot write/);

    const refused = runKubetwin(["digest", db]);
    expect(refused.code).toBe(exitBadInput);
    expect(refused.stderr).toMatch(/holds no complete run \(the latest, run 1, is failed \(disk full/);
    const allowed = runKubetwin(["digest", db, "--run", "1", "--allow-incomplete", "--json"]);
    expect(allowed.code, allowed.stderr).toBe(exitOk);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ run: 1, status: "failed", ok: true, events: records });
    expect(allowed.stderr).toMatch(/run 1 is failed \(disk full.*reading it anyway \(--allow-incomplete\)/);
  });

  test("a report that does not fit: exit 4 'disk full' naming the file, nothing left behind", () => {
    const filler = join(full as string, "filler");
    spawnSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=64k", "count=256"]); // 16 MB, more than the disk: dd stops when it is full
    const logCopy = join(dir, "report-source.db");
    expect(runKubetwin(["run", small, "--db", logCopy]).code).toBe(exitOk);
    const before = readdirSync(full as string).sort();
    const out = join(full as string, "report.html");
    const r = runKubetwin(["report", logCopy, "--out", out]);
    expect(r.code, r.stderr).toBe(exitInternalError);
    expect(r.stderr).toMatch(/^(report: .*\n)?kubetwin: disk full: .*report\.html/);
    expect(stackFrame.test(r.stderr)).toBe(false);
    expect(readdirSync(full as string).sort()).toEqual(before);
  });
});

describe.skipIf(!mounted)("a full disk under compare", () => {
  test("the worker's run fails with 'disk full' (not a broken invariant), naming variant and seed; the finished run stays; the comparison is stored incomplete", () => {
    // baseline logs a few KB; huge (500 nodes, 5,000 pods) ~10 MB, five times the disk
    const cmp = join(dir, "compare.yaml");
    writeFileSync(
      cmp,
      `${scenario(2, 2)}  variants:
    huge:
      nodePools: { patch: [ { name: pool, count: 500 } ] }
      workloads: { patch: [ { target: { kind: Deployment, name: web }, merge: { spec: { replicas: 5000 } } } ] }
`,
    );
    const db = join(fullForCompare as string, "compare.db");
    const r = runKubetwin(["compare", cmp, "--variants", "baseline,huge", "--seeds", "1..2", "--workers", "1", "--db", db]);
    expect(r.code, r.stderr).toBe(exitInternalError);
    expect(stackFrame.test(r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/^kubetwin: disk full: cannot write \S+compare\.db/);
    expect(r.stderr).not.toMatch(/INTERNAL ERROR|INVARIANT/);
    expect(r.stderr).toContain("  seed 1, variant huge\n");
    expect(r.stderr).toMatch(/logged: run 2 in \S+compare\.db marked failed, \d+ records kept; compare: 1 of 4 runs finished \(kept in \S+compare\.db\); comparison 1 stored as incomplete/);
    const log = SqliteLog.openReadOnly(db);
    expect(log.runs().map((x) => [x.variant, x.seed, x.status])).toEqual([["baseline", 1, "done"], ["huge", 1, "failed"]]);
    const stored = log.comparison(undefined, { allowIncomplete: true });
    log.close();
    expect(stored?.status).toBe("incomplete");
    expect((JSON.parse(stored?.result ?? "{}") as { incomplete: { reason: string } }).incomplete.reason).toMatch(/^variant huge seed 1: disk full: cannot write/);
  });
});

describe.skipIf(!mounted)("a log on a read-only mount", () => {
  test("is read by digest, replay and report without a byte changed; writing there is refused before anything runs", () => {
    const ro = readOnly as string;
    const db = join(ro, "log.db");
    expect(runKubetwin(["run", small, "--db", db]).code).toBe(exitOk);
    expect(readdirSync(ro)).toEqual(["log.db"]); // handed back in rollback-journal mode: no -wal, no -shm
    const remount = spawnSync("mount", ["-o", "remount,ro", ro], { encoding: "utf8" });
    expect(remount.status, remount.stderr).toBe(0);
    const bytes = readFileSync(db);
    expect(bytes[18], "file format: rollback journal, not WAL").toBe(1);

    const digest = runKubetwin(["digest", db, "--json"]);
    expect(digest.code, digest.stderr).toBe(exitOk);
    expect(JSON.parse(digest.stdout)).toMatchObject({ run: 1, ok: true });
    const replay = runKubetwin(["replay", db, "--at", "1m"]);
    expect(replay.code, replay.stderr).toBe(exitOk);
    expect(replay.stdout).toMatch(/^run 1 at 1m /);
    const out = join(dir, "from-read-only.html");
    const report = runKubetwin(["report", db, "--out", out]);
    expect(report.code, report.stderr).toBe(exitOk);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    expect(readdirSync(ro)).toEqual(["log.db"]);

    // a --db in a read-only folder (new or existing) and a report into it: exit 2, one line
    const elsewhere = join(dir, "never-written.db");
    for (const args of [["run", small, "--db", join(ro, "new.db")], ["run", small, "--db", db], ["report", db, "--out", join(ro, "r.html")], ["run", small, "--db", elsewhere, "--report", join(ro, "r.html")]]) {
      const r = runKubetwin(args);
      expectCleanExit(r, args.join(" "));
      expect(r.code, r.stderr).toBe(exitBadInput);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/not writable|read-only/);
    }
    expect(readdirSync(ro)).toEqual(["log.db"]);
    expect(existsSync(elsewhere), "--report is checked before the run: no log written").toBe(false);
    copyFileSync(db, join(dir, "still-a-log.db"));
    expect(runKubetwin(["digest", join(dir, "still-a-log.db")]).code).toBe(exitOk);
  });
});
