/** Judges a finished run against the scenario's expectations; each result says why. */
import { ratioAtLeast, ratioToNumber } from "../model/ratio.ts";
import { formatDurationMs, type Ms } from "../model/units.ts";
import type { RunObserver } from "./observe/run-observer.ts";
import { firstFullyAvailable } from "./observe/availability.ts";
import type { ExpectationPlan } from "./plan.ts";
import { addTotals, emptyTotals, scoreOf, type AccuracyScore } from "./observe/resource-accuracy.ts";
import type { TrafficSummary } from "./load/traffic-summary.ts";

export interface ExpectationResult {
  name: string;
  kind: ExpectationPlan["kind"];
  passed: boolean;
  detail: string;
}

export function judge(expectations: readonly ExpectationPlan[], observer: RunObserver, endMs: Ms, traffic: readonly TrafficSummary[] = []): ExpectationResult[] {
  return expectations.map((e) => {
    switch (e.kind) {
      case "MaxPending":
        return maxPending(e, observer, endMs);
      case "Availability":
        return availability(e, observer);
      case "Converged":
        return converged(e, observer);
      case "Jobs":
        return jobs(e, observer);
      case "ResourceAccuracy":
        return resourceAccuracy(e, observer);
      case "Latency":
        return latency(e, traffic);
      case "Dropped":
        return dropped(e, traffic);
    }
  });
}

/** The longest time any pod spent created-but-unbound (still pending at the end counts to the end). */
export function longestPending(observer: RunObserver, endMs: Ms): { key: string; ms: Ms } {
  let worst = { key: "", ms: 0 };
  for (const [key, t] of observer.pods) {
    const until = t.boundMs ?? t.goneMs ?? endMs;
    if (until - t.createdMs > worst.ms) worst = { key, ms: until - t.createdMs };
  }
  return worst;
}

function maxPending(e: Extract<ExpectationPlan, { kind: "MaxPending" }>, observer: RunObserver, endMs: Ms): ExpectationResult {
  const worst = longestPending(observer, endMs);
  const passed = worst.ms <= e.maxPendingMs;
  const who = worst.key ? ` (${worst.key})` : "";
  return { name: e.name, kind: e.kind, passed, detail: `longest pending ${formatDurationMs(worst.ms)}${who}, limit ${formatDurationMs(e.maxPendingMs)}` };
}

function matching(observer: RunObserver, workload: string): string[] {
  return [...observer.workloadSamples.keys()].filter((k) => workload === "*" || k === workload).sort();
}

function availability(e: Extract<ExpectationPlan, { kind: "Availability" }>, observer: RunObserver): ExpectationResult {
  let worst: { key: string; atMs: Ms; ready: number; desired: number } | undefined;
  const never: string[] = [];
  for (const key of matching(observer, e.workload)) {
    const samples = observer.workloadSamples.get(key) ?? [];
    const start = firstFullyAvailable(samples);
    if (start < 0) {
      if (samples.some((s) => s.atMs >= e.afterMs && s.desired > 0)) never.push(key);
      continue;
    }
    for (const s of samples.slice(start)) {
      if (s.atMs < e.afterMs || s.desired === 0) continue;
      const below = !ratioAtLeast({ num: s.ready, den: s.desired }, e.minRatio);
      const worse = !worst || s.ready * worst.desired < worst.ready * s.desired;
      if (below && worse) worst = { key, ...s };
    }
  }
  const limit = `${Math.round(ratioToNumber(e.minRatio) * 1000) / 10}%`;
  if (never.length > 0) {
    return { name: e.name, kind: e.kind, passed: false, detail: `${never.slice(0, 5).join(", ")} never had all desired replicas ready` };
  }
  if (!worst) return { name: e.name, kind: e.kind, passed: true, detail: `ready/desired ≥ ${limit} after ${formatDurationMs(e.afterMs)}` };
  return {
    name: e.name,
    kind: e.kind,
    passed: false,
    detail: `${worst.key} had ${worst.ready}/${worst.desired} ready at ${formatDurationMs(worst.atMs)}, below ${limit}`,
  };
}

function converged(e: Extract<ExpectationPlan, { kind: "Converged" }>, observer: RunObserver): ExpectationResult {
  const lagging: string[] = [];
  for (const key of matching(observer, e.workload)) {
    const last = observer.workloadSamples.get(key)?.at(-1);
    if (last && last.ready < last.desired) lagging.push(`${key} ${last.ready}/${last.desired}`);
  }
  return {
    name: e.name,
    kind: e.kind,
    passed: lagging.length === 0,
    detail: lagging.length === 0 ? "every workload has all replicas ready at the end" : `not converged: ${lagging.slice(0, 5).join(", ")}`,
  };
}

