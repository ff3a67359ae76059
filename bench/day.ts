/**
 * A simulated day: the headline cluster (1,000 nodes, 30 pods per node by default; NODES,
 * DEPLOYMENTS, REPLICAS, HOURS to change it) for HOURS of virtual time, framework scheduler,
 * SQLite on, no faults. Prints the wall time, the heap after a full GC at each hour (issue target:
 * flat within 10% between hour 2 and the last), the peak RSS and the log's size (target ≤ 250 MiB
 * for 1,000 nodes and 24 h).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import { buildWorld } from "../src/sim/world.ts";
import { bigPlan } from "./cluster.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const nodes = Number(process.env.NODES ?? 1000);
const hours = Number(process.env.HOURS ?? 24);
const size = { nodes, deployments: Number(process.env.DEPLOYMENTS ?? Math.round((nodes * 3) / 10)), replicas: Number(process.env.REPLICAS ?? 100) };
const plan = { ...bigPlan("framework", size), durationMs: hours * 3_600_000, faults: [] };

const dir = mkdtempSync(join(tmpdir(), "kubetwin-day-"));
const path = join(dir, "day.db");
try {
  const log = SqliteLog.open(path, { create: true });
  const runId = log.createRun({ scenario: "day", scenarioHash: "day", seed: 1, variant: "baseline", parameters: "{}", codeVersion: "bench", durationMs: plan.durationMs, createdWall: "" });
  const sink = log.sinkForRun(runId);
  const world = buildWorld(plan, 1, sink);
  const started = performance.now();
  const heapMb: number[] = [];
  for (let h = 1; h <= hours; h++) {
    world.engine.runUntil({ atMsMax: h * 3_600_000, stepsMax: Number.MAX_SAFE_INTEGER });
    gc();
    heapMb.push(process.memoryUsage().heapUsed / 2 ** 20);
  }
  const wallMs = performance.now() - started;
  sink.finish();
  log.close();
  const from = heapMb[Math.min(1, heapMb.length - 1)] as number;
  const to = heapMb.at(-1) as number;
  console.log(`day: ${nodes} nodes, ${size.deployments * size.replicas} pods, ${hours} h virtual in ${(wallMs / 1000).toFixed(1)} s wall (${Math.round(plan.durationMs / wallMs)}× real time; target 1,000 nodes / 24 h ≤ 30 s)`);
  console.log(`day: heap after GC by hour ${heapMb.map((m) => m.toFixed(0)).join(" ")} MB; hour 2 → ${hours}: ${(((to - from) / from) * 100).toFixed(1)}% (target within 10%)`);
  console.log(`day: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; log ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB (target ≤ 250 MiB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
