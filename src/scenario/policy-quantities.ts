/**
 * Resource lists of quotas and limit ranges → integers in the unit of the underlying resource:
 * "requests.cpu", "limits.cpu" and "cpu" in millicores; memory, storage and counts ("pods",
 * "count/pods", "persistentvolumeclaims") in base units. Keys sorted.
 */
import { Result } from "effect";
import type { ResourceList } from "../model/objects.ts";
import { parseMilli, parseResource } from "../model/units.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

const quantityExpected = 'expected a quantity like "500m", "2", "512Mi" or "4Gi"';

/** The resource whose unit a quota or limit name is counted in. */
export function unitResourceOf(name: string): string {
  return name === "cpu" || name.endsWith(".cpu") ? "cpu" : name;
}

export function quantitiesOf(list: Readonly<Record<string, string | number>>, site: Site): Checked<ResourceList> {
  const out: ResourceList = {};
  for (const name of Object.keys(list).sort()) {
    const text = list[name] as string | number;
    const amount = parseResource(unitResourceOf(name), text);
    if (amount === undefined) return Result.fail(problemAt(siteAt(site, name), `${quantityExpected}, got ${JSON.stringify(text)}`));
    out[name] = amount;
  }
  return Result.succeed(out);
}

/** maxLimitRequestRatio: plain numbers ("2" → 2, "1.5" → 1.5, kept to thousandths), at least 1. */
export function ratiosOf(list: Readonly<Record<string, string | number>>, site: Site): Checked<ResourceList> {
  const out: ResourceList = {};
  for (const name of Object.keys(list).sort()) {
    const text = list[name] as string | number;
    const milli = parseMilli(String(text));
    if (milli === undefined) return Result.fail(problemAt(siteAt(site, name), `expected a ratio like 2 or "1.5", got ${JSON.stringify(text)}`));
    if (milli < 1000) return Result.fail(problemAt(siteAt(site, name), `expected a ratio of at least 1, got ${JSON.stringify(text)}`));
    out[name] = milli / 1000;
  }
  return Result.succeed(out);
}
