/**
 * The big-cluster benchmark: 1,000 nodes in 3 zones, 30,000 pods (300 Deployments × 100
 * replicas), one hour of virtual time with node crashes, the SQLite log on. Prints wall time,
 * speed-up over real time, events, and peak memory (targets: ≤ 10 s wall, ≤ 1.5 GB).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import { defaultParameters, type ScenarioPlan } from "../src/sim/plan.ts";
import { runScenario } from "../src/sim/run.ts";
import { deployment } from "../test/sim/plan-fixture.ts";

const nodes = Number(process.env.NODES ?? 1000);
const deployments = Number(process.env.DEPLOYMENTS ?? 300);
const replicas = Number(process.env.REPLICAS ?? 100);

export interface ClusterSize {
  nodes: number;
  deployments: number;
  replicas: number;
}

export function bigPlan(implementation: "basic" | "framework", size: ClusterSize = { nodes, deployments, replicas }): ScenarioPlan {
  const { nodes, deployments, replicas } = size;
  return {
    name: "bench-1000-nodes",
    description: "1,000 nodes, 30,000 pods, one hour",
    sourceHash: "bench",
    durationMs: 3_600_000,
    seed: 1,
    namespaces: ["bench"],
    nodePools: [
      { name: "pool", count: nodes, zones: ["zone-a", "zone-b", "zone-c"], allocatable: { cpu: 16_000, memory: 64 * 2 ** 30, pods: 110 }, labels: {}, taints: [] },
    ],
    workloads: Array.from({ length: deployments }, (_, i) => ({
      kind: "Deployment" as const,
      object: deployment("bench", `app-${i}`, replicas, 100 + (i % 8) * 50, (128 + (i % 4) * 128) * 2 ** 20),
      atMs: (i % 60) * 1000,
    })),
    faults: [
      { kind: "NodeCrash", atMs: 15 * 60_000, target: { pool: "pool", index: 7 }, label: "node 7 crashes" },
      { kind: "NodeCrash", atMs: 20 * 60_000, target: { pool: "pool", index: Math.floor(nodes / 2) }, label: "a second node crashes" },
      { kind: "NodeRecover", atMs: 40 * 60_000, target: { pool: "pool", index: 7 }, label: "node 7 recovers" },
    ],
    expectations: [{ kind: "Converged", name: "converged", workload: "*" }],
    parameters: { ...defaultParameters, scheduler: { ...defaultParameters.scheduler, implementation } },
    variants: {},
    warnings: [],
  };
}

/** The issue's target is for the walking skeleton's controllers (basic scheduler); the framework is measured too. */
const implementations = (process.env.SCHEDULERS ?? "basic,framework").split(",") as ("basic" | "framework")[];

if (import.meta.main) for (const implementation of implementations) {
  console.log(`cluster: scheduler = ${implementation}`);
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-bench-"));
  const path = join(dir, "bench.db");
  try {
    const log = SqliteLog.open(path, { create: true });
    const runId = log.createRun({ scenario: "bench", scenarioHash: "bench", seed: 1, variant: "baseline", parameters: "{}", codeVersion: "bench", durationMs: 3_600_000, createdWall: "" });
    const started = performance.now();
    const result = runScenario(bigPlan(implementation), { seed: 1, variant: "baseline", sink: log.sinkForRun(runId) });
    const wallMs = performance.now() - started;
    log.close();
    const s = result.summary;
    const peakMb = process.resourceUsage().maxRSS / 1024; // of the process so far (the first run sets the base)
    console.log(`cluster: ${nodes} nodes, ${s.podsCreated} pods created, 1h virtual in ${(wallMs / 1000).toFixed(2)} s wall (${Math.round(3_600_000 / wallMs)}× real time; target ≤ 10 s)`);
    console.log(`cluster: ${s.eventCount} log records, ${result.steps} engine steps, ${Math.round(result.steps / (wallMs / 1000))} steps/s, log file ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`);
    console.log(`cluster: peak memory (max RSS) ${peakMb.toFixed(0)} MB (target ≤ 1,500 MB); bound p50 ${s.latency.boundMs.p50} ms, p99 ${s.latency.boundMs.p99} ms; expectations ${s.expectations.map((e) => `${e.name}=${e.passed ? "pass" : "FAIL"}`).join(" ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
