/**
 * Kubernetes quantities ("250m", "2Gi", 8, "1e3") ↔ the twin's integers. Converted here and only
 * here: cpu names count in millicores, everything else in base units (bytes, counts), rounded up as
 * upstream's MilliValue / Value round (resource.Quantity). Never negative. Encoding writes the
 * canonical text back ("500m", "2", "512Mi"), which decodes to the same integer.
 */
import { Effect, Schema, SchemaGetter } from "effect";
import { formatBytes, formatCpuMilli, parseMilli, parseUnits, quantityOutOfRange } from "../model/units.ts";
import { issueAt } from "./problem.ts";

export type QuantityText = string | number;
export type QuantityUnit = "milli" | "base";

/** Containers, nodes, overhead: only "cpu" counts in millicores. */
export function resourceUnit(name: string): QuantityUnit {
  return name === "cpu" ? "milli" : "base";
}

/** Quotas and limit ranges: "cpu", "requests.cpu", "limits.cpu" count in millicores. */
export function quotaUnit(name: string): QuantityUnit {
  return name === "cpu" || name.endsWith(".cpu") ? "milli" : "base";
}

export const quantityExpected = 'expected a quantity like "500m", "2", "512Mi" or "4Gi"';

/** The one conversion: text → integer in `unit`, or what was wrong with it. */
export function quantityOf(text: QuantityText, unit: QuantityUnit): { value: number } | { error: string } {
  const s = typeof text === "number" ? String(text) : text;
  const value = unit === "milli" ? parseMilli(s) : parseUnits(s);
  if (value === undefined) {
    // Well formed but beyond what the twin's integers hold exactly: say so, not "malformed".
    const range = quantityOutOfRange(s);
    if (range === undefined) return { error: quantityExpected };
    if (range === "too small") return { error: "too small to represent: exponents below e-30 are not read" };
    return { error: `too large to represent: at most ${Number.MAX_SAFE_INTEGER}${unit === "milli" ? "m" : ""}` };
  }
  return value >= 0 ? { value } : { error: "expected a quantity that is not negative" };
}

/** The one conversion back: integer in `unit` → canonical text (binary suffixes for bytes). */
export function formatQuantity(name: string, value: number, unit: QuantityUnit): string {
  if (unit === "milli") return formatCpuMilli(value);
  return /memory|storage/.test(name) ? formatBytes(value) : String(value);
}

const Text = Schema.Union([Schema.String, Schema.Number]).annotate({ expected: 'a quantity like "500m" or "4Gi"' });

/**
 * One quantity's text, checked without knowing its resource (scenario node pools): it must convert
 * in millicores, the stricter unit.
 */
export const Quantity = Text.check(
  Schema.makeFilter((v: QuantityText) => {
    const q = quantityOf(v, "milli");
    return "value" in q || q.error;
  }),
);

type Texts = Readonly<Record<string, QuantityText>>;
type Amounts = Readonly<Record<string, number>>;

/** A map of named amounts, converted key by key; keys sorted so that no order leaks into the log. */
function amountsCodec(to: Schema.Codec<number>, decodeOne: (name: string, text: QuantityText) => { value: number } | { error: string }, encodeOne: (name: string, value: number) => string) {
  return Schema.Record(Schema.String, Text).pipe(
    Schema.decodeTo(Schema.Record(Schema.String, to), {
      decode: SchemaGetter.transformEffect((texts: Texts) => {
        const out: Record<string, number> = {};
        for (const name of Object.keys(texts).sort()) {
          const q = decodeOne(name, texts[name] as QuantityText);
          if ("error" in q) return Effect.fail(issueAt([name], q.error, { showFound: true }));
          out[name] = q.value;
        }
        return Effect.succeed(out);
      }),
      encode: SchemaGetter.transform((amounts: Amounts) => {
        const out: Record<string, QuantityText> = {};
        for (const name of Object.keys(amounts).sort()) out[name] = encodeOne(name, amounts[name] as number);
        return out;
      }),
    }),
  );
}

function listCodec(unitOf: (name: string) => QuantityUnit) {
  return amountsCodec(
    Schema.Int,
    (name, text) => quantityOf(text, unitOf(name)),
    (name, value) => formatQuantity(name, value, unitOf(name)),
  );
}

/** Resource name → integer amount (container requests and limits, node capacity, pod overhead). */
export const ResourceList = listCodec(resourceUnit);

/** Quota and limit-range lists: each value in the unit of its underlying resource. */
export const QuotaList = listCodec(quotaUnit);

/** maxLimitRequestRatio: plain numbers ("2" → 2, "1.5" → 1.5, kept to thousandths), at least 1. */
export const RatioList = amountsCodec(
  Schema.Finite,
  (_, text) => {
    const q = quantityOf(text, "milli");
    if ("error" in q) return { error: 'expected a ratio like 2 or "1.5"' };
    return q.value >= 1000 ? { value: q.value / 1000 } : { error: "expected a ratio of at least 1" };
  },
  (_, value) => String(value),
);
