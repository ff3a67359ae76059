/**
 * The run report's healing tables for real runs of bundled scenarios: a crash-loop storm and its
 * rollback, a drain under a disruption budget, a zone outage under the eviction rate limit. Each
 * table row carries the figures of the run's own summary (the CLI prints the same), and the page
 * shows them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { formatDurationMs } from "../../src/model/units.ts";
import type { SummaryTable } from "../../src/report/healing-sections.ts";
import { parseRunSummary, type RunSummary } from "../../src/report/run-summary.ts";
import { loadRunReportData, writeRunReport } from "../../src/report/write-report.ts";
import { runRealScenario } from "./real-run.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-healing-"));
const runs = new Map<string, { tables: SummaryTable[]; summary: RunSummary; html: string; printed: string }>();

beforeAll(() => {
  for (const scenario of ["crash-loop-rollout", "drain-under-pdb", "zone-outage", "workload-deletion", "cluster-autoscaler", "boutique-spike"]) {
    const db = join(dir, `${scenario}.db`);
    const printed = runRealScenario(db, `scenarios/${scenario}.yaml`, 3);
    const log = SqliteLog.open(db, { create: false });
    const summary = parseRunSummary(log.run(log.latestRunId()!)!.summary, scenario);
    log.close();
    const out = join(dir, `${scenario}.html`);
    writeRunReport(db, undefined, out);
    runs.set(scenario, { tables: loadRunReportData(db, undefined).healing, summary, html: readFileSync(out, "utf8"), printed });
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tableOf = (scenario: string, id: string) => runs.get(scenario)!.tables.find((t) => t.id === id);

describe("healing tables of the run report", () => {
  it("crash loops and rollouts: exits, restarts, back-off; revision, deadline exceeded, completion — the summary's figures", () => {
    const { summary, html, printed } = runs.get("crash-loop-rollout")!;
    const crash = tableOf("crash-loop-rollout", "crash-loops")!;
    const w = summary.crashLoops![0]!;
    expect(crash.rows[0]).toEqual([w.workload, String(w.exits), "", String(w.restarts), formatDurationMs(w.backOffMsMax), String(w.inCrashLoopBackOffAtEnd)]);
    expect(w.exits).toBeGreaterThan(10);
    expect(printed).toContain(`exits ${w.exits} · restarts ${w.restarts}`);
    const rollouts = tableOf("crash-loop-rollout", "rollouts")!;
    const r = summary.rollouts![0]!;
    expect(rollouts.rows[0]?.slice(0, 2)).toEqual([r.deployment, String(r.revision)]);
    expect(rollouts.rows[0]?.[4]).toBe(r.deadlineExceededAtMs.map((ms) => formatDurationMs(ms)).join(", "));
    expect(rollouts.rows[0]?.[6]).toBe("NewReplicaSetAvailable");
    expect(html).toContain('<table class="grid" id="crash-loops">');
    expect(html).toContain('<table class="grid" id="rollouts">');
  });

  it("node operations: a drain's evictions and the refusals its disruption budget made", () => {
    const { summary, html } = runs.get("drain-under-pdb")!;
    const ops = tableOf("drain-under-pdb", "node-operations")!;
    const drains = summary.nodeOperations!.filter((op) => op.operation === "Drain");
    expect(drains.length).toBeGreaterThan(0);
    expect(ops.rows.filter((r) => r[0] === "drain").map((r) => [r[1], r[2], r[4], r[5]])).toEqual(drains.map((d) => [d.node, d.phase, String(d.evicted), String(d.refused)]));
    expect(drains.some((d) => d.refused > 0)).toBe(true);
    expect(html).toContain('id="node-operations"');
  });

  it("deletions: each Delete fault's policy, when it was asked, when the owner was removed, what it orphaned", () => {
    const { summary } = runs.get("workload-deletion")!;
    const t = tableOf("workload-deletion", "deletions")!;
    expect(t.rows.map((r) => r.slice(0, 2))).toEqual(summary.deletions!.map((d) => [d.target, d.policy]));
    expect(new Set(summary.deletions!.map((d) => d.policy))).toEqual(new Set(["Foreground", "Orphan"]));
    const orphan = summary.deletions!.find((d) => d.policy === "Orphan" && (d.orphaned?.length ?? 0) > 0)!;
    expect(t.rows.find((r) => r[0] === orphan.target)?.[4]).toBe(String(orphan.orphaned!.length));
  });

  it("node pools and cost: nodes added and removed by the cluster autoscaler, node-hours × price, the run's cost", () => {
    const { summary } = runs.get("cluster-autoscaler")!;
    const t = tableOf("cluster-autoscaler", "node-pools")!;
    expect(t.rows.map((r) => [r[0], r[5], r[6], r[9]])).toEqual(summary.nodeGroups!.map((g) => [g.pool, String(g.nodesAdded), String(g.nodesRemoved), g.cost.toFixed(2)]));
    expect(summary.nodeGroups!.some((g) => g.nodesAdded > 0 && g.nodesRemoved > 0)).toBe(true);
    expect(t.note).toContain(summary.nodeCost!.toFixed(2));
  });

  it("traffic: offered, served, drops by cause and the latency percentiles of a queueing load", () => {
    const { summary } = runs.get("boutique-spike")!;
    const t = tableOf("boutique-spike", "traffic")!;
    const frontend = summary.traffic!.find((x) => x.latency !== undefined)!;
    const row = t.rows.find((r) => r[0] === frontend.service)!;
    expect(row.slice(1, 3)).toEqual([String(Math.round(frontend.offeredRequests)), String(Math.round(frontend.servedRequests))]);
    expect([row[4], row[5]]).toEqual([String(Math.round(frontend.droppedNoEndpointRequests)), String(Math.round(frontend.droppedSaturatedRequests))]);
    expect(row[7]).toBe(formatDurationMs(Math.round(frontend.latency!.p95Ms)));
    expect(frontend.droppedSaturatedRequests).toBeGreaterThan(0);
  });

  it("node loss by zone: nodes tainted at the zone's rate, first and last taint, pods evicted", () => {
    const { summary } = runs.get("zone-outage")!;
    const loss = tableOf("zone-outage", "node-loss")!;
    expect(loss.rows).toEqual(summary.nodeLoss!.map((z) => [z.zone, String(z.nodesLost), String(z.nodesTainted), z.firstTaintMs === null ? "–" : formatDurationMs(z.firstTaintMs), z.lastTaintMs === null ? "–" : formatDurationMs(z.lastTaintMs), String(z.podsEvicted)]));
    expect(summary.nodeLoss!.some((z) => z.podsEvicted > 0)).toBe(true);
    // a run without drains or Jobs shows no such tables
    expect(tableOf("zone-outage", "node-operations")).toBeUndefined();
    expect(tableOf("zone-outage", "jobs")).toBeUndefined();
  });
});
