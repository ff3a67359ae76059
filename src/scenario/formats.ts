/**
 * Field formats shared by the scenario and manifest schemas: Go-style durations, Kubernetes
 * quantities, ratios, counts. Each schema only checks the text; the matching `…Of` function turns
 * an already-checked value into the integer the plan wants.
 */
import { Schema } from "effect";
import { parseRatio, ratio } from "../model/ratio.ts";
import type { Ratio } from "../model/ratio.ts";
import { parseDurationMs, parseMilli, parseResource } from "../model/units.ts";
import type { Ms } from "../model/units.ts";

const durationExpected = 'expected a duration like "30s", "5m" or "1h30m"';

/** "30s" → 30000; the bare number 0 is also a duration (zero). */
export function durationMsOf(value: string | number): Ms | undefined {
  if (typeof value === "number") return value === 0 ? 0 : undefined;
  return parseDurationMs(value);
}

const StringOrNumber = (expected: string) => Schema.Union([Schema.String, Schema.Number]).annotate({ expected });

export const Duration = StringOrNumber('a duration like "30s"').check(
  Schema.makeFilter((v: string | number) => durationMsOf(v) !== undefined || durationExpected),
);

export const PositiveDuration = Duration.check(
  Schema.makeFilter((v: string | number) => (durationMsOf(v) ?? 0) > 0 || `${durationExpected}, longer than zero`),
);

/** A resource quantity as Kubernetes writes it: "250m", "2Gi", 8, "1e3". Never negative. */
export const Quantity = StringOrNumber('a quantity like "500m" or "4Gi"').check(
  Schema.makeFilter((v: string | number) => {
    const milli = parseMilli(String(v));
    if (milli === undefined) return 'expected a quantity like "500m", "2", "512Mi" or "4Gi"';
    return milli >= 0 || "expected a quantity that is not negative";
  }),
);

/** Resource name → integer amount in the twin's unit (cpu millicores, memory bytes, pods count). */
export function resourceListOf(list: Readonly<Record<string, string | number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(list ?? {}).sort()) {
    const amount = parseResource(name, (list ?? {})[name] ?? 0);
    if (amount !== undefined) out[name] = amount;
  }
  return out;
}

export const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0));
export const PositiveCount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1));

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

/** maxSurge / maxUnavailable: an absolute count or a percentage. */
export const IntOrPercent = Schema.Union([Count, Schema.String]).annotate({ expected: 'a count or a percentage like "25%"' }).check(
  Schema.makeFilter((v: string | number) => typeof v === "number" || /^\d+%$/.test(v) || 'expected a count like 1 or a percentage like "25%"'),
);

export const StringMap = Schema.Record(Schema.String, Schema.String);

/** DNS-1123 label style names for things a user types on the command line (variants, pools). */
export const SimpleName = Schema.String.check(
  Schema.makeFilter((v: string) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(v) || "expected a lowercase name of letters, digits and '-'"),
);
