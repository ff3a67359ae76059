/**
 * Kubernetes timestamps (metav1.Time: RFC 3339, "2024-05-01T12:00:00Z") ↔ integer milliseconds
 * since the Unix epoch — the twin's virtual time, whose zero is 1970-01-01T00:00:00Z. Converted here
 * and only here, with calendar arithmetic (no Date, no clock): finer digits than milliseconds are
 * dropped; encoding writes UTC, with milliseconds only when there are some.
 */
import { Effect, Schema, SchemaGetter } from "effect";
import type { Ms } from "../model/units.ts";
import { issueAt } from "./problem.ts";

const msPerDay = 86_400_000;
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

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

/** Years 0000–9999 are all RFC 3339 can write. */
const msMin = daysFromCivil(0, 1, 1) * msPerDay;
const msMax = daysFromCivil(10_000, 1, 1) * msPerDay - 1;

/** ms since the epoch → RFC 3339 in UTC ("2024-05-01T12:00:00Z", "…:00.250Z"). */
export function formatTimeMs(ms: Ms): string {
  if (!Number.isSafeInteger(ms) || ms < msMin || ms > msMax) throw new RangeError(`time ${ms} ms is outside the years 0000-9999`);
  const days = Math.floor(ms / msPerDay);
  const [year, month, day] = civilFromDays(days);
  let rest = ms - days * msPerDay;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const fraction = milli === 0 ? "" : `.${pad(milli, 3)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}Z`;
}

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
