/**
 * Field formats shared by the Kubernetes kinds: counts, string maps, and int-or-percent values
 * (maxSurge, minAvailable). Checked as the API server validates them; kept as written.
 */
import { Effect, Schema } from "effect";

export const opt = Schema.optionalKey;

/** A field the API server defaults when absent: decoding fills `value` in, encoding writes it. */
export function orDefault<S extends Schema.Top>(schema: S, value: S["Encoded"]) {
  return schema.pipe(Schema.withDecodingDefaultKey(Effect.succeed(value)));
}

/**
 * An integer the twin can hold exactly (a safe integer). One too large to represent says so
 * ("too large"), not that it is malformed: YAML reads 1e400 as Infinity and 99999999999999999999
 * as a float that is no longer exact.
 */
export const Integer = Schema.Number.annotate({ expected: "an integer" }).check(
  Schema.makeFilter((v: number) => {
    if (Number.isSafeInteger(v)) return true;
    return Number.isNaN(v) || (Number.isFinite(v) && !Number.isInteger(v)) ? "expected an integer" : `too large: expected an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
  }),
);
export const Count = Integer.check(Schema.isGreaterThanOrEqualTo(0));
export const PositiveCount = Integer.check(Schema.isGreaterThanOrEqualTo(1));
/** A status count Kubernetes omits when zero. */
export const CountOrZero = orDefault(Count, 0);

export const StringMap = Schema.Record(Schema.String, Schema.String);
export const Strings = Schema.Array(Schema.String);

/** maxSurge / maxUnavailable / minAvailable: an absolute count or a percentage. */
export const IntOrPercent = Schema.Union([Count, Schema.String]).annotate({ expected: 'a count or a percentage like "25%"' }).check(
  Schema.makeFilter((v: string | number) => typeof v === "number" || /^\d+%$/.test(v) || 'expected a count like 1 or a percentage like "25%"'),
);

/** The same, where a percentage above 100% means nothing (a disruption budget). */
export const IntOrPercentUpTo100 = IntOrPercent.check(
  Schema.makeFilter((v: string | number) => typeof v === "number" || Number(v.slice(0, -1)) <= 100 || "expected a percentage from 0% to 100%"),
);

/** True for 0 and "0%". */
export function isZeroIntOrPercent(value: number | string): boolean {
  return value === 0 || value === "0%";
}
