/** Human-readable run summary for the terminal. */
import { formatDurationMs } from "../model/units.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import type { Distribution } from "../sim/observe/percentiles.ts";
import type { RunSummary } from "../sim/summary.ts";
import { formatLatencyMs } from "../sim/expectations.ts";
import type { ZoneNodeLoss } from "../sim/observe/node-loss.ts";
import type { WorkloadCrashLoops } from "../sim/observe/crash-loops.ts";
import type { ImagePullSummary } from "../sim/observe/image-pulls.ts";
import type { DeploymentRollouts } from "../sim/observe/rollouts.ts";
import type { BatchJobSummary } from "../sim/observe/batch-jobs.ts";
import type { DeletionSummary } from "../sim/observe/deletions.ts";
import { formatScaled, metricScale } from "../model/metric-scale.ts";
import { formatTextTable } from "./text-table.ts";
import { killsText } from "../log/summary-sections.ts";
import { accuracyLines, vpaLines } from "./format-vpa-summary.ts";

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

/** p50 … max in one unit for the table (chosen as for compared metrics), right-aligned, any number of pods. */
function latencyTable(latency: RunSummary["latency"]): string[] {
  const rows: [string, Distribution][] = [["created → bound", latency.boundMs], ["created → running", latency.runningMs]];
  const scale = metricScale("ms", rows.flatMap(([, d]) => [d.p50, d.p90, d.p99, d.max]));
  const f = (ms: number) => formatScaled(ms, scale);
  const right = "right" as const;
  return formatTextTable(
    [{ header: `from creation (${scale.unit})` }, { header: "p50", align: right }, { header: "p90", align: right }, { header: "p99", align: right }, { header: "max", align: right }, { header: "pods", align: right }],
    rows.map(([label, d]) => [label, f(d.p50), f(d.p90), f(d.p99), f(d.max), String(d.count)]),
  );
}

export interface RunContext {
  wallMs: number;
  dbPath?: string;
  runId?: number;
}

