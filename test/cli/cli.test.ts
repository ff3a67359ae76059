/** The kubetwin command end to end, as a user runs it: exit codes, messages, what is written. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseComparisonResult } from "../../src/report/comparison-result.ts";
import { runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kubetwin = (...args: string[]) => runKubetwin(args, { timeoutMs: 300_000 });

const quickstart = "scenarios/quickstart.yaml";

describe("kubetwin CLI", () => {
  const db = join(dir, "runs.db");

  test("run prints a summary, logs to SQLite and exits 0 when every expectation holds", () => {
    const r = kubetwin("run", quickstart, "--db", db, "--seed", "3");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Scheduling latency/);
    expect(r.stdout).toMatch(/created → running/);
    expect(r.stdout).toMatch(/PASS/);
    expect(existsSync(db)).toBe(true);
  });

  test("run --json, digest and replay agree with each other", () => {
    const run = kubetwin("run", quickstart, "--db", db, "--seed", "4", "--json");
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { fingerprint: string; runId: number; eventCount: number };
    const digest = kubetwin("digest", db, "--run", String(summary.runId));
    expect(digest.code).toBe(0);
    expect(digest.stdout.trim()).toBe(summary.fingerprint);
    const replayed = kubetwin("replay", db, "--run", String(summary.runId), "--at", "30m", "--json");
    expect(replayed.code).toBe(0);
    const state = JSON.parse(replayed.stdout) as { nodes: unknown[]; pods: unknown[]; nowMs: number };
    expect(state.nodes.length).toBeGreaterThan(0);
    expect(state.pods.length).toBeGreaterThan(0);
    expect(state.nowMs).toBeLessThanOrEqual(30 * 60_000);
    const table = kubetwin("replay", db, "--run", String(summary.runId), "--at", "30m");
    expect(table.stdout).toMatch(/^Nodes/m);
  });

  test("same seed twice gives the same digest through the CLI", () => {
    const a = JSON.parse(kubetwin("run", quickstart, "--no-db", "--seed", "8", "--json").stdout) as { fingerprint: string };
    const b = JSON.parse(kubetwin("run", quickstart, "--no-db", "--seed", "8", "--json").stdout) as { fingerprint: string };
    expect(a.fingerprint).toBe(b.fingerprint);
  });

  test("an expectation that fails exits 1", () => {
    const strict = join(dir, "strict.yaml");
    writeFileSync(
      strict,
      `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: strict }
spec:
  duration: 10m
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
`,
    );
    const r = kubetwin("run", strict, "--no-db");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+all-ready/);
  });

  test("bad input exits 2 with a clear message and writes nothing", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "apiVersion: kubetwin/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  duration: soon\n");
    const out = join(dir, "never.db");
    const r = kubetwin("run", bad, "--db", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml/);
    expect(r.stderr).toMatch(/duration/);
    expect(existsSync(out)).toBe(false);
  });

  test("unknown variant, bad seed, missing database and foreign database exit 2", () => {
    expect(kubetwin("run", quickstart, "--variant", "nope", "--no-db").code).toBe(2);
    expect(kubetwin("run", quickstart, "--seed", "-1", "--no-db").code).toBe(2);
    expect(kubetwin("digest", join(dir, "missing.db")).code).toBe(2);
    expect(existsSync(join(dir, "missing.db"))).toBe(false);
    const foreign = join(dir, "foreign.db");
    writeFileSync(foreign, "this is not sqlite");
    const r = kubetwin("replay", foreign, "--at", "1m");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/foreign\.db/);
    expect(kubetwin("replay", db, "--at", "1m", "--run", "999").code).toBe(2);
    expect(kubetwin("frobnicate").code).toBe(2);
  });

  test("report writes one self-contained HTML file; bad input exits 2 and writes nothing", () => {
    const out = join(dir, "run.html");
    const r = kubetwin("report", db, "--out", out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>") || html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
    const never = join(dir, "never.html");
    expect(kubetwin("report", db, "--run", "999", "--out", never).code).toBe(2);
    expect(kubetwin("report", join(dir, "missing.db"), "--out", never).code).toBe(2);
    expect(existsSync(never)).toBe(false);
    expect(kubetwin("run", quickstart, "--no-db", "--report", never).code).toBe(2);
    expect(existsSync(never)).toBe(false);
  });

  test("explain schedule prints the decision (table and JSON) and rejects bad input with exit 2", () => {
    const table = kubetwin("explain", "schedule", "--input", "test/fixtures/explain/web-replica.json");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Selected node: /);
    const json = JSON.parse(kubetwin("explain", "schedule", "--input", "test/fixtures/explain/web-replica.json", "--json").stdout) as {
      selectedNode: string | null;
      nodes: { name: string; filter: unknown[]; scores: unknown[]; total: number | null }[];
    };
    expect(json.nodes.map((n) => n.name)).toContain(json.selectedNode);
    const bad = join(dir, "bad-explain.json");
    const node = { metadata: { name: "n1" }, status: { allocatable: { cpu: "4", memory: "8Gi", pods: "110" } } };
    writeFileSync(bad, JSON.stringify({ nodes: [node], pods: [], pod: { metadata: { name: "x" }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "abc" } } }] } } }));
    const r = kubetwin("explain", "schedule", "--input", bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cpu/);
  });

  test("every command has --help", () => {
    for (const c of ["run", "compare", "replay", "digest", "report", "vopr", "explain", "record", "calibrate"]) {
      const r = kubetwin(c, "--help");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: kubetwin/);
    }
  });

  test("compare gives identical results with 1 and 2 workers", () => {
    const args = ["compare", "scenarios/binpack-vs-spread.yaml", "--variants", "baseline,binpack", "--seeds", "1..4", "--json"];
    const one = kubetwin(...args, "--workers", "1");
    const two = kubetwin(...args, "--workers", "2");
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const a = JSON.parse(one.stdout) as { metrics: { name: string; diff: { n: number } }[]; runs: unknown[] };
    expect(a.metrics.length).toBeGreaterThan(3);
    expect(a.metrics[0]?.diff.n).toBe(4);
    expect(a.runs.length).toBe(8);
    expect(two.stdout).toBe(one.stdout);
    // the report reads exactly this JSON (the comparisons.result contract)
    const parsed = parseComparisonResult(one.stdout, "compare --json");
    expect(parsed.command["binpack@3"]).toBe("npx kubetwin run scenarios/binpack-vs-spread.yaml --seed 3 --variant binpack");
    expect(parsed.metrics.map((m) => m.diff.mean)).toEqual(a.metrics.map((m) => (m as unknown as { diff: { mean: number } }).diff.mean));
  });
});
