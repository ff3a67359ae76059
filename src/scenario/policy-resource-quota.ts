/**
 * ResourceQuota (v1) → the model's ResourceQuota: `spec.hard` in the unit of each underlying
 * resource; the status starts as {hard: the same, used: {}} (the quota controller fills `used`).
 * Scoped quotas (scopes, scopeSelector) are refused by name rather than silently widened to the
 * whole namespace.
 */
import { Result } from "effect";
import type { ResourceQuota } from "../model/scheduling-objects.ts";
import { policyMetaOf } from "./policy-meta.ts";
import { quantitiesOf } from "./policy-quantities.ts";
import type { ResourceQuotaDoc } from "./policy-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function resourceQuotaOf(doc: ResourceQuotaDoc, site: Site, namespace: string): Checked<ResourceQuota> {
  return Result.gen(function* () {
    for (const field of ["scopes", "scopeSelector"] as const) {
      if (doc.spec[field] !== undefined) {
        return yield* Result.fail(problemAt(siteAt(site, "spec", field), `ResourceQuota ${field} are not supported yet; remove "${field}" (the quota would apply to every pod of the namespace)`, "key"));
      }
    }
    const hard = yield* quantitiesOf(doc.spec.hard, siteAt(site, "spec", "hard"));
    return {
      kind: "ResourceQuota",
      metadata: policyMetaOf(doc.metadata, namespace),
      spec: { hard },
      status: { hard: { ...hard }, used: {} },
    } as const;
  });
}
