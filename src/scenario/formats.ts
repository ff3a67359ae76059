/**
 * Field formats of the scenario document. Durations, quantities, counts and string maps are the
 * Kubernetes codec's (src/k8s), so a scenario writes them exactly as a manifest does; ratios and
 * simple names are the scenario's own. Each schema checks the text; the matching `…Of` function
 * turns an already-checked value into what the plan wants.
 */
import { Schema } from "effect";
import { durationMsOf } from "../k8s/duration.ts";
import { quantityOf, resourceUnit } from "../k8s/quantity.ts";
import { parseRatio, ratio } from "../model/ratio.ts";
import type { Ratio } from "../model/ratio.ts";

export { Duration, PositiveDuration } from "../k8s/duration.ts";
export { Quantity } from "../k8s/quantity.ts";
export { Count, IntOrPercent, PositiveCount, StringMap } from "../k8s/fields.ts";
export { durationMsOf };

/**
 * Resource name → integer amount in the twin's unit (cpu millicores, memory bytes, pods count), of
 * a list the schema has already checked (`Quantity`): a value that does not convert is a bug.
 */
export function resourceListOf(list: Readonly<Record<string, string | number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(list ?? {}).sort()) {
    const q = quantityOf((list as Record<string, string | number>)[name] as string | number, resourceUnit(name));
    if ("error" in q) throw new Error(`resourceListOf: ${name}: ${q.error} (the schema should have refused it)`);
    out[name] = q.value;
  }
  return out;
}

/** A quantity in bytes (a size, a bandwidth per second) of a value the schema has checked; -1 when it is no whole number of bytes ("100m"). */
export function bytesOf(text: string | number): number {
  const q = quantityOf(text, "base");
  return "value" in q ? q.value : -1;
}

const StringOrNumber = (expected: string) => Schema.Union([Schema.String, Schema.Number]).annotate({ expected });

/** "90%", "0.9", 0.9 or "9/10"; between 0 and 1. */
export const RatioText = StringOrNumber('a fraction like "90%" or 0.9').check(
  Schema.makeFilter((v: string | number) => ratioOf(v) !== undefined || 'expected a fraction between 0 and 1 like "90%" or 0.9'),
);

export function ratioOf(value: string | number): Ratio | undefined {
  const text = typeof value === "number" ? String(value) : value;
  // parseRatio builds integers from the digits: keep them within safe-integer range.
  const r = text.replace(/\D/g, "").length > 15 ? undefined : parseRatio(text);
  return r && r.num <= r.den ? ratio(r.num, r.den) : undefined;
}

/** DNS-1123 label style names for things a user types on the command line (variants, pools). */
export const SimpleName = Schema.String.check(
  Schema.makeFilter((v: string) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(v) || "expected a lowercase name of letters, digits and '-'"),
);
