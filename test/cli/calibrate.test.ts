/**
 * `kubetwin calibrate`: pod start timings fitted from a run. A run simulated with known,
 * non-default timings is fitted back (within the sampling error of its pods), and the fragment
 * merges into a scenario that then loads with the fitted values.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { calibrate } from "../../src/import/calibration.ts";
import type { TwinPod } from "../../src/import/twin-pod-lifecycles.ts";
import { durationMsOf } from "../../src/k8s/duration.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-calibrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubetwin = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });

describe("calibrate()", () => {
  test("log-normal fit of bound → running, median and per-owner range of running → Ready; per-pod labels left out of the rule", () => {
    const pods = new Map<string, TwinPod[]>([
      ["Deployment/default/web", [
        { name: "a", createdMs: 0, boundMs: 100, startMs: 1_100, readyMs: 6_100, labels: { app: "web", "pod-template-hash": "x1" } },
        { name: "b", createdMs: 0, boundMs: 200, startMs: 4_200, readyMs: 11_200, labels: { app: "web", "pod-template-hash": "x2" } },
        { name: "c", createdMs: 0, labels: { app: "web" } }, // never bound: not a sample
      ]],
      ["Pod/default/bare", [{ name: "bare", createdMs: 0, boundMs: 0, startMs: 2_000, labels: { run: "bare" } }]],
    ]);
    const fit = calibrate(pods);
    // starts 1000, 4000, 2000 ms: exp(mean ln) = 2000, sigma = sqrt(((ln ½)² + (ln 2)² + 0) / 3)
    expect(fit.startSamples).toBe(3);
    expect(fit.podStartMedianMs).toBe(2000);
    expect(fit.podStartSigma).toBeCloseTo(Math.sqrt((2 * Math.log(2) ** 2) / 3), 3);
    expect(fit.readySamples).toBe(2);
    expect(fit.readinessDelayMs).toBe(5_000);
    expect(fit.owners).toEqual([{ owner: "Deployment/default/web", namespace: "default", selector: { app: "web" }, readyAfterMs: { min: 5_000, max: 7_000 }, pods: 2 }]);
  });
});

describe("kubetwin calibrate", () => {
  test("fits back the timings a run was simulated with; the fragment merges into a scenario that loads", () => {
    const scenario = readFileSync(join(root, "scenarios/scale-out.yaml"), "utf8");
    const timed = scenario.replace(/^spec:\n/m, "spec:\n  parameters: {podStartMedian: 8s, podStartSigma: 0.2, readinessDelay: 2s}\n");
    writeFileSync(join(dir, "timed.yaml"), timed);
    const db = join(dir, "timed.db");
    expect(kubetwin("run", join(dir, "timed.yaml"), "--db", db, "--no-progress").status).toBe(0);
    const out = join(dir, "fragment.yaml");
    const r = kubetwin("calibrate", "--from-log", db, "-o", out);
    expect(r.stderr).toContain("calibrate: run 1 (scale-out");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^.*fragment\.yaml: fitted \d+ pod starts/);
    const fragment = parse(readFileSync(out, "utf8")) as { spec: { parameters: Record<string, string | number>; containerBehavior: { match: unknown; readyAfter: { min: string; max: string } }[] } };
    const p = fragment.spec.parameters;
    const samples = Number(/fitted (\d+) pod starts/.exec(r.stdout)![1]);
    expect(samples).toBeGreaterThanOrEqual(10);
    // the log-normal's median within two standard errors of its log (sigma / √n), plus the watch and commit latency (~0.1 s)
    const median = durationMsOf(String(p.podStartMedian))!;
    const spread = Math.exp((2 * 0.2) / Math.sqrt(samples));
    expect(median).toBeGreaterThan(8_000 / spread);
    expect(median).toBeLessThan(8_000 * spread + 200);
    expect(Number(p.podStartSigma)).toBeGreaterThan(0.1);
    expect(Number(p.podStartSigma)).toBeLessThan(0.3);
    const readiness = durationMsOf(String(p.readinessDelay))!;
    expect(readiness).toBeGreaterThanOrEqual(1_900);
    expect(readiness).toBeLessThanOrEqual(2_100);
    expect(fragment.spec.containerBehavior.map((c) => c.match)).toEqual([{ namespace: "default", selector: { app: "api" } }, { namespace: "default", selector: { app: "web" } }]);
    for (const c of fragment.spec.containerBehavior) expect(durationMsOf(c.readyAfter.max)! - durationMsOf(c.readyAfter.min)!).toBeLessThan(200);

    // merged into the scenario as written (no parameters of its own): it loads with the fitted values
    const merged = scenario.replace(/^spec:\n/m, `spec:\n  parameters: ${JSON.stringify(p)}\n  containerBehavior: ${JSON.stringify(fragment.spec.containerBehavior)}\n`);
    const loaded = loadScenarioText(merged, "merged.yaml", dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.plan.parameters.podStartMedianMs).toBe(median);
    expect(loaded.plan.parameters.readinessDelayMs).toBe(readiness);
    expect(loaded.plan.containerBehaviors).toHaveLength(2);
  });

  test("usage: no --from-log is exit 2", () => {
    expect(kubetwin("calibrate").status).toBe(2);
  });
});
