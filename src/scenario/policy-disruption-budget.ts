/**
 * PodDisruptionBudget (policy/v1) → the model's PodDisruptionBudget. At most one of minAvailable
 * and maxUnavailable, each a count or a percentage up to 100%; the status starts at zero (the
 * disruption controller computes it once the pods exist).
 */
import { Result } from "effect";
import type { PodDisruptionBudget } from "../model/scheduling-objects.ts";
import { asMutable } from "../k8s/mutable.ts";
import { policyMetaOf } from "./policy-meta.ts";
import type { PodDisruptionBudgetDoc } from "./policy-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function podDisruptionBudgetOf(doc: PodDisruptionBudgetDoc, site: Site, namespace: string): Checked<PodDisruptionBudget> {
  const spec = doc.spec;
  const specSite = siteAt(site, "spec");
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return Result.fail(problemAt(siteAt(specSite, "maxUnavailable"), 'expected only one of "minAvailable" and "maxUnavailable", both are set'));
  }
  for (const field of ["minAvailable", "maxUnavailable"] as const) {
    const value = spec[field];
    if (typeof value === "string" && Number(value.slice(0, -1)) > 100) {
      return Result.fail(problemAt(siteAt(specSite, field), `expected a percentage from 0% to 100%, got "${value}"`));
    }
  }
  const out: PodDisruptionBudget["spec"] = {};
  if (spec.selector !== undefined) out.selector = asMutable(spec.selector);
  if (spec.minAvailable !== undefined) out.minAvailable = spec.minAvailable;
  if (spec.maxUnavailable !== undefined) out.maxUnavailable = spec.maxUnavailable;
  if (spec.unhealthyPodEvictionPolicy !== undefined) out.unhealthyPodEvictionPolicy = spec.unhealthyPodEvictionPolicy;
  return Result.succeed({
    kind: "PodDisruptionBudget",
    metadata: policyMetaOf(doc.metadata, namespace),
    spec: out,
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  });
}
