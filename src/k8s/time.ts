/**
 * Kubernetes timestamps (metav1.Time: RFC 3339, "2024-05-01T12:00:00Z") ↔ integer milliseconds
 * since the Unix epoch — the twin's virtual time, whose zero is 1970-01-01T00:00:00Z. Converted here
 * and only here, with calendar arithmetic (no Date, no clock): finer digits than milliseconds are
 * dropped; encoding writes UTC, with milliseconds only when there are some.
 */
import { Effect, Schema, SchemaGetter } from "effect";
import { daysFromCivil, daysInMonth, formatTimeMs, msMax, msMin, msPerDay } from "../model/civil-time.ts";
import type { Ms } from "../model/units.ts";
import { issueAt } from "./problem.ts";

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** RFC 3339 text → ms since the epoch; undefined when malformed or out of range. */
export function timeMsOf(text: string): Ms | undefined {
  const m = rfc3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7] ?? "";
  const ms = Number((fraction + "00").slice(0, 3));
  const offsetMin = m[8] === undefined ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  return daysFromCivil(year, month, day) * msPerDay + ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 + ms;
}

export { formatTimeMs } from "../model/civil-time.ts";

const timeExpected = 'expected a time like "2024-05-01T12:00:00Z"';

/** A metav1.Time field ↔ ms since the epoch. */
export const Timestamp = Schema.String.annotate({ expected: "a time like \"2024-05-01T12:00:00Z\"" }).pipe(
  Schema.decodeTo(Schema.Int.check(Schema.isBetween({ minimum: msMin, maximum: msMax })), {
    decode: SchemaGetter.transformEffect((text: string) => {
      const ms = timeMsOf(text);
      return ms === undefined ? Effect.fail(issueAt([], timeExpected, { showFound: true })) : Effect.succeed(ms);
    }),
    encode: SchemaGetter.transform(formatTimeMs),
  }),
);

/** ms since the epoch → metav1.MicroTime text: always six fractional digits (apimachinery micro_time.go RFC3339Micro). */
export function formatMicroTimeMs(ms: Ms): string {
  const text = formatTimeMs(ms);
  const milli = ms - Math.floor(ms / 1000) * 1000;
  return `${text.slice(0, 19)}.${String(milli).padStart(3, "0")}000Z`;
}

/**
 * A metav1.MicroTime field (Lease renewTime, acquireTime) ↔ ms since the epoch. Go clients parse
 * it with a fixed six-digit fraction, so it is written that way; it reads like any RFC 3339 time.
 */
export const MicroTimestamp = Schema.String.annotate({ expected: "a time like \"2024-05-01T12:00:00.000000Z\"" }).pipe(
  Schema.decodeTo(Schema.Int.check(Schema.isBetween({ minimum: msMin, maximum: msMax })), {
    decode: SchemaGetter.transformEffect((text: string) => {
      const ms = timeMsOf(text);
      return ms === undefined ? Effect.fail(issueAt([], timeExpected, { showFound: true })) : Effect.succeed(ms);
    }),
    encode: SchemaGetter.transform(formatMicroTimeMs),
  }),
);