export function formatSummary(s: RunSummary, ctx: RunContext): string {
  const lines: string[] = [];
  const speed = ctx.wallMs > 0 ? `${Math.round(s.durationMs / ctx.wallMs)}× real time` : "";
  lines.push(`kubetwin run · ${s.scenario} · seed ${s.seed} · variant ${s.variant}`);
  lines.push(`  ${formatDurationMs(s.durationMs)} virtual · ${s.eventCount} events · ${(ctx.wallMs / 1000).toFixed(2)} s wall · ${speed}`);
  lines.push(`  fingerprint ${s.fingerprint}${ctx.dbPath ? ` · log ${ctx.dbPath} run ${ctx.runId}` : ""}`);
  for (const w of s.warnings.slice(0, 3)) lines.push(`  warning: ${w}`);
  if (s.warnings.length > 3) lines.push(`  … and ${s.warnings.length - 3} more warnings (--json lists them all)`);
  lines.push("", "Pods over time");
  lines.push(`  ${"time".padEnd(10)}${pad("pending", 8)}${pad("running", 8)}${pad("ready", 8)}${pad("termin.", 8)}${pad("nodes ok", 9)}${pad("not ok", 7)}`);
  const step = Math.max(1, Math.ceil(s.series.length / 12));
  for (let i = 0; i < s.series.length; i += step) lines.push(seriesRow(s.series[i] as RunSummary["series"][number]));
  const last = s.series.at(-1);
  if (last && (s.series.length - 1) % step !== 0) lines.push(seriesRow(last));
  lines.push("", "Scheduling latency");
  lines.push(...latencyTable(s.latency));
  lines.push(`  scheduling attempts ${s.schedulingAttempts} · preemptions ${s.preemptions} · write conflicts ${s.writeConflicts}`);
  if (s.admissionRejections.count > 0) {
    lines.push(`  admission rejected ${s.admissionRejections.count} create(s), e.g.:`);
    for (const r of s.admissionRejections.first.slice(0, 3)) lines.push(`    ${formatDurationMs(r.atMs)} ${r.code} ${r.plugin}: ${r.message}`);
  }
  if (s.unschedulable.pods > 0) {
    lines.push(`  ${s.unschedulable.pods} pod(s) were unschedulable at least once; last reasons (pods · still pending at the end):`);
    for (const r of s.unschedulable.reasons.slice(0, 5)) {
      lines.push(`    ${r.pods} · ${r.stillPending}  ${r.message}`);
      lines.push(`      e.g. ${r.examples.join(", ")}`);
    }
    if (s.unschedulable.reasons.length > 5) lines.push(`    … and ${s.unschedulable.reasons.length - 5} more reasons (--json lists them)`);
  }
  lines.push("", `Workloads${pad("ready", 31)}${pad("min ready", 11)}${pad("degraded", 13)}   (counted from first full availability)`);
  for (const w of s.workloads) {
    lines.push(`  ${w.key.padEnd(32).slice(0, 32)}${pad(`${w.ready}/${w.desired}`, 6)}${pad(`${Math.round(w.minReadyRatio * 100)}%`, 11)}${pad(formatDurationMs(w.degradedMs), 13)}`);
  }
  lines.push(...nodeLossLines(s.nodeLoss ?? []));
  lines.push(...crashLoopLines(s.crashLoops ?? []));
  lines.push(...imagePullLines(s.imagePulls));
  lines.push(...rolloutLines(s.rollouts ?? []));
  lines.push(...batchJobLines(s.jobs ?? []));
  lines.push(...deletionLines(s.deletions ?? []));
  lines.push(...trafficLines(s.traffic ?? []));
  if (s.nodeGroups !== undefined && s.nodeGroups.length > 0) {
    const w = Math.max(24, ...s.nodeGroups.map((g) => g.pool.length + 1));
    lines.push("", `Node pools${pad("min..max", w)}${pad("start", 7)}${pad("peak", 6)}${pad("end", 5)}${pad("added", 7)}${pad("removed", 9)}${pad("node-hours", 12)}${pad("cost", 10)}`);
    for (const g of s.nodeGroups) {
      const range = g.minCount !== undefined ? `${g.minCount}..${g.maxCount}` : g.pool.includes("/") ? "launched" : "fixed";
      lines.push(`  ${g.pool.padEnd(w)}${pad(range, 10)}${pad(String(g.nodesAtStart), 7)}${pad(String(g.nodesPeak), 6)}${pad(String(g.nodesAtEnd), 5)}${pad(String(g.nodesAdded), 7)}${pad(String(g.nodesRemoved), 9)}${pad(g.nodeHours.toFixed(2), 12)}${pad(g.cost.toFixed(2), 10)}`);
    }
    lines.push(`  node cost: ${(s.nodeCost ?? 0).toFixed(2)} (node-hours × price per hour)`);
  }
  if (s.provisioner !== undefined) {
    const p = s.provisioner;
    lines.push("", "Provisioner (Karpenter-shaped)");
    lines.push(`  launched: ${p.launched.length > 0 ? p.launched.map((l) => `${l.nodes} × ${l.offering}`).join(", ") : "none"}`);
    lines.push(`  consolidated: ${p.consolidated.length > 0 ? p.consolidated.map((c) => `${c.nodes} node(s) ${c.decision}`).join(", ") : "none"}`);
    if (p.spotInterruptions > 0) lines.push(`  spot interruptions handled: ${p.spotInterruptions}`);
  }
  lines.push(...vpaLines(s.verticalPodAutoscalers ?? []), ...accuracyLines(s.resourceAccuracy));
  if (s.controlPlane) {
    const cp = s.controlPlane;
    lines.push("", `Control plane (Raft, ${cp.members} members)`);
    lines.push(`  writes committed ${cp.writesCommitted} · latency p50 ${formatDurationMs(cp.latencyMsP50)} p99 ${formatDurationMs(cp.latencyMsP99)} max ${formatDurationMs(cp.latencyMsMax)} · client retries after timeout ${cp.failedWrites}`);
    lines.push(`  leader changes ${cp.leaderChanges} · unavailable ${formatDurationMs(cp.unavailableMsTotal)} in ${cp.unavailabilityWindows} window(s)`);
    for (const c of cp.leaderHistory.slice(0, 12)) lines.push(`    ${formatDurationMs(c.atMs).padEnd(12)} term ${String(c.term).padEnd(4)} ${c.leader === 0 ? "no leader" : `leader ${c.leader}`}`);
    for (const w of cp.unavailable.slice(0, 12)) {
      lines.push(`    unavailable ${formatDurationMs(w.startMs)} → ${w.endMs === null ? "end" : formatDurationMs(w.endMs)} (${w.reason})`);
    }
  }
  if (s.nodeOperations.length > 0) {
    lines.push("", "Node operations");
    for (const op of s.nodeOperations) {
      const took = op.startedMs !== undefined && op.finishedMs !== undefined ? ` in ${formatDurationMs(op.finishedMs - op.startedMs)}` : "";
      const evictions = op.operation === "Drain" ? ` · ${op.evicted} evicted, ${op.refused} eviction(s) refused by a budget` : "";
      lines.push(`  ${op.operation.toLowerCase()} ${op.node}: ${op.phase}${took}${evictions}${op.reason ? ` — ${op.reason}` : ""}`);
    }
  }
  if (s.faults.length > 0) {
    lines.push("", "Faults");
    for (const f of s.faults) lines.push(`  ${formatDurationMs(f.atMs).padEnd(12)}${f.fault.padEnd(24)}${f.label}  [${f.target}]`);
  }
  lines.push("", "Expectations");
  if (s.expectations.length === 0) lines.push("  (none)");
  for (const e of s.expectations) lines.push(`  ${e.passed ? "PASS" : "FAIL"}  ${e.name}: ${e.detail}`);
  // Warnings, fault labels and names come from the scenario: no control character reaches the terminal.
  return lines.map(terminalSafe).join("\n");
}

