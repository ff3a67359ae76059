/**
 * LimitRange (v1) → the model's LimitRange, with upstream's validation of each item: a Pod item
 * takes no defaults, a PersistentVolumeClaim item bounds storage, and per resource
 * min ≤ defaultRequest ≤ default ≤ max; maxLimitRequestRatio values are plain numbers ≥ 1.
 */
import { Result } from "effect";
import type { ResourceList } from "../model/objects.ts";
import type { LimitRange, LimitRangeItem } from "../model/scheduling-objects.ts";
import { policyMetaOf } from "./policy-meta.ts";
import { quantitiesOf, ratiosOf } from "./policy-quantities.ts";
import type { LimitRangeDoc, LimitRangeItemDoc } from "./policy-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function limitRangeOf(doc: LimitRangeDoc, site: Site, namespace: string): Checked<LimitRange> {
  return Result.gen(function* () {
    const limits: LimitRangeItem[] = [];
    for (const [i, item] of doc.spec.limits.entries()) limits.push(yield* limitItemOf(item, siteAt(site, "spec", "limits", i)));
    return { kind: "LimitRange", metadata: policyMetaOf(doc.metadata, namespace), spec: { limits } } as const;
  });
}

const listFields = ["max", "min", "default", "defaultRequest"] as const;

function limitItemOf(doc: LimitRangeItemDoc, site: Site): Checked<LimitRangeItem> {
  return Result.gen(function* () {
    const item: LimitRangeItem = { type: doc.type };
    for (const field of listFields) {
      const list = doc[field];
      if (list !== undefined) item[field] = yield* quantitiesOf(list, siteAt(site, field));
    }
    if (doc.maxLimitRequestRatio !== undefined) item.maxLimitRequestRatio = yield* ratiosOf(doc.maxLimitRequestRatio, siteAt(site, "maxLimitRequestRatio"));
    yield* checkItem(item, site);
    return item;
  });
}

/** Pairs that must hold in this order for every resource both name (upstream ValidateLimitRange). */
const ordered = [["min", "defaultRequest"], ["min", "default"], ["min", "max"], ["defaultRequest", "default"], ["defaultRequest", "max"], ["default", "max"]] as const;

function checkItem(item: LimitRangeItem, site: Site): Checked<void> {
  if (item.type === "Pod") {
    for (const field of ["default", "defaultRequest"] as const) {
      if (item[field] !== undefined) return Result.fail(problemAt(siteAt(site, field), `"${field}" may not be given when type is Pod (defaults apply to containers)`, "key"));
    }
  }
  if (item.type === "PersistentVolumeClaim" && item.min?.storage === undefined && item.max?.storage === undefined) {
    return Result.fail(problemAt(site, "a PersistentVolumeClaim item needs min.storage or max.storage, neither is given"));
  }
  for (const [low, high] of ordered) {
    const lows: ResourceList = item[low] ?? {};
    const highs: ResourceList = item[high] ?? {};
    for (const name of Object.keys(lows)) {
      const hi = highs[name];
      if (hi !== undefined && (lows[name] as number) > hi) {
        return Result.fail(problemAt(siteAt(site, low, name), `expected ${low}.${name} to be at most ${high}.${name}`));
      }
    }
  }
  return Result.succeed(undefined);
}
