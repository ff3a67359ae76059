/** `kubetwin explain pdb` and `explain eviction` as a user runs them: output, --json, bad input. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-explain-pdb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubetwin = (...args: string[]) => runKubetwin(args);
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};
const pod = (name: string, ready: boolean) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name, labels: { app: "db" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u1", controller: true }] },
  spec: { containers: [{ name: "db", image: "postgres:16" }] },
  status: { phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});
const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "db" }, spec: { maxUnavailable: "34%", selector: { matchLabels: { app: "db" } } } };

test("explain pdb: maxUnavailable 34% of a StatefulSet's 3 replicas rounds up to 2, so 1 must stay healthy", { timeout: 120_000 }, () => {
  const input = file("pdb.json", { pdb, pods: [pod("db-0", true), pod("db-1", true), pod("db-2", false)], owners: [{ kind: "StatefulSet", metadata: { name: "db" }, spec: { replicas: 3 } }] });
  const r = kubetwin("explain", "pdb", "--input", input, "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).status).toEqual({ disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 3 });
  const text = kubetwin("explain", "pdb", "--input", input);
  expect(text.stdout).toMatch(/^disruptionsAllowed 1 · currentHealthy 2 · desiredHealthy 1 · expectedPods 3/);
});

test("explain eviction: a budget with no disruption left answers 429 with upstream's text", { timeout: 120_000 }, () => {
  const budget = { ...pdb, status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 } };
  const r = kubetwin("explain", "eviction", "--input", file("ev.json", { pod: pod("db-0", true), pdbs: [budget] }), "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ allowed: false, httpStatus: 429, pdbChecked: true, message: "Cannot evict pod as it would violate the pod's disruption budget.: TooManyRequests: The disruption budget db needs 2 healthy pods and has 2 currently" });
  const ok = kubetwin("explain", "eviction", "--input", file("ev2.json", { pod: pod("db-0", true), pdbs: [{ ...budget, status: { ...budget.status, disruptionsAllowed: 1 } }] }));
  expect(ok.stdout.trim()).toBe("201 evicted (budget db used: 0 disruption(s) left)");
});

test("bad input exits 2 naming the object and the field, with no stack trace", { timeout: 120_000 }, () => {
  const r = kubetwin("explain", "pdb", "--input", file("bad.json", { pdb: { ...pdb, spec: { minAvailable: "lots" } } }));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^kubetwin: .*bad\.json: pdb: spec\.minAvailable: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(kubetwin("explain", "quota", "--input", "x").stderr).toMatch(/unknown topic "quota" \(known: schedule, hpa, pdb, eviction, scale-down\)/);
});
