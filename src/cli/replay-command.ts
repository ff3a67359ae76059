/** `kubetwin replay <db> [--run ID] --at <duration> [--json]` */
import { parseArgs } from "node:util";
import { snapshotOf, type ClusterState } from "../model/state.ts";
import { formatBytes, formatCpuMilli, formatDurationMs, parseDurationMs } from "../model/units.ts";
import { replay } from "../sim/replay.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { formatTextTable } from "./text-table.ts";
import { allowIncompleteHelp, openRun, readingRun } from "./open-log.ts";

export const replayHelp = `Usage: kubetwin replay <db> --at <duration> [--run ID] [--json]

Rebuilds the cluster state at a moment of a logged run from the nearest snapshot plus the events
after it, and prints nodes, workloads and pods (or the whole state as JSON). What it uses is
checked first: the run digest, the snapshot against its digest, every chunk of records against
the fingerprint chain, every record through the event codec (a mismatch: exit 3, nothing printed).

Options:
  --at DURATION   virtual time, e.g. 25m or 1h2m3s (required)
  --run ID        run id (default: the latest complete run in the log, named on stderr)
  --json          print the rebuilt state as JSON
${allowIncompleteHelp}
  -h, --help      this help`;

export function replayCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { run: { type: "string" }, at: { type: "string" }, json: { type: "boolean", default: false }, "allow-incomplete": { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("replay needs exactly one database file (see kubetwin replay --help)");
  if (values.at === undefined) throw new UsageError("replay needs --at <duration>, e.g. --at 25m");
  const atMs = parseDurationMs(values.at);
  if (atMs === undefined) throw new UsageError(`--at: expected a duration like "30s" or "25m", got "${values.at}"`);
  const path = positionals[0] as string;
  const { log, run } = openRun(path, values.run, { command: "replay", allowIncomplete: values["allow-incomplete"] === true });
  try {
    if (atMs > run.durationMs) throw new UsageError(`--at ${values.at} is after the end of run ${run.id} (${formatDurationMs(run.durationMs)})`);
    const state = readingRun(path, run, () => {
      const snapshot = log.snapshotBefore(run.id, atMs);
      return { state: replay(log.records(run.id, { afterSeq: snapshot?.seq ?? -1, atMsMax: atMs }), atMs, snapshot), snapshotAtMs: snapshot?.atMs };
    });
    if (values.json) process.stdout.write(JSON.stringify(snapshotOf(state.state)) + "\n");
    else process.stdout.write(formatState(state.state, run.id, atMs, state.snapshotAtMs, run.status) + "\n");
    return exitOk;
  } finally {
    log.close();
  }
}

export function formatState(state: ClusterState, runId: number, atMs: number, snapshotAtMs: number | undefined, status = "done"): string {
  const from = snapshotAtMs !== undefined ? `snapshot at ${formatDurationMs(snapshotAtMs)} + events` : "events from the start";
  const unfinished = status === "done" || status === "shadow" ? "" : ` — ${status.toUpperCase()} run: only what it logged`;
  const lines = [`run ${runId} at ${formatDurationMs(atMs)} (rebuilt from ${from})${unfinished}`, "", "Nodes"];
  const nodeRows = [...state.nodes.keys()].sort().map((name) => {
    const node = state.nodes.get(name)!;
    const req = state.requestedByNode.get(name) ?? {};
    const down = state.machinesDown.has(name) ? " (down)" : "";
    return [
      name,
      node.metadata.labels["topology.kubernetes.io/zone"] ?? "",
      node.status.ready + down,
      String(state.podsByNode.get(name)?.size ?? 0),
      `${formatCpuMilli(req.cpu ?? 0)}/${formatCpuMilli(node.status.allocatable.cpu ?? 0)}`,
      `${formatBytes(req.memory ?? 0)}/${formatBytes(node.status.allocatable.memory ?? 0)}`,
    ];
  });
  const right = "right" as const;
  lines.push(...formatTextTable([{ header: "name" }, { header: "zone" }, { header: "ready" }, { header: "pods", align: right }, { header: "cpu req/alloc", align: right }, { header: "memory req/alloc", align: right }], nodeRows));
  lines.push("", "Deployments");
  const deploymentRows = [...state.deployments.keys()].sort().map((key) => {
    const d = state.deployments.get(key)!;
    return [key, `${d.status.readyReplicas}/${d.spec.replicas}`];
  });
  lines.push(...formatTextTable([{ header: "name" }, { header: "ready", align: right }], deploymentRows));
  lines.push("", "Pods");
  const podKeys = [...state.pods.keys()].sort();
  const podRows = podKeys.map((key) => {
    const p = state.pods.get(key)!;
    const phase = p.metadata.deletionMs !== undefined ? "Terminating" : p.status.phase;
    return [key, phase, p.status.ready ? "ready" : "-", p.spec.nodeName ?? "(unbound)"];
  });
  const [header, ...rows] = formatTextTable([{ header: "name" }, { header: "phase" }, { header: "ready" }, { header: "node" }], podRows);
  lines.push(header as string);
  for (const [i, key] of podKeys.entries()) {
    lines.push(rows[i] as string);
    // A Pending pod says why, as `kubectl describe pod` shows its PodScheduled condition's message.
    const p = state.pods.get(key)!;
    if (p.spec.nodeName === undefined && p.status.message !== undefined) lines.push(`      ${p.status.reason ?? "Unschedulable"}: ${p.status.message}`);
  }
  return lines.join("\n");
}