/** Lost nodes per zone: the NoExecute taints come one node at a time at the zone's eviction rate. */
function nodeLossLines(zones: readonly ZoneNodeLoss[]): string[] {
  if (zones.length === 0) return [];
  const out = ["", `Node loss by zone${pad("lost", 23)}${pad("tainted", 9)}${pad("first taint", 13)}${pad("last taint", 13)}${pad("pods evicted", 14)}`];
  const at = (ms: number | null) => (ms === null ? "–" : formatDurationMs(ms));
  for (const z of zones) {
    out.push(`  ${(z.zone || "(no zone)").padEnd(32).slice(0, 32)}${pad(String(z.nodesLost), 6)}${pad(String(z.nodesTainted), 9)}${pad(at(z.firstTaintMs), 13)}${pad(at(z.lastTaintMs), 13)}${pad(String(z.podsEvicted), 14)}`);
  }
  out.push("  NoExecute taints come at the zone's eviction rate (nodeEvictionRate; slower or none in a partially disrupted zone); each pod is evicted when its toleration of the taint runs out");
  return out;
}

/** Deployment rollouts: revision, template changes, progress deadline exceeded, last completion, Progressing at the end. */
function rolloutLines(deployments: readonly DeploymentRollouts[]): string[] {
  if (deployments.length === 0) return [];
  const out = ["", "Rollouts"];
  for (const r of deployments) {
    const exceeded = r.deadlineExceededAtMs.length === 0 ? "deadline never exceeded" : `deadline exceeded at ${r.deadlineExceededAtMs.map(formatDurationMs).join(", ")}`;
    const completed = r.lastCompletedAtMs === undefined ? "never completed" : `completed at ${formatDurationMs(r.lastCompletedAtMs)}`;
    const pauses = r.pauses > 0 ? ` · paused ${r.pauses}×` : "";
    out.push(`  ${r.deployment.padEnd(32).slice(0, 32)} revision ${r.revision} · template changes ${r.templateChanges}${pauses} · ${exceeded} · ${completed} · Progressing ${r.progressingAtEnd || "(none)"}`);
  }
  return out;
}

/** Crashing containers per workload: restarts wait out CrashLoopBackOff (10 s doubling to 5 min). */
function crashLoopLines(workloads: readonly WorkloadCrashLoops[]): string[] {
  if (workloads.length === 0) return [];
  const out = ["", "Crash loops"];
  for (const w of workloads) {
    out.push(`  ${w.workload.padEnd(32).slice(0, 32)} exits ${w.exits}${killedText(w)} · restarts ${w.restarts} · longest back-off ${formatDurationMs(w.backOffMsMax)} · in CrashLoopBackOff at the end ${w.inCrashLoopBackOffAtEnd}`);
  }
  return out;
}

