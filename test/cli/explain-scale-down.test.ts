/** `kubetwin explain scale-down` on a logged run of scenarios/cluster-autoscaler.yaml: reasons per node at a moment, --node, --json, bad input. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-explain-scale-down-"));
const db = join(dir, "ca.db");
const plainDb = join(dir, "plain.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubetwin = (...args: string[]) => runKubetwin(args);
const min = 60_000;

interface Explanation {
  scanAtMs: number;
  inCooldown: boolean;
  removalsStarted: string[];
  scaleUp?: { pending: number; chosen?: { group: string; nodeCount: number; pods: number } };
  nodes: { node: string; reason?: string; unneeded: boolean; utilization: number; unneededSinceMs?: number; removableAfterMs?: number }[];
}

const explain = (at: string, ...more: string[]): Explanation => {
  const r = kubetwin("explain", "scale-down", "--log", db, "--at", at, "--json", ...more);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Explanation;
};

describe("explain scale-down", { timeout: 300_000 }, () => {
  beforeAll(() => {
    expect(kubetwin("run", "scenarios/cluster-autoscaler.yaml", "--db", db).code).toBe(0);
    expect(kubetwin("run", "scenarios/scale-out.yaml", "--db", plainDb).code).toBe(0);
  });

  test("before the spike both nodes are NotUnderutilized; the scan after it scales up by the estimate and considers no scale-down", () => {
    const before = explain("9m");
    expect(before.scanAtMs).toBe(9 * min);
    expect(before.nodes.map((n) => [n.node, n.reason])).toEqual([["general-0", "NotUnderutilized"], ["general-1", "NotUnderutilized"]]);
    const up = explain("10m15s");
    expect(up.scaleUp).toMatchObject({ pending: 12, chosen: { group: "general", nodeCount: 6, pods: 12 } });
    expect(up.nodes).toEqual([]);
  });

  test("after the load went away, unneeded nodes wait out the 10-minute unneeded time, then their removal starts", () => {
    const waiting = explain("35m");
    const reasons = new Set(waiting.nodes.map((n) => n.reason));
    expect(reasons.has("NotUnneededLongEnough")).toBe(true);
    for (const n of waiting.nodes) {
      expect(["NotUnderutilized", "NotUnneededLongEnough", "NoPlaceToMovePods", "RecentlyUnremovable"]).toContain(n.reason);
      if (n.reason === "NotUnderutilized") expect(n.utilization).toBeGreaterThanOrEqual(0.5);
      if (n.reason === "NotUnneededLongEnough") {
        expect(n.unneededSinceMs).toBeGreaterThanOrEqual(30 * min);
        expect(n.removableAfterMs).toBe((n.unneededSinceMs as number) + 10 * min);
      }
    }
    const removing = explain("40m25s");
    expect(removing.removalsStarted.length).toBe(6);
    const text = kubetwin("explain", "scale-down", "--log", db, "--at", "35m", "--node", waiting.nodes.find((n) => n.reason === "NotUnneededLongEnough")?.node as string);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^explain scale-down · run 1 \(cluster-autoscaler, variant baseline, seed 3\) at 35m\n {2}last scan 35m \(every 10s\)/);
    expect(text.stdout).toMatch(/NotUnneededLongEnough: unneeded since 30m\d*s?, may go after 40m/);
    expect(text.stdout.trim().split("\n")).toHaveLength(5); // header, scan line, blank, column names, the node
  });

  test("bad input is one line and exit 2", () => {
    const after = kubetwin("explain", "scale-down", "--log", db, "--at", "2h");
    expect([after.code, after.stderr.trim().split("\n").at(-1)]).toEqual([2, "kubetwin: --at 2h is after the end of run 1 (1h)"]);
    const node = kubetwin("explain", "scale-down", "--log", db, "--at", "30m", "--node", "nope");
    expect(node.code).toBe(2);
    expect(node.stderr).toMatch(/--node: no node "nope" in the scan at 30m \(nodes: general-0, /);
    expect(kubetwin("explain", "scale-down", "--at", "30m").code).toBe(2);
    const plain = kubetwin("explain", "scale-down", "--log", plainDb, "--at", "30m");
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/run 1 has no node pool with autoscaling: no cluster autoscaler ran/);
  });
});
