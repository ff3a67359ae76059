/**
 * `spec.expectations[]` → expectation plans. Each entry states one of `maxPending`,
 * `availability`, `converged`, `jobs`, `resourceAccuracy`, `latency` or `dropped` (a Service that `spec.load` reaches); workloads are named "namespace/name" (or just "name" in
 * the default namespace, or "*" for all), Job owners "cronjob/…" or "job/…", and must exist in the
 * scenario.
 */
import { Result } from "effect";
import { formatDurationMs } from "../model/units.ts";
import type { AccuracyLimits, ExpectationPlan } from "../sim/plan.ts";
import { durationMsOf, ratioOf } from "./formats.ts";
import { beforeEnd } from "./faults.ts";
import type { RunFacts } from "./faults.ts";
import { defaultNamespace } from "./manifest.ts";
import type { ExpectationDoc } from "./scenario-schema.ts";
import { known, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function expectationsOf(docs: readonly ExpectationDoc[], site: Site, facts: RunFacts, loadServices: ReadonlySet<string> = new Set()): Checked<ExpectationPlan[]> {
  return Result.gen(function* () {
    const plans: ExpectationPlan[] = [];
    for (const [i, doc] of docs.entries()) {
      const plan = yield* expectationOf(doc, siteAt(site, i), facts, loadServices);
      if (plans.some((p) => p.name === plan.name)) {
        return yield* Result.fail(problemAt(siteAt(site, i, "name"), `duplicate expectation name "${plan.name}" (give each one its own name)`));
      }
      plans.push(plan);
    }
    return plans;
  });
}

function expectationOf(doc: ExpectationDoc, site: Site, facts: RunFacts, loadServices: ReadonlySet<string>): Checked<ExpectationPlan> {
  return Result.gen(function* () {
    const stated = (["maxPending", "availability", "converged", "jobs", "resourceAccuracy", "latency", "dropped"] as const).filter((k) => doc[k] !== undefined);
    if (stated.length !== 1) {
      return yield* Result.fail(problemAt(site, 'expected exactly one of "maxPending", "availability", "converged", "jobs", "resourceAccuracy", "latency" or "dropped"'));
    }
    if (doc.latency !== undefined) return yield* latencyExpectation(doc.name, doc.latency, siteAt(site, "latency"), loadServices);
    if (doc.dropped !== undefined) return yield* droppedExpectation(doc.name, doc.dropped, siteAt(site, "dropped"), loadServices);
    if (doc.jobs !== undefined) return yield* jobsExpectation(doc.name, doc.jobs, siteAt(site, "jobs"), facts);
    if (doc.resourceAccuracy !== undefined) return yield* accuracyExpectation(doc.name, doc.resourceAccuracy, siteAt(site, "resourceAccuracy"), facts);
    if (doc.maxPending !== undefined) {
      const maxPendingMs = durationMsOf(doc.maxPending) ?? 0;
      return { kind: "MaxPending", name: doc.name ?? `no pod pending longer than ${formatDurationMs(maxPendingMs)}`, maxPendingMs } as const;
    }
    if (doc.availability !== undefined) {
      const a = doc.availability;
      const workload = yield* workloadRef(a.workload, siteAt(site, "availability", "workload"), facts);
      const afterMs = yield* beforeEnd(a.after, siteAt(site, "availability", "after"), facts.durationMs);
      const minRatio = ratioOf(a.min) ?? { num: 0, den: 1 };
      const name = doc.name ?? `availability of ${workloadText(workload)} at least ${String(a.min)} after ${formatDurationMs(afterMs)}`;
      return { kind: "Availability", name, workload, minRatio, afterMs } as const;
    }
    const workload = yield* workloadRef(doc.converged?.workload ?? "*", siteAt(site, "converged", "workload"), facts);
    return { kind: "Converged", name: doc.name ?? `${workloadText(workload)} converged at the end`, workload } as const;
  });
}

type JobsDoc = NonNullable<ExpectationDoc["jobs"]>;

/** `jobs: {owner: cronjob/[ns/]name | job/[ns/]name, minSucceeded, maxFailed}`: the owner must be a CronJob or Job of the scenario. */
function jobsExpectation(name: string | undefined, doc: JobsDoc, site: Site, facts: RunFacts): Checked<ExpectationPlan> {
  const m = /^(cronjob|job)\/(.+)$/.exec(doc.owner);
  const owner = m === null ? doc.owner : `${m[1]}/${(m[2] as string).includes("/") ? m[2] : `${defaultNamespace}/${m[2]}`}`;
  if (!facts.batchOwners.has(owner)) {
    return Result.fail(problemAt(siteAt(site, "owner"), `expected "cronjob/namespace/name" or "job/namespace/name" of a CronJob or Job of this scenario, got "${doc.owner}"${known(facts.batchOwners)}`));
  }
  if (doc.minSucceeded === undefined && doc.maxFailed === undefined) return Result.fail(problemAt(site, 'expected "minSucceeded" and/or "maxFailed"'));
  const limits = [doc.minSucceeded !== undefined ? `at least ${doc.minSucceeded} succeeded` : "", doc.maxFailed !== undefined ? `at most ${doc.maxFailed} failed` : ""].filter((x) => x !== "").join(", ");
  const plan: ExpectationPlan = { kind: "Jobs", name: name ?? `jobs of ${owner}: ${limits}`, owner };
  if (doc.minSucceeded !== undefined) plan.minSucceeded = doc.minSucceeded;
  if (doc.maxFailed !== undefined) plan.maxFailed = doc.maxFailed;
  return Result.succeed(plan);
}

type AccuracyDoc = NonNullable<ExpectationDoc["resourceAccuracy"]>;
const accuracyLimitKeys = ["maxCpuUnderProvisioned", "maxCpuSlack", "maxMemoryUnderProvisioned", "maxMemorySlack"] as const;

/** `resourceAccuracy: {workload, after, maxCpuUnderProvisioned, maxCpuSlack, maxMemoryUnderProvisioned, maxMemorySlack}` (at least one limit, fractions). */
function accuracyExpectation(name: string | undefined, doc: AccuracyDoc, site: Site, facts: RunFacts): Checked<ExpectationPlan> {
  return Result.gen(function* () {
    const workload = yield* workloadRef(doc.workload, siteAt(site, "workload"), facts);
    const afterMs = yield* beforeEnd(doc.after, siteAt(site, "after"), facts.durationMs);
    const limits: AccuracyLimits = {};
    for (const key of accuracyLimitKeys) {
      const text = doc[key];
      if (text === undefined) continue;
      const r = ratioOf(text);
      if (r === undefined) return yield* Result.fail(problemAt(siteAt(site, key), `expected a fraction between 0 and 1, got "${String(text)}"`));
      limits[key] = r;
    }
    const stated = accuracyLimitKeys.filter((k) => limits[k] !== undefined);
    if (stated.length === 0) return yield* Result.fail(problemAt(site, `expected at least one of ${accuracyLimitKeys.map((k) => `"${k}"`).join(", ")}`));
    const text = stated.map((k) => `${k} ${String(doc[k])}`).join(", ");
    return { kind: "ResourceAccuracy", name: name ?? `resource accuracy of ${workloadText(workload)} after ${formatDurationMs(afterMs)}: ${text}`, workload, afterMs, limits } as const;
  });
}

type LatencyDoc = NonNullable<ExpectationDoc["latency"]>;
const latencyKeys = [["p50Below", "p50Ms"], ["p95Below", "p95Ms"], ["p99Below", "p99Ms"]] as const;

/** `latency: {service, p50Below, p95Below, p99Below}` (at least one, durations). */
function latencyExpectation(name: string | undefined, doc: LatencyDoc, site: Site, loadServices: ReadonlySet<string>): Checked<ExpectationPlan> {
  return Result.gen(function* () {
    const service = yield* serviceRef(doc.service, siteAt(site, "service"), loadServices);
    const belowMs: Extract<ExpectationPlan, { kind: "Latency" }>["belowMs"] = {};
    for (const [key, field] of latencyKeys) if (doc[key] !== undefined) belowMs[field] = durationMsOf(doc[key]) ?? 0;
    const stated = latencyKeys.filter(([key]) => doc[key] !== undefined);
    if (stated.length === 0) return yield* Result.fail(problemAt(site, 'expected at least one of "p50Below", "p95Below", "p99Below"'));
    const text = stated.map(([key, field]) => `${key.slice(0, 3)} below ${formatDurationMs(belowMs[field] ?? 0)}`).join(", ");
    return { kind: "Latency", name: name ?? `latency of ${service}: ${text}`, service, belowMs } as const;
  });
}

/** `dropped: {service, atMost}` (a fraction of the offered requests). */
function droppedExpectation(name: string | undefined, doc: NonNullable<ExpectationDoc["dropped"]>, site: Site, loadServices: ReadonlySet<string>): Checked<ExpectationPlan> {
  return Result.gen(function* () {
    const service = yield* serviceRef(doc.service, siteAt(site, "service"), loadServices);
    const atMost = ratioOf(doc.atMost) ?? { num: 0, den: 1 };
    return { kind: "Dropped", name: name ?? `dropped requests of ${service} at most ${String(doc.atMost)}`, service, atMost } as const;
  });
}

/** "ns/name" or "name" (default namespace) of a Service the load reaches. */
function serviceRef(text: string, site: Site, loadServices: ReadonlySet<string>): Checked<string> {
  const key = text.includes("/") ? text : `${defaultNamespace}/${text}`;
  if (loadServices.has(key)) return Result.succeed(key);
  return Result.fail(problemAt(site, `expected a Service that spec.load sends traffic to, got "${text}"${known(loadServices)}`));
}

/** "*", "ns/name" or "name" (default namespace) → "*" or "ns/name" of an existing workload. */
function workloadRef(text: string, site: Site, facts: RunFacts): Checked<string> {
  if (text === "*") return Result.succeed("*");
  const key = text.includes("/") ? text : `${defaultNamespace}/${text}`;
  if (facts.scalables.has(key) || facts.deployments.get(key)?.kind === "DaemonSet") return Result.succeed(key);
  const daemonSets = [...facts.deployments].filter(([, w]) => w.kind === "DaemonSet").map(([k]) => k);
  const kinds = daemonSets.length > 0 ? "Deployment/ReplicaSet/DaemonSet" : "Deployment/ReplicaSet";
  return Result.fail(problemAt(site, `expected "*" or a ${kinds} "namespace/name" of this scenario, got "${text}"${known(new Set([...facts.scalables, ...daemonSets]))}`));
}

function workloadText(workload: string): string {
  return workload === "*" ? "all workloads" : workload;
}
