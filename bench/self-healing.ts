/**
 * The self-healing benchmark: NODES nodes (default 1,000) in 3 zones, DEPLOYMENTS Deployments
 * (default 300) of REPLICAS replicas (default 50), all controllers on (framework scheduler, node
 * lifecycle with zone rate limits and taint eviction, Deployment and ReplicaSet controllers with
 * progress deadlines), the SQLite log on. At 20m a third of the Deployments roll out a new image;
 * 20 s later the whole of zone-b (a third of the nodes) is lost for good. Prints wall time per
 * simulated hour (target ≥ 500× real time), peak memory, and the recovery timeline: first NotReady,
 * first and last NoExecute taint, first and last eviction, last replacement pod bound, and when
 * every Deployment was fully available again.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogRecord } from "../src/log/record.ts";
import { ForwardingSink } from "../src/log/forwarding-sink.ts";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import { formatDurationMs, type Ms } from "../src/model/units.ts";
import { defaultParameters, type FaultPlan, type ScenarioPlan } from "../src/sim/plan.ts";
import { runScenario } from "../src/sim/run.ts";
import { deployment } from "../test/sim/plan-fixture.ts";

const nodes = Number(process.env.NODES ?? 1000);
const deployments = Number(process.env.DEPLOYMENTS ?? 300);
const replicas = Number(process.env.REPLICAS ?? 50);
const durationMs = 3_600_000;
const rolloutAtMs = 20 * 60_000;
const zoneLossAtMs = rolloutAtMs + 20_000;

function plan(): ScenarioPlan {
  const workloads = Array.from({ length: deployments }, (_, i) => {
    const d = deployment("bench", `app-${i}`, replicas, 100 + (i % 8) * 50, (128 + (i % 4) * 128) * 2 ** 20);
    d.spec.revisionHistoryLimit = 10;
    d.spec.progressDeadlineSeconds = 600;
    return { kind: "Deployment" as const, object: d, atMs: (i % 60) * 1000 };
  });
  const rollouts: FaultPlan[] = workloads
    .filter((_, i) => i % 3 === 0)
    .map((w) => {
      const template = structuredClone(w.object.spec.template);
      for (const c of template.spec.containers) c.image = "bench:2";
      return { kind: "Rollout", atMs: rolloutAtMs, namespace: "bench", name: w.object.metadata.name, template, label: `roll out ${w.object.metadata.name}` };
    });
  return {
    name: "bench-self-healing",
    description: "a zone lost under a rolling update",
    sourceHash: "bench",
    durationMs,
    seed: 1,
    namespaces: ["bench"],
    nodePools: [{ name: "pool", count: nodes, zones: ["zone-a", "zone-b", "zone-c"], allocatable: { cpu: 16_000, memory: 64 * 2 ** 30, pods: 110 }, labels: {}, taints: [] }],
    workloads,
    faults: [...rollouts, { kind: "NodeCrash", atMs: zoneLossAtMs, target: { zone: "zone-b" }, label: "zone-b is lost" }],
    expectations: [{ kind: "Converged", name: "converged", workload: "*" }],
    parameters: { ...defaultParameters, scheduler: { ...defaultParameters.scheduler, implementation: "framework" } },
    variants: {},
    warnings: [],
  };
}

/** The recovery timeline, read off the records as they are written (the log itself is the SQLite sink behind). */
class TimelineSink extends ForwardingSink {
  firstNotReadyMs?: Ms;
  firstTaintMs?: Ms;
  lastTaintMs?: Ms;
  firstEvictionMs?: Ms;
  lastEvictionMs?: Ms;
  evictions = 0;
  lastBoundMs?: Ms;
  /** When the last Deployment short of available replicas got them all back (after the evictions began). */
  recoveredMs?: Ms;
  private readonly short = new Set<string>();

  override append(record: LogRecord): void {
    this.inner.append(record);
    if (record.atMs < zoneLossAtMs) return;
    if (record.kind === "NodeReadyChanged" && this.firstNotReadyMs === undefined && !record.payload.includes('"ready":"True"')) this.firstNotReadyMs = record.atMs;
    else if (record.kind === "NodeTaintsChanged" && record.payload.includes("node.kubernetes.io/unreachable") && record.payload.includes("NoExecute")) {
      this.firstTaintMs ??= record.atMs;
      this.lastTaintMs = record.atMs;
    } else if (record.kind === "PodDeleting" && record.payload.includes("DeletionByTaintManager")) {
      this.firstEvictionMs ??= record.atMs;
      this.lastEvictionMs = record.atMs;
      this.evictions++;
    } else if (record.kind === "PodBound" && this.firstEvictionMs !== undefined) this.lastBoundMs = record.atMs;
    else if (record.kind === "DeploymentStatusChanged") {
      const { key, status } = JSON.parse(record.payload) as { key: string; status: { availableReplicas: number } };
      if (status.availableReplicas < replicas) this.short.add(key);
      else if (this.short.delete(key) && this.short.size === 0 && this.firstEvictionMs !== undefined) this.recoveredMs = record.atMs;
    }
  }
}

const at = (ms: Ms | undefined) => (ms === undefined ? "never" : formatDurationMs(ms));

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-bench-"));
  const path = join(dir, "bench.db");
  try {
    const log = SqliteLog.open(path, { create: true });
    const runId = log.createRun({ scenario: "bench-self-healing", scenarioHash: "bench", seed: 1, variant: "baseline", parameters: "{}", codeVersion: "bench", durationMs, createdWall: "" });
    const sink = new TimelineSink(log.sinkForRun(runId));
    const started = performance.now();
    const result = runScenario(plan(), { seed: 1, variant: "baseline", sink });
    const wallMs = performance.now() - started;
    log.close();
    const s = result.summary;
    console.log(`self-healing: ${nodes} nodes, ${deployments} Deployments × ${replicas}, ${s.podsCreated} pods created; 1h virtual in ${(wallMs / 1000).toFixed(2)} s wall (${Math.round(durationMs / wallMs)}× real time; target ≥ 500×)`);
    console.log(`self-healing: ${s.eventCount} log records, ${result.steps} engine steps, log file ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB, peak memory (max RSS) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    console.log(`self-healing: zone-b lost at ${at(zoneLossAtMs)} (rollout of ${Math.ceil(deployments / 3)} Deployments at ${at(rolloutAtMs)}); first NotReady ${at(sink.firstNotReadyMs)}; NoExecute taints ${at(sink.firstTaintMs)} … ${at(sink.lastTaintMs)}`);
    console.log(`self-healing: ${sink.evictions} pods evicted, first ${at(sink.firstEvictionMs)}, last ${at(sink.lastEvictionMs)}; last replacement bound ${at(sink.lastBoundMs)}; every Deployment available again at ${at(sink.recoveredMs)}; expectations ${s.expectations.map((e) => `${e.name}=${e.passed ? "pass" : "FAIL"}`).join(" ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
