/**
 * Calendar arithmetic on the proleptic Gregorian calendar, without Date (the core reads no clock):
 * days since 1970-01-01 ↔ (year, month 1–12, day 1–31), and ms since the epoch → RFC 3339. The codec's timestamps (k8s/time.ts) and
 * the CronJob schedules (model/cron-schedule.ts) use it.
 */

/** ms in a day. */
export const msPerDay = 86_400_000;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function civilFromDays(days: number): [number, number, number] {
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

export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}


/** Years 0000–9999 are all RFC 3339 can write. */
export const msMin = daysFromCivil(0, 1, 1) * msPerDay;
export const msMax = daysFromCivil(10_000, 1, 1) * msPerDay - 1;

/** ms since the epoch → RFC 3339 in UTC ("2024-05-01T12:00:00Z", "…:00.250Z"). */
export function formatTimeMs(ms: number): string {
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

