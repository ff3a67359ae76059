/** CI's swarm run: a fixed seed list plus a few fresh seeds, printed so a failure can be replayed. */
import { describe, expect, test } from "vitest";
import { runKubetwin } from "../kubetwin-cli.ts";


const vopr = (...args: string[]) => runKubetwin(["vopr", ...args], { timeoutMs: 600_000 });

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