/** Pods that waited for their images: how many, how long in all, the longest wait and its image. */
function imagePullLines(p: ImagePullSummary | undefined): string[] {
  if (p === undefined) return [];
  const never = p.neverPulled > 0 ? ` · ${p.neverPulled} waiting for an image they may not pull (ErrImageNeverPull)` : "";
  const longest = p.podsWaited > 0 ? ` · longest ${formatDurationMs(p.waitMsMax)} (${p.longestImage})` : "";
  return ["", `Image pulls: ${p.podsWaited} pod(s) waited ${formatDurationMs(p.waitMsTotal)} in all${longest}${never}`];
}

/** " (killed: liveness probe 3, OOMKilled 1)" when some exits were kills. */
function killedText(w: WorkloadCrashLoops): string {
  return w.kills === undefined ? "" : ` (killed: ${killsText(w.kills)})`;
}

/** Jobs per CronJob (or standalone Job): how many ran, succeeded, failed and why. */
function batchJobLines(owners: readonly BatchJobSummary[]): string[] {
  if (owners.length === 0) return [];
  const out = ["", `Jobs${pad("jobs", 32)}${pad("succeeded", 11)}${pad("failed", 8)}${pad("active", 8)}${pad("pods ok", 9)}${pad("pods failed", 13)}`];
  for (const o of owners) {
    const reasons = o.failedReasons.length === 0 ? "" : `  (${o.failedReasons.map((r) => `${r.reason || "no reason"} ${r.jobs}`).join(", ")})`;
    out.push(`  ${o.owner.padEnd(32).slice(0, 32)}${pad(o.jobs, 4)}${pad(o.succeeded, 11)}${pad(o.failed, 8)}${pad(o.activeAtEnd, 8)}${pad(o.podsSucceeded, 9)}${pad(o.podsFailed, 13)}${reasons}`);
  }
  return out;
}

/** Workloads deleted: the policy, when asked, when finally removed (the collector's work in between), what was orphaned. */
function deletionLines(deletions: readonly DeletionSummary[]): string[] {
  if (deletions.length === 0) return [];
  const out = ["", "Deletions"];
  for (const d of deletions) {
    const removed = d.removedMs === undefined ? "still there at the end" : `removed at ${formatDurationMs(d.removedMs)}`;
    const orphaned = d.orphaned === undefined ? "" : ` · orphaned ${d.orphaned.length}${d.orphaned.length > 0 ? ` (${d.orphaned.slice(0, 3).join(", ")}${d.orphaned.length > 3 ? ", …" : ""})` : ""}`;
    out.push(`  ${d.target.padEnd(32).slice(0, 32)} ${d.policy} at ${formatDurationMs(d.askedMs)} · ${removed}${orphaned}`);
  }
  return out;
}

function seriesRow(p: RunSummary["series"][number]): string {
  return `  ${formatDurationMs(p.atMs).padEnd(10)}${pad(p.pending, 8)}${pad(p.running, 8)}${pad(p.ready, 8)}${pad(p.terminating, 8)}${pad(p.nodesReady, 9)}${pad(p.nodesNotReady, 7)}`;
}

/** Offered, served and dropped per Service; drops by cause and latency percentiles when there are any. */
function trafficLines(traffic: NonNullable<RunSummary["traffic"]>): string[] {
  if (traffic.length === 0) return [];
  const lines = ["", `Traffic${pad("offered", 35)}${pad("served", 11)}${pad("dropped", 11)}`];
  for (const t of traffic) {
    const dropped = t.offeredRequests === 0 ? "" : ` (${((100 * t.droppedRequests) / t.offeredRequests).toFixed(2)}%)`;
    lines.push(`  ${t.service.padEnd(32).slice(0, 32)}${pad(String(Math.round(t.offeredRequests)), 8)}${pad(String(Math.round(t.servedRequests)), 11)}${pad(String(Math.round(t.droppedRequests)), 11)}${dropped}`);
    if (t.droppedRequests > 0) lines.push(`    dropped: ${Math.round(t.droppedNoEndpointRequests)} without a ready endpoint, ${Math.round(t.droppedSaturatedRequests)} to full queues`);
    if (t.latency !== undefined) lines.push(`    latency p50 ${formatLatencyMs(t.latency.p50Ms)} · p95 ${formatLatencyMs(t.latency.p95Ms)} · p99 ${formatLatencyMs(t.latency.p99Ms)}`);
  }
  return lines;
}
