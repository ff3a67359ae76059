/**
 * core/v1 LimitRange ↔ the model's LimitRange, with upstream's validation of each item
 * (ValidateLimitRange): a Pod item takes no defaults, a PersistentVolumeClaim item bounds storage,
 * and per resource min ≤ defaultRequest ≤ default ≤ max; maxLimitRequestRatio values are plain
 * numbers ≥ 1. Lists are in the unit of each resource (cpu in millicores).
 */
import { Schema, SchemaGetter } from "effect";
import type { ResourceList } from "../model/objects.ts";
import type { LimitRange } from "../model/scheduling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt } from "./fields.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { issueAt } from "./problem.ts";
import { QuotaList, RatioList } from "./quantity.ts";

/** Pairs that must hold in this order for every resource both name. */
const ordered = [["min", "defaultRequest"], ["min", "default"], ["min", "max"], ["defaultRequest", "default"], ["defaultRequest", "max"], ["default", "max"]] as const;

const LimitRangeItemWire = Schema.Struct({
  type: Schema.Literals(["Container", "Pod", "PersistentVolumeClaim"]),
  max: opt(QuotaList),
  min: opt(QuotaList),
  default: opt(QuotaList),
  defaultRequest: opt(QuotaList),
  maxLimitRequestRatio: opt(RatioList),
}).check(
  Schema.makeFilter((item) => {
    if (item.type === "Pod") {
      for (const field of ["default", "defaultRequest"] as const) {
        if (item[field] !== undefined) return issueAt([field], `"${field}" may not be given when type is Pod (defaults apply to containers)`, { pointAt: "key" });
      }
    }
    if (item.type === "PersistentVolumeClaim" && item.min?.storage === undefined && item.max?.storage === undefined) {
      return issueAt([], "a PersistentVolumeClaim item needs min.storage or max.storage, neither is given");
    }
    for (const [low, high] of ordered) {
      const lows: Readonly<ResourceList> = item[low] ?? {};
      const highs: Readonly<ResourceList> = item[high] ?? {};
      for (const name of Object.keys(lows)) {
        const hi = highs[name];
        if (hi !== undefined && (lows[name] as number) > hi) return issueAt([low, name], `expected ${low}.${name} to be at most ${high}.${name}`);
      }
    }
    return true;
  }),
);

const LimitRangeWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("v1")),
  kind: opt(Schema.Literal("LimitRange")),
  metadata: NamespacedMeta,
  spec: Schema.Struct({ limits: Schema.Array(LimitRangeItemWire) }),
});

type LimitRangeWire = typeof LimitRangeWire.Type;

export const LimitRangeCodec = LimitRangeWire.pipe(
  Schema.decodeTo(modelOf<LimitRange>("a LimitRange", "LimitRange"), {
    decode: SchemaGetter.transform((w: LimitRangeWire): LimitRange => ({ kind: "LimitRange", metadata: w.metadata, spec: asMutable(w.spec) })),
    encode: SchemaGetter.transform((lr: LimitRange): LimitRangeWire => ({ apiVersion: "v1", kind: "LimitRange", metadata: lr.metadata, spec: lr.spec })),
  }),
);