function jobs(e: Extract<ExpectationPlan, { kind: "Jobs" }>, observer: RunObserver): ExpectationResult {
  const s = observer.batchJobs.summary().find((o) => o.owner === e.owner);
  const succeeded = s?.succeeded ?? 0;
  const failed = s?.failed ?? 0;
  const passed = succeeded >= (e.minSucceeded ?? 0) && failed <= (e.maxFailed ?? Infinity);
  const limits = [e.minSucceeded !== undefined ? `at least ${e.minSucceeded} succeeded` : "", e.maxFailed !== undefined ? `at most ${e.maxFailed} failed` : ""].filter((x) => x !== "").join(", ");
  return { name: e.name, kind: e.kind, passed, detail: `${e.owner}: ${s?.jobs ?? 0} job(s), ${succeeded} succeeded, ${failed} failed; wanted ${limits}` };
}

const limitScores = {
  maxCpuUnderProvisioned: ["cpu under-provisioned", (s: AccuracyScore) => s.cpuUnderProvisionedPercent],
  maxCpuSlack: ["cpu slack", (s: AccuracyScore) => s.cpuSlackPercent],
  maxMemoryUnderProvisioned: ["memory under-provisioned", (s: AccuracyScore) => s.memoryUnderProvisionedPercent],
  maxMemorySlack: ["memory slack", (s: AccuracyScore) => s.memorySlackPercent],
} as const;

function resourceAccuracy(e: Extract<ExpectationPlan, { kind: "ResourceAccuracy" }>, observer: RunObserver): ExpectationResult {
  const fail = (detail: string): ExpectationResult => ({ name: e.name, kind: e.kind, passed: false, detail });
  const observations = observer.resourceAccuracy;
  if (observations === undefined) return fail("no accuracy score: it is kept for scenarios with a VerticalPodAutoscaler and load");
  const totals = emptyTotals();
  for (const key of observations.byContainer.keys()) {
    if (e.workload === "*" || key.slice(0, key.lastIndexOf("/")) === e.workload) addTotals(totals, observations.totalsFrom(key, e.afterMs));
  }
  if (totals.observedMs === 0) return fail(`no container of ${e.workload} ran with load after ${formatDurationMs(e.afterMs)}`);
  const score = scoreOf(totals);
  const parts: string[] = [];
  let passed = true;
  for (const [key, [label, of]] of Object.entries(limitScores) as [keyof typeof limitScores, (typeof limitScores)[keyof typeof limitScores]][]) {
    const limit = e.limits[key];
    if (limit === undefined) continue;
    const limitPercent = ratioToNumber(limit) * 100;
    const ok = of(score) <= limitPercent;
    passed &&= ok;
    parts.push(`${label} ${of(score).toFixed(1)}% ${ok ? "≤" : ">"} ${limitPercent.toFixed(1)}%`);
  }
  return { name: e.name, kind: e.kind, passed, detail: `after ${formatDurationMs(e.afterMs)}: ${parts.join(", ")}` };
}

function latency(e: Extract<ExpectationPlan, { kind: "Latency" }>, traffic: readonly TrafficSummary[]): ExpectationResult {
  const t = traffic.find((x) => x.service === e.service);
  if (t?.latency === undefined) return { name: e.name, kind: e.kind, passed: false, detail: `no latency for ${e.service}: it is kept for a load with queueing (concurrency, queueLimit, serviceTime or balancing)` };
  const measured = t.latency;
  const parts: string[] = [];
  let passed = true;
  for (const [label, key] of [["p50", "p50Ms"], ["p95", "p95Ms"], ["p99", "p99Ms"]] as const) {
    const limit = e.belowMs[key];
    if (limit === undefined) continue;
    const ok = measured[key] < limit;
    passed &&= ok;
    parts.push(`${label} ${formatLatencyMs(measured[key])} ${ok ? "<" : "≥"} ${formatDurationMs(limit)}`);
  }
  return { name: e.name, kind: e.kind, passed, detail: `${e.service}: ${parts.join(", ")}` };
}

function dropped(e: Extract<ExpectationPlan, { kind: "Dropped" }>, traffic: readonly TrafficSummary[]): ExpectationResult {
  const t = traffic.find((x) => x.service === e.service);
  const offered = t?.offeredRequests ?? 0;
  const share = offered === 0 ? 0 : (t?.droppedRequests ?? 0) / offered;
  const limit = ratioToNumber(e.atMost);
  const passed = share <= limit;
  const causes = t === undefined ? "" : ` (${Math.round(t.droppedNoEndpointRequests)} without endpoint, ${Math.round(t.droppedSaturatedRequests)} to full queues)`;
  return { name: e.name, kind: e.kind, passed, detail: `${e.service}: ${(100 * share).toFixed(2)}% of ${Math.round(offered)} dropped${causes}, ${passed ? "≤" : ">"} ${(100 * limit).toFixed(2)}%` };
}

/** Latencies below a second keep their fraction of a millisecond. */
export function formatLatencyMs(ms: number): string {
  return ms < 1000 ? `${Number(ms.toPrecision(3))}ms` : formatDurationMs(Math.round(ms));
}
