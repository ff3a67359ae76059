/** `kubetwin compare` through the real command: many variants, refusals before anything runs, exit 1. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseComparisonResult } from "../../src/report/comparison-result.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-compare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubetwin(...args: string[]) {
  return kubetwinWith([], ...args);
}

function kubetwinWith(nodeArgs: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, [...nodeArgs, "src/cli/main.ts", ...args], { cwd: root, encoding: "utf8", timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One 1-CPU node for four 500m pods: baseline and `tight` leave two Pending; `roomy` has two nodes. */
const tiny = join(dir, "tiny.yaml");
writeFileSync(
  tiny,
  `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: tiny }
spec:
  duration: 5m
  cluster:
    nodePools:
      - { name: tiny, count: 1, zones: [z1], allocatable: { cpu: "1", memory: 1Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: big, namespace: default }
        spec:
          replicas: 4
          selector: { matchLabels: { app: big } }
          template:
            metadata: { labels: { app: big } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 500m } } } ] }
  expectations:
    - { name: all-ready, converged: { workload: "*" } }
  variants:
    roomy:
      nodePools: { patch: [ { name: tiny, count: 2 } ] }
    tight:
      parameters: { scheduler: { scoringStrategy: MostAllocated } }
`,
);

const three = ["compare", "scenarios/binpack-vs-spread.yaml", "--variants", "baseline,binpack,mostallocated", "--seeds", "1..3"];

describe("kubetwin compare", () => {
  test("three variants: each is in the table, the JSON and the report, paired against the first", () => {
    const report = join(dir, "three.html");
    const text = kubetwin(...three, "--report", report);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/binpack − baseline/);
    expect(text.stdout).toMatch(/mostallocated − baseline/);
    const json = kubetwin(...three, "--json");
    expect(json.code).toBe(0);
    const result = parseComparisonResult(json.stdout, "compare --json");
    expect(result.variants).toEqual(["baseline", "binpack", "mostallocated"]);
    expect(result.runs).toHaveLength(9);
    for (const m of result.metrics) {
      expect(Object.keys(m.diffs)).toEqual(["binpack", "mostallocated"]);
      expect(m.diff).toEqual(m.diffs.binpack);
      const paired = m.values.mostallocated!.map((v, i) => v - m.values.baseline![i]!);
      expect(m.diffs.mostallocated!.mean).toBeCloseTo(paired.reduce((s, d) => s + d, 0) / paired.length, 9);
    }
    const html = readFileSync(report, "utf8");
    expect(html).toContain('id="summary"');
    expect(html).toContain('id="p1-summary"');
    expect(html).toMatch(/Summary: mostallocated − baseline/);
    expect(html).toContain('id="cmp-chart-p1-0"');
  });

  test("a bad --report path or an impossible combination is refused before anything runs or is written", () => {
    const db = join(dir, "never.db");
    const base = ["compare", tiny, "--variants", "baseline,roomy", "--seeds", "1..2", "--db", db];
    const missingFolder = kubetwin(...base, "--report", join(dir, "no-such-folder", "r.html"));
    expect(missingFolder.code).toBe(2);
    expect(missingFolder.stderr).toMatch(/^kubetwin: --report .*no-such-folder.* does not exist\n$/);
    const folder = join(dir, "a-folder");
    mkdirSync(folder);
    const isFolder = kubetwin(...base, "--report", folder);
    expect(isFolder.code).toBe(2);
    expect(isFolder.stderr).toMatch(/is a directory/);
    const overDb = kubetwin(...base, "--report", db);
    expect(overDb.code).toBe(2);
    expect(overDb.stderr).toMatch(/would overwrite the log/);
    expect(kubetwin(...base, "--workers", "0x2").code).toBe(2);
    expect(kubetwin(...base, "--variants", "baseline,,roomy").code).toBe(2);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
    expect(kubetwin(...base, "--variants", "roomy,roomy").code).toBe(2);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(dir).filter((f) => f !== "three.html").sort()).toEqual(["a-folder", "tiny.yaml"]);
  });

  test("exits 1 when an expectation failed in any run, naming the variants and seeds", () => {
    const r = kubetwin("compare", tiny, "--variants", "roomy,baseline,tight", "--seeds", "1..2");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/baseline − roomy/);
    expect(r.stderr).toBe("kubetwin: expectation failed: variant baseline seeds 1, 2 (all-ready); variant tight seeds 1, 2 (all-ready)\n");
    const passing = kubetwin("compare", tiny, "--variants", "roomy,roomy-again", "--seeds", "1");
    expect(passing.code).toBe(2); // an unknown variant is bad input, checked before any run
  });

  test("an internal error inside a worker is exit 4 naming the variant and seed, with the command that reproduces it", () => {
    // the preload makes the simulator's summary throw (a stand-in bug); worker threads inherit it
    const r = kubetwinWith(["--import", "./test/fixtures/cli/inject-bug.ts"], "compare", tiny, "--variants", "baseline,roomy", "--seeds", "1..2", "--workers", "2");
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^kubetwin: INTERNAL ERROR \(a bug in kubetwin\): TypeError: injected bug: summarize is broken\n/);
    expect(r.stderr).toMatch(/ {2}seed [12], variant (baseline|roomy)\n {2}logged: compare: \d of 4 runs finished\n {2}reproduce with: npx kubetwin run \S+tiny\.yaml --seed [12] --variant (baseline|roomy)\n/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
