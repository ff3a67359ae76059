/**
 * The run report's healing tables — node loss by zone (the eviction rate limit at work), crash
 * loops, rollouts, node operations (drains and the budgets that refused them), Jobs and deletions — from the
 * summary the run stored (src/log/summary-sections.ts). The same figures as the CLI's run summary,
 * laid out as tables; a section the run has nothing for is left out.
 */
import { killsText } from "../log/summary-sections.ts";
import { formatDurationMs } from "../model/units.ts";
import type { RunSummary } from "./run-summary.ts";

export interface SummaryTable {
  id: string;
  title: string;
  note: string;
  columns: string[];
  /** Cells as text; numeric columns are right-aligned by the page. */
  rows: string[][];
  numeric: boolean[];
}

const at = (ms: number | null | undefined): string => (ms === null || ms === undefined ? "–" : formatDurationMs(ms));

function table(id: string, title: string, note: string, columns: [string, boolean][], rows: string[][]): SummaryTable | undefined {
  if (rows.length === 0) return undefined;
  return { id, title, note, columns: columns.map(([c]) => c), numeric: columns.map(([, n]) => n), rows };
}

export function healingTables(s: RunSummary): SummaryTable[] {
  return [
    table(
      "node-loss", "Node loss by zone",
      "NoExecute taints come at the zone's eviction rate (slower, or none, in a partially disrupted zone); each pod is evicted when its toleration of the taint runs out.",
      [["zone", false], ["nodes lost", true], ["tainted", true], ["first taint", false], ["last taint", false], ["pods evicted", true]],
      (s.nodeLoss ?? []).map((z) => [z.zone || "(no zone)", String(z.nodesLost), String(z.nodesTainted), at(z.firstTaintMs), at(z.lastTaintMs), String(z.podsEvicted)]),
    ),
    table(
      "crash-loops", "Crash loops",
      "Restarts wait out CrashLoopBackOff: 10 s doubling to 5 min, back to 10 s after 10 min running.",
      [["workload", false], ["exits", true], ["of which kills", false], ["restarts", true], ["longest back-off", false], ["in CrashLoopBackOff at the end", true]],
      (s.crashLoops ?? []).map((w) => [w.workload, String(w.exits), killsText(w.kills), String(w.restarts), at(w.backOffMsMax), String(w.inCrashLoopBackOffAtEnd)]),
    ),
    table(
      "rollouts", "Rollouts",
      "Progressing turns to ProgressDeadlineExceeded after progressDeadlineSeconds without progress, and to NewReplicaSetAvailable when a rollout completes.",
      [["deployment", false], ["revision", true], ["template changes", true], ["pauses", true], ["deadline exceeded at", false], ["last completed", false], ["Progressing at the end", false]],
      (s.rollouts ?? []).map((r) => [r.deployment, String(r.revision), String(r.templateChanges), String(r.pauses), r.deadlineExceededAtMs.length === 0 ? "never" : r.deadlineExceededAtMs.map((ms) => formatDurationMs(ms)).join(", "), r.lastCompletedAtMs === undefined ? "never" : at(r.lastCompletedAtMs), r.progressingAtEnd || "(none)"]),
    ),
    table(
      "node-operations", "Node operations",
      "Drains evict through the Eviction API: a refusal is a disruption budget's 429, retried.",
      [["operation", false], ["node", false], ["phase", false], ["took", false], ["evicted", true], ["refused by a budget", true], ["reason", false]],
      (s.nodeOperations ?? []).map((op) => [op.operation.toLowerCase(), op.node, op.phase, op.startedMs !== undefined && op.finishedMs !== undefined ? formatDurationMs(op.finishedMs - op.startedMs) : "–", String(op.evicted), String(op.refused), op.reason ?? ""]),
    ),
    table(
      "jobs", "Jobs",
      "Per CronJob, or Job no CronJob made: failed Jobs by their Failed condition's reason.",
      [["owner", false], ["jobs", true], ["succeeded", true], ["failed", true], ["failed because", false], ["active at the end", true], ["pods succeeded", true], ["pods failed", true]],
      (s.jobs ?? []).map((j) => [j.owner, String(j.jobs), String(j.succeeded), String(j.failed), j.failedReasons.map((r) => `${r.reason || "no reason"} ${r.jobs}`).join(", "), String(j.activeAtEnd), String(j.podsSucceeded), String(j.podsFailed)]),
    ),
    table(
      "deletions", "Deletions",
      "kubectl delete with a propagation policy: Foreground keeps the owner until its blocking dependents are gone, Orphan removes the owner and leaves its dependents unowned.",
      [["workload", false], ["policy", false], ["asked", false], ["removed", false], ["orphaned", true], ["e.g.", false]],
      (s.deletions ?? []).map((d) => [d.target, d.policy, at(d.askedMs), d.removedMs === undefined ? "still there at the end" : at(d.removedMs), d.orphaned === undefined ? "" : String(d.orphaned.length), (d.orphaned ?? []).slice(0, 3).join(", ")]),
    ),
    table(
      "traffic", "Traffic",
      "Requests offered to each Service's ready endpoints; dropped when no endpoint takes them or a pod's queue is full; latency of the served requests for loads with queueing.",
      [["service", false], ["offered", true], ["served", true], ["dropped", true], ["no endpoint", true], ["queue full", true], ["p50", false], ["p95", false], ["p99", false]],
      (s.traffic ?? []).map((t) => [t.service, count(t.offeredRequests), count(t.servedRequests), `${count(t.droppedRequests)}${t.offeredRequests > 0 ? ` (${((100 * t.droppedRequests) / t.offeredRequests).toFixed(2)}%)` : ""}`, count(t.droppedNoEndpointRequests), count(t.droppedSaturatedRequests), latencyText(t.latency?.p50Ms), latencyText(t.latency?.p95Ms), latencyText(t.latency?.p99Ms)]),
    ),
    table(
      "node-pools", "Node pools and cost",
      `node-hours × price per hour${s.nodeCost === undefined ? "" : `: ${s.nodeCost.toFixed(2)} for the run`}; a pool the node autoscaler resizes shows its min..max.`,
      [["pool", false], ["min..max", false], ["start", true], ["peak", true], ["end", true], ["added", true], ["removed", true], ["node-hours", true], ["price / h", true], ["cost", true]],
      (s.nodeGroups ?? []).map((g) => [g.pool, g.minCount !== undefined ? `${g.minCount}..${g.maxCount}` : "fixed", String(g.nodesAtStart), String(g.nodesPeak), String(g.nodesAtEnd), String(g.nodesAdded), String(g.nodesRemoved), g.nodeHours.toFixed(2), g.pricePerHour.toFixed(3), g.cost.toFixed(2)]),
    ),
  ].filter((t): t is SummaryTable => t !== undefined);
}

const count = (n: number): string => String(Math.round(n));
const latencyText = (ms: number | undefined): string => (ms === undefined ? "–" : formatDurationMs(Math.round(ms)));
