/** `replay --at` shows why each Pending pod is Pending: its last scheduling failure, in upstream's wording. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kubetwin = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), ...args], { cwd: root, encoding: "utf8", timeout: 300_000 });

test("scale-out at 20m: every unbound web pod is followed by its Unschedulable message; bound pods have none", () => {
  const db = join(dir, "so.db");
  expect(kubetwin("run", "scenarios/scale-out.yaml", "--db", db).status).toBe(0);
  const r = kubetwin("replay", db, "--at", "20m");
  expect(r.status).toBe(0);
  const lines = r.stdout.split("\n");
  const unbound = lines.flatMap((l, i) => (/\(unbound\)$/.test(l) ? [i] : []));
  expect(unbound.length).toBe(23);
  for (const i of unbound) expect(lines[i + 1]).toMatch(/^ {6}Unschedulable: 0\/3 nodes are available: 3 Insufficient cpu\./);
  const reasons = lines.filter((l) => /^ {6}Unschedulable: /.test(l));
  expect(reasons.length).toBe(unbound.length);
});
