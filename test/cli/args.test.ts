/** Numeric and path arguments: every seed a scenario may hold, plain decimal integers, "too large", no empty --db. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runKubetwin } from "../kubetwin-cli.ts";
import { parseIntArg } from "../../src/cli/int-arg.ts";
import { parseSeed, parseSeeds, seedMax } from "../../src/cli/seeds.ts";
import { loadPlan } from "../../src/cli/load-plan.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-args-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kubetwin = (...args: string[]) => runKubetwin(args);

const largestSeed = String(Number.MAX_SAFE_INTEGER); // 9007199254740991
const small = join(dir, "small.yaml");
writeFileSync(
  small,
  `apiVersion: kubetwin/v1
kind: Scenario
metadata: { name: small }
spec:
  duration: 2m
  seed: ${largestSeed}
  cluster:
    nodePools:
      - { name: p, count: 2, zones: [z1], allocatable: { cpu: "2", memory: 2Gi, pods: 110 } }
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: default }
        spec:
          replicas: 2
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 100m } } } ] }
`,
);

describe("integer arguments", () => {
  test("plain decimal digits only", () => {
    expect(parseIntArg("--workers", "2", { min: 1, max: 64 })).toBe(2);
    expect(parseIntArg("--workers", "007", { min: 1, max: 64 })).toBe(7);
    for (const bad of ["", " 2", "2 ", "+2", "-2", "2.0", "2.", "1e1", "0x2", "0b1", "2_0", "٢", "Infinity", "NaN"]) {
      expect(() => parseIntArg("--workers", bad, { min: 1, max: 64 })).toThrow(/--workers: expected a whole number/);
    }
  });

  test("past the range says too large (or too small), also far past 2^53", () => {
    expect(() => parseIntArg("--workers", "65", { min: 1, max: 64 })).toThrow("--workers: 65 is too large (at most 64)");
    expect(() => parseIntArg("--workers", "0", { min: 1, max: 64 })).toThrow("--workers: 0 is too small (at least 1)");
    expect(() => parseSeed("9007199254740992")).toThrow("--seed: 9007199254740992 is too large (at most 9007199254740991)");
    expect(() => parseSeed("9".repeat(400))).toThrow(/too large/);
    expect(() => parseSeeds("1..99999999999999999999")).toThrow(/--seeds: 99999999999999999999 is too large/);
  });

  test("--seed accepts every seed the scenario schema accepts for spec.seed", () => {
    expect(seedMax).toBe(Number.MAX_SAFE_INTEGER);
    expect(loadPlan(small).seed).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSeed(largestSeed)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSeed("0")).toBe(0);
    expect(parseSeeds(`${Number.MAX_SAFE_INTEGER - 1}..${largestSeed}`)).toEqual([Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER]);
  });
});

describe("through the real command", () => {
  test("the largest seed runs, and gives the same run as the scenario's own spec.seed", () => {
    const given = kubetwin("run", small, "--no-db", "--json", "--seed", largestSeed);
    expect(given.stderr).toBe("");
    expect(given.code).toBe(0);
    const own = kubetwin("run", small, "--no-db", "--json");
    expect((JSON.parse(given.stdout) as { fingerprint: string }).fingerprint).toBe((JSON.parse(own.stdout) as { fingerprint: string }).fingerprint);
    const tooLarge = kubetwin("run", small, "--no-db", "--seed", "9007199254740992");
    expect(tooLarge.code).toBe(2);
    expect(tooLarge.stderr).toBe("kubetwin: --seed: 9007199254740992 is too large (at most 9007199254740991)\n");
  });

  test("--workers takes plain decimal integers; --db \"\" is refused; nothing is written", () => {
    for (const workers of ["1.5", "0x2", "1e1", " 2", "+2", "99999999999999999999"]) {
      const r = kubetwin("compare", small, "--variants", "baseline,baseline2", "--workers", workers);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^kubetwin: --workers: /);
    }
    expect(kubetwin("compare", small, "--variants", "a,b", "--workers", "99999999999999999999").stderr).toMatch(/too large/);
    const runDb = kubetwin("run", small, "--db", "");
    expect(runDb.code).toBe(2);
    expect(runDb.stderr).toBe('kubetwin: --db: expected a file name, got ""\n');
    const compareDb = kubetwin("compare", small, "--variants", "baseline,x", "--db", "");
    expect(compareDb.code).toBe(2);
    expect(compareDb.stderr).toMatch(/--db: expected a file name/);
    expect(kubetwin("vopr", "--seeds", "1e1").code).toBe(2);
    expect(readdirSync(dir)).toEqual(["small.yaml"]);
  });
});
