/**
 * Bounds on input: what a scenario may ask for (replicas, pods, nodes, duration) is refused at load
 * time, naming the limit and the flag that raises it; numbers too large to represent say so;
 * scenario and manifest files are read only when they are regular files within the size limit.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultLimits, limitsFrom } from "../../src/scenario/limits.ts";
import type { Limits } from "../../src/scenario/limits.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import type { ScenarioError } from "../../src/scenario/load.ts";
import { readRegularFile } from "../../src/scenario/manifest-files.ts";
import { lineOf, loadText, validScenario, webManifest } from "./helpers.ts";

function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

function errorOf(text: string, limits?: Limits, files?: Record<string, string>): ScenarioError {
  const result = loadText(text, files, limits ? { limits } : {});
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  return result.error;
}

function loads(text: string, limits?: Limits, files?: Record<string, string>): void {
  const result = loadText(text, files, limits ? { limits } : {});
  if (!result.ok) throw new Error(result.error.message);
}

function raised(...flags: string[]): Limits {
  const limits = limitsFrom(flags);
  if ("error" in limits) throw new Error(limits.error);
  return limits;
}

describe("what a scenario asks for is bounded, and each bound is named with the flag that raises it", () => {
  it("duration: 99999999h is refused (the default limit is 720h)", () => {
    const text = edit(validScenario, "duration: 1h", "duration: 99999999h");
    expect(errorOf(text)).toMatchObject({
      path: "spec.duration", line: lineOf(text, "99999999h"),
      message: "too long: the run lasts 99999999h; the limit is 720h of virtual time (raise it with --limit duration=…)",
    });
    expect(errorOf(edit(validScenario, "duration: 1h", "duration: 721h")).path).toBe("spec.duration");
    loads(edit(validScenario, "duration: 1h", "duration: 721h"), raised("duration=1000h"));
  });

  it("a scale-up fault to 10 million replicas is refused at the fault", () => {
    const text = edit(validScenario, "replicas: 6}", "replicas: 10000000}");
    expect(errorOf(text)).toMatchObject({
      path: "spec.faults[3].replicas", line: lineOf(text, "10000000"),
      message: "too many replicas: 10000000; the limit is 100000 per workload (raise it with --limit replicas=…)",
    });
  });

  it("replicas in a manifest, or in an entry's override, beyond the limit", () => {
    expect(errorOf(edit(validScenario, "replicas: 2\n", "replicas: 100001\n"))).toMatchObject({ path: "spec.workloads[1].manifest.spec.replicas" });
    const override = edit(validScenario, "    - file: apps/web.yaml\n", "    - file: apps/web.yaml\n      replicas: {web: 200000}\n");
    expect(errorOf(override)).toMatchObject({ path: "spec.workloads[0].replicas.web", line: lineOf(override, "200000") });
    loads(edit(validScenario, "replicas: 2\n", "replicas: 100001\n"), raised("replicas=100001", "pods=200000"));
  });

  it("nodes over all pools", () => {
    const text = edit(validScenario, "count: 3", "count: 5001");
    expect(errorOf(text)).toMatchObject({
      path: "spec.cluster.nodePools[0].count",
      message: "too many nodes: the pools hold 5001 in all; the limit is 5000 nodes (raise it with --limit nodes=…)",
    });
    loads(text, raised("nodes=5001"));
    // A count no machine could hold is refused before any node is named.
    expect(errorOf(edit(validScenario, "count: 3", "count: 4000000000000")).message).toMatch(/^too many nodes: the pools hold 4000000000000 in all/);
  });

  it("pods over all workloads, each at its largest (a scale-up fault counts)", () => {
    const big = edit(validScenario, "replicas: 2\n", "replicas: 90000\n");
    loads(big);
    const text = edit(big, "replicas: 6}", "replicas: 70000}");
    expect(errorOf(text)).toMatchObject({
      path: "spec.workloads",
      message: "too many pods: the workloads ask for up to 160000 (each at its largest); the limit is 150000 pods (raise it with --limit pods=…)",
    });
    loads(text, raised("pods=160000"));
  });

  it("a variant that patches replicas beyond the limit is refused too", () => {
    const text = validScenario.replace(
      "      parameters: {scheduler: {scoringStrategy: MostAllocated}, watchLatency: 100ms}\n",
      "      parameters: {scheduler: {scoringStrategy: MostAllocated}, watchLatency: 100ms}\n      workloads:\n        patch: [{target: {kind: Deployment, name: api}, merge: {spec: {replicas: 200000}}}]\n",
    );
    expect(errorOf(text)).toMatchObject({ path: "spec.variants.binpack", message: "too many replicas: default/api asks for 200000; the limit is 100000 per workload (raise it with --limit replicas=…)" });
  });

  it("--limit values: names and values checked, each name once", () => {
    expect(raised()).toEqual(defaultLimits);
    expect(raised("file-bytes=256Mi", "duration=2160h", "events=5")).toMatchObject({ fileBytesMax: 256 * 2 ** 20, durationMsMax: 2160 * 3_600_000, eventsMax: 5 });
    expect(limitsFrom(["replica=5"])).toEqual({ error: "--limit replica=5: expected NAME=VALUE with NAME one of file-bytes, replicas, pods, nodes, duration, events" });
    expect(limitsFrom(["pods=0"])).toEqual({ error: "--limit pods=0: expected a positive whole number" });
    expect(limitsFrom(["pods=1e6"])).toEqual({ error: "--limit pods=1e6: expected a positive whole number" });
    expect(limitsFrom(["duration=soon"])).toEqual({ error: '--limit duration=soon: expected a positive duration like "2160h"' });
    expect(limitsFrom(["nodes=9", "nodes=10"])).toEqual({ error: "--limit nodes given twice" });
    expect(limitsFrom(["pods=99999999999999999999"])).toEqual({ error: "--limit pods=99999999999999999999: too large (at most 9007199254740991)" });
  });
});

describe("numbers and quantities too large to represent say so, not that they are malformed", () => {
  const cases: [string, string, string, RegExp][] = [
    ["a duration", "duration: 1h", "duration: 99999999999999999999h", /^too large: expected a duration of at most /],
    ["a fault time", "at: 20m", "at: 9999999999999999999999m", /^too large: expected a duration of at most /],
    ["a quantity with an exponent", 'cpu: "4"', 'cpu: "1e40"', /^too large to represent: at most 9007199254740991m, got "1e40"$/],
    ["a quantity with a suffix", "memory: 16Gi", "memory: 99999999999999999999Ei", /^too large to represent: /],
    ["a request", "cpu: 250m", "cpu: 100000000000000000000", /^too large to represent: /],
    ["replicas past 2^53", "replicas: 2\n", "replicas: 99999999999999999999\n", /^too large: expected an integer from -9007199254740991 to 9007199254740991, got 100000000000000000000$/],
    ["replicas that YAML reads as infinite", "replicas: 2\n", "replicas: 1e400\n", /^too large: expected an integer/],
    ["a seed", "seed: 3", "seed: 99999999999999999999", /^too large: expected an integer/],
  ];
  for (const [what, from, to, message] of cases) {
    it(what, () => expect(errorOf(edit(validScenario, from, to)).message).toMatch(message));
  }

  it("malformed stays malformed", () => {
    expect(errorOf(edit(validScenario, "duration: 1h", "duration: 1x")).message).toMatch(/^expected a duration like/);
    expect(errorOf(edit(validScenario, 'cpu: "4"', 'cpu: "lots"')).message).toMatch(/^expected a quantity like/);
    expect(errorOf(edit(validScenario, "replicas: 2\n", "replicas: 2.5\n")).message).toBe("expected an integer, got 2.5");
  });
});

describe("inputs are read only from regular files, up to the size limit", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-bounds-"));

  it("a FIFO, a device and a directory are refused before anything is read", () => {
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    // Nobody writes to the FIFO: reading it would block forever.
    expect(readRegularFile(fifo, 1024)).toEqual({ error: `not a regular file (${fifo} is a FIFO); only regular files are read` });
    expect(readRegularFile("/dev/zero", 1024)).toEqual({ error: "not a regular file (/dev/zero is a character device); only regular files are read" });
    expect(readRegularFile(dir, 1024)).toEqual({ error: `it is a directory (${dir})` });
    expect(loadScenarioFile(fifo)).toEqual({ ok: false, error: { file: fifo, path: "", message: `cannot read scenario file: not a regular file (${fifo} is a FIFO); only regular files are read` } });
  });

  it("a manifest that is a FIFO or a device is refused at its entry", () => {
    const root = join(dir, "scn");
    mkdirSync(root);
    execFileSync("mkfifo", [join(root, "pipe.yaml")]);
    writeFileSync(join(root, "s.yaml"), edit(validScenario, "file: apps/web.yaml", "file: pipe.yaml"));
    const result = loadScenarioFile(join(root, "s.yaml"));
    if (result.ok) throw new Error("expected an error");
    expect(result.error).toMatchObject({ path: "spec.workloads[0].file" });
    expect(result.error.message).toMatch(/pipe\.yaml: not a regular file \(.* is a FIFO\)/);
  });

  it("a file larger than the limit is refused, naming the limit; a raised limit reads it", () => {
    const file = join(dir, "big.yaml");
    mkdirSync(join(dir, "apps"), { recursive: true });
    writeFileSync(join(dir, "apps/web.yaml"), webManifest);
    writeFileSync(file, `${validScenario}# ${"x".repeat(3000)}\n`);
    const limits = raised("file-bytes=2Ki");
    const result = loadScenarioFile(file, { limits });
    if (result.ok) throw new Error("expected an error");
    expect(result.error.message).toMatch(/^cannot read scenario file: too large \(\d+ bytes\): the limit is 2Ki \(raise it with --limit file-bytes=…\)$/);
    expect(readRegularFile(file, 8192)).toHaveProperty("text");
    expect(loadScenarioFile(file, { limits: raised("file-bytes=8Ki") }).ok).toBe(true);
    expect(defaultLimits.fileBytesMax).toBe(64 * 2 ** 20);
  });

  it("the manifests files of a scenario obey the same limit", () => {
    const root = join(dir, "scn2");
    mkdirSync(join(root, "apps"), { recursive: true });
    writeFileSync(join(root, "apps/web.yaml"), `${webManifest}# ${"x".repeat(3000)}\n`);
    writeFileSync(join(root, "s.yaml"), validScenario);
    const result = loadScenarioFile(join(root, "s.yaml"), { limits: raised("file-bytes=3Ki") });
    if (result.ok) throw new Error("expected an error");
    expect(result.error).toMatchObject({ path: "spec.workloads[0].file" });
    expect(result.error.message).toMatch(/web\.yaml: too large/);
  });
});
