/** `kubetwin explain scale-down` on a run whose node autoscaler was the provisioner (scenarios/provisioner-vs-cluster-autoscaler.yaml, variant provisioner): its consolidation verdicts per node. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-explain-consolidation-"));
const db = join(dir, "p.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubetwin = (...args: string[]) => runKubetwin(args);

interface Explanation {
  autoscaler: string;
  passAtMs: number;
  skipped?: string;
  validating: boolean;
  executed: boolean;
  command?: { reason: string; method: string; nodes: string[] };
  nodes: { node: string; code: string; nodePool?: string; eligibleAtMs?: number }[];
  provisioning?: { launched: { node: string; instanceType: string; pods: number }[] };
}

const explain = (at: string, ...more: string[]): Explanation => {
  const r = kubetwin("explain", "scale-down", "--log", db, "--at", at, "--json", ...more);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Explanation;
};

describe("explain scale-down for the provisioner", { timeout: 300_000 }, () => {
  beforeAll(() => {
    expect(kubetwin("run", "scenarios/provisioner-vs-cluster-autoscaler.yaml", "--variant", "provisioner", "--db", db).code).toBe(0);
  });

  test("during the spike the launched node holds all 12 pods and cannot be replaced by a cheaper one; fixed nodes are not the provisioner's", () => {
    const e = explain("20m");
    expect(e.autoscaler).toBe("provisioner");
    expect(e.passAtMs).toBe(20 * 60_000);
    expect(e.provisioning?.launched).toMatchObject([{ node: "karpenter-0", instanceType: "compute.4xlarge", pods: 12 }]);
    expect(e.nodes.map((n) => [n.node, n.code])).toEqual([["base-0", "NotOwned"], ["base-1", "NotOwned"], ["karpenter-0", "NoCheaperReplacement"]]);
  });

  test("once emptied it waits consolidateAfter, then emptiness finds it and validates it 15 s later", () => {
    const waiting = explain("30m15s", "--node", "karpenter-0");
    expect(waiting.nodes).toHaveLength(1);
    expect(waiting.nodes[0]?.code).toBe("NotStableLongEnough");
    const eligible = waiting.nodes[0]?.eligibleAtMs ?? 0;
    expect(eligible).toBeGreaterThan(30 * 60_000);
    const found = explain("30m40s");
    expect(found.command).toMatchObject({ reason: "Empty", method: "emptiness", nodes: ["karpenter-0"] });
    expect(found.validating).toBe(true);
    expect(found.executed).toBe(false);
  });

  test("the text names the verdicts; an unknown --node is bad input", () => {
    const r = kubetwin("explain", "scale-down", "--log", db, "--at", "20m");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("NoCheaperReplacement: can't replace with a lower-priced node");
    expect(r.stdout).toContain("launched karpenter-0 (compute.4xlarge");
    const bad = kubetwin("explain", "scale-down", "--log", db, "--at", "20m", "--node", "nope");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no node "nope"');
  });
});
