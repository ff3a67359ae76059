/** `kubetwin replay <db> [--run ID] --at <duration> [--json]` */
import { parseArgs } from "node:util";
import { snapshotOf, type ClusterState } from "../model/state.ts";
import { formatBytes, formatCpuMilli, formatDurationMs, parseDurationMs } from "../model/units.ts";
import { replay } from "../sim/replay.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { openExistingLog, pickRun } from "./open-log.ts";

export const replayHelp = `Usage: kubetwin replay <db> --at <duration> [--run ID] [--json]

Rebuilds the cluster state at a moment of a logged run from the nearest snapshot plus the events
after it, and prints nodes, workloads and pods (or the whole state as JSON).

Options:
  --at DURATION   virtual time, e.g. 25m or 1h2m3s (required)
  --run ID        run id (default: the latest run in the log)
  --json          print the rebuilt state as JSON
  -h, --help      this help`;

export function replayCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { run: { type: "string" }, at: { type: "string" }, json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("replay needs exactly one database file (see kubetwin replay --help)");
  if (values.at === undefined) throw new UsageError("replay needs --at <duration>, e.g. --at 25m");
  const atMs = parseDurationMs(values.at);
  if (atMs === undefined) throw new UsageError(`--at: expected a duration like "30s" or "25m", got "${values.at}"`);
  const path = positionals[0] as string;
  const log = openExistingLog(path);
  try {
    const run = pickRun(log, path, values.run);
    if (atMs > run.durationMs) throw new UsageError(`--at ${values.at} is after the end of run ${run.id} (${formatDurationMs(run.durationMs)})`);
    const snapshot = log.snapshotBefore(run.id, atMs);
    const state = replay(log.records(run.id, { afterSeq: snapshot?.seq ?? -1, atMsMax: atMs }), atMs, snapshot);
    if (values.json) process.stdout.write(JSON.stringify(snapshotOf(state)) + "\n");
    else process.stdout.write(formatState(state, run.id, atMs, snapshot?.atMs) + "\n");
    return exitOk;
  } finally {
    log.close();
  }
}

function formatState(state: ClusterState, runId: number, atMs: number, snapshotAtMs: number | undefined): string {
  const from = snapshotAtMs !== undefined ? `snapshot at ${formatDurationMs(snapshotAtMs)} + events` : "events from the start";
  const lines = [`run ${runId} at ${formatDurationMs(atMs)} (rebuilt from ${from})`, "", "Nodes"];
  lines.push(`  ${"name".padEnd(22)}${"zone".padEnd(12)}${"ready".padEnd(9)}${"pods".padStart(5)}${"cpu req/alloc".padStart(16)}${"memory req/alloc".padStart(20)}`);
  for (const name of [...state.nodes.keys()].sort()) {
    const node = state.nodes.get(name)!;
    const req = state.requestedByNode.get(name) ?? {};
    const down = state.machinesDown.has(name) ? " (down)" : "";
    lines.push(
      `  ${name.padEnd(22)}${(node.metadata.labels["topology.kubernetes.io/zone"] ?? "").padEnd(12)}${(node.status.ready + down).padEnd(9)}` +
        `${String(state.podsByNode.get(name)?.size ?? 0).padStart(5)}` +
        `${`${formatCpuMilli(req.cpu ?? 0)}/${formatCpuMilli(node.status.allocatable.cpu ?? 0)}`.padStart(16)}` +
        `${`${formatBytes(req.memory ?? 0)}/${formatBytes(node.status.allocatable.memory ?? 0)}`.padStart(20)}`,
    );
  }
  lines.push("", "Deployments");
  for (const key of [...state.deployments.keys()].sort()) {
    const d = state.deployments.get(key)!;
    lines.push(`  ${key.padEnd(40)} ready ${d.status.readyReplicas}/${d.spec.replicas}`);
  }
  lines.push("", "Pods");
  for (const key of [...state.pods.keys()].sort()) {
    const p = state.pods.get(key)!;
    const phase = p.metadata.deletionMs !== undefined ? "Terminating" : p.status.phase;
    lines.push(`  ${key.padEnd(48)}${phase.padEnd(12)}${(p.status.ready ? "ready" : "-").padEnd(7)}${p.spec.nodeName ?? "(unbound)"}`);
    // A Pending pod says why, as `kubectl describe pod` shows its PodScheduled condition's message.
    if (p.spec.nodeName === undefined && p.status.message !== undefined) lines.push(`      ${p.status.reason ?? "Unschedulable"}: ${p.status.message}`);
  }
  return lines.join("\n");
}
