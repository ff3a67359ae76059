/** `npm run bench`: runs every benchmark in its own process (so peak memory is per benchmark). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const benches = [
  "bench/engine.ts",
  "bench/event-log.ts",
  "bench/cluster.ts",
  "bench/self-healing.ts",
  "bench/day.ts",
  "bench/scheduler-perf.ts",
  "bench/raft-throughput.ts",
  "bench/raft-swarm.ts",
  "bench/raft-election.ts",
  "bench/raft-linearizability.ts",
  "bench/report.ts",
  "bench/autoscaling.ts",
  "bench/compare-workers.ts",
  "bench/live.ts",
];

let failed = 0;
for (const file of benches) {
  if (!existsSync(file)) continue;
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, [file], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
