/**
 * The decoder of the `runs.summary` JSON the runner writes at the end of a run (its shape:
 * src/log/run-summary.ts), read leniently: every field is optional, so a report still renders for
 * a run that stopped early or an older summary shape.
 */
import type { WorkloadCrashLoops } from "../log/summary-sections.ts";
import type { StoredRunSummary } from "../log/run-summary.ts";
import { ReportInputError } from "./report-input-error.ts";

export type { ExpectationResult, FaultSummary, WorkloadSummary } from "../log/run-summary.ts";

/** What a report reads of a stored summary: every field may be missing. */
export type RunSummary = Partial<StoredRunSummary>;

export function parseRunSummary(text: string | null, where: string): RunSummary {
  if (text === null || text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`${where}: run summary is not JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ReportInputError(`${where}: run summary is not an object`);
  const s = value as Record<string, unknown>;
  const out: RunSummary = { ...(s as RunSummary) };
  out.expectations = arrayOf(s.expectations, (e) => ({
    name: String(e.name ?? ""),
    kind: String(e.kind ?? ""),
    passed: e.passed === true,
    detail: String(e.detail ?? ""),
  }));
  out.faults = arrayOf(s.faults, (f) => ({ atMs: Number(f.atMs), fault: String(f.fault ?? ""), target: String(f.target ?? ""), label: String(f.label ?? "") }));
  out.workloads = arrayOf(s.workloads, (w) => ({
    key: String(w.key ?? ""),
    desired: Number(w.desired),
    ready: Number(w.ready),
    minReadyRatio: Number(w.minReadyRatio),
  }));
  out.nodeLoss = arrayOf(s.nodeLoss, (z) => ({
    zone: String(z.zone ?? ""),
    nodesLost: Number(z.nodesLost),
    nodesTainted: Number(z.nodesTainted),
    firstTaintMs: msOrNull(z.firstTaintMs),
    lastTaintMs: msOrNull(z.lastTaintMs),
    podsEvicted: Number(z.podsEvicted),
  }));
  out.crashLoops = arrayOf(s.crashLoops, (w) => ({
    workload: String(w.workload ?? ""),
    exits: Number(w.exits),
    restarts: Number(w.restarts),
    backOffMsMax: Number(w.backOffMsMax),
    inCrashLoopBackOffAtEnd: Number(w.inCrashLoopBackOffAtEnd),
    ...(w.kills !== null && typeof w.kills === "object" ? { kills: w.kills as NonNullable<WorkloadCrashLoops["kills"]> } : {}),
  }));
  out.rollouts = arrayOf(s.rollouts, (r) => ({
    deployment: String(r.deployment ?? ""),
    revision: Number(r.revision),
    templateChanges: Number(r.templateChanges),
    pauses: Number(r.pauses ?? 0),
    deadlineExceededAtMs: Array.isArray(r.deadlineExceededAtMs) ? r.deadlineExceededAtMs.map(Number) : [],
    ...(typeof r.lastCompletedAtMs === "number" ? { lastCompletedAtMs: r.lastCompletedAtMs } : {}),
    progressingAtEnd: String(r.progressingAtEnd ?? ""),
  }));
  out.nodeOperations = arrayOf(s.nodeOperations, (op) => ({
    name: String(op.name ?? ""),
    node: String(op.node ?? ""),
    operation: String(op.operation ?? ""),
    phase: String(op.phase ?? ""),
    ...(typeof op.reason === "string" ? { reason: op.reason } : {}),
    ...(typeof op.startedMs === "number" ? { startedMs: op.startedMs } : {}),
    ...(typeof op.finishedMs === "number" ? { finishedMs: op.finishedMs } : {}),
    evicted: Number(op.evicted ?? 0),
    refused: Number(op.refused ?? 0),
  }));
  out.jobs = arrayOf(s.jobs, (j) => ({
    owner: String(j.owner ?? ""),
    jobs: Number(j.jobs),
    succeeded: Number(j.succeeded),
    failed: Number(j.failed),
    failedReasons: arrayOf(j.failedReasons, (r) => ({ reason: String(r.reason ?? ""), jobs: Number(r.jobs) })),
    activeAtEnd: Number(j.activeAtEnd),
    podsSucceeded: Number(j.podsSucceeded),
    podsFailed: Number(j.podsFailed),
  }));
  out.deletions = arrayOf(s.deletions, (d) => ({
    target: String(d.target ?? ""),
    policy: d.policy === "Foreground" || d.policy === "Orphan" ? d.policy : "Background",
    askedMs: Number(d.askedMs),
    ...(typeof d.removedMs === "number" ? { removedMs: d.removedMs } : {}),
    ...(Array.isArray(d.orphaned) ? { orphaned: d.orphaned.map(String) } : {}),
  }));
  out.nodeGroups = arrayOf(s.nodeGroups, (g) => ({
    pool: String(g.pool ?? ""),
    ...(typeof g.minCount === "number" ? { minCount: g.minCount } : {}),
    ...(typeof g.maxCount === "number" ? { maxCount: g.maxCount } : {}),
    nodesAtStart: Number(g.nodesAtStart),
    nodesAtEnd: Number(g.nodesAtEnd),
    nodesPeak: Number(g.nodesPeak),
    nodesAdded: Number(g.nodesAdded),
    nodesRemoved: Number(g.nodesRemoved),
    nodeHours: Number(g.nodeHours),
    pricePerHour: Number(g.pricePerHour),
    cost: Number(g.cost),
  }));
  out.traffic = arrayOf(s.traffic, (t) => {
    const l = t.latency as Record<string, unknown> | undefined;
    return {
      service: String(t.service ?? ""),
      offeredRequests: Number(t.offeredRequests),
      servedRequests: Number(t.servedRequests),
      droppedRequests: Number(t.droppedRequests),
      droppedNoEndpointRequests: Number(t.droppedNoEndpointRequests ?? t.droppedRequests),
      droppedSaturatedRequests: Number(t.droppedSaturatedRequests ?? 0),
      ...(l !== null && typeof l === "object" ? { latency: { p50Ms: Number(l.p50Ms), p95Ms: Number(l.p95Ms), p99Ms: Number(l.p99Ms) } } : {}),
    };
  });
  if (typeof s.nodeCost === "number") out.nodeCost = s.nodeCost;
  else delete out.nodeCost;
  return out;
}

function msOrNull(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

function arrayOf<T>(value: unknown, map: (item: Record<string, unknown>) => T): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object").map(map);
}
