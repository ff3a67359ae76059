/**
 * How the cost of a real run grows with the cluster: 30 pods per node, one simulated hour, the
 * kube-scheduler framework, the SQLite log on, node crashes as in bench/cluster.ts. Two shapes:
 * few large Deployments (100 replicas each) and many small ones (30 replicas each, one per node).
 * Each size runs in its own process (so peak memory is that run's); prints wall time, log records,
 * engine steps, µs per engine step, peak RSS, and the exponent fitted to wall time ∝ nodes^k
 * (least squares on the logs). Wall time is read here only.
 *
 *   node bench/scaling.ts                          # 100, 1,000, 2,000 nodes, both shapes
 *   node bench/scaling.ts --full                   # also 5,000 nodes (minutes on 2 shared cores)
 *   node bench/scaling.ts --nodes 100,500 --shape many-small --repeat 3   # medians of 3
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import { runScenario } from "../src/sim/run.ts";
import { bigPlan } from "./cluster.ts";

type Shape = "few-large" | "many-small";
const replicasOf: Record<Shape, number> = { "few-large": 100, "many-small": 30 };
const podsPerNode = 30;

interface Figures {
  shape: Shape;
  nodes: number;
  wallMs: number;
  /** CPU time of the run (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  records: number;
  steps: number;
  peakMb: number;
  pods: number;
}

function runOne(shape: Shape, nodes: number): Figures {
  const replicas = replicasOf[shape];
  const plan = bigPlan("framework", { nodes, deployments: Math.round((nodes * podsPerNode) / replicas), replicas });
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-scaling-"));
  try {
    const log = SqliteLog.open(join(dir, "scaling.db"), { create: true });
    const runId = log.createRun({ scenario: "scaling", scenarioHash: "bench", seed: 1, variant: "baseline", parameters: "{}", codeVersion: "bench", durationMs: plan.durationMs, createdWall: "" });
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = runScenario(plan, { seed: 1, variant: "baseline", sink: log.sinkForRun(runId) });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    log.close();
    return { shape, nodes, wallMs, cpuMs, records: result.summary.eventCount, steps: result.steps, peakMb: process.resourceUsage().maxRSS / 1024, pods: result.summary.podsCreated };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Least-squares slope of log(y) against log(x). */
export function fittedExponent(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += ((lx[i] as number) - mx) * ((ly[i] as number) - my);
    den += ((lx[i] as number) - mx) ** 2;
  }
  return num / den;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { full: { type: "boolean" }, nodes: { type: "string" }, shape: { type: "string" }, repeat: { type: "string" }, child: { type: "string" } },
  });
  if (values.child !== undefined) {
    const [shape, nodes] = values.child.split(":") as [Shape, string];
    const f = runOne(shape, Number(nodes));
    process.stdout.write(JSON.stringify(f));
  } else {
    const sizes = (values.nodes ?? (values.full ? "100,1000,2000,5000" : "100,1000,2000")).split(",").map(Number);
    const shapes = (values.shape ?? "few-large,many-small").split(",") as Shape[];
    const repeat = Number(values.repeat ?? 1);
    for (const shape of shapes) {
      const walls: number[] = [];
      const cpus: number[] = [];
      for (const nodes of sizes) {
        const runs: Figures[] = [];
        for (let r = 0; r < repeat; r++) {
          const out = execFileSync(process.execPath, [import.meta.filename, "--child", `${shape}:${nodes}`], { encoding: "utf8", maxBuffer: 1 << 20 });
          runs.push(JSON.parse(out) as Figures);
        }
        const wallMs = median(runs.map((f) => f.wallMs));
        const cpuMs = median(runs.map((f) => f.cpuMs));
        const f = runs[0] as Figures;
        walls.push(wallMs);
        cpus.push(cpuMs);
        console.log(
          `scaling: ${shape} ${nodes} nodes, ${f.pods} pods: ${(wallMs / 1000).toFixed(2)} s wall (median of ${repeat}: ${runs.map((x) => (x.wallMs / 1000).toFixed(1)).join(", ")}), ` +
            `cpu ${(cpuMs / 1000).toFixed(2)} s, ${f.records} records, ${f.steps} steps, ${((wallMs * 1000) / f.steps).toFixed(1)} µs/step, peak RSS ${Math.round(median(runs.map((x) => x.peakMb)))} MB`,
        );
      }
      if (sizes.length > 1) {
        console.log(`scaling: ${shape} fitted exponent (wall ∝ nodes^k) k = ${fittedExponent(sizes, walls).toFixed(2)}, (cpu ∝ nodes^k) k = ${fittedExponent(sizes, cpus).toFixed(2)} (target ≤ 1.1)`);
      }
    }
  }
}
