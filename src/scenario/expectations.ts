/**
 * `spec.expectations[]` → expectation plans. Each entry states one of `maxPending`,
 * `availability` or `converged`; workloads are named "namespace/name" (or just "name" in the
 * default namespace, or "*" for all) and must exist in the scenario.
 */
import { Result } from "effect";
import { formatDurationMs } from "../model/units.ts";
import type { ExpectationPlan } from "../sim/plan.ts";
import { durationMsOf, ratioOf } from "./formats.ts";
import { beforeEnd } from "./faults.ts";
import type { RunFacts } from "./faults.ts";
import { defaultNamespace } from "./manifest.ts";
import type { ExpectationDoc } from "./scenario-schema.ts";
import { known, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function expectationsOf(docs: readonly ExpectationDoc[], site: Site, facts: RunFacts): Checked<ExpectationPlan[]> {
  return Result.gen(function* () {
    const plans: ExpectationPlan[] = [];
    for (const [i, doc] of docs.entries()) {
      const plan = yield* expectationOf(doc, siteAt(site, i), facts);
      if (plans.some((p) => p.name === plan.name)) {
        return yield* Result.fail(problemAt(siteAt(site, i, "name"), `duplicate expectation name "${plan.name}" (give each one its own name)`));
      }
      plans.push(plan);
    }
    return plans;
  });
}

function expectationOf(doc: ExpectationDoc, site: Site, facts: RunFacts): Checked<ExpectationPlan> {
  return Result.gen(function* () {
    const stated = (["maxPending", "availability", "converged"] as const).filter((k) => doc[k] !== undefined);
    if (stated.length !== 1) {
      return yield* Result.fail(problemAt(site, 'expected exactly one of "maxPending", "availability" or "converged"'));
    }
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
