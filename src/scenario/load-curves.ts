/**
 * `spec.load[]` → load plans, checked against the scenario: the Service exists among its
 * objects, curve times fall before the end of the run, steps are in time order.
 */
import { Result } from "effect";
import { parseMilli } from "../model/units.ts";
import type { Ms } from "../model/units.ts";
import type { LoadPlan, QueuePlan, RateCurve } from "../sim/load/load-plan.ts";
import type { WorkloadPlan } from "../sim/plan.ts";
import { durationMsOf } from "./formats.ts";
import { beforeEnd } from "./faults.ts";
import type { LoadDoc } from "./load-schema.ts";
import type { ManifestFiles } from "./manifest-files.ts";
import { traceSteps } from "./trace-curve.ts";
import { defaultNamespace } from "./manifest.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

const dayMs = 86_400_000;

/** "namespace/name" of every Service the scenario's load reaches: what a latency or dropped expectation may name. */
export function loadServicesOf(docs: readonly LoadDoc[]): Set<string> {
  return new Set(docs.map((d) => `${d.namespace ?? defaultNamespace}/${d.service}`));
}

/** The load plans, and the trace files read (for the scenario's source hash). */
export function loadPlansOf(
  docs: readonly LoadDoc[],
  site: Site,
  workloads: readonly WorkloadPlan[],
  durationMs: Ms,
  files: ManifestFiles,
): Checked<{ plans: LoadPlan[]; sources: { path: string; text: string }[] }> {
  return Result.gen(function* () {
    const sources: { path: string; text: string }[] = [];
    const services = new Set(workloads.flatMap((w) => (w.object.kind === "Service" ? [`${w.object.metadata.namespace}/${w.object.metadata.name}`] : [])));
    const out: LoadPlan[] = [];
    for (const [i, doc] of docs.entries()) {
      const here = siteAt(site, i);
      const service = `${doc.namespace ?? defaultNamespace}/${doc.service}`;
      if (!services.has(service)) {
        const known = services.size === 0 ? " (the scenario has no Service)" : ` (Services: ${[...services].sort().join(", ")})`;
        return yield* Result.fail(problemAt(siteAt(here, "service"), `no Service "${service}" in this scenario${known}`));
      }
      const curve = yield* curveOf(doc, siteAt(here, "curve"), durationMs, files, sources);
      out.push({
        service,
        curve,
        noise: doc.noise ?? "none",
        cpuMilliPerRequest: parseMilli(String(doc.cpuPerRequest)) ?? 0,
        baseCpuMilli: doc.baseCpu === undefined ? 0 : (parseMilli(String(doc.baseCpu)) ?? 0),
        ...(doc.balancing !== undefined ? { balancing: doc.balancing } : {}),
        ...queueOf(doc),
      });
    }
    return { plans: out, sources };
  });
}

/** Queueing when the load states concurrency, queueLimit, serviceTime or balancing; unstated limits are none. */
function queueOf(doc: LoadDoc): { queue?: QueuePlan } {
  if (doc.concurrency === undefined && doc.queueLimit === undefined && doc.serviceTime === undefined && doc.balancing === undefined) return {};
  const serviceTimeMs = doc.serviceTime === undefined ? undefined : durationMsOf(doc.serviceTime);
  return {
    queue: {
      concurrency: doc.concurrency ?? Number.POSITIVE_INFINITY,
      queueLimit: doc.queueLimit ?? Number.POSITIVE_INFINITY,
      ...(serviceTimeMs !== undefined ? { serviceTimeMs } : {}),
    },
  };
}

function curveOf(doc: LoadDoc, site: Site, durationMs: Ms, files: ManifestFiles, sources: { path: string; text: string }[]): Checked<RateCurve> {
  return Result.gen(function* () {
    const rps = doc.requestsPerSecond;
    const c = doc.curve;
    if (c === undefined || c.type === "constant") return { kind: "constant", requestsPerSecond: rps } as const;
    switch (c.type) {
      case "step": {
        const steps: { atMs: Ms; requestsPerSecond: number }[] = [];
        for (const [i, s] of c.steps.entries()) {
          const atMs = yield* beforeEnd(s.at, siteAt(site, "steps", i, "at"), durationMs);
          if (steps.length > 0 && atMs <= (steps[steps.length - 1] as { atMs: Ms }).atMs) {
            return yield* Result.fail(problemAt(siteAt(site, "steps", i, "at"), "expected the steps in time order, each later than the one before"));
          }
          steps.push({ atMs, requestsPerSecond: s.requestsPerSecond });
        }
        return { kind: "step", requestsPerSecond: rps, steps } as const;
      }
      case "spike": {
        const atMs = yield* beforeEnd(c.at, siteAt(site, "at"), durationMs);
        return { kind: "spike", requestsPerSecond: rps, atMs, durationMs: durationMsOf(c.duration) ?? 0, factor: c.factor } as const;
      }
      case "trace": {
        const place = files.resolve(c.file);
        if ("error" in place) return yield* Result.fail(problemAt(siteAt(site, "file"), place.error));
        const read = files.read(place.readPath);
        if ("error" in read) return yield* Result.fail(problemAt(siteAt(site, "file"), `cannot read trace ${place.shownPath}: ${read.error}`));
        sources.push({ path: place.written, text: read.text });
        const steps = yield* traceSteps(read.text, place.shownPath, c, site, durationMs, rps);
        return { kind: "step", requestsPerSecond: rps, steps } as const;
      }
      case "diurnal":
        return { kind: "diurnal", requestsPerSecond: rps, amplitude: c.amplitude, periodMs: c.period === undefined ? dayMs : (durationMsOf(c.period) ?? dayMs), peakAtMs: c.peakAt === undefined ? 0 : (durationMsOf(c.peakAt) ?? 0) } as const;
    }
  });
}
