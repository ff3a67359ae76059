/**
 * `spec.containerBehavior[]` → container behaviour plans (src/sim/kubelet/container-behavior.ts),
 * checked against the run: a range's min is not above its max, a named namespace exists.
 */
import { Result } from "effect";
import type { ContainerBehaviorPlan, DurationRangeMs } from "../sim/kubelet/container-behavior.ts";
import { defaultProbeTiming } from "../sim/kubelet/readiness-probe.ts";
import { bytesOf, durationMsOf } from "./formats.ts";
import type { RunFacts } from "./faults.ts";
import type { ContainerBehaviorDoc } from "./scenario-schema.ts";
import { known, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

type RangeDoc = NonNullable<ContainerBehaviorDoc["exit"]>["after"];

export function containerBehaviorsOf(docs: readonly ContainerBehaviorDoc[], site: Site, facts: Pick<RunFacts, "namespaces">): Checked<ContainerBehaviorPlan[]> {
  return Result.gen(function* () {
    const plans: ContainerBehaviorPlan[] = [];
    for (const [i, doc] of docs.entries()) plans.push(yield* behaviorOf(doc, siteAt(site, i), facts));
    return plans;
  });
}

function behaviorOf(doc: ContainerBehaviorDoc, site: Site, facts: Pick<RunFacts, "namespaces">): Checked<ContainerBehaviorPlan> {
  return Result.gen(function* () {
    const { namespace, image } = doc.match;
    if (namespace !== undefined && !facts.namespaces.has(namespace)) {
      return yield* Result.fail(problemAt(siteAt(site, "match", "namespace"), `no namespace "${namespace}" in this scenario${known(facts.namespaces)}`));
    }
    const says = [doc.readyAfter, doc.exit, doc.readinessFailure, doc.livenessFailure, doc.preStop, doc.stopAfter, doc.memory];
    if (says.every((v) => v === undefined)) {
      return yield* Result.fail(problemAt(site, 'expected at least one of "readyAfter", "exit", "readinessFailure", "livenessFailure", "preStop", "stopAfter" and "memory"'));
    }
    const selector = { ...doc.match.selector };
    const plan: ContainerBehaviorPlan = { name: doc.name ?? matchText(namespace, selector, image), selector };
    if (namespace !== undefined) plan.namespace = namespace;
    if (image !== undefined) plan.image = image;
    if (doc.readyAfter !== undefined) plan.readyAfter = doc.readyAfter === "never" ? "never" : yield* rangeOf(doc.readyAfter, siteAt(site, "readyAfter"));
    if (doc.exit !== undefined) plan.exit = { afterMs: yield* rangeOf(doc.exit.after, siteAt(site, "exit", "after")), exitCode: doc.exit.exitCode ?? 1 };
    const f = doc.readinessFailure;
    if (f !== undefined) {
      const probe = {
        initialDelayMs: 0,
        periodMs: (f.periodSeconds ?? defaultProbeTiming.periodMs / 1000) * 1000,
        failureThreshold: f.failureThreshold ?? defaultProbeTiming.failureThreshold,
        successThreshold: f.successThreshold ?? defaultProbeTiming.successThreshold,
      };
      plan.readinessFailure = { afterMs: yield* rangeOf(f.after, siteAt(site, "readinessFailure", "after")), forMs: yield* rangeOf(f.for, siteAt(site, "readinessFailure", "for")), probe };
    }
    if (doc.preStop !== undefined) plan.preStop = yield* rangeOf(doc.preStop, siteAt(site, "preStop"));
    if (doc.stopAfter !== undefined) plan.stopAfter = yield* rangeOf(doc.stopAfter, siteAt(site, "stopAfter"));
    const m = doc.memory;
    if (m !== undefined) {
      plan.memory = { baseBytes: bytesOf(m.base), growthBytesPerMinute: m.growthPerMinute === undefined ? 0 : bytesOf(m.growthPerMinute), perRequestPerSecondBytes: m.perRequestPerSecond === undefined ? 0 : bytesOf(m.perRequestPerSecond) };
    }
    const l = doc.livenessFailure;
    if (l !== undefined) {
      const afterMs = yield* rangeOf(l.after, siteAt(site, "livenessFailure", "after"));
      plan.livenessFailure = l.for === undefined ? { afterMs } : { afterMs, forMs: yield* rangeOf(l.for, siteAt(site, "livenessFailure", "for")) };
    }
    return plan;
  });
}

function rangeOf(doc: RangeDoc, site: Site): Checked<DurationRangeMs> {
  if (typeof doc !== "object") {
    const ms = durationMsOf(doc) ?? 0;
    return Result.succeed({ minMs: ms, maxMs: ms });
  }
  const minMs = durationMsOf(doc.min) ?? 0;
  const maxMs = durationMsOf(doc.max) ?? 0;
  if (minMs > maxMs) return Result.fail(problemAt(siteAt(site, "min"), `expected min (${doc.min}) not above max (${doc.max})`));
  return Result.succeed({ minMs, maxMs });
}

function matchText(namespace: string | undefined, selector: Record<string, string>, image: string | undefined): string {
  const parts = Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`);
  if (image !== undefined) parts.push(`image ${image}`);
  if (namespace !== undefined) parts.push(`in ${namespace}`);
  return parts.length > 0 ? parts.join(" ") : "every container";
}
