/**
 * core/v1 ResourceQuota ↔ the model's ResourceQuota: `spec.hard` in the unit of each underlying
 * resource (cpu names in millicores). An absent status is {hard: the spec's, used: {}} (the quota
 * controller fills `used`). Scoped quotas (scopes, scopeSelector) are refused by name rather than
 * silently widened to the whole namespace.
 */
import { Schema, SchemaGetter } from "effect";
import type { ResourceQuota } from "../model/scheduling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { issueAt } from "./problem.ts";
import { QuotaList } from "./quantity.ts";

const RqSpecWire = Schema.Struct({
  hard: QuotaList,
  // Not modelled yet; read only to be refused by name.
  scopes: opt(Schema.Unknown),
  scopeSelector: opt(Schema.Unknown),
}).check(
  Schema.makeFilter((spec) => {
    for (const field of ["scopes", "scopeSelector"] as const) {
      if (spec[field] !== undefined) {
        return issueAt([field], `ResourceQuota ${field} are not supported yet; remove "${field}" (the quota would apply to every pod of the namespace)`, { pointAt: "key" });
      }
    }
    return true;
  }),
);

const RqWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("ResourceQuota")),
  metadata: NamespacedMeta,
  spec: RqSpecWire,
  status: opt(Schema.Struct({ hard: opt(QuotaList), used: opt(QuotaList) })),
});

type RqWire = typeof RqWire.Type;

function resourceQuotaOf(w: RqWire): ResourceQuota {
  const hard = { ...w.spec.hard };
  return { kind: "ResourceQuota", metadata: w.metadata, spec: { hard }, status: { hard: { ...(w.status?.hard ?? hard) }, used: { ...w.status?.used } } };
}

export const ResourceQuotaCodec = RqWire.pipe(
  Schema.decodeTo(modelOf<ResourceQuota>("a ResourceQuota", "ResourceQuota"), {
    decode: SchemaGetter.transform(resourceQuotaOf),
    encode: SchemaGetter.transform((rq: ResourceQuota): RqWire => ({ apiVersion: "v1", kind: "ResourceQuota", metadata: rq.metadata, spec: rq.spec, status: rq.status })),
  }),
);
