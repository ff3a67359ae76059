/** `replay --at` shows why each Pending pod is Pending: its last scheduling failure, in upstream's wording. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kubetwin = (...args: string[]) => runKubetwin(args, { timeoutMs: 300_000 });

test("scale-out at 20m: every unbound web pod is followed by its Unschedulable message; bound pods have none", () => {
  const db = join(dir, "so.db");
  expect(kubetwin("run", "scenarios/scale-out.yaml", "--db", db).code).toBe(0);
  const r = kubetwin("replay", db, "--at", "20m");
  expect(r.code).toBe(0);
  const lines = r.stdout.split("\n");
  const unbound = lines.flatMap((l, i) => (/\(unbound\)$/.test(l) ? [i] : []));
  expect(unbound.length).toBe(23);
  for (const i of unbound) expect(lines[i + 1]).toMatch(/^ {6}Unschedulable: 0\/3 nodes are available: 3 Insufficient cpu\./);
  const reasons = lines.filter((l) => /^ {6}Unschedulable: /.test(l));
  expect(reasons.length).toBe(unbound.length);
});
