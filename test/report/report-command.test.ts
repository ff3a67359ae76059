/**
 * `kubetwin report` as a user runs it: without an id it names on stderr the run (or comparison)
 * it took; `--comparison ID|latest` renders a stored comparison again; bad ids exit 2, write nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { comparisonFixture } from "./comparison-fixture.ts";
import { repoRoot } from "./real-run.ts";
import { smallSpec, writeSyntheticRun } from "./synthetic-log.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-report-cmd-"));
const db = join(dir, "log.db");
const fixture = comparisonFixture();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const log = SqliteLog.open(db, { create: true });
  writeSyntheticRun(log, { ...smallSpec, seed: 1, variant: "spread" });
  writeSyntheticRun(log, { ...smallSpec, seed: 2, variant: "binpack" });
  log.saveComparison("older", "h0", JSON.stringify({ ...fixture, scenario: "older-story" }), "2025-01-01T00:00:00Z");
  log.saveComparison(fixture.scenario, "h1", JSON.stringify(fixture), "2025-01-02T00:00:00Z");
  log.close();
});

function kubetwin(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin/kubetwin.js"), ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kubetwin report", () => {
  it("without --run says on stderr which run it took", () => {
    const out = join(dir, "latest.html");
    const r = kubetwin("report", db, "--out", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("report: run 2 (zone-outage-synthetic, variant binpack, seed 2) — the latest complete run of 2; another with --run ID\n");
    expect(r.stdout).toBe(`report written to ${out}\n`);
    expect(readFileSync(out, "utf8")).toContain("binpack");
  });

  it("with --run says nothing on stderr and reports that run", () => {
    const out = join(dir, "run1.html");
    const r = kubetwin("report", db, "--run", "1", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(readFileSync(out, "utf8")).toContain("<dt>seed</dt><dd>1</dd>");
  });

  it("--comparison ID renders that stored comparison; latest names the one it took", () => {
    const first = join(dir, "cmp1.html");
    const r1 = kubetwin("report", db, "--comparison", "1", "--out", first);
    expect(r1.code).toBe(0);
    expect(r1.stderr).toBe("");
    expect(readFileSync(first, "utf8")).toContain("older-story");
    const latest = join(dir, "cmp-latest.html");
    const r2 = kubetwin("report", db, "--comparison", "latest", "--out", latest);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/^report: comparison 2 \(zone-outage, binpack vs spread, \d+ seeds, stored 2025-01-02T00:00:00Z\) — the latest of 2 comparisons; another with --comparison ID\n$/);
    const html = readFileSync(latest, "utf8");
    expect(html).not.toContain("older-story");
    expect(html).toContain("<dt>comparison id</dt><dd>2</dd>");
  });

  it("bad ids and impossible combinations exit 2 with one message and write nothing", () => {
    const never = join(dir, "never.html");
    const cases: [string[], RegExp][] = [
      [["--comparison", "9"], /no comparison 9 \(comparisons: 1, 2\)/],
      [["--comparison", "x"], /--comparison: expected a comparison id \(integer\), got "x"/],
      [["--run", "1", "--comparison", "1"], /--run or --comparison, not both/],
      [["--run", "9"], /no run 9 \(runs: 1, 2\)/],
    ];
    for (const [args, message] of cases) {
      const r = kubetwin("report", db, ...args, "--out", never);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(existsSync(never)).toBe(false);
  });
});
