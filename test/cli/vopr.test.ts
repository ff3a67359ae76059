/** CI's swarm run: a fixed seed list plus a few fresh seeds, printed so a failure can be replayed. */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function vopr(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), "vopr", ...args], { cwd: root, encoding: "utf8", timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kubetwin vopr", () => {
  test("the fixed seed list 1..40 passes", () => {
    const r = vopr("--seed-list", "1..40");
    expect(r.stdout).toMatch(/vopr: 40 seed\(s\)/);
    expect(r.stdout).toMatch(/all passed/);
    expect(r.code).toBe(0);
  });

  test("three fresh seeds pass (printed below)", () => {
    const r = vopr("--seeds", "3");
    console.log(r.stdout.trim());
    expect(r.stdout).toMatch(/vopr: 3 seed\(s\): \d+ \d+ \d+/);
    expect(r.code, r.stdout).toBe(0);
  });

  test("--json prints one result per seed with its outcome", () => {
    const r = vopr("--seed", "7", "--json");
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { seed: number; outcome: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.seed).toBe(7);
    expect(lines[0]?.outcome).toBe("ok");
  });

  test("conflicting seed options are bad input", () => {
    expect(vopr("--seed", "1", "--seeds", "3").code).toBe(2);
  });
});
